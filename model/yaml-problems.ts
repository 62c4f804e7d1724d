/**
 * What the YAML parser says about a document, in words a person can act on, and what it accepts but a plain data
 * file must not hold (collection keys, merge keys, aliases without an anchor).
 */
import { isAlias, isScalar, visit, type Document, type Node, type YAMLError } from "yaml";
import { article, firstLine, type OffsetProblem, type Path } from "./document-kind";
import { pathAtOffset } from "./source-location";
import { TOO_DEEP } from "./text-checks";

/**
 * YAML syntax errors, in words a person can act on. A syntax error usually sets off a cascade of follow-up errors
 * on the lines after it; only the first is worth reading, so the rest are counted, not listed. Duplicate keys are
 * independent of each other and all reported.
 */
export function yamlProblems(doc: Document, text: string, noun: string): OffsetProblem[] {
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length === 0) return [];
  const toProblem = (e: YAMLError): OffsetProblem => {
    const message = explainYamlError(e, text, noun);
    // Too deep to print: the section it is in is enough.
    return { path: message === TOO_DEEP ? yamlErrorPath(doc, e).slice(0, 2) : yamlErrorPath(doc, e), message, offset: e.pos[0] };
  };
  const fatal = errors.filter((e) => e.code !== "DUPLICATE_KEY");
  if (fatal.length === 0) return errors.map(toProblem);
  const first = toProblem(fatal[0]);
  const rest = errors.length - 1;
  if (rest === 0) return [first];
  return [{ ...first, message: `${first.message} (${rest} more YAML error${rest === 1 ? "" : "s"} after it, most likely caused by this one: fix it first)` }];
}

/**
 * Where a YAML error sits. A duplicate key is named exactly; for a broken line the parser's reading of the line
 * itself is garbage, so the error is placed in the mapping or list that holds it.
 */
function yamlErrorPath(doc: Document, e: YAMLError): Path {
  if (e.code === "MULTIPLE_DOCS") return [];
  const path = pathAtOffset(doc, e.pos[0]);
  if (e.code === "DUPLICATE_KEY") return path;
  return typeof path[path.length - 1] === "string" ? path.slice(0, -1) : path;
}

function explainYamlError(e: YAMLError, text: string, noun: string): string {
  const original = firstLine(e.message);
  const say = (words: string) => `YAML syntax error: ${words} (parser: ${original})`;
  if (/call stack/i.test(original)) return TOO_DEEP;
  switch (e.code) {
    case "TAB_AS_INDENT":
      return say("a tab is used for indentation; YAML indents with spaces only, so replace the tab with spaces");
    case "DUPLICATE_KEY": {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))![0].trim();
      return say(`key ${JSON.stringify(key)} appears twice in the same mapping; only one can count, so remove or rename one of them`);
    }
    case "MULTIPLE_DOCS":
      return say(`the file holds more than one YAML document (a second "---" line); ${article(noun)} is a single document`);
    case "MULTILINE_IMPLICIT_KEY":
    case "BLOCK_AS_IMPLICIT_KEY":
    case "BAD_INDENT":
    case "UNEXPECTED_TOKEN":
      return say('this line does not fit the structure around it: check that it is indented like its neighbours (spaces only) and has the form "key: value"');
    case "MISSING_CHAR":
      if (/quote/i.test(original)) return say("a quoted value has no closing quote; add the missing quote");
      if (/indicator/.test(original)) return say('this line does not fit the structure around it: check its indentation against the lines above, and the "- " of list items');
      return say(original);
    case "TAG_RESOLVE_FAILED":
      return say(`unknown YAML tag${/: (\S+)/.exec(original)?.[1] ? ` ${/: (\S+)/.exec(original)![1]}` : ""}; ${noun}s use plain values, without tags like !Ref or !!int`);
    default:
      return say(original);
  }
}

/** Problems the YAML parser accepts but a plain data file must not contain: collection keys, unresolved aliases. */
export function structureProblems(doc: Document): OffsetProblem[] {
  const problems: OffsetProblem[] = [];
  const anchors = new Set<string>();
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      const offset = key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
      if (key === null) problems.push({ path: pathAtOffset(doc, offset), message: 'a value has no key before its ":"', offset });
      else if (!isScalar(key)) problems.push({ path: pathAtOffset(doc, offset), message: "a key must be plain text, not a list, a mapping or an alias", offset });
      else if (key.value !== null && typeof key.value === "object") problems.push({ path: pathAtOffset(doc, offset), message: "a key must be plain text, not binary or tagged data", offset });
      else if (key.value === "<<") problems.push({ path: pathAtOffset(doc, offset), message: '"<<" is a YAML merge key, which environment files do not use (YAML 1.2 dropped merge keys): write the keys out', offset });
      else if (key.value === "__proto__") problems.push({ path: pathAtOffset(doc, offset), message: 'key "__proto__" is not allowed', offset });
    },
    Node(_, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          const offset = node.range?.[0] ?? 0;
          problems.push({ path: pathAtOffset(doc, offset), message: `alias *${node.source} refers to no anchor: define &${node.source} on a value before this line, or write the value out`, offset });
        }
      } else if (node.anchor) anchors.add(node.anchor);
    },
  });
  return problems;
}

/** The first alias of the document, where an alias bomb is reported. */
export function firstAlias(doc: Document): { offset: number } | undefined {
  let found: { offset: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      found = { offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}
