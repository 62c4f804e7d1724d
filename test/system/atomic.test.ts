/**
 * Nothing half-written: a synthesis that fails at any point leaves the previous output byte-for-byte as it was and
 * no temporary directory next to it. Failures are injected at each stage of `synthesize()`: loading the second
 * environment, building a stack, after everything was rendered (the `beforeCommit` hook), and while swapping the
 * new tree into place.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EnvironmentError, loadEnvironment } from "../../model";
import { SelectionError, synthesize, synthesizeModels } from "../../stacks/synthesize";
import { devEnvironment, writeEnvironment } from "../support/env";
import { hashTree, listFiles } from "../support/tree";

/** Fails chosen fs.renameSync calls of synthesize.ts, to break the final swap of directories. */
const renames = vi.hoisted(() => ({ fail: undefined as undefined | ((from: string, to: string) => string | undefined) }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const renameSync: typeof fs.renameSync = (from, to) => {
    const code = renames.fail?.(String(from), String(to));
    if (code) throw Object.assign(new Error(`${code}: injected failure, rename '${String(from)}' -> '${String(to)}'`), { code });
    return fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

const DEV = "environments/dev.yaml";

/** One good synthesis of dev, made once; each test gets its own copy as "the previous output". */
let golden: string;
beforeAll(() => {
  golden = join(mkdtempSync(join(tmpdir(), "estate-atomic-golden-")), "cdktf.out");
  synthesize({ environmentFiles: [DEV], outdir: golden });
});

/** A fresh parent directory holding a previous good output in `cdktf.out`, and its file hashes. */
function previousOutput(): { parent: string; outdir: string; hashes: Record<string, string> } {
  const parent = mkdtempSync(join(tmpdir(), "estate-atomic-"));
  const outdir = join(parent, "cdktf.out");
  cpSync(golden, outdir, { recursive: true });
  return { parent, outdir, hashes: hashTree(outdir) };
}

function expectUntouched(prev: { parent: string; outdir: string; hashes: Record<string, string> }): void {
  expect(hashTree(prev.outdir)).toEqual(prev.hashes);
  expect(readdirSync(prev.parent)).toEqual(["cdktf.out"]);
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the synthesis to fail");
}

afterEach(() => {
  renames.fail = undefined;
});

describe("synthesize() is atomic", () => {
  it("GIVEN a previous output WHEN beforeCommit throws after every artifact was rendered THEN the previous output is intact", () => {
    const prev = previousOutput();
    let rendered: string[] = [];
    let tmp = "";
    const err = errorOf(() =>
      synthesize({
        environmentFiles: [DEV, "environments/prod.yaml"],
        outdir: prev.outdir,
        beforeCommit: (dir) => {
          tmp = dir;
          rendered = listFiles(dir);
          throw new Error("injected: disk full while committing");
        },
      }),
    );
    expect(err.message).toBe("injected: disk full while committing");
    // The hook ran late: stacks and inventories of both environments were already in the temporary directory.
    expect(dirname(tmp)).toBe(prev.parent);
    expect(rendered).toEqual(expect.arrayContaining(["manifest.json", "stacks/prod-os-b/cdk.tf.json", "ansible/dev/inventory.yml", "ansible/prod/inventory.yml", "cmdb/prod/hosts.json"]));
    expect(existsSync(tmp)).toBe(false);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN stack selection throws midway through building the stacks THEN the previous output is intact", () => {
    const prev = previousOutput();
    const built: string[] = [];
    const err = errorOf(() =>
      synthesize({
        environmentFiles: [DEV],
        outdir: prev.outdir,
        include: (stack) => {
          if (stack.name === "dev-aws") throw new Error("injected: failure while building dev-aws");
          built.push(stack.name);
          return true;
        },
      }),
    );
    // synthesize() may report a construct-time failure as a problem of the environment file; either way it says why.
    expect(err.message).toContain("injected: failure while building dev-aws");
    expect(built).toEqual(["dev-os-a", "dev-os-b", "dev-os-c"]);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN a stack construct throws (a model whose AWS site lacks an image) THEN the previous output is intact", () => {
    const prev = previousOutput();
    const model = loadEnvironment(DEV);
    const broken = { ...model, awsSite: { ...model.awsSite!, images: {} } };
    const err = errorOf(() => synthesizeModels([broken], { outdir: prev.outdir }));
    expect(err.message).toContain('dev-aws: image "debian12" of service "web" has no AWS reference in site "aws"');
    // Located like a schema error: the file, the line of the site the stack belongs to, and its path.
    expect(err.message).toContain(`${DEV}:63:5: sites.aws.name: the estate cannot be built: dev-aws: image "debian12"`);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN the second environment file is bad THEN nothing is written and the first environment's output is not committed alone", () => {
    const prev = previousOutput();
    const bad = devEnvironment();
    bad.name = "qa";
    bad.sites.openstack[2].subnetCidr = bad.sites.openstack[0].subnetCidr;
    const file = writeEnvironment(bad, "qa.yaml");
    const err = errorOf(() => synthesize({ environmentFiles: [DEV, file], outdir: prev.outdir }));
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.message).toContain(`${file}:`);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN two files define the same environment THEN it fails before writing anything", () => {
    const prev = previousOutput();
    const twin = writeEnvironment(devEnvironment(), "dev-copy.yaml");
    const err = errorOf(() => synthesize({ environmentFiles: [DEV, twin], outdir: prev.outdir }));
    expect(err).toBeInstanceOf(SelectionError);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN moving the new tree into place fails THEN the previous output is put back", () => {
    const prev = previousOutput();
    renames.fail = (from, to) => (to === prev.outdir && from.includes(".tmp-") && !from.endsWith(".old") ? "EXDEV" : undefined);
    const err = errorOf(() => synthesize({ environmentFiles: [DEV], outdir: prev.outdir }));
    expect(err.message).toMatch(/^EXDEV: injected failure/);
    expectUntouched(prev);
  });

  it("GIVEN a previous output WHEN moving the previous output aside fails THEN it stays where it was", () => {
    const prev = previousOutput();
    renames.fail = (from) => (from === prev.outdir ? "EACCES" : undefined);
    const err = errorOf(() => synthesize({ environmentFiles: [DEV], outdir: prev.outdir }));
    expect(err.message).toMatch(/^EACCES: injected failure/);
    expectUntouched(prev);
  });

  it("GIVEN no previous output WHEN synthesis fails THEN no output directory and no temporary directory appear", () => {
    const parent = mkdtempSync(join(tmpdir(), "estate-atomic-"));
    const outdir = join(parent, "cdktf.out");
    errorOf(() =>
      synthesize({
        environmentFiles: [DEV],
        outdir,
        beforeCommit: () => {
          throw new Error("injected");
        },
      }),
    );
    expect(readdirSync(parent)).toEqual([]);
  });

  it("GIVEN a previous output WHEN synthesis succeeds THEN the output is replaced as a whole and nothing else is left beside it", () => {
    const prev = previousOutput();
    synthesize({ environmentFiles: ["environments/prod.yaml"], outdir: prev.outdir });
    expect(readdirSync(prev.parent)).toEqual(["cdktf.out"]);
    const files = listFiles(prev.outdir);
    expect(files.some((f) => f.startsWith("stacks/prod-"))).toBe(true);
    expect(files.some((f) => f.includes("dev"))).toBe(false);
  });
});
