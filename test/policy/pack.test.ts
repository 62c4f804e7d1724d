import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESTATE_POLICY_PACK, evaluatePolicy, summarize, suppressionMatches, type Finding, type PolicyStack } from "../../policy";
import { synthesizeModels } from "../../stacks/synthesize";
import { devModel } from "../support/env";
import { stackOf } from "./fixtures";

describe("the policy pack", () => {
  it("holds one rule per id, each with message, explanation and fix", () => {
    const ids = ESTATE_POLICY_PACK.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(["EST-AVL-001", "EST-AVL-002", "EST-AVL-003", "EST-AWS-001", "EST-AWS-002", "EST-LB-001", "EST-NET-001", "EST-PLC-001", "EST-QTA-001", "EST-REF-001", "EST-STK-001", "EST-TRF-001"]);
    for (const rule of ESTATE_POLICY_PACK) {
      expect(rule.message.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });

  it("GIVEN the synthesized dev estate THEN every check is compliant or not applicable", () => {
    const model = devModel();
    const tmp = mkdtempSync(join(tmpdir(), "estate-pack-"));
    try {
      const result = synthesizeModels([model], { outdir: join(tmp, "out") });
      const stacks: PolicyStack[] = result.stacks.map((s) => ({ name: s.name, env: s.env, kind: s.kind, site: s.site, tf: JSON.parse(readFileSync(join(tmp, "out", s.path), "utf8")) }));
      const findings = evaluatePolicy({ models: [model], stacks });
      expect(findings.filter((f) => f.status === "non-compliant")).toEqual([]);
      // Every rule found something to look at in dev, except the one that only applies while a site is drained.
      const checked = new Set(findings.filter((f) => f.status === "compliant").map((f) => f.ruleId));
      expect(ESTATE_POLICY_PACK.map((r) => r.id).filter((id) => !checked.has(id))).toEqual(["EST-AVL-003"]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("for_each resources", () => {
  const fleet = (tokens: string) => ({
    locals: { hosts_web: { "dev-aws-web-001": { ip: "10.40.1.1", tokens: "required" }, "dev-aws-web-002": { ip: "10.40.17.1", tokens: "optional" } } },
    resource: {
      aws_instance: {
        web_fleet: {
          for_each: "${local.hosts_web}",
          private_ip: "${each.value.ip}",
          metadata_options: { http_tokens: tokens },
          root_block_device: { encrypted: true },
        },
      },
    },
  });
  const imds = (tf: any) => evaluatePolicy({ models: [], stacks: [stackOf(tf, "dev-aws")] }).filter((f) => f.ruleId === "EST-AWS-001");

  it("checks the resource once when the attributes a rule reads are the same for every host", () => {
    expect(imds(fleet("optional")).map((f) => [f.target, f.status])).toEqual([["aws_instance.web_fleet", "non-compliant"]]);
  });

  it("checks every host when an attribute the rule reads differs between hosts", () => {
    expect(imds(fleet("${each.value.tokens}")).map((f) => [f.target, f.status])).toEqual([
      ['aws_instance.web_fleet["dev-aws-web-001"]', "compliant"],
      ['aws_instance.web_fleet["dev-aws-web-002"]', "non-compliant"],
    ]);
  });
});

describe("suppressions", () => {
  const world = { resource: { openstack_networking_secgroup_rule_v2: { web_ssh: { direction: "ingress", protocol: "tcp", port_range_min: 22, port_range_max: 22, remote_ip_prefix: "0.0.0.0/0" } } } };
  const run = (suppressions: { rule: string; target?: string; reason: string }[]): Finding[] => {
    const model = { ...devModel(), suppressions };
    return evaluatePolicy({ models: [model], stacks: [stackOf(world, "dev-os-a")] }, ESTATE_POLICY_PACK.filter((r) => r.id === "EST-NET-001"));
  };

  it("GIVEN no suppression THEN the finding is an open error", () => {
    const [finding] = run([]);
    expect(finding).toMatchObject({ ruleId: "EST-NET-001", status: "non-compliant", stack: "dev-os-a", target: "openstack_networking_secgroup_rule_v2.web_ssh", service: "web", site: "os-a" });
    expect(finding.suppressed).toBeUndefined();
    expect(summarize([finding]).errors).toBe(1);
  });

  it.each([
    [{ rule: "EST-NET-001", reason: "bastion network is being re-addressed this week" }],
    [{ rule: "EST-NET-001", target: "dev-os-a", reason: "site os-a is a lab, reachable only over the VPN" }],
    [{ rule: "EST-NET-001", target: "web", reason: "web hosts are honeypots in this environment" }],
    [{ rule: "EST-NET-001", target: "dev-os-*", reason: "SSH rules waived for the dev OpenStack sites" }],
  ])("GIVEN suppression %j THEN the finding stays in the report, suppressed with its reason", (suppression) => {
    const [finding] = run([suppression]);
    expect(finding.suppressed).toEqual({ reason: suppression.reason });
    expect(summarize([finding])).toMatchObject({ errors: 0, suppressed: 1 });
  });

  it("GIVEN a rule pattern THEN it suppresses nothing: a suppression names one rule exactly", () => {
    const [finding] = run([{ rule: "EST-NET-*", target: "dev-os-*", reason: "all network rules waived" }]);
    expect(finding.suppressed).toBeUndefined();
  });

  it("GIVEN a suppression for another target THEN it does not apply", () => {
    expect(suppressionMatches({ rule: "EST-NET-001", target: "api", reason: "only the api is waived" }, run([])[0])).toBe(false);
    expect(run([{ rule: "EST-NET-001", target: "dev-os-b", reason: "only os-b is waived for now" }])[0].suppressed).toBeUndefined();
  });
});
