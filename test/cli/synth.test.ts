import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

  it("GIVEN a full output WHEN a narrower selection is synthesized into it THEN the other stacks are removed and named", () => {
    const dir = join(tempDir(), "out");
    expect(estate(["synth", "--env", env, "--out", dir]).status).toBe(0);
    const r = estate(["synth", "--env", env, "--stack", "dev-os-*", "--out", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").slice(-1)[0]).toBe("removed stacks not in this selection: dev-aws, dev-traffic");
    expect(existsSync(join(dir, "stacks", "dev-aws"))).toBe(false);
    expect(existsSync(join(dir, "stacks", "dev-os-b", "cdk.tf.json"))).toBe(true);
  });

  it.each([
    ["the project itself", (project: string) => project, "holds the project"],
    ["a directory above the project", (project: string) => join(project, ".."), "holds the project"],
    ["a directory of other files", (project: string) => join(project, "environments"), "holds other files (dev.yaml) and no synthesis output (no manifest.json)"],
    ["a file", (project: string) => join(project, "environments", "dev.yaml"), "is a file"],
  ] as const)("GIVEN --out naming %s THEN exit 2 and nothing is touched", (_, target, message) => {
    const project = tempDir();
    mkdirSync(join(project, "environments"));
    copyFileSync(join(PROJECT, "environments", "dev.yaml"), join(project, "environments", "dev.yaml"));
    const before = readFileSync(join(project, "environments", "dev.yaml"), "utf8");
    const r = estate(["synth", "--env", "dev", "--out", target(project)], { cwd: project });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("synthesis replaces its output directory as a whole: name a new directory or a previous output, e.g. cdktf.out");
    expect(readFileSync(join(project, "environments", "dev.yaml"), "utf8")).toBe(before);
    expect(existsSync(join(project, "manifest.json"))).toBe(false);
  });

  it("GIVEN temporaries of a killed synthesis and of a running one WHEN synthesized THEN only the dead one is removed", () => {
    const parent = tempDir();
    const dead = join(parent, ".out.tmp-2147483646-abcdef");
    const live = join(parent, `.out.tmp-${process.pid}-abcdef`);
    for (const dir of [dead, live]) mkdirSync(join(dir, "stacks"), { recursive: true });
    expect(estate(["synth", "--env", env, "--stack", "dev-traffic", "--out", join(parent, "out")]).status).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
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

describe("estate synth --json", () => {
  let env: string;
  let text: ReturnType<typeof estate>;
  let json: ReturnType<typeof estate>;
  const jsonOut = join(tempDir(), "out");

  beforeAll(() => {
    env = devCopy();
    text = estate(["synth", "--env", env, "--out", join(tempDir(), "out")]);
    json = estate(["synth", "--env", env, "--out", jsonOut, "--json"]);
  });

  it("GIVEN dev THEN stdout is one JSON document: outdir, every stack with env, kind, site, path and resources, the files, the policy", () => {
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout) as { outdir: string; stacks: { name: string; resources: number }[]; files: string[]; removedStacks: string[]; lockedStacks: string[]; policy: unknown };
    expect(Object.keys(report)).toEqual(["outdir", "stacks", "files", "removedStacks", "lockedStacks", "policy"]);
    // A fresh output directory: nothing removed; the project's committed lock files were copied in.
    expect(report.removedStacks).toEqual([]);
    expect(report.lockedStacks).toEqual(["dev-aws", "dev-traffic"]);
    expect(report.outdir).toBe(jsonOut);
    expect(report.stacks).toEqual([
      { name: "dev-os-a", env: "dev", kind: "openstack", site: "os-a", path: "stacks/dev-os-a/cdk.tf.json", resources: expect.any(Number) },
      { name: "dev-os-b", env: "dev", kind: "openstack", site: "os-b", path: "stacks/dev-os-b/cdk.tf.json", resources: expect.any(Number) },
      { name: "dev-os-c", env: "dev", kind: "openstack", site: "os-c", path: "stacks/dev-os-c/cdk.tf.json", resources: expect.any(Number) },
      { name: "dev-aws", env: "dev", kind: "aws", site: "aws", path: "stacks/dev-aws/cdk.tf.json", resources: expect.any(Number) },
      { name: "dev-traffic", env: "dev", kind: "traffic", site: null, path: "stacks/dev-traffic/cdk.tf.json", resources: expect.any(Number) },
    ]);
    expect(Object.keys(report.stacks[0])).toEqual(["name", "env", "kind", "site", "path", "resources"]);
    // The same counts as the table prints.
    for (const stack of report.stacks) {
      expect(stack.resources).toBeGreaterThan(0);
      expect(text.stdout).toMatch(new RegExp(`${stack.name}\\s+\\S+\\s+${stack.resources} resources`));
    }
    expect(report.files).toContain("ansible/dev/inventory.yml");
    expect(report.files).toContain("cmdb/dev/hosts.json");
    expect(report.files.map((f) => `  ${f}`)).toEqual(text.stdout.trim().split("\n").filter((l) => /^ {2}\S+$/.test(l)));
    expect(report.policy).toEqual({ checked: true, summary: { errors: 0, warnings: 0, suppressed: 0, compliant: expect.any(Number), rules: 12 }, findings: [] });
    expect(existsSync(join(jsonOut, "stacks", "dev-traffic", "cdk.tf.json"))).toBe(true);
  });

  it("GIVEN warnings and a suppression THEN they are in the JSON, and stderr stays empty", () => {
    const warned = join(tempDir(), "lint.yaml");
    copyFileSync(POLICY_FIXTURE, warned);
    writeFileSync(warned, readFileSync(warned, "utf8").replace("peakInstances: 7", "peakInstances: 4"));
    const r = estate(["synth", "--env", warned, "--out", join(tempDir(), "out"), "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const { policy } = JSON.parse(r.stdout) as { policy: { checked: boolean; summary: object; findings: { ruleId: string; level: string; status: string; target: string; suppressed?: object }[] } };
    expect(policy.checked).toBe(true);
    expect(policy.summary).toMatchObject({ errors: 0, warnings: 4, suppressed: 1 });
    expect(policy.findings.every((f) => f.status === "non-compliant")).toBe(true);
    expect(policy.findings).toHaveLength(5);
    for (const f of policy.findings) expect(Object.keys(f)).toContain("constructPath");
    expect(policy.findings).toContainEqual(expect.objectContaining({ ruleId: "EST-PLC-001", level: "warning", stack: "lint-os-a", target: "openstack_compute_instance_v2.web_fleet_instance" }));
    expect(policy.findings).toContainEqual(
      expect.objectContaining({ ruleId: "EST-AVL-001", target: "services.api.instancesBySite.os-c", suppressed: { reason: "api is being moved off os-c while its storage is rebuilt (OPS-1234)" } }),
    );
  });

  it("GIVEN --no-policy THEN policy.checked is false and nothing is counted", () => {
    const r = estate(["synth", "--env", POLICY_FIXTURE, "--out", join(tempDir(), "out"), "--no-policy", "--json"]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { policy: unknown }).policy).toEqual({
      checked: false,
      summary: { errors: 0, warnings: 0, suppressed: 0, compliant: 0, rules: 0 },
      findings: [],
    });
  });

  it.each([
    [[POLICY_FIXTURE], 1, "policy check failed: 1 error; nothing was written"],
    [["nope"], 2, 'unknown environment "nope"'],
  ])("GIVEN an error (--env %j) THEN nothing on stdout, the message on stderr, exit %i", (envArgs, status, message) => {
    const target = join(tempDir(), "out");
    const r = estate(["synth", "--env", ...envArgs, "--out", target, "--json"]);
    expect(r.status).toBe(status);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(existsSync(target)).toBe(false);
  });
});

afterAll(removeTempDirs);
