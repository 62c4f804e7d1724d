import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluatePolicy, securityGroupQuota, securityGroupUsage, type PolicyStack } from "../../policy";
import type { EstateModel } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";
import { devModel } from "../support/env";
import { stackOf } from "./fixtures";

/** dev with `n` scrape networks: web and api each get one node_exporter rule per network in every site. */
const scrapeNetworks = (n: number) => ["192.0.2.0/26", ...Array.from({ length: n - 1 }, (_, i) => `10.${100 + i}.0.0/16`)];

function synthesized(model: EstateModel): PolicyStack[] {
  const tmp = mkdtempSync(join(tmpdir(), "estate-quota-"));
  try {
    const result = synthesizeModels([model], { outdir: join(tmp, "out"), include: (s) => s.site === "os-a", policy: "skip" });
    return result.stacks.map((s) => ({ name: s.name, env: s.env, kind: s.kind, site: s.site, tf: JSON.parse(readFileSync(join(tmp, "out", s.path), "utf8")) }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe("EST-QTA-001 security groups and rules against the project's Neutron quota", () => {
  it("GIVEN dev with 44 scrape networks WHEN os-a is counted THEN it needs exactly 100 rules: compliant at the default quota", () => {
    // web: 1 load-balancer rule + 1 SSH + 44 node_exporter; api: the same; 2 groups x 2 egress; 4 in the default group.
    const model = devModel((env) => (env.monitoring.scrapeCidrs = scrapeNetworks(44)));
    const stacks = synthesized(model);
    expect(securityGroupUsage(stacks)).toEqual({ groups: 3, rules: 100, stacks: ["dev-os-a"] });
    expect(securityGroupQuota.check(stacks[0], { model, stacks }).map((r) => r.result.status)).toEqual(["compliant"]);
  });

  it("GIVEN 45 scrape networks THEN 102 rules exceed the quota of 100: an error pointing at the site's limits", () => {
    const model = devModel((env) => (env.monitoring.scrapeCidrs = scrapeNetworks(45)));
    const findings = evaluatePolicy({ models: [model], stacks: synthesized(model) }).filter((f) => f.ruleId === "EST-QTA-001" && f.status === "non-compliant");
    expect(findings).toHaveLength(1);
    expect(findings[0].level).toBe("error");
    expect(findings[0].detail).toBe(
      "site os-a needs 102 security-group rules (counting dev-os-a, Neutron's 2 default egress rules per group and the 4 rules of the project's default group), over its quota of 100 (limits.securityGroupRules)",
    );
    // The file writes no limits: the finding points at the site entry (line 17 of the file devModel writes).
    expect(findings[0].source).toEqual({ file: model.sourceFile, path: ["sites", "openstack", 0, "limits", "securityGroupRules"], line: 17, column: 7 });
  });

  it("GIVEN the project's quota written in limits THEN the same estate is compliant", () => {
    const model = devModel((env) => {
      env.monitoring.scrapeCidrs = scrapeNetworks(45);
      env.sites.openstack[0].limits = { securityGroupRules: 200 };
    });
    const stacks = synthesized(model);
    expect(securityGroupQuota.check(stacks[0], { model, stacks }).map((r) => r.result.status)).toEqual(["compliant"]);
  });

  it("GIVEN a security-group quota of 2 THEN the 3 groups (default included) are refused", () => {
    const model = devModel((env) => (env.sites.openstack[0].limits = { securityGroups: 2 }));
    const stacks = synthesized(model);
    const results = securityGroupQuota.check(stacks[0], { model, stacks });
    expect(results.map((r) => [r.result.status, r.source])).toEqual([["non-compliant", ["sites", "openstack", 0, "limits", "securityGroups"]]]);
  });

  it("GIVEN a bake stack in the same project THEN its group and rules count too", () => {
    const model = devModel((env) => (env.bake.enabled = true));
    const stacks = synthesized(model);
    expect(stacks.map((s) => s.name).sort()).toEqual(["dev-os-a", "dev-os-a-bake"]);
    // dev-os-a: 2 groups, web and api 4 rules each (load balancer, SSH, 2 node_exporter); bake: 1 group, 1 SSH
    // rule; 3 x 2 egress; 4 in the default group.
    expect(securityGroupUsage(stacks)).toEqual({ groups: 4, rules: 19, stacks: ["dev-os-a", "dev-os-a-bake"] });
  });

  it("is not applicable to a stack that is not an OpenStack site", () => {
    expect(securityGroupQuota.check({ ...stackOf({}), kind: "aws", site: "aws" })).toEqual([]);
  });
});
