import { evaluatePolicy, suppressionFindings, ESTATE_POLICY_PACK, type PolicyStack } from "../../policy";
import { devModel } from "../support/env";
import { stackOf } from "./fixtures";

const withSuppressions = (suppressions: object[]) => devModel((env) => (env.policy.suppressions = suppressions.map((s) => ({ reason: "a reason long enough to keep", ...s }))));
const details = (model: ReturnType<typeof devModel>, stacks: PolicyStack[] = []) =>
  suppressionFindings(model, ESTATE_POLICY_PACK, stacks, []).map((f) => [f.target, f.detail]);

describe("EST-POL-001 suppressions that point nowhere", () => {
  it("GIVEN rule ids and targets (globs too) that exist (stack, site, service, model path) THEN no finding", () => {
    const model = withSuppressions([
      { rule: "EST-PLC-001", target: "dev-os-c" },
      { rule: "EST-AVL-001", target: "os-*" },
      { rule: "EST-AVL-001", target: "api" },
      { rule: "EST-AVL-002", target: "services.web.peakInstances" },
    ]);
    // Model paths are the targets of the model rules' findings: run the pack on the model.
    expect(evaluatePolicy({ models: [model], stacks: [] }).filter((f) => f.ruleId === "EST-POL-001")).toEqual([]);
  });

  it("GIVEN a misspelt rule id THEN an error at the suppression's rule, with the id meant", () => {
    expect(details(withSuppressions([{ rule: "EST-PLC-01" }]))).toEqual([
      [
        "policy.suppressions[0].rule",
        'no policy rule is named "EST-PLC-01"; did you mean "EST-PLC-001"? (rules: EST-NET-001, EST-LB-001, EST-PLC-001, EST-AVL-001, EST-AVL-002, EST-AVL-003, EST-STK-001, EST-AWS-001, EST-AWS-002, EST-TRF-001, EST-QTA-001, EST-REF-001)',
      ],
    ]);
  });

  it("GIVEN a target naming a stack outside a --stack selection THEN it still matches: the whole estate counts", () => {
    const model = withSuppressions([{ rule: "EST-PLC-001", target: "dev-os-c" }]);
    expect(details(model, [{ ...stackOf({}), name: "dev-os-a" }])).toEqual([]);
  });

  it("GIVEN a resource-address target THEN it is judged only when every stack of the environment was synthesized", () => {
    const model = withSuppressions([{ rule: "EST-PLC-001", target: "dev-os-a/openstack_compute_instance_v2.wbe_fleet_instance" }]);
    // Only dev-os-a synthesized: another stack might hold it, so no verdict.
    expect(details(model, [{ ...stackOf({}), name: "dev-os-a" }])).toEqual([]);
    const all = model.stacks.map((ref) => ({ ...stackOf(ref.name === "dev-os-a" ? { resource: { openstack_compute_instance_v2: { web_fleet_instance: {} } } } : {}), name: ref.name, kind: ref.kind, ...(ref.site ? { site: ref.site } : {}) }));
    expect(details(model, all)).toEqual([
      [
        "policy.suppressions[0].target",
        'target "dev-os-a/openstack_compute_instance_v2.wbe_fleet_instance" matches no stack, site, service, model path or resource of environment "dev"; did you mean "dev-os-a/openstack_compute_instance_v2.web_fleet_instance"?',
      ],
    ]);
  });

  it("cannot be suppressed itself", () => {
    const model = withSuppressions([{ rule: "*", target: "nowhere-at-all" }]);
    const findings = evaluatePolicy({ models: [model], stacks: [] }).filter((f) => f.ruleId === "EST-POL-001");
    expect(findings.map((f) => [f.status, f.suppressed, f.source?.path])).toEqual([
      ["non-compliant", undefined, ["policy", "suppressions", 0, "rule"]],
      ["non-compliant", undefined, ["policy", "suppressions", 0, "target"]],
    ]);
  });

  it("GIVEN a rule pattern such as EST-* THEN it names no rule, suppresses nothing, and the errors stay errors", () => {
    const model = withSuppressions([{ rule: "EST-*", target: "*" }]);
    expect(details(model)[0]).toEqual([
      "policy.suppressions[0].rule",
      'no policy rule is named "EST-*"; a suppression names one rule exactly, never a pattern (rules: EST-NET-001, EST-LB-001, EST-PLC-001, EST-AVL-001, EST-AVL-002, EST-AVL-003, EST-STK-001, EST-AWS-001, EST-AWS-002, EST-TRF-001, EST-QTA-001, EST-REF-001)',
    ]);
    const findings = evaluatePolicy({ models: [model], stacks: [] });
    expect(findings.filter((f) => f.suppressed !== undefined)).toEqual([]);
  });
});
