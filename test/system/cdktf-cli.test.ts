/**
 * The users' pipeline with the real cdktf CLI: `cdktf synth`, `cdktf diff <stack>` and `cdktf deploy <stack>` on one
 * stack of every kind get past cdktf's own stack checks to Terraform. With no cloud here, the furthest a stack can
 * get is telling: an AWS stack reaches the provider's credentials error (Terraform installed the pinned provider from
 * the offline mirror and configured it); an OpenStack stack reaches Terraform's provider installation (no provider
 * binary and no registry here). Also: a narrower `cdktf synth` after a full one, and the policy gate under cdktf.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeCdktfProject, runCdktf, type CdktfProject } from "../support/cdktf-cli";
import { mapLimit, PROJECT_ROOT } from "../support/main-process";
import { terraformAvailable, findPluginMirror } from "../support/terraform";
import { scratchDirs } from "../support/tools";
import { hashTree } from "../support/tree";

const terraform = terraformAvailable();
if (!terraform.ok) console.warn(`skipping the cdktf CLI tests: ${terraform.reason}`);

const PIPE = join(PROJECT_ROOT, "test", "fixtures", "pipeline", "pipe.yaml");
const PROD = join(PROJECT_ROOT, "environments", "prod.yaml");
/** cdktf's own refusal of a stack, before Terraform runs (its zod check of the synthesized JSON). */
const CDKTF_STACK_CHECK = /"code":\s*"invalid_type"|"path":\s*\[\s*"terraform"/;
const AWS_CREDENTIALS = /failed to get shared config profile|No valid credential sources found/;
const OPENSTACK_INSTALL = /(Failed to query available provider packages|Failed to install provider|could not connect to registry\.terraform\.io)[\s\S]*terraform-provider-openstack\/openstack|terraform-provider-openstack\/openstack[\s\S]*(Failed to query available provider packages|could not connect)/;

/** Every directory and file under `dir` with the file's hash: equal trees are byte-identical, empty directories included. */
function snapshot(dir: string): Record<string, string> {
  const dirs = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  return { ...hashTree(dir), ...Object.fromEntries(dirs.map((d) => [`${d}/`, "dir"])) };
}

describe.skipIf(!terraform.ok)("the cdktf CLI on every kind of stack", () => {
  const scratch = scratchDirs();
  let project: CdktfProject;

  beforeAll(() => {
    project = makeCdktfProject(scratch("estate-cdktf-"), [PIPE, PROD], findPluginMirror().dir!);
  });

  it("GIVEN the pipeline estate WHEN `cdktf synth` THEN every stack pins each provider and Terraform", async () => {
    const res = await runCdktf(project, ["synth"]);
    expect(res.status, res.output).toBe(0);
    const stacks = readdirSync(join(project.dir, "cdktf.out", "stacks")).sort();
    expect(stacks).toEqual(expect.arrayContaining(["pipe-os-a", "pipe-os-a-bake", "pipe-aws", "pipe-traffic", "prod-os-b", "prod-aws"]));
    for (const stack of stacks) {
      const tf = JSON.parse(readFileSync(join(project.dir, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(tf.terraform.required_version, stack).toBe(">= 1.11.0, < 2.0.0");
      const providers = Object.entries(tf.terraform.required_providers as Record<string, { version?: string }>);
      expect(providers.length, stack).toBeGreaterThan(0);
      for (const [name, p] of providers) expect(p.version, `${stack}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/);
    }
  }, 300_000);

  const kinds = [
    { kind: "OpenStack site", stack: "pipe-os-b", reaches: OPENSTACK_INSTALL },
    { kind: "bake", stack: "pipe-os-a-bake", reaches: OPENSTACK_INSTALL },
    { kind: "AWS site", stack: "pipe-aws", reaches: AWS_CREDENTIALS },
    { kind: "traffic", stack: "pipe-traffic", reaches: AWS_CREDENTIALS },
  ] as const;

  it("WHEN `cdktf diff <stack>` and `cdktf deploy <stack>` run on one stack of every kind THEN each gets past cdktf's checks to Terraform", async () => {
    const runs = [
      ...kinds.map((k) => ({ ...k, args: ["diff", k.stack, "--skip-provider-lock"] })),
      ...kinds.filter((k) => k.kind === "OpenStack site" || k.kind === "AWS site").map((k) => ({ ...k, args: ["deploy", k.stack, "--auto-approve", "--skip-provider-lock"] })),
    ];
    // Each run in a project of its own: cdktf synthesizes into the project's cdktf.out before running Terraform there,
    // and two runs sharing one output would swap it under each other.
    const results = await mapLimit(runs, 2, (r) => runCdktf(makeCdktfProject(scratch("estate-cdktf-run-"), [PIPE, PROD], findPluginMirror().dir!), r.args));
    runs.forEach((r, i) => {
      const { status, output } = results[i];
      const label = `cdktf ${r.args.join(" ")} (${r.kind})\n${output.slice(-3000)}`;
      expect(status, label).not.toBe(0);
      expect(output, label).not.toMatch(CDKTF_STACK_CHECK);
      expect(output, label).toMatch(r.reaches);
    });
  }, 900_000);

  it("GIVEN a full synthesis WHEN `ESTATE_ENV=pipe cdktf synth` THEN it succeeds, the other environment's stacks are gone and Terraform's working state of kept stacks survives", async () => {
    expect((await runCdktf(project, ["synth"])).status).toBe(0);
    const kept = join(project.dir, "cdktf.out", "stacks", "pipe-aws");
    mkdirSync(join(kept, ".terraform", "providers"), { recursive: true });
    writeFileSync(join(kept, ".terraform", "providers", "marker"), "kept\n");
    const res = await runCdktf(project, ["synth"], { ESTATE_ENV: "pipe" });
    expect(res.status, res.output).toBe(0);
    expect(res.output).not.toMatch(/ENOENT/);
    const stacks = readdirSync(join(project.dir, "cdktf.out", "stacks"));
    expect(stacks.filter((s) => s.startsWith("prod-"))).toEqual([]);
    expect(stacks).toContain("pipe-os-c");
    expect(readFileSync(join(kept, ".terraform", "providers", "marker"), "utf8")).toBe("kept\n");
  }, 300_000);

  it("GIVEN a policy error WHEN `cdktf synth` THEN it exits non-zero with the policy messages and the previous output stays byte-identical", async () => {
    expect((await runCdktf(project, ["synth"])).status).toBe(0);
    const out = join(project.dir, "cdktf.out");
    const before = snapshot(out);
    // Two of prod's four sites drained leaves www and api below their peak capacity.
    const res = await runCdktf(project, ["synth"], { ESTATE_ENV: "prod", ESTATE_DRAIN: "os-b,os-c" });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/ERROR\s+EST-AVL-002\s+prod: services\.www/);
    expect(res.output).toMatch(/policy check failed: \d+ errors?; nothing was written/);
    expect(snapshot(out)).toEqual(before);
    expect(existsSync(join(project.dir, "cdktf.out", "stacks", "prod-os-b"))).toBe(true);
  }, 300_000);
});
