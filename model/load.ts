/**
 * Reads an environment file and returns the resolved EstateModel, or throws one EnvironmentError listing every
 * problem with its file, line, path and fix.
 *
 * Whatever the input (binary, not UTF-8, not YAML, an alias bomb, a schema mismatch), the loader throws only
 * EnvironmentError: a person gets a message about their file, never a stack trace.
 *
 * The jobs, in the order a document goes through them: reading and decoding (document-read.ts), plain-text checks
 * (text-checks.ts), YAML problems (yaml-problems.ts), the credential scan (document-credentials.ts), schema
 * problems (schema-problems.ts) and the whole-estate checks (validate.ts); every problem is then placed at its line
 * and column (source-location.ts). A stage that finds problems stops the load: later stages would only report
 * what follows from them.
 */
import { LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { credentialsInComments, findCredentials } from "./document-credentials";
import { article, firstLine, type DocumentKind, type OffsetProblem, type Problem } from "./document-kind";
import { decodeDocumentText, MAX_ENVIRONMENT_BYTES, readDocumentBytes } from "./document-read";
import { EnvironmentError, type ConfigProblem } from "./errors";
import { resolveEstate, type ResolveOptions } from "./resolve";
import { issueToProblems, topLevelProblem, type IssueContext } from "./schema-problems";
import { environmentSchema, type EnvironmentFile } from "./schema";
import { lineAndColumn, locateInDocument, pathAtOffset } from "./source-location";
import { invisibleCharacterProblems, lineEndingProblem, nestingProblem, TOO_DEEP } from "./text-checks";
import type { EstateModel } from "./types";
import { validateEstate } from "./validate";
import { firstAlias, structureProblems, yamlProblems } from "./yaml-problems";

/** YAML aliases may be expanded at most this many times: enough for sharing a list, far too few for a bomb. */
export const MAX_ALIAS_EXPANSIONS = 100;

/** Marks a problem that comes from a bug in the toolkit rather than from the file. Tests fail on it. */
export const INTERNAL_ERROR_MARKER = "internal error";

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

/** Parses and checks a document's text; throws an EnvironmentError with every problem of the first failing stage. */
function parseChecked<T>(text: string, file: string, kind: DocumentKind<T>, check: (value: T) => readonly Problem[]): T {
  const fail = (problems: readonly ConfigProblem[]): never => {
    throw new EnvironmentError(file, problems, kind.noun);
  };
  const textProblem = plainTextProblem(text, kind);
  if (textProblem) fail([textProblem]);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const failAtOffsets = (problems: readonly OffsetProblem[]) => {
    if (problems.length > 0) fail(problems.map((p) => ({ path: p.path, message: p.message, ...at(p.offset) })));
  };
  // Before the parser's view: an invisible character is often what its syntax error is really about.
  failAtOffsets(invisibleCharacterProblems(text).map((p) => ({ path: pathAtOffset(doc, p.offset!), message: p.message, offset: p.offset! })));
  failAtOffsets(yamlProblems(doc, text, kind.noun));
  failAtOffsets(structureProblems(doc));

  const data = documentData(doc, at, fail);
  if (data === null || data === undefined || typeof data !== "object" || Array.isArray(data)) {
    fail([{ path: [], message: topLevelProblem(data, kind) }]);
  }

  const located = (p: Problem): ConfigProblem => ({ ...p, ...locateInDocument(doc, lines, p.path) });
  const credentials = [
    ...findCredentials(doc.contents, [], kind.noun).map(located),
    ...credentialsInComments(doc, text, kind.noun).map((p) => ({ path: p.path, message: p.message, ...at(p.offset) })),
  ];
  const result = kind.schema.safeParse(data);
  if (!result.success) fail(ordered([...credentials, ...schemaProblems(result.error.issues, { data, doc, text, kind }, credentials).map(located)]));
  const value = result.data as T;
  const semantic = check(value).map(located);
  if (credentials.length > 0 || semantic.length > 0) fail(ordered([...credentials, ...semantic]));
  return value;
}

/** The first problem of the text as text, before YAML reads it: size, emptiness, NUL bytes, line endings, nesting. */
function plainTextProblem(text: string, kind: DocumentKind<unknown>): ConfigProblem | undefined {
  if (Buffer.byteLength(text, "utf8") > MAX_ENVIRONMENT_BYTES) {
    return { path: [], message: `text is over the ${MAX_ENVIRONMENT_BYTES}-byte limit for ${article(kind.noun)}; is this the right file?` };
  }
  if (text.trim() === "") return { path: [], message: `file is empty; start from ${kind.example}` };
  if (text.includes("\u0000")) return { path: [], message: `file is binary (it contains NUL bytes), not a YAML ${kind.noun}` };
  const endings = lineEndingProblem(text);
  if (endings) return { path: [], message: endings.message };
  const nesting = nestingProblem(text);
  if (nesting) return { path: nesting.topKey ? [nesting.topKey] : [], message: nesting.message, ...lineAndColumn(text, nesting.offset!) };
  return undefined;
}

/** The document as plain data, with aliases expanded at most {@link MAX_ALIAS_EXPANSIONS} times. */
function documentData(
  doc: Document,
  at: (offset: number) => { line: number; column: number },
  fail: (problems: readonly ConfigProblem[]) => never,
): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const first = firstAlias(doc);
    return fail([
      {
        path: first ? pathAtOffset(doc, first.offset) : [],
        message: `YAML aliases expand to too many copies (more than ${MAX_ALIAS_EXPANSIONS}); this looks like an alias bomb: write the values out instead of nesting aliases`,
        ...(first ? at(first.offset) : {}),
      },
    ]);
  }
}

/** The schema's issues as problems; a pasted credential is also an unknown key, and the credential message is the one that matters. */
function schemaProblems(issues: readonly z.core.$ZodIssue[], context: IssueContext, credentials: readonly ConfigProblem[]): Problem[] {
  const credentialPaths = new Set(credentials.map((c) => c.path.join("\u0000")));
  return issues
    .flatMap((issue) => issueToProblems(issue, [], context))
    .filter((p) => !(p.message.startsWith("unknown key") && credentialPaths.has(p.path.join("\u0000"))));
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
