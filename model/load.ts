/**
 * Reads an environment file and returns the resolved EstateModel, or throws one EnvironmentError listing every
 * problem with its file, line, path and fix.
 *
 * Whatever the input (binary, not UTF-8, not YAML, an alias bomb, a schema mismatch), the loader throws only
 * EnvironmentError: a person gets a message about their file, never a stack trace.
 */
import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from "yaml";
import type { z } from "zod";
import { closestMatch, EnvironmentError, type ConfigProblem } from "./errors";
import { resolveEstate, type ResolveOptions } from "./resolve";
import { locateInDocument } from "./source-location";
import { encodingProblem, invisibleCharacterProblems, lineEndingProblem, nestingProblem, nonFiniteNumberText, TOO_DEEP } from "./text-checks";
import { environmentSchema, type EnvironmentFile } from "./schema";
import type { EstateModel } from "./types";
import { SECRET_PATTERNS, secretIn } from "./secret-scan";
import { validateEstate } from "./validate";

/** Environment files are small; anything larger is a mistake (a log or a dump pasted by accident). */
export const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

/** YAML aliases may be expanded at most this many times: enough for sharing a list, far too few for a bomb. */
export const MAX_ALIAS_EXPANSIONS = 100;

/** Marks a problem that comes from a bug in the toolkit rather than from the file. Tests fail on it. */
export const INTERNAL_ERROR_MARKER = "internal error";

const CREDENTIAL_KEY = /(pass(word|wd)?|secret|token|private[_-]?key|access[_-]?key|credential|api[_-]?key|auth[_-]?url)/i;

type Path = (string | number)[];
type Problem = Omit<ConfigProblem, "line" | "column">;

/**
 * A kind of YAML document the toolkit reads (environment files, cost tables). Reading, YAML checks, schema
 * messages and locations are the same for every kind; only these words and the schema differ.
 */
export interface DocumentKind<T> {
  /** What the file is called in messages: `environment file`, `cost file`. */
  readonly noun: string;
  readonly schema: z.ZodType<T>;
  /** The file a person starts from, e.g. `environments/dev.yaml`. */
  readonly example: string;
  /** Some of the top-level keys, as a hint for a file that is not a mapping: `name:, sites:, services: ...`. */
  readonly topLevelKeys: string;
  /** Where the keys are documented: `"Environment file" in README.md`. */
  readonly reference: string;
}

export const ENVIRONMENT_DOCUMENT: DocumentKind<EnvironmentFile> = {
  noun: "environment file",
  schema: environmentSchema,
  example: "environments/dev.yaml",
  topLevelKeys: "name:, sites:, services: ...",
  reference: '"Environment file" in README.md',
};

/**
 * Reads an environment file and resolves it into the model the stacks are built from (README.md, "Environment file").
 * @throws EnvironmentError listing every problem with its file, line, column, path and fix.
 */
export function loadEnvironment(file: string, options: ResolveOptions = {}): EstateModel {
  const parsed = parseEnvironment(file, options);
  return guard(file, () => resolveEstate(parsed, file, options));
}

/** Reads, parses and validates; returns the schema-typed file when every check passes. */
export function parseEnvironment(file: string, options: ResolveOptions = {}): EnvironmentFile {
  const bytes = readDocumentBytes(file, ENVIRONMENT_DOCUMENT);
  return parseEnvironmentText(decodeDocumentText(bytes, file, ENVIRONMENT_DOCUMENT), file, options);
}

export function parseEnvironmentText(text: string, file: string, options: ResolveOptions = {}): EnvironmentFile {
  return guard(file, () => parseChecked(text, file, ENVIRONMENT_DOCUMENT, (data) => validateEstate(data, options.drain ?? [])));
}

/**
 * Reads a YAML document of any kind with the environment loader's guarantees: every problem at once, located at
 * file:line:column with its path, never anything but an EnvironmentError. `check` adds problems the schema cannot
 * express (dates, references between tables); they are located like schema problems.
 */
export function loadYamlDocument<T>(file: string, kind: DocumentKind<T>, check: (value: T) => readonly Problem[] = () => []): T {
  const text = decodeDocumentText(readDocumentBytes(file, kind), file, kind);
  return guard(file, () => parseChecked(text, file, kind, check), kind.noun);
}

/** Runs `work`; anything but an EnvironmentError is a toolkit bug, reported against the file without a stack. */
function guard<T>(file: string, work: () => T, noun?: string): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new EnvironmentError(file, [{ path: [], message: TOO_DEEP }]);
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new EnvironmentError(
      file,
      [{ path: [], message: `${INTERNAL_ERROR_MARKER} while checking this file (${firstLine(what)}); this is a toolkit bug: please report it with the file` }],
      noun,
    );
  }
}

function readDocumentBytes(file: string, kind: DocumentKind<unknown>): Buffer {
  const fail = (message: string): never => {
    throw new EnvironmentError(file, [{ path: [], message }], kind.noun);
  };
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) fail("is a directory, not a file");
    if (!stat.isFile()) fail(`is not a regular file (a device, pipe or socket); name ${article(kind.noun)}`);
    if (stat.size > MAX_ENVIRONMENT_BYTES) {
      fail(`file is ${stat.size} bytes, over the ${MAX_ENVIRONMENT_BYTES}-byte limit for ${article(kind.noun)}; is this the right file?`);
    }
    return readFileSync(file);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? "file not found" : code === "EACCES" ? "cannot read file: permission denied" : `cannot read file (${code ?? String(err)})`);
  }
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function decodeDocumentText(bytes: Buffer, file: string, kind: DocumentKind<unknown>): string {
  const encoding = encodingProblem(bytes);
  if (encoding) {
    const at = encoding.offset === undefined ? {} : lineAndColumn(bytes.toString("utf8").replaceAll("\u0000", ""), encoding.offset);
    throw new EnvironmentError(file, [{ path: [], message: encoding.message, ...at }], kind.noun);
  }
  if (bytes.includes(0)) throw new EnvironmentError(file, [{ path: [], message: `file is binary (it contains NUL bytes), not a YAML ${kind.noun}` }], kind.noun);
  const text = bytes.toString("utf8");
  if (!isUtf8(bytes)) {
    const at = Math.max(0, text.indexOf("\uFFFD"));
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    const byte = bytes[Buffer.byteLength(before, "utf8")] ?? 0;
    throw new EnvironmentError(file, [
      {
        path: [],
        message: `file is not UTF-8 text: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not valid UTF-8 (was it saved as Latin-1 or Windows-1252?); save the file as UTF-8`,
        line,
        column,
      },
    ], kind.noun);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseChecked<T>(text: string, file: string, kind: DocumentKind<T>, check: (value: T) => readonly Problem[]): T {
  const fail = (problems: readonly ConfigProblem[]): never => {
    throw new EnvironmentError(file, problems, kind.noun);
  };
  if (Buffer.byteLength(text, "utf8") > MAX_ENVIRONMENT_BYTES) {
    fail([{ path: [], message: `text is over the ${MAX_ENVIRONMENT_BYTES}-byte limit for ${article(kind.noun)}; is this the right file?` }]);
  }
  if (text.trim() === "") fail([{ path: [], message: `file is empty; start from ${kind.example}` }]);
  if (text.includes("\u0000")) fail([{ path: [], message: `file is binary (it contains NUL bytes), not a YAML ${kind.noun}` }]);
  const endings = lineEndingProblem(text);
  if (endings) fail([{ path: [], message: endings.message }]);
  const nesting = nestingProblem(text);
  if (nesting) fail([{ path: nesting.topKey ? [nesting.topKey] : [], message: nesting.message, ...lineAndColumn(text, nesting.offset!) }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  // Before the parser's view: an invisible character is often what its syntax error is really about.
  const invisible = invisibleCharacterProblems(text);
  if (invisible.length > 0) fail(invisible.map((p) => ({ path: pathAtOffset(doc, p.offset!), message: p.message, ...at(p.offset!) })));

  const syntax = yamlProblems(doc, text, kind.noun);
  if (syntax.length > 0) fail(syntax.map((p) => ({ path: p.path, message: p.message, ...at(p.offset) })));
  const structural = structureProblems(doc);
  if (structural.length > 0) fail(structural.map((p) => ({ path: p.path, message: p.message, ...at(p.offset) })));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const first = firstAlias(doc);
    fail([
      {
        path: first ? pathAtOffset(doc, first.offset) : [],
        message: `YAML aliases expand to too many copies (more than ${MAX_ALIAS_EXPANSIONS}); this looks like an alias bomb: write the values out instead of nesting aliases`,
        ...(first ? at(first.offset) : {}),
      },
    ]);
  }
  if (data === null || data === undefined || typeof data !== "object" || Array.isArray(data)) {
    fail([{ path: [], message: topLevelProblem(data, kind) }]);
  }

  const located = (p: Problem): ConfigProblem => ({ ...p, ...locateInDocument(doc, lines, p.path) });
  const context: IssueContext = { data, doc, text, kind };
  const credentials = [
    ...findCredentials(doc.contents, [], kind.noun).map(located),
    ...credentialsInComments(doc, text, kind.noun).map((p) => ({ path: p.path, message: p.message, ...at(p.offset) })),
  ];
  const result = kind.schema.safeParse(data);
  if (!result.success) {
    const credentialPaths = new Set(credentials.map((c) => c.path.join("\u0000")));
    const problems = result.error.issues
      .flatMap((issue) => issueToProblems(issue, [], context))
      // A pasted credential is also an unknown key; the credential message is the one that matters.
      .filter((p) => !(p.message.startsWith("unknown key") && credentialPaths.has(p.path.join("\u0000"))))
      .map(located);
    fail(ordered([...credentials, ...problems]));
  }
  const value = result.data as T;
  const semantic = check(value).map(located);
  if (credentials.length > 0 || semantic.length > 0) fail(ordered([...credentials, ...semantic]));
  return value;
}

interface OffsetProblem {
  readonly path: Path;
  readonly message: string;
  readonly offset: number;
}

/**
 * YAML syntax errors, in words a person can act on. A syntax error usually sets off a cascade of follow-up errors
 * on the lines after it; only the first is worth reading, so the rest are counted, not listed. Duplicate keys are
 * independent of each other and all reported.
 */
function yamlProblems(doc: Document, text: string, noun: string): OffsetProblem[] {
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
function structureProblems(doc: Document): OffsetProblem[] {
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

function firstAlias(doc: Document): { offset: number } | undefined {
  let found: { offset: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      found = { offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

function topLevelProblem(data: unknown, kind: DocumentKind<unknown>): string {
  const expected = `${article(kind.noun)} is a mapping of keys (${kind.topLevelKeys}); start from ${kind.example}`;
  if (data === null || data === undefined) return `file has no settings, only comments or blank lines; ${expected}`;
  if (Array.isArray(data)) return `the top level is a list ("- " items or [...]), not a mapping; ${expected}`;
  if (typeof data === "string") return `file holds plain text (${describe(data)}), not YAML settings; ${expected}`;
  return `the top level is ${describe(data)}, not a mapping; ${expected}`;
}

interface IssueContext {
  readonly data: unknown;
  readonly doc: Document;
  readonly text: string;
  readonly kind: DocumentKind<unknown>;
}

const DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)/;

function issueToProblems(issue: z.core.$ZodIssue, prefix: Path, ctx: IssueContext): Problem[] {
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

function findCredentials(node: unknown, path: Path, noun: string): Problem[] {
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
function credentialsInComments(doc: Document, text: string, noun: string): OffsetProblem[] {
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

/** The path of the deepest key or list item whose text spans `offset`: where a syntax error or comment sits. */
function pathAtOffset(doc: Document, offset: number): Path {
  const path: Path = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0] ?? (p.value as Node | null)?.range?.[0];
        const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
        return start !== undefined && end !== undefined && start <= offset && offset <= end;
      });
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range !== undefined && range !== null && range[0] <= offset && offset <= range[2];
      });
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}

/** Unique problems in file order, so the list reads top to bottom like the file. */
function ordered(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.path.join("\u0000")}|${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
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

function firstLine(message: string): string {
  return message.split("\n")[0];
}

/** 1-based line and column of a 0-based offset of `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}
