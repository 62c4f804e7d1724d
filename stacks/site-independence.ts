/**
 * "Sites are independent", checked on the construct tree: no element of a stack may refer to an element of another
 * stack.
 *
 * The policy rule EST-STK-001 checks the synthesized JSON: every reference must name something its stack declares.
 * That cannot see a reference to another stack's resource when this stack has one at the same address, and every
 * site stack does (`openstack_networking_network_v2.network_network` is in each of them): estate stacks skip cdktf's
 * cross-stack wiring (see `EstateStack.prepareStack`), so such a reference would be written as the address alone and
 * Terraform would silently use the local resource. Resources added from user code are checked here, at the token,
 * where the stack a reference comes from is still known.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization, type IPostProcessor, type IResolvable, type IResolveContext } from "cdktf";
import type { IConstruct } from "constructs";

/** One reference from an element of a stack to an element of another stack. */
export interface CrossStackReference {
  /** Construct path of the element that holds the reference, e.g. `dev-os-a/Extra/Port`. */
  readonly from: string;
  /** The Terraform expression referred to, e.g. `openstack_networking_network_v2.network_network.id`. */
  readonly expression: string;
  /** Name of the stack the referred element belongs to, e.g. `dev-os-b`. */
  readonly toStack: string;
}

/** Every reference from an element of `stack` to an element of another stack, in construct order. */
export function crossStackReferences(stack: TerraformStack): CrossStackReference[] {
  const found: CrossStackReference[] = [];
  for (const element of stack.node.findAll()) {
    if (!(element instanceof TerraformElement) || TerraformStack.of(element) !== stack) continue;
    const resolver = new ForeignReferenceResolver(stack, (expression, origin) => found.push({ from: element.node.path, expression, toStack: origin.node.id }));
    Tokenization.resolve(element.toTerraform(), { scope: element, preparing: false, resolver });
  }
  return found;
}

/** The message for references that break site independence: what refers to what, and what to write instead. */
export function crossStackReferenceMessage(stack: string, refs: readonly CrossStackReference[]): string {
  const lines = refs.map((r) => `${r.from} refers to ${r.expression} of stack ${r.toStack}`);
  return (
    `stack ${stack} refers to another stack, and sites must deploy and fail independently: ${lines.join("; ")}. ` +
    "Use a value of this stack or of the model instead (fixed addresses and names), or look the object up by name with a data source in this stack."
  );
}

/** A resolver that reports every cdktf reference whose element lives in another stack, and otherwise resolves as usual. */
class ForeignReferenceResolver extends DefaultTokenResolver {
  constructor(
    private readonly stack: TerraformStack,
    private readonly report: (expression: string, origin: TerraformStack) => void,
  ) {
    super(new StringConcat());
  }

  override resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    const origin = originStackOf(t);
    if (origin && origin !== this.stack) this.report(String((t as { identifier?: unknown }).identifier ?? t.toString()), origin);
    return super.resolveToken(t, context, postProcessor);
  }
}

/** cdktf's references (`Reference` in its tfExpression module, not exported) carry the stack of their element. */
function originStackOf(token: IResolvable): TerraformStack | undefined {
  const origin = (token as { originStack?: IConstruct }).originStack;
  return origin && TerraformStack.isStack(origin) ? origin : undefined;
}
