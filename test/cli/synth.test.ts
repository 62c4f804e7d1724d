import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devCopy, estate, PROJECT, removeTempDirs, tempDir } from "./estate";

const POLICY_FIXTURE = join(PROJECT, "test", "fixtures", "cli", "policy-findings.yaml");

describe("estate synth", () => {
  const out = join(tempDir(), "out");
  let env: string;
  let run: ReturnType<typeof estate>;

  beforeAll(() => {
    env = devCopy();
    run = estate(["synth", "--env", env, "--out", out]);
  });

  it("GIVEN the dev environment WHEN synthesized THEN it writes every stack and artifact and exits 0", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const stack of ["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"]) {
      expect(existsSync(join(out, "stacks", stack, "cdk.tf.json"))).toBe(true);
    }
    for (const file of ["manifest.json", "ansible/dev/inventory.yml", "cmdb/dev/hosts.json", "monitoring/dev/file_sd/os-a-web.json"]) {
      expect(existsSync(join(out, file))).toBe(true);
    }
  });

  it("prints one line per stack with its resource instance count, then the other artifacts", () => {
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`wrote ${out}`);
    // 3 web + 2 api hosts: instances, ports and pool members are counted per host.
    expect(run.stdout).toMatch(/dev-os-a\s+stacks\/dev-os-a\/cdk\.tf\.json\s+\d+ resources/);
    expect(lines.filter((l) => / resources$/.test(l))).toHaveLength(5);
    expect(lines).toContain("  ansible/dev/inventory.yml");
    expect(lines).toContain("  cmdb/dev/hosts.json");
  });

  it("GIVEN --stack globs THEN only the matching stacks are written", () => {
    const only = join(tempDir(), "out");
    const r = estate(["synth", "--env", env, "--stack", "dev-os-*", "--stack", "dev-traffic", "--out", only]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("dev-aws");
    expect(existsSync(join(only, "stacks", "dev-aws"))).toBe(false);
    expect(existsSync(join(only, "stacks", "dev-traffic", "cdk.tf.json"))).toBe(true);
  });

  it("GIVEN policy errors THEN nothing is written, the previous output stays and the exit code is 1", () => {
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    const r = estate(["synth", "--env", POLICY_FIXTURE, "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ERROR      EST-AVL-002");
    expect(r.stderr).toContain("policy check failed: 1 error; nothing was written");
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
    expect(existsSync(join(out, "stacks", "lint-os-a"))).toBe(false);
  });

  it("GIVEN --no-policy THEN the same estate is written", () => {
    const r = estate(["synth", "--env", POLICY_FIXTURE, "--out", join(tempDir(), "out"), "--no-policy"]);
    expect(r.status).toBe(0);
  });

  it.each([
    [["--env", "nope"], 'unknown environment "nope"'],
    [["--stack", "prod-*"], '--stack "prod-*" matches no stack (stacks: dev-aws, dev-os-a, dev-os-b, dev-os-c, dev-traffic)'],
    [["--drain", "os-z"], '--drain: environment "dev" has no site "os-z" (sites: os-a, os-b, os-c, aws)'],
  ])("GIVEN bad arguments %j THEN a clear message and exit 2", (args, message) => {
    const target = join(tempDir(), "out");
    const r = estate(["synth", ...(args[0] === "--env" ? [] : ["--env", env]), ...args, "--out", target]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Run `estate synth --help` for usage.");
    expect(existsSync(target)).toBe(false);
  });

  it("GIVEN an invalid environment file THEN its problems are printed without a stack trace and the exit code is 1", () => {
    const broken = devCopy();
    writeFileSync(broken, readFileSync(broken, "utf8").replace("instancesPerSite: 3", "instancesPerSite: three"));
    const r = estate(["synth", "--env", broken, "--out", join(tempDir(), "out")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${broken}: 1 problem in environment file`);
    expect(r.stderr).toContain("services[0].instancesPerSite");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

afterAll(removeTempDirs);
