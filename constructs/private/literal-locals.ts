import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ValidationError } from "../core";

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
    throw new ValidationError(
      `a fleet must live in a stack that renders literal host maps (an EstateStack); stack "${stack.node.id}" is a plain TerraformStack`,
      scope,
    );
  }
  return stack as unknown as LiteralLocalRegistry;
}

/** `PascalCase`, `kebab-case` and `dotted.names` to `snake_case`: Terraform names and local names. */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}
