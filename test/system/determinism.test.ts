/**
 * The same input gives byte-identical artifacts: across runs, working directories, time zones and locales. Every
 * file of the whole output tree is compared, through the real entry point (`node --import tsx main.ts`).
 *
 * TZ=Pacific/Chatham has a +12:45/+13:45 offset and DST, so any date that leaks into output differs from UTC;
 * tr_TR.UTF-8 has the dotless i, so locale-sensitive lower-casing or collation ("I".toLocaleLowerCase() is "ı")
 * would change names and orderings.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { mapLimit, PROJECT_ROOT, runMain, type ProcessResult } from "../support/main-process";
import { listFiles, treeDifferences } from "../support/tree";

const RELATIVE_ENV_FILES = ["environments/dev.yaml", "environments/prod.yaml"];
const ENV_FILES = RELATIVE_ENV_FILES.map((f) => resolve(PROJECT_ROOT, f));

interface Variant {
  readonly name: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** ESTATE_ENV as given: relative to the project root for the baseline, absolute from elsewhere. */
  readonly files: readonly string[];
}

describe("deterministic output of main.ts", () => {
  const base = mkdtempSync(join(tmpdir(), "estate-determinism-"));
  const elsewhere = mkdtempSync(join(tmpdir(), "estate-elsewhere-"));
  const C = { TZ: "UTC", LANG: "C", LC_ALL: "C" };
  const variants: Variant[] = [
    { name: "baseline", cwd: PROJECT_ROOT, env: C, files: RELATIVE_ENV_FILES },
    { name: "another-cwd", cwd: elsewhere, env: C, files: ENV_FILES },
    { name: "tz-chatham", cwd: PROJECT_ROOT, env: { ...C, TZ: "Pacific/Chatham" }, files: RELATIVE_ENV_FILES },
    { name: "locale-tr", cwd: PROJECT_ROOT, env: { TZ: "UTC", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" }, files: RELATIVE_ENV_FILES },
  ];
  const outdir = (v: Variant) => join(base, v.name, "cdktf.out");
  const runs = new Map<string, ProcessResult>();

  beforeAll(async () => {
    await mapLimit(variants, 2, async (v) => {
      runs.set(v.name, await runMain({ ...v.env, ESTATE_ENV: v.files.join(","), CDKTF_OUTDIR: outdir(v) }, v.cwd));
    });
  });

  it("really runs the variants in their time zone and locale (the check is not vacuous)", () => {
    const probe = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["-e", "process.stdout.write(Intl.DateTimeFormat().resolvedOptions().locale + ' ' + new Date(0).getTimezoneOffset())"], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      }).stdout;
    expect(probe(variants[2].env)).toBe("en-US -765");
    expect(probe(variants[3].env)).toBe("tr-TR 0");
  });

  it("synthesizes every variant", () => {
    for (const v of variants) {
      const run = runs.get(v.name)!;
      expect({ variant: v.name, status: run.status, stderr: run.stderr }).toEqual({ variant: v.name, status: 0, stderr: "" });
    }
    const files = listFiles(outdir(variants[0]));
    expect(files).toEqual(expect.arrayContaining(["manifest.json", "stacks/dev-os-a/cdk.tf.json", "stacks/prod-aws/cdk.tf.json", "ansible/prod/inventory.yml", "cmdb/dev/hosts.json"]));
  });

  it.each(variants.slice(1).map((v) => [v.name, v] as const))("%s: every file is byte-identical to the baseline", (_, v) => {
    // The committed dependency lock files are the project's, found from the working directory (the project root):
    // run from elsewhere, none is copied in. Everything synthesized is byte-identical.
    const projectInput = (d: string) => v.name === "another-cwd" && /: stacks\/[^/]+\/\.terraform\.lock\.hcl$/.test(d);
    expect(treeDifferences(outdir(variants[0]), outdir(v)).filter((d) => !projectInput(d))).toEqual([]);
    expect(listFiles(outdir(variants[0]))).toContain("stacks/dev-aws/.terraform.lock.hcl");
  });

  it("writes nothing that depends on where it ran: no absolute paths of the output or the working directory", () => {
    const out = outdir(variants[0]);
    for (const file of listFiles(out)) {
      const text = readFileSync(join(out, file), "utf8");
      expect({ file, leaks: [base, elsewhere, tmpdir(), PROJECT_ROOT].filter((p) => text.includes(p)) }).toEqual({ file, leaks: [] });
    }
  });
});

describe("deterministic output of synthesize()", () => {
  it("gives the same bytes on a second run in the same process", () => {
    const a = join(mkdtempSync(join(tmpdir(), "estate-again-")), "cdktf.out");
    const b = join(mkdtempSync(join(tmpdir(), "estate-again-")), "cdktf.out");
    synthesize({ environmentFiles: ENV_FILES, outdir: a });
    synthesize({ environmentFiles: ENV_FILES, outdir: b });
    expect(treeDifferences(a, b)).toEqual([]);
  });

  // `npm run synth`, `cdktf synth` and the CLI spell the same file differently (relative, absolute).
  it("does not depend on how the environment file's path is spelled", () => {
    const relative = join(mkdtempSync(join(tmpdir(), "estate-spelling-")), "cdktf.out");
    const absolute = join(mkdtempSync(join(tmpdir(), "estate-spelling-")), "cdktf.out");
    synthesize({ environmentFiles: ["environments/dev.yaml"], outdir: relative });
    synthesize({ environmentFiles: [resolve("environments/dev.yaml")], outdir: absolute });
    expect(treeDifferences(relative, absolute)).toEqual([]);
  });
});
