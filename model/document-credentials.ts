/**
 * Credentials pasted into a document: keys named like one, values that look like a secret, and secrets in
 * comments. Each is refused with what to do instead (OpenStack auth in clouds.yaml, AWS in its credential chain).
 */
import { isMap, isScalar, isSeq, visit, type Document } from "yaml";
import { article, type OffsetProblem, type Path, type Problem } from "./document-kind";
import { SECRET_PATTERNS, secretIn } from "./secret-scan";
import { pathAtOffset } from "./source-location";

const CREDENTIAL_KEY = /(pass(word|wd)?|secret|token|private[_-]?key|access[_-]?key|credential|api[_-]?key|auth[_-]?url)/i;

/** Keys named like a credential and values that look like a secret, under `node` at `path`. */
export function findCredentials(node: unknown, path: Path, noun: string): Problem[] {
  const found: Problem[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const inKey = secretIn(key);
      if (inKey) found.push({ path: [...path, key], message: `a key looks like ${inKey}; remove it: secrets never belong in ${article(noun)}` });
      else if (CREDENTIAL_KEY.test(key) && key !== "keyName") {
        found.push({ path: [...path, key], message: `"${key}" looks like a credential; never put credentials in ${article(noun)}: OpenStack auth comes from the clouds.yaml entry named by "cloud", AWS from its credential chain (profile or role)` });
      }
      found.push(...findCredentials(pair.value, [...path, key], noun));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => found.push(...findCredentials(item, [...path, i], noun)));
  } else if (isScalar(node) && typeof node.value === "string") {
    const what = secretIn(node.value);
    if (what) found.push({ path, message: `value looks like ${what}; ${secretFix(what)}` });
  }
  return found;
}

/** Secrets pasted into comments: they are not data, but they would still be committed and shared. */
export function credentialsInComments(doc: Document, text: string, noun: string): OffsetProblem[] {
  const scalars: [number, number][] = [];
  visit(doc, {
    Scalar(_, node) {
      if (node.range) scalars.push([node.range[0], node.range[1]]);
    },
  });
  const problems: OffsetProblem[] = [];
  for (const [re, what] of SECRET_PATTERNS) {
    for (const match of text.matchAll(new RegExp(re.source, "g"))) {
      const offset = match.index ?? 0;
      if (scalars.some(([start, end]) => offset >= start && offset < end)) continue;
      problems.push({ path: pathAtOffset(doc, offset), message: `a comment holds what looks like ${what}; remove it: secrets never belong in ${article(noun)}, comments included`, offset });
    }
  }
  return problems;
}

/** What to write instead of a credential: the same URL without it, or nothing at all. */
function secretFix(what: string): string {
  const where = "secrets never belong in an environment file: OpenStack credentials stay in clouds.yaml, AWS ones in its credential chain, others in the CI's secret store";
  return what.startsWith("a URL") ? `write the URL without it; ${where}` : `remove it; ${where}`;
}
