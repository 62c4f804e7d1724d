import type { IConstruct } from "constructs";

/**
 * A construct refused its props: the one error every construct and stack of the toolkit throws for a value it
 * cannot build, so user code catches one class (as AWS CDK's `ValidationError(message, scope)`).
 *
 * The message is `<construct path>: <detail>`, e.g. `dev-os-a/web/Fleet: host "dev-os-a-web-001" appears twice`:
 * the path names the construct (its first segment is the stack), the detail names the value and the fix.
 */
export class ValidationError extends Error {
  /** Path of the construct that refused, e.g. `dev-os-a/web/Fleet`. */
  readonly constructPath: string;
  /** The message without the path. */
  readonly detail: string;

  constructor(detail: string, scope: IConstruct) {
    super(`${scope.node.path}: ${detail}`);
    this.name = "ValidationError";
    this.constructPath = scope.node.path;
    this.detail = detail;
  }
}
