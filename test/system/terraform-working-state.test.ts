/**
 * What Terraform keeps next to a stack, checked with real Terraform: committed dependency lock files are used
 * (`terraform init -lockfile=readonly` installs exactly what they record, and refuses a package they do not), survive
 * re-synthesis, and a lock that disagrees with its stack stops synthesis; local state is found only where the
 * project keeps it, and a stack synthesized elsewhere refuses to plan instead of starting from empty state.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estate } from "../cli/estate";
import { PROJECT_ROOT } from "../support/main-process";
import { findPluginMirror, run, terraformAvailable, terraformEnv, writeCliConfig } from "../support/terraform";
import { scratchDirs } from "../support/tools";
import { hashTree } from "../support/tree";

const terraform = terraformAvailable();
if (!terraform.ok) console.warn(`skipping the lock-file and local-state tests: ${terraform.reason}`);

describe.skipIf(!terraform.ok)("dependency lock files", () => {
  const scratch = scratchDirs();
  let project: string;
  let env: NodeJS.ProcessEnv;
  const lockFile = () => join(project, "dependency-locks", "dev-aws.terraform.lock.hcl");
  const stackDir = () => join(project, "cdktf.out", "stacks", "dev-aws");
  const init = () => run(["init", "-lockfile=readonly", "-backend=false", "-input=false", "-no-color"], stackDir(), env);

  beforeAll(() => {
    project = scratch("estate-locks-");
    copyEnvironment(project);
    env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(project, findPluginMirror().dir!) });
  });

  it("WHEN `estate lock` runs from a mirror THEN it writes the stack's lock file with the pinned version and a checksum", async () => {
    const res = estate(["lock", "--env", "dev", "--stack", "dev-aws", "--fs-mirror", findPluginMirror().dir!], { cwd: project });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toBe("wrote dependency-locks/dev-aws.terraform.lock.hcl (registry.terraform.io/hashicorp/aws)\n");
    const lock = readFileSync(lockFile(), "utf8");
    expect(lock).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\s+version\s+= "5\.100\.0"\s+constraints = "5\.100\.0"\s+hashes = \[\s+"h1:[A-Za-z0-9+/=]{44}",/);
  }, 180_000);

  it("WHEN the estate is synthesized twice THEN the stack directory holds the committed lock and `terraform init -lockfile=readonly` uses it", async () => {
    for (let i = 0; i < 2; i++) expect((estate(["synth", "--env", "dev"], { cwd: project })).status).toBe(0);
    expect(readFileSync(join(stackDir(), ".terraform.lock.hcl"), "utf8")).toBe(readFileSync(lockFile(), "utf8"));
    const res = await init();
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Installed hashicorp\/aws v5\.100\.0/);
  }, 300_000);

  it("GIVEN a committed lock whose checksum is not the package's WHEN initialized read-only THEN Terraform refuses the package", async () => {
    const good = readFileSync(lockFile(), "utf8");
    try {
      writeFileSync(lockFile(), good.replace(/"h1:[^"]+"/, '"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="'));
      expect((estate(["synth", "--env", "dev", "--stack", "dev-aws"], { cwd: project })).status).toBe(0);
      const res = await init();
      expect(res.code).not.toBe(0);
      expect(res.stderr.replace(/\s+/g, " ")).toMatch(/doesn't match any of the checksums previously recorded in the dependency lock file/);
    } finally {
      writeFileSync(lockFile(), good);
    }
  }, 300_000);

  it("GIVEN a committed lock of another provider version WHEN synthesized THEN exit 1 with the fix, and the previous output untouched", async () => {
    expect((estate(["synth", "--env", "dev"], { cwd: project })).status).toBe(0);
    const before = hashTree(join(project, "cdktf.out"));
    const good = readFileSync(lockFile(), "utf8");
    try {
      writeFileSync(lockFile(), good.replace(/version {5}= "5\.100\.0"/, 'version     = "5.99.0"'));
      const res = estate(["synth", "--env", "dev"], { cwd: project });
      expect(res.status).toBe(1);
      expect(res.stderr).toBe(
        "estate synth: dependency-locks/dev-aws.terraform.lock.hcl: locks registry.terraform.io/hashicorp/aws 5.99.0, but dev-aws requires 5.100.0; run `estate lock --stack dev-aws` (with --platform for every platform that runs Terraform) and commit the file\n",
      );
      expect(hashTree(join(project, "cdktf.out"))).toEqual(before);
    } finally {
      writeFileSync(lockFile(), good);
    }
  }, 300_000);

  it("GIVEN a platform that is not <os>_<arch> THEN exit 2 and no lock file changes", async () => {
    const before = readFileSync(lockFile(), "utf8");
    const res = estate(["lock", "--env", "dev", "--stack", "dev-aws", "--platform", "linux-amd64"], { cwd: project });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--platform: "linux-amd64" is not a Terraform platform name; write <os>_<arch>, e\.g\. linux_amd64 or darwin_arm64/);
    expect(readFileSync(lockFile(), "utf8")).toBe(before);
  }, 120_000);
});

/**
 * The local-state guard, run by Terraform itself: a configuration made of the stack's own `terraform` block (local
 * backend, required_version) and its `local_state_guard` output, planned where the stack was synthesized.
 */
describe.skipIf(!terraform.ok)("local state stays with the project", () => {
  const scratch = scratchDirs();

  it("GIVEN a synthesis at the project root THEN the stack's state path leads to the marked project state directory and plans", async () => {
    const project = scratch("estate-state-");
    copyEnvironment(project);
    expect((estate(["synth", "--env", "dev", "--stack", "dev-traffic"], { cwd: project })).status).toBe(0);
    expect(existsSync(join(project, "terraform-state", ".estate-state-root"))).toBe(true);
    const stack = join(project, "cdktf.out", "stacks", "dev-traffic");
    const copy = join(project, "cdktf.out", "stacks", "guard-only");
    mkdirSync(copy);
    cpSync(join(stack, "cdk.tf.json"), join(copy, "cdk.tf.json"));
    const res = await planGuardOnly(copy);
    expect(res.code, res.output).toBe(0);
    expect(res.output).toMatch(/local_state_guard = "\.\.\/\.\.\/\.\.\/terraform-state\/dev-traffic\.tfstate"/);
  }, 180_000);

  it("GIVEN a synthesis into a directory outside the project THEN planning refuses and says where the state would have been", async () => {
    const project = scratch("estate-state-");
    const elsewhere = scratch("estate-elsewhere-");
    copyEnvironment(project);
    expect((estate(["synth", "--env", "dev", "--stack", "dev-traffic", "--out", join(elsewhere, "out")], { cwd: project })).status).toBe(0);
    expect(existsSync(join(elsewhere, "terraform-state"))).toBe(false);
    const copy = join(elsewhere, "out", "stacks", "guard-only");
    mkdirSync(copy);
    cpSync(join(elsewhere, "out", "stacks", "dev-traffic", "cdk.tf.json"), join(copy, "cdk.tf.json"));
    const res = await planGuardOnly(copy);
    expect(res.code).not.toBe(0);
    expect(res.output.replace(/\s+/g, " ")).toMatch(
      /Local state of dev-traffic would be \.\.\/\.\.\/\.\.\/terraform-state\/dev-traffic\.tfstate relative to this directory, which is not the project's state directory \(terraform-state\/\.estate-state-root is missing there\)/,
    );
  }, 180_000);

});

function copyEnvironment(project: string): void {
  mkdirSync(join(project, "environments"));
  cpSync(join(PROJECT_ROOT, "environments", "dev.yaml"), join(project, "environments", "dev.yaml"));
}

/** Replaces the directory's cdk.tf.json with only the stack's backend, required_version and guard output, then inits and plans. */
async function planGuardOnly(dir: string): Promise<{ code: number; output: string }> {
  const file = join(dir, "cdk.tf.json");
  const tf = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, JSON.stringify({ terraform: { backend: tf.terraform.backend, required_version: tf.terraform.required_version }, output: { local_state_guard: tf.output.local_state_guard } }, null, 2));
  const env = terraformEnv({ TF_DATA_DIR: join(dir, ".terraform") });
  const initRes = await run(["init", "-input=false", "-no-color"], dir, env);
  if (initRes.code !== 0) return { code: initRes.code, output: initRes.stdout + initRes.stderr };
  const res = await run(["plan", "-input=false", "-no-color", "-lock=false"], dir, env);
  return { code: res.code, output: res.stdout + res.stderr };
}
