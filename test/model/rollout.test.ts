import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnvironmentText, rolloutInvariantViolations, siteRolloutSteps, type RolloutStep } from "../../model";

const DEV = join(__dirname, "..", "..", "environments", "dev.yaml");

/** dev.yaml with a rollout of debian12 to 2026.12.1 over every site, batch 2. */
function devWithRollout() {
  const anchor = '    aws: { amiName: debian12-golden-2026.11.1, owner: "123456789012" }\n';
  const refs = ["os-a", "os-b", "os-c"].map((s) => `        ${s}: { name: debian12-golden-2026.12.1 }\n`).join("");
  const rollout = `    rollout:\n      version: 2026.12.1\n      openstack:\n${refs}      aws: { ami: ami-0123456789abcdef0 }\n      batch: 2\n      order: [os-a, os-b, os-c, aws]\n      step: 0\n`;
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

  it("holds the invariant in every site, and a sequence that breaks it is caught", () => {
    for (const site of ["os-a", "os-b", "os-c", "aws"]) expect(rolloutInvariantViolations(siteRolloutSteps(devWithRollout(), "debian12", site), 2)).toEqual([]);
    const bad: RolloutStep[] = [
      { label: "before", hosts: { a: { phase: "serving", version: "1" }, b: { phase: "serving", version: "1" }, c: { phase: "serving", version: "1" } } },
      { label: "replace a in service", hosts: { a: { phase: "replacing", version: "2" }, b: { phase: "drained", version: "1" }, c: { phase: "drained", version: "1" } } },
    ];
    expect(rolloutInvariantViolations(bad, 2)).toEqual([
      "replace a in service: 3 hosts out of service (a, b, c), more than batch 2",
      "replace a in service: a replaced while in service",
    ]);
  });
});
