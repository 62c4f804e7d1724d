/**
 * Reads an environment file and returns the resolved EstateModel, or throws one EnvironmentError listing every
 * problem with its file, line, path and fix.
 */
import { readFileSync, statSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { EnvironmentError, type ConfigProblem } from "./errors";
import { resolveEstate, type ResolveOptions } from "./resolve";
import { environmentSchema, type EnvironmentFile } from "./schema";
import type { EstateModel } from "./types";
import { validateEstate } from "./validate";

/** Environment files are small; anything larger is a mistake (a log or a dump pasted by accident). */
export const MAX_ENVIRONMENT_BYTES = 1024 * 1024;

const CREDENTIAL_KEY = /(pass(word|wd)?|secret|token|private[_-]?key|access[_-]?key|credential|api[_-]?key|auth[_-]?url)/i;
const CREDENTIAL_VALUE: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, "an access token"],
  [/\bgAAAAA[A-Za-z0-9_-]{40,}/, "a Keystone token"],
];

export function loadEnvironment(file: string, options: ResolveOptions = {}): EstateModel {
  const parsed = parseEnvironment(file, options);
  return resolveEstate(parsed, file, options);
}

/** Reads, parses and validates; returns the schema-typed file when every check passes. */
export function parseEnvironment(file: string, options: ResolveOptions = {}): EnvironmentFile {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_ENVIRONMENT_BYTES) {
      throw new EnvironmentError(file, [{ path: [], message: `file is ${size} bytes, over the ${MAX_ENVIRONMENT_BYTES}-byte limit for an environment file; is this the right file?` }]);
    }
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory, not a file" : `cannot read file (${code ?? String(err)})`;
    throw new EnvironmentError(file, [{ path: [], message: why }]);
  }
  return parseEnvironmentText(text, file, options);
}

export function parseEnvironmentText(text: string, file: string, options: ResolveOptions = {}): EnvironmentFile {
  if (text.trim() === "") {
    throw new EnvironmentError(file, [{ path: [], message: "file is empty; start from environments/dev.yaml" }]);
  }
  if (text.includes("\u0000")) {
    throw new EnvironmentError(file, [{ path: [], message: "file is binary, not YAML" }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, maxAliasCount: 100 });
  if (doc.errors.length > 0) {
    throw new EnvironmentError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { path: [], message: `YAML syntax error: ${firstLine(e.message)}`, line: pos.line, column: pos.col };
      }),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new EnvironmentError(file, [{ path: [], message: `the top level must be a mapping of keys (name:, sites:, services: ...), got ${describe(data)}` }]);
  }

  const located = (p: Omit<ConfigProblem, "line" | "column">): ConfigProblem => ({ ...p, ...locate(doc, lines, p.path) });
  const credentials = findCredentials(doc.contents, []).map(located);
  const result = environmentSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => issueToProblems(issue)).map(located);
    throw new EnvironmentError(file, dedupe([...credentials, ...problems]));
  }
  const semantic = validateEstate(result.data, options.drain ?? []).map(located);
  if (credentials.length > 0 || semantic.length > 0) throw new EnvironmentError(file, dedupe([...credentials, ...semantic]));
  return result.data;
}

function issueToProblems(issue: z.core.$ZodIssue): Omit<ConfigProblem, "line" | "column">[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"; check its spelling against the environment file reference in README.md` }));
  }
  if (issue.code === "invalid_type") {
    const got = issue.input === undefined ? "nothing" : describe(issue.input);
    const expected = issue.expected;
    if (issue.input === undefined) return [{ path, message: `required ${expected} is missing` }];
    const custom = issue.message.startsWith("Invalid input") ? "" : `${issue.message}; `;
    return [{ path, message: `${custom}expected ${expected}, got ${got}` }];
  }
  if (issue.code === "invalid_union") {
    return [{ path, message: `${issue.message === "Invalid input" ? "does not match any accepted form" : issue.message}; see the environment file reference in README.md` }];
  }
  return [{ path, message: issue.message }];
}

function findCredentials(node: unknown, path: (string | number)[]): Omit<ConfigProblem, "line" | "column">[] {
  const found: Omit<ConfigProblem, "line" | "column">[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (CREDENTIAL_KEY.test(key) && key !== "keyName") {
        found.push({ path: [...path, key], message: `"${key}" looks like a credential; never put credentials in an environment file: OpenStack auth comes from the clouds.yaml entry named by "cloud", AWS from its credential chain (profile or role)` });
      }
      found.push(...findCredentials(pair.value, [...path, key]));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => found.push(...findCredentials(item, [...path, i])));
  } else if (isScalar(node) && typeof node.value === "string") {
    for (const [re, what] of CREDENTIAL_VALUE) {
      if (re.test(node.value)) found.push({ path, message: `value looks like ${what}; remove it: secrets never belong in an environment file` });
    }
  }
  return found;
}

function locate(doc: Document, lines: LineCounter, path: readonly (string | number)[]): { line?: number; column?: number } {
  // Walk down as far as the path exists, so a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    const keyNode = depth > 0 ? keyNodeAt(doc, path.slice(0, depth)) : undefined;
    const range = keyNode?.range ?? node?.range;
    if (range) {
      const pos = lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

function keyNodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join("\u0000")}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${String(value)}`;
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
