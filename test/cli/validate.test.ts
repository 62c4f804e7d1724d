import { join } from "node:path";
import { devCopy, estate, PROJECT, removeTempDirs } from "./estate";

const POLICY_FIXTURE = join(PROJECT, "test", "fixtures", "cli", "policy-findings.yaml");

describe("estate validate", () => {
  it("GIVEN the dev estate THEN no findings and exit 0", () => {
    const r = estate(["validate", "--env", devCopy()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^policy: 0 errors, 0 warnings, 0 suppressed \(12 rules, \d+ compliant checks\)\n$/);
  });

  describe("GIVEN an estate with findings", () => {
    let run: ReturnType<typeof estate>;
    beforeAll(() => {
      run = estate(["validate", "--env", POLICY_FIXTURE]);
    });

    it("THEN errors exit 1", () => {
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("ERROR      EST-AVL-002  lint: services.api.peakInstances");
      expect(run.stdout).toContain("peakInstances is 7: without os-a the other serving sites run 4");
      expect(run.stdout).toContain("fix: Raise instancesPerSite");
    });

    it("THEN each finding points at the line of the environment file behind it", () => {
      expect(run.stdout).toMatch(/peakInstances is 7: [^\n]*\n {11}where: \S+policy-findings\.yaml:107:5: services\[1\]\.peakInstances\n/);
      expect(run.stdout).toContain(`where: ${POLICY_FIXTURE}:91:5: services[0].placement\n`);
    });

    it("THEN warnings are printed but do not fail on their own", () => {
      expect(run.stdout).toContain("WARNING    EST-PLC-001  lint-os-a openstack_compute_instance_v2.web_fleet_instance");
      expect(run.stdout).toContain("WARNING    EST-TRF-001  lint: services.api.allowedCidrs");
      expect(run.stdout).toContain("policy: 1 error, 4 warnings, 1 suppressed");
    });

    it("THEN a suppressed finding is shown with its reason, not hidden", () => {
      expect(run.stdout).toContain("SUPPRESSED EST-AVL-001  lint: services.api.instancesBySite.os-c");
      expect(run.stdout).toContain("suppressed: api is being moved off os-c while its storage is rebuilt (OPS-1234)");
    });

    it("THEN --json lists the findings with status, target and suppression", () => {
      const r = estate(["validate", "--env", POLICY_FIXTURE, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(1);
      const report = JSON.parse(r.stdout) as { summary: { errors: number; warnings: number; suppressed: number }; findings: any[] };
      expect(report.summary).toMatchObject({ errors: 1, warnings: 4, suppressed: 1 });
      // Every finding has every key, null where it has no value.
      const keys = ["ruleId", "level", "status", "message", "detail", "explanation", "fix", "env", "stack", "target", "constructPath", "site", "service", "suppressed", "source"];
      for (const f of report.findings) expect(Object.keys(f)).toEqual(keys);
      expect(report.findings.find((f) => f.ruleId === "EST-AVL-002")).toMatchObject({ stack: null, constructPath: null, suppressed: null });
      expect(report.findings.find((f) => f.ruleId === "EST-AVL-001" && f.status === "non-compliant")).toMatchObject({
        target: "services.api.instancesBySite.os-c",
        suppressed: { reason: "api is being moved off os-c while its storage is rebuilt (OPS-1234)" },
      });
    });
  });

  it("GIVEN the dev estate and --json THEN a JSON document with no errors, alone on stdout, exit 0", () => {
    const r = estate(["validate", "--env", devCopy(), "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { summary: object; findings: { status: string }[] };
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 0, rules: 12 });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.status === "compliant")).toBe(true);
  });

  it("GIVEN --json and an unknown environment THEN nothing on stdout, exit 2", () => {
    const r = estate(["validate", "--env", "nope", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown environment "nope"');
  });

  it("GIVEN an unknown environment THEN exit 2", () => {
    const r = estate(["validate", "--env", "nope"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown environment "nope"');
  });
});

afterAll(removeTempDirs);
