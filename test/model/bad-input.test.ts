/**
 * Every bad environment file gets a clear error: the file, the line, the path inside it and what is wrong, exit
 * code 1, no stack trace, and the previous synthesized output left exactly as it was.
 *
 * Every corpus file is checked in process (fast, exact message); a representative set of them also goes through the
 * real entry point, `node --import tsx main.ts`, which is what `cdktf synth` runs.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EnvironmentError, formatPath, INTERNAL_ERROR_MARKER, loadEnvironment, MAX_ENVIRONMENT_BYTES } from "../../model";
import { synthesize } from "../../stacks/synthesize";
import { writeEnvironment } from "../support/env";
import { BAD_CASES, BAD_FIXTURES_DIR, fixturePath, HUGE_CASE, renderCorpusTable, type BadCase } from "../support/bad-corpus";
import { CLOUD_REFUSAL_CASES, renderCloudRefusalTable } from "../support/bad-corpus-cloud";
import { KIND_CASES } from "../support/bad-corpus-kinds";
import { mapLimit, runMain, type ProcessResult } from "../support/main-process";
import { hashTree } from "../support/tree";

const STACK_TRACE = /\n\s+at /;
/** Secrets planted in the credential fixtures: an error message must never repeat them. */
const PLANTED_SECRETS = ["s3cr3t-Passw0rd", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "BEGIN OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXkt", "gX9c2kP0qLmN4rT7vW1yZ3bD5fH8jK0", "pl4nted-S3-secret"];
/** Secrets planted in the cloud-refusal fixtures. */
const PLANTED_CLOUD_SECRETS = ["Zx81-Pw", "ya29.a0AfB_byC7q1kR3t", "9f3c1e0b7a5d", "eyJhbGciOiJIUzI1NiJ9", "Tq8sVn3Kw7Lp2Xr9Bz4Hm6Jc1Fd5Gy0A"];
/** Every committed bad file: the general corpus and the values the clouds would refuse. */
const ALL_CASES: readonly BadCase[] = [...BAD_CASES, ...CLOUD_REFUSAL_CASES];

function loadError(file: string): EnvironmentError {
  try {
    loadEnvironment(file);
  } catch (err) {
    if (err instanceof EnvironmentError) return err;
    throw new Error(`${file}: expected an EnvironmentError, got ${String(err)}`);
  }
  throw new Error(`${file}: expected the file to be rejected, but it loaded`);
}

/** The report line a case must produce: `<file>:<line>:<col>: <path>: ...<fragment>...` (no line for whole-file problems). */
function expectReported(text: string, file: string, c: BadCase): void {
  const where = c.line === undefined ? `${file}: ` : `${file}:${c.line}:`;
  const line = text.split("\n").find((l) => l.includes(where) && l.includes(` ${c.path}: `) && l.includes(c.fragment));
  expect({ file: c.file, reported: line !== undefined }, `no line with ${JSON.stringify(where)}, path ${c.path} and ${JSON.stringify(c.fragment)} in:\n${text}`).toEqual({ file: c.file, reported: true });
}

function writeHugeFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "estate-huge-")), HUGE_CASE.file);
  const logLine = "# 2026-11-02T10:15:01Z INFO nova.compute.manager [req-0f9c] Instance spawned successfully in 12.04 seconds\n";
  const dev = readFileSync("environments/dev.yaml", "utf8");
  writeFileSync(file, dev + logLine.repeat(Math.ceil((1.5 * MAX_ENVIRONMENT_BYTES) / logLine.length)));
  return file;
}

describe("the bad-input corpus", () => {
  it("has at least 40 files, each with exactly one row in the table, and the README shows the same table", () => {
    const files = readdirSync(BAD_FIXTURES_DIR).filter((f) => f !== "README.md").sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect([...ALL_CASES, ...KIND_CASES].map((c) => c.file).sort()).toEqual(files);
    expect(readFileSync(join(BAD_FIXTURES_DIR, "README.md"), "utf8")).toContain(renderCorpusTable(BAD_CASES));
    expect(readFileSync(join(BAD_FIXTURES_DIR, "README.md"), "utf8")).toContain(renderCloudRefusalTable(CLOUD_REFUSAL_CASES));
  });
});

describe("loadEnvironment on every bad file", () => {
  it.each(ALL_CASES.map((c) => [c.file, c] as const))("%s", (_, c) => {
    const file = fixturePath(c.file);
    const err = loadError(file);
    expect(err.file).toBe(file);
    expect(err.problems.length).toBeGreaterThan(0);
    const problem = err.problems.find((p) => formatPath(p.path) === c.path && p.message.includes(c.fragment));
    expect(problem, `no problem at ${c.path} containing ${JSON.stringify(c.fragment)}; got:\n${err.message}`).toBeDefined();
    expect(problem!.line).toBe(c.line);
    expectReported(err.message, file, c);
    expect(err.message).not.toContain(INTERNAL_ERROR_MARKER);
    for (const secret of [...PLANTED_SECRETS, ...PLANTED_CLOUD_SECRETS]) expect(err.message).not.toContain(secret);
  });

  it(HUGE_CASE.file, () => {
    const file = writeHugeFile();
    const err = loadError(file);
    expect(err.problems).toEqual([{ path: [], message: expect.stringContaining(HUGE_CASE.fragment) }]);
    expectReported(err.message, file, HUGE_CASE);
  });

  it("reports a drain for this run only (ESTATE_DRAIN) that would leave a service without traffic, without a stack trace", () => {
    const file = writeEnvironment(
      readFileSync("environments/dev.yaml", "utf8").replace("    instancesPerSite: 2\n", "    instancesPerSite: 2\n    instancesBySite: { os-a: 0, os-c: 0, aws: 0 }\n"),
    );
    expect(() => loadEnvironment(file)).not.toThrow();
    const outdir = join(mkdtempSync(join(tmpdir(), "estate-drain-")), "cdktf.out");
    let err: unknown;
    try {
      synthesize({ environmentFiles: [file], outdir, drain: ["os-b"] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toContain(`${file}:`);
    expect((err as EnvironmentError).message).toContain("every record of api.dev.example.net has weight 0 (sites: os-b)");
    expect(readdirSync(join(outdir, ".."))).toEqual([]);
  });

  it("reports a file that does not exist or is a directory without a stack trace", () => {
    expect(loadError("environments/nope.yaml").message).toBe("environments/nope.yaml: 1 problem in environment file\n  environments/nope.yaml: (top level): file not found");
    expect(loadError("environments").message).toContain("environments: (top level): is a directory, not a file");
  });
});

/** Cases run through the real entry point: one of each kind of failure (syntax, schema, union, semantic, credential, not-a-file). */
const PROCESS_CASES = [
  "yaml-tab-indentation.yaml",
  "yaml-alias-bomb.yaml",
  "unknown-key-site-typo.yaml",
  "image-reference-wrong-key.yaml",
  "overlapping-openstack-aws-cidr.yaml",
  "listener-protocol-lowercase.yaml",
  "credential-pem-private-key.yaml",
  "empty-file.yaml",
  "not-yaml-binary.yaml",
  "top-level-list.yaml",
  "non-utf8.yaml",
  "next-hop-in-allocation-pool.yaml",
  "admin-cidrs-halves-of-internet.yaml",
  "secret-url-userinfo.yaml",
];

describe("main.ts (the cdktf app entry) on bad files", () => {
  const cases: { c: BadCase; file: string }[] = [
    ...PROCESS_CASES.map((name) => ({ c: ALL_CASES.find((b) => b.file === name)!, file: resolve(fixturePath(name)) })),
  ];
  let previous: string;
  let previousHashes: Record<string, string>;
  const results = new Map<string, { run: ProcessResult; caseDir: string; outdir: string }>();

  beforeAll(async () => {
    cases.push({ c: HUGE_CASE, file: writeHugeFile() });
    previous = join(mkdtempSync(join(tmpdir(), "estate-previous-")), "cdktf.out");
    synthesize({ environmentFiles: ["environments/dev.yaml"], outdir: previous });
    previousHashes = hashTree(previous);
    await mapLimit(cases, 2, async ({ c, file }) => {
      const caseDir = mkdtempSync(join(tmpdir(), "estate-bad-"));
      const outdir = join(caseDir, "cdktf.out");
      cpSync(previous, outdir, { recursive: true });
      const run = await runMain({ ESTATE_ENV: file, CDKTF_OUTDIR: outdir });
      results.set(c.file, { run, caseDir, outdir });
    });
  });

  it("runs every case through the real process", () => {
    expect([...results.keys()].sort()).toEqual(cases.map((x) => x.c.file).sort());
  });

  it.each(PROCESS_CASES.concat(HUGE_CASE.file))("%s: exit 1, file + line + path + message on stderr, no stack trace, previous output intact", (name) => {
    const { c, file } = cases.find((x) => x.c.file === name)!;
    const { run, caseDir, outdir } = results.get(name)!;
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
    expectReported(run.stderr, file, c);
    expect(run.stderr).toMatch(new RegExp(`^${escapeRegExp(file)}: \\d+ problems? in environment file\\n`));
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).not.toContain(INTERNAL_ERROR_MARKER);
    for (const secret of [...PLANTED_SECRETS, ...PLANTED_CLOUD_SECRETS]) expect(run.stderr).not.toContain(secret);
    expect(run.stdout).toBe("");
    expect(hashTree(outdir)).toEqual(previousHashes);
    expect(readdirSync(caseDir)).toEqual(["cdktf.out"]);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
