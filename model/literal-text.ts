/**
 * Text of the environment file that cannot reach the clouds literally. Terraform and Ansible sequences are escaped
 * by the renderers; cdktf's own token marker cannot be: cdktf replaces `${TfToken[...]}` anywhere in a string with
 * the value of one of its tokens (a reference to another resource) while it synthesizes, before any escaping.
 */
import type { ConfigProblem } from "./errors";

/** How cdktf marks string, list and map tokens inside strings (cdktf 0.21, `lib/tokens/private/encoding.ts`). */
export const CDKTF_TOKEN_MARKERS: readonly string[] = ["${TfToken[", "#{TfToken[", "&{TfToken["];

/** Every string of the parsed file (keys included) that holds cdktf's token marker, with its path. */
export function cdktfTokenMarkerProblems(value: unknown, path: (string | number)[] = []): ConfigProblem[] {
  const marker = (text: string) => CDKTF_TOKEN_MARKERS.find((m) => text.includes(m));
  const problem = (at: (string | number)[], found: string): ConfigProblem => ({
    path: at,
    message: `"${found}" is how cdktf marks a reference to another resource inside a string, so this text would not reach Terraform as written; remove it`,
  });
  if (typeof value === "string") {
    const found = marker(value);
    return found ? [problem(path, found)] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => cdktfTokenMarkerProblems(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => {
      const found = marker(k);
      return [...(found ? [problem([...path, k], found)] : []), ...cdktfTokenMarkerProblems(v, [...path, k])];
    });
  }
  return [];
}
