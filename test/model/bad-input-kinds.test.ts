/**
 * The kinds of bad input a cloud would refuse late or never (test/support/bad-corpus-kinds.ts): each file is refused
 * with its exact message, path and line, by the loader or by the policy pass; two go through the real CLI to show
 * exit 1, no stack trace and the previous output untouched.
 */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runValidate } from "../../cli/lib/validate";
import { EnvironmentError, formatPath, loadEnvironment } from "../../model";
import { BAD_FIXTURES_DIR, fixturePath } from "../support/bad-corpus";
import { KIND_CASES, renderKindTable, type KindCase } from "../support/bad-corpus-kinds";
import { estate } from "../cli/estate";
import { hashTree } from "../support/tree";

const STACK_TRACE = /\n\s+at /;

function loadProblems(file: string): EnvironmentError {
  try {
    loadEnvironment(file);
  } catch (err) {
    if (err instanceof EnvironmentError) return err;
    throw err;
  }
  throw new Error(`${file}: expected the file to be refused at load, but it loaded`);
}

describe("bad input by kind", () => {
  it("has a README line for every case, with its kind and the rule it encodes", () => {
    expect(readFileSync(join(BAD_FIXTURES_DIR, "README.md"), "utf8")).toContain(renderKindTable(KIND_CASES));
  });

  it("covers each kind with fixtures on three or more distinct fields", () => {
    for (const kind of [5, 6, 7, 8]) {
      const fields = new Set(KIND_CASES.filter((c) => c.kind === kind).map((c) => c.path.replace(/\[\d+\]/g, "[]")));
      expect({ kind, fields: fields.size >= 3 }).toEqual({ kind, fields: true });
    }
  });

  const loadCases = KIND_CASES.filter((c) => c.stage === "load");
  it.each(loadCases.map((c) => [c.file, c] as const))("%s is refused at load", (_, c: KindCase) => {
    const err = loadProblems(fixturePath(c.file));
    const problem = err.problems.find((p) => formatPath(p.path) === c.path && p.message === c.message);
    expect(problem, `no problem at ${c.path} with the message ${JSON.stringify(c.message)}; got:\n${err.message}`).toBeDefined();
    expect(problem!.line).toBe(c.line);
    expect(err.message).toContain(`${fixturePath(c.file)}${c.line ? `:${c.line}:` : ": "}`);
  });

  const policyCases = KIND_CASES.filter((c) => c.stage === "policy");
  it.each(policyCases.map((c) => [c.file, c] as const))("%s is reported by the policy pass at its line", (_, c: KindCase) => {
    const file = fixturePath(c.file);
    // The file itself loads: only the policy pass can see this.
    expect(() => loadEnvironment(file)).not.toThrow();
    const findings = runValidate([file]).filter((f) => f.status === "non-compliant" && !f.suppressed);
    const finding = findings.find((f) => f.source && formatPath(f.source.path) === c.path && `${f.message}: ${f.detail}` === c.message);
    expect(finding, `no finding at ${c.path} with ${JSON.stringify(c.message)}; got:\n${JSON.stringify(findings, null, 1)}`).toBeDefined();
    expect(finding!.level).toBe(c.level ?? "error");
    expect(finding!.source).toEqual({ file, path: finding!.source!.path, line: c.line, column: expect.any(Number) });
  });
});

describe("the estate CLI on bad input by kind", () => {
  let previous: string;
  let previousHashes: Record<string, string>;
  beforeAll(() => {
    previous = join(mkdtempSync(join(tmpdir(), "estate-kinds-")), "cdktf.out");
    const r = estate(["synth", "--env", "dev", "--stack", "dev-os-a", "--out", previous]);
    expect(r.status).toBe(0);
    previousHashes = hashTree(previous);
  });

  it.each(["encoding-utf16le-bom.yaml", "suppression-unknown-rule.yaml", "security-group-rules-over-quota.yaml"])(
    "%s: exit 1, file:line and path in the report, no stack trace, previous output untouched",
    (name) => {
      const c = KIND_CASES.find((k) => k.file === name)!;
      const out = join(mkdtempSync(join(tmpdir(), "estate-kinds-")), "cdktf.out");
      cpSync(previous, out, { recursive: true });
      const file = resolve(fixturePath(name));
      const r = estate(["synth", "--env", file, "--stack", "dev-os-a", "--out", out]);
      expect(r.status).toBe(1);
      const report = r.stdout + r.stderr;
      expect(report).toContain(`${file}${c.line ? `:${c.line}:` : ": "}`);
      expect(report).toContain(c.path);
      expect(report).not.toMatch(STACK_TRACE);
      expect(hashTree(out)).toEqual(previousHashes);
    },
  );
});
