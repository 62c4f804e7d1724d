import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * What a fleet needs from its stack: somewhere to put a large, token-free host map as a Terraform local without
 * walking it through cdktf's token resolver. The EstateStack base class provides it; taking it through this
 * interface keeps constructs from importing the stacks layer.
 */
export interface LiteralLocalRegistry {
  addLiteralLocal(name: string, value: unknown): string;
}

export function literalLocalRegistry(scope: IConstruct): LiteralLocalRegistry {
  const stack = TerraformStack.of(scope) as TerraformStack & Partial<LiteralLocalRegistry>;
  if (typeof stack.addLiteralLocal !== "function") {
    throw new Error(
      `${scope.node.path}: a fleet must live in a stack that renders literal host maps (an EstateStack); stack "${stack.node.id}" is a plain TerraformStack`,
    );
  }
  return stack as unknown as LiteralLocalRegistry;
}
