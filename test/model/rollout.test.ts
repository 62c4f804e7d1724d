import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvironmentText, rolloutInvariantViolations, siteRolloutSteps, type RolloutStep } from "../../model";

const DEV = join(__dirname, "..", "..", "environments", "dev.yaml");

/** dev.yaml with a rollout of debian12 to 2026.12.1 over every site, batch 2. */
function devWithRollout() {
  const anchor = '    aws: { amiName: debian12-golden-2026.11.1, owner: "123456789012" }\n';
  const refs = ["os-a", "os-b", "os-c"].map((s) => `        ${s}: { name: debian12-golden-2026.12.1 }\n`).join("");
  const rollout = `    rollout:\n      version: 2026.12.1\n      openstack:\n${refs}      aws: { ami: ami-0123456789abcdef0 }\n      batch: 2\n      order: [os-a, os-b, os-c, aws]\n      step: 0\n      hosts: { count: 20, digest: 8b4aee59951e710b }\n`;
  return parseEnvironmentText(readFileSync(DEV, "utf8").replace(anchor, anchor + rollout), DEV);
}

describe("siteRolloutSteps (the states a site goes through, as the traffic proof replays them)", () => {
  it("walks os-a's five debian12 hosts in batches of 2: drain, replace, warm, restore", () => {
    const steps = siteRolloutSteps(devWithRollout(), "debian12", "os-a");
    expect(steps.map((s) => s.label)).toEqual([
      "os-a: every host serving 2026.11.1",
      "os-a batch 1/3: drain dev-os-a-web-001, dev-os-a-web-002",
      "os-a batch 1/3: replace dev-os-a-web-001, dev-os-a-web-002",
      "os-a batch 1/3: warm dev-os-a-web-001, dev-os-a-web-002",
      "os-a batch 1/3: restore dev-os-a-web-001, dev-os-a-web-002",
      "os-a batch 2/3: drain dev-os-a-web-003, dev-os-a-api-001",
      "os-a batch 2/3: replace dev-os-a-web-003, dev-os-a-api-001",
      "os-a batch 2/3: warm dev-os-a-web-003, dev-os-a-api-001",
      "os-a batch 2/3: restore dev-os-a-web-003, dev-os-a-api-001",
      "os-a batch 3/3: drain dev-os-a-api-002",
      "os-a batch 3/3: replace dev-os-a-api-002",
      "os-a batch 3/3: warm dev-os-a-api-002",
      "os-a batch 3/3: restore dev-os-a-api-002",
    ]);
    expect(steps[6].hosts).toEqual({
      "dev-os-a-web-001": { phase: "serving", version: "2026.12.1" },
      "dev-os-a-web-002": { phase: "serving", version: "2026.12.1" },
      "dev-os-a-web-003": { phase: "replacing", version: "2026.12.1" },
      "dev-os-a-api-001": { phase: "replacing", version: "2026.12.1" },
      "dev-os-a-api-002": { phase: "serving", version: "2026.11.1" },
    });
    expect(rolloutInvariantViolations(steps, 2)).toEqual([]);
  });

  it("holds the invariant in every site", () => {
    for (const site of ["os-a", "os-b", "os-c", "aws"]) expect(rolloutInvariantViolations(siteRolloutSteps(devWithRollout(), "debian12", site), 2)).toEqual([]);
  });
});

describe("rolloutInvariantViolations", () => {
  const step = (label: string, hosts: RolloutStep["hosts"]): RolloutStep => ({ label, hosts });
  const serving = (version: string) => ({ phase: "serving" as const, version });
  const start = step("start", { a: serving("v1"), b: serving("v1"), c: serving("v1") });

  it("GIVEN a host replaced straight from serving, with more hosts out than the batch THEN it names both", () => {
    const bad = step("replace a in service", { a: { phase: "replacing", version: "v2" }, b: { phase: "drained", version: "v1" }, c: { phase: "drained", version: "v1" } });
    expect(rolloutInvariantViolations([start, bad], 2)).toEqual([
      'step 1 "replace a in service": 3 hosts are out of service (a, b, c), more than the batch of 2',
      'step 1 "replace a in service": host a is replaced while in service at step 0 "start"; drain it in a step before',
    ]);
  });

  it("GIVEN a version change outside replacing THEN it says a version changes only while replacing", () => {
    const steps = [start, step("swap", { a: serving("v2"), b: serving("v1"), c: serving("v1") })];
    expect(rolloutInvariantViolations(steps, 1)).toEqual(['step 1 "swap": host a changes from v1 to v2 while serving; a version changes only while replacing']);
  });

  it("GIVEN a step without a host or with a new one THEN it names them", () => {
    const steps = [start, step("lost", { a: serving("v1"), b: serving("v1"), d: serving("v1") })];
    expect(rolloutInvariantViolations(steps, 1)).toEqual([
      'step 1 "lost": hosts c are missing; every step lists every host of step 0',
      'step 1 "lost": hosts d are not in step 0; every step lists the same hosts',
    ]);
  });

  it("GIVEN a replacement at the first step, or no step THEN it is refused", () => {
    expect(rolloutInvariantViolations([step("start", { a: { phase: "replacing", version: "v2" } })], 1)).toEqual([
      'step 0 "start": host a is replaced at the first step; drain it in a step before',
    ]);
    expect(rolloutInvariantViolations([], 1)).toEqual(["the sequence has no step; the first step is the site's state before the rollout"]);
  });
});
