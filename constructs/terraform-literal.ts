import { Token } from "cdktf";

/**
 * Terraform reads every string of a `.tf.json` file as a template: `${...}` is an interpolation and `%{...}` a
 * directive. Text that must arrive as written (a health-check path, an image name, a domain from the environment
 * file) has both sequences doubled, `$${` and `%%{`, the template escapes Terraform turns back into `${` and `%{`
 * (Terraform language, "Strings and Templates", Escape Sequences). Nothing else in a string is special to templates.
 *
 * cdktf 0.21's `Fn.rawString` is not used: it escapes `${` but not `%{` (which Terraform then refuses as an
 * "Invalid template directive"), and it writes `"` as `\"`, which Terraform reads back with the backslash (both
 * measured with `terraform console`).
 */
export function escapeTemplateSequences(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/**
 * Literal text for a resource argument: escaped, unless it holds a cdktf token (a reference to another resource,
 * made by cdktf), which must stay an expression. Text from the environment file never holds a token.
 */
export function terraformLiteral(text: string): string {
  return Token.isUnresolved(text) ? text : escapeTemplateSequences(text);
}

/** {@link terraformLiteral} of every string of a token-free value (keys of maps included): literal locals. */
export function escapeTemplateStrings(value: unknown): unknown {
  if (typeof value === "string") return escapeTemplateSequences(value);
  if (Array.isArray(value)) return value.map(escapeTemplateStrings);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key in value) out[escapeTemplateSequences(key)] = escapeTemplateStrings((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
