/**
 * Schema problems in words a person can act on: zod's issues turned into messages that say what was found, what
 * is expected and what to write instead (a misspelt key, quotes around a number, a value in the wrong case). Values
 * from the file are described, never echoed when they look like a secret.
 */
import type { Document, Node } from "yaml";
import type { z } from "zod";
import { article, type DocumentKind, type Path, type Problem } from "./document-kind";
import { closestMatch } from "./errors";
import { secretIn } from "./secret-scan";
import { nonFiniteNumberText } from "./text-checks";

/** Why the top level of a document is not the mapping its kind needs. */
export function topLevelProblem(data: unknown, kind: DocumentKind<unknown>): string {
  const expected = `${article(kind.noun)} is a mapping of keys (${kind.topLevelKeys}); start from ${kind.example}`;
  if (data === null || data === undefined) return `file has no settings, only comments or blank lines; ${expected}`;
  if (Array.isArray(data)) return `the top level is a list ("- " items or [...]), not a mapping; ${expected}`;
  if (typeof data === "string") return `file holds plain text (${describe(data)}), not YAML settings; ${expected}`;
  return `the top level is ${describe(data)}, not a mapping; ${expected}`;
}

/** The document a schema issue is explained against. */
export interface IssueContext {
  readonly data: unknown;
  readonly doc: Document;
  readonly text: string;
  readonly kind: DocumentKind<unknown>;
}

const DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)/;

/** One zod issue as problems at paths of the document. */
export function issueToProblems(issue: z.core.$ZodIssue, prefix: Path, ctx: IssueContext): Problem[] {
  const path: Path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const value = lookup(ctx.data, path);
  const custom = DEFAULT_MESSAGE.test(issue.message) ? undefined : issue.message;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, path, ctx.kind) }));
    case "invalid_type":
      return [{ path, message: typeMessage(issue.expected, path, value, custom, ctx) }];
    case "invalid_union":
      return unionProblems(issue, path, value, ctx);
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const head = custom ?? `must be one of ${options.join(", ")}`;
      return [{ path, message: `${head}; got ${describeFound(value)}${caseHint(value.value, issue.values)}` }];
    }
    case "too_small":
    case "too_big":
      return [{ path, message: rangeMessage(issue, value, custom) }];
    case "custom":
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: `${issue.message}; got ${describeFound(value)}` }];
  }
}

function unknownKeyMessage(key: string, path: Path, kind: DocumentKind<unknown>): string {
  const known = keysAt(path, kind.schema);
  const suggestion = closestMatch(key, known);
  if (suggestion !== undefined) return `unknown key "${key}"; did you mean "${suggestion}"?`;
  return `unknown key "${key}"; the keys accepted here are ${known.join(", ")} (see ${kind.reference})`;
}

function typeMessage(expected: string, path: Path, found: Found, custom: string | undefined, ctx: IssueContext): string {
  const want = humanType(expected);
  const key = path[path.length - 1];
  if (!found.present) {
    const siblings = Object.keys(asRecord(lookup(ctx.data, path.slice(0, -1)).value));
    const known = keysAt(path.slice(0, -1), ctx.kind.schema);
    const misspelt = typeof key === "string" ? siblings.find((s) => !known.includes(s) && closestMatch(s, [key]) === key) : undefined;
    return `missing required key ${JSON.stringify(key)} (${want})${misspelt ? `; is "${misspelt}" a misspelling of it?` : ""}`;
  }
  const v = found.value;
  if (v === null) return `${JSON.stringify(key)} has no value; expected ${want}: fill it in or remove the key`;
  const head = custom ? `${custom}; expected ${want}` : `expected ${want}`;
  if (typeof v === "number" && !Number.isFinite(v)) return `${head}, got ${nonFiniteNumberText(v, sourceText(ctx, path))}`;
  if (expected === "int" && typeof v === "number") return `${head}, got ${v}`;
  let hint = "";
  if (expected === "string" && (typeof v === "number" || typeof v === "boolean")) {
    const source = sourceText(ctx, path);
    hint = `; YAML reads ${source ?? String(v)} as a ${typeof v}: put it in quotes to keep it as text, e.g. "${source ?? String(v)}"`;
  } else if ((expected === "number" || expected === "int") && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
    hint = "; remove the quotes: a quoted value is text";
  } else if (expected === "boolean" && typeof v === "string") {
    hint = "; write true or false, without quotes";
  } else if (expected === "array" && !Array.isArray(v)) {
    hint = '; write a list: one "- item" line per entry, or [a, b]';
  } else if ((expected === "object" || expected === "record") && Array.isArray(v)) {
    hint = '; write "key: value" lines, without the "- " of list items';
  }
  return `${head}, got ${describe(v)}${hint}`;
}

function unionProblems(issue: z.core.$ZodIssueInvalidUnion, path: Path, found: Found, ctx: IssueContext): Problem[] {
  if (issue.discriminator !== undefined && issue.errors.length === 0) {
    const options = ((issue as { options?: unknown[] }).options ?? []).map((o) => JSON.stringify(o));
    const head = `${issue.discriminator} must be one of ${options.join(", ")}`;
    if (!found.present) return [{ path, message: `missing required key ${JSON.stringify(issue.discriminator)}: ${head}` }];
    return [{ path, message: `${head}; got ${describeFound(found)}${caseHint(found.value, (issue as { options?: unknown[] }).options ?? [])}` }];
  }
  // A branch whose shape fits (no unknown keys, right kind of value) is the form the person meant: report its issues.
  const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && (i.code === "unrecognized_keys" || i.code === "invalid_type")));
  if (fitting.length === 1) return fitting[0].flatMap((i) => issueToProblems(i, path, ctx));
  const forms = DEFAULT_MESSAGE.test(issue.message) ? `does not match any accepted form (see ${ctx.kind.reference})` : issue.message;
  return [{ path, message: `${forms}; got ${describeFound(found)}` }];
}

function rangeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, found: Found, custom: string | undefined): string {
  const v = found.value;
  const small = issue.code === "too_small";
  const limit = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const exclusive = issue.inclusive === false;
  if (issue.origin === "array" || issue.origin === "set") {
    const count = Array.isArray(v) ? v.length : 0;
    return `${custom ?? `needs ${small ? "at least" : "at most"} ${limit} entr${limit === 1 ? "y" : "ies"}`}; got ${count}`;
  }
  if (issue.origin === "string") {
    if (custom) return `${custom}; got ${describe(v)}`;
    if (small && limit === 1) return "must not be empty";
    return `must be ${small ? "at least" : "at most"} ${limit} characters long; got ${describe(v)}`;
  }
  const head = custom ?? `must be ${small ? (exclusive ? "more than" : "at least") : exclusive ? "less than" : "at most"} ${limit}`;
  return `${head}; got ${describe(v)}`;
}

function caseHint(value: unknown, options: readonly unknown[]): string {
  if (typeof value !== "string") return "";
  const match = options.find((o) => typeof o === "string" && o.toLowerCase() === value.toLowerCase() && o !== value);
  return match === undefined ? "" : `; values are case-sensitive: write ${JSON.stringify(match)}`;
}

function humanType(expected: string): string {
  switch (expected) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a mapping (key: value lines)";
    default:
      return expected;
  }
}

/** Keys the schema accepts at a path of the file (every form of a union), for spelling suggestions. */
function keysAt(path: Path, schema: z.ZodType<unknown>): string[] {
  type Schema = { _zod: { def: Record<string, any> } };
  const unwrap = (s: Schema | undefined): Schema[] => {
    if (!s) return [];
    const def = s._zod.def;
    switch (def.type) {
      case "optional":
      case "default":
      case "prefault":
      case "nullable":
      case "readonly":
      case "catch":
      case "nonoptional":
        return unwrap(def.innerType);
      case "pipe":
        return unwrap(def.in);
      case "union":
        return (def.options as Schema[]).flatMap(unwrap);
      default:
        return [s];
    }
  };
  let current = unwrap(schema as unknown as Schema);
  for (const part of path) {
    current = current.flatMap((s) => {
      const def = s._zod.def;
      if (def.type === "object" && typeof part === "string" && Object.hasOwn(def.shape, part)) return unwrap(def.shape[part]);
      if (def.type === "array" && typeof part === "number") return unwrap(def.element);
      if (def.type === "record") return unwrap(def.valueType);
      return [];
    });
  }
  return [...new Set(current.flatMap((s) => (s._zod.def.type === "object" ? Object.keys(s._zod.def.shape) : [])))];
}

interface Found {
  readonly present: boolean;
  readonly value: unknown;
}

function lookup(data: unknown, path: Path): Found {
  let current: unknown = data;
  for (const part of path) {
    if (Array.isArray(current) && typeof part === "number" && part < current.length) current = current[part];
    else if (current !== null && typeof current === "object" && !Array.isArray(current) && Object.hasOwn(current, part)) current = (current as Record<string, unknown>)[part];
    else return { present: false, value: undefined };
  }
  return { present: true, value: current };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sourceText(ctx: IssueContext, path: Path): string | undefined {
  const node = ctx.doc.getIn(path, true) as Node | undefined;
  return node?.range ? ctx.text.slice(node.range[0], node.range[1]).trim() : undefined;
}

function describeFound(found: Found): string {
  return found.present ? describe(found.value) : "nothing";
}

/** A short description of a value from the file, never echoing anything that looks like a secret. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing (an empty value)";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "string") {
    if (secretIn(value)) return "a value that looks like a secret (not shown)";
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  }
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : nonFiniteNumberText(value, undefined);
  if (typeof value === "boolean") return `${value} (true/false)`;
  if (value instanceof Uint8Array) return "binary data (a !!binary value)";
  if (value instanceof Set || value instanceof Map) return "a YAML set or ordered map";
  if (typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "an empty mapping";
    const shown = keys.slice(0, 5).join(", ");
    return `a mapping with key${keys.length === 1 ? "" : "s"} ${shown}${keys.length > 5 ? ", …" : ""}`;
  }
  return `${typeof value} ${String(value)}`;
}
