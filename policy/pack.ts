/**
 * The estate policy pack: every rule, run over the models and the synthesized stacks, with the suppressions of
 * each environment file applied (suppressed findings stay in the report, with their reason).
 */
import picomatch from "picomatch";
import { fileLocator, type EstateModel, type SourceLocation, type Suppression } from "../model";
import type { Finding, PolicyRule, PolicyStack, RuleResult, TargetedResult } from "./rule";
import { adminPortsOpenToWorld } from "./rules/admin-ports-open-to-world";
import { awsEbsEncryption } from "./rules/aws-ebs-encryption";
import { awsInstanceImdsv2 } from "./rules/aws-instance-imdsv2";
import { crossStackReference } from "./rules/cross-stack-reference";
import { drainRedundancy } from "./rules/drain-redundancy";
import { fleetAntiAffinity } from "./rules/fleet-anti-affinity";
import { loadBalancerHealthCheck } from "./rules/load-balancer-health-check";
import { nPlusOneCapacity } from "./rules/n-plus-one-capacity";
import { route53HealthCheckerAccess } from "./rules/route53-health-checker-access";
import { securityGroupQuota } from "./rules/security-group-quota";
import { serviceInEverySite } from "./rules/service-in-every-site";
import { unusedDefinitions } from "./rules/unused-definitions";
import { SUPPRESSION_RULE_ID, suppressionFindings } from "./suppressions";
import { attributesOf, blocksOf, instancesOf, usesEachValue } from "../terraform-json";
import { compareStrings } from "../util";

export const ESTATE_POLICY_PACK: readonly PolicyRule[] = [
  adminPortsOpenToWorld,
  loadBalancerHealthCheck,
  fleetAntiAffinity,
  serviceInEverySite,
  nPlusOneCapacity,
  drainRedundancy,
  crossStackReference,
  awsInstanceImdsv2,
  awsEbsEncryption,
  route53HealthCheckerAccess,
  securityGroupQuota,
  unusedDefinitions,
];

/** Policy errors that block writing an output; carries every finding for the report. */
export class PolicyError extends Error {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[]) {
    const { errors } = summarize(findings);
    super(`policy check failed: ${errors} ${errors === 1 ? "error" : "errors"}; nothing was written`);
    this.name = "PolicyError";
    this.findings = findings;
  }
}

export interface PolicyInput {
  readonly models: readonly EstateModel[];
  /** Synthesized stacks; model rules still run when none are given. */
  readonly stacks: readonly PolicyStack[];
}

/** Runs the rules; returns every finding (compliant and not-applicable ones too), errors first, sorted. */
export function evaluatePolicy(input: PolicyInput, rules: readonly PolicyRule[] = ESTATE_POLICY_PACK): Finding[] {
  const findings: Finding[] = [];
  const modelsByEnv = new Map(input.models.map((m) => [m.env, m]));
  const fileOf = (env: string) => modelsByEnv.get(env)?.sourceFile ?? "";
  for (const rule of rules) {
    if (rule.kind === "model") {
      for (const model of input.models) {
        for (const r of rule.check(model)) findings.push(finding(rule, model.env, model.sourceFile, undefined, r));
      }
      continue;
    }
    for (const stack of input.stacks) {
      const services = modelsByEnv.get(stack.env)?.services.map((s) => s.name) ?? [];
      const serviceOf = (resourceName: string) => services.find((s) => resourceName.startsWith(`${s.replace(/-/g, "_")}_`));
      if (rule.kind === "stack") {
        for (const r of rule.check(stack, { model: modelsByEnv.get(stack.env), stacks: input.stacks })) {
          const name = r.target.split(".").slice(-1)[0];
          findings.push(finding(rule, stack.env, fileOf(stack.env), stack, { ...r, ...(r.service ? {} : serviceField(serviceOf(name))) }));
        }
        continue;
      }
      for (const block of blocksOf(stack.tf, "managed")) {
        if (!rule.resourceTypes.includes(block.type)) continue;
        const service = { ...serviceField(serviceOf(block.name)), ...constructPathOf(block.config) };
        if (!usesEachValue(block, rule.reads)) {
          const result = rule.check({ block, address: block.address, attributes: attributesOf(block.config) }, stack);
          findings.push(finding(rule, stack.env, fileOf(stack.env), stack, { target: block.address, result, ...service }));
          continue;
        }
        // Instances differ: check each one, then report identical verdicts once for the whole resource.
        const instances = instancesOf(block, stack.tf);
        const byVerdict = new Map<string, { result: RuleResult; addresses: string[] }>();
        for (const instance of instances) {
          const result = rule.check({ block, address: instance.address, attributes: instance.attributes }, stack);
          const key = JSON.stringify(result);
          const entry = byVerdict.get(key) ?? { result, addresses: [] };
          entry.addresses.push(instance.address);
          byVerdict.set(key, entry);
        }
        for (const { result, addresses } of byVerdict.values()) {
          if (addresses.length === instances.length) findings.push(finding(rule, stack.env, fileOf(stack.env), stack, { target: block.address, result, ...service }));
          else for (const address of addresses) findings.push(finding(rule, stack.env, fileOf(stack.env), stack, { target: address, result, ...service }));
        }
      }
    }
  }
  for (const model of input.models) findings.push(...suppressionFindings(model, rules, input.stacks, findings));
  return locateFindings(applySuppressions(findings, input.models), input.models, rules).sort(compareFindings);
}

/**
 * Points every non-compliant finding at the setting of its environment file: the path a rule names, else the
 * finding's service or site entry; the file is read once per environment for the line numbers.
 */
function locateFindings(findings: Finding[], models: readonly EstateModel[], rules: readonly PolicyRule[]): Finding[] {
  const settingOf = new Map(rules.map((r) => [r.id, r.serviceSetting]));
  const byEnv = new Map(models.map((m) => [m.env, { model: m, locate: undefined as ((p: readonly (string | number)[]) => SourceLocation | undefined) | undefined }]));
  return findings.map((f) => {
    const entry = byEnv.get(f.env);
    if (f.status !== "non-compliant" || !entry) return f;
    const path = f.source?.path ?? defaultSource(entry.model, f, settingOf.get(f.ruleId));
    if (!path) return f;
    entry.locate ??= fileLocator(entry.model.sourceFile);
    return { ...f, source: { file: entry.model.sourceFile, path, ...entry.locate(path) } };
  });
}

/** The rule's setting of the finding's service (else the service's name), else the site's entry, else nothing. */
function defaultSource(model: EstateModel, f: Finding, serviceSetting: string | undefined): (string | number)[] | undefined {
  const service = f.service === undefined ? -1 : model.services.findIndex((s) => s.name === f.service);
  if (service >= 0) return ["services", service, serviceSetting ?? "name"];
  const site = f.site === undefined ? -1 : model.openstackSites.findIndex((s) => s.name === f.site);
  if (site >= 0) return ["sites", "openstack", site, "name"];
  if (f.site !== undefined && model.awsSite?.name === f.site) return ["sites", "aws", "name"];
  return undefined;
}

/** Non-compliant findings that are not suppressed, by level. */
export function summarize(findings: readonly Finding[]): { errors: number; warnings: number; suppressed: number; compliant: number; rules: number } {
  const open = findings.filter((f) => f.status === "non-compliant" && !f.suppressed);
  return {
    errors: open.filter((f) => f.level === "error").length,
    warnings: open.filter((f) => f.level === "warning").length,
    suppressed: findings.filter((f) => f.status === "non-compliant" && f.suppressed).length,
    compliant: findings.filter((f) => f.status === "compliant").length,
    rules: new Set(findings.map((f) => f.ruleId)).size,
  };
}

/** True when a suppression covers a finding: same rule id (or glob), and a target matching one of its names. */
export function suppressionMatches(s: Suppression, f: Finding): boolean {
  // Rules are named exactly (EST-POL-001 refuses a pattern); targets may be globs.
  if (s.rule !== f.ruleId) return false;
  if (s.target === undefined) return true;
  const names = [f.target, f.target.replace(/\[.*$/, ""), f.stack, f.stack ? `${f.stack}/${f.target}` : undefined, f.site, f.service].filter(
    (n): n is string => n !== undefined,
  );
  return matches(s.target, names);
}

function matches(pattern: string, names: readonly string[]): boolean {
  if (names.includes(pattern)) return true;
  const isMatch = picomatch(pattern, { dot: true });
  return names.some((n) => isMatch(n));
}

function applySuppressions(findings: Finding[], models: readonly EstateModel[]): Finding[] {
  const byEnv = new Map(models.map((m) => [m.env, m.suppressions]));
  return findings.map((f) => {
    // A suppression that points nowhere cannot suppress its own finding.
    if (f.status !== "non-compliant" || f.ruleId === SUPPRESSION_RULE_ID) return f;
    const s = (byEnv.get(f.env) ?? []).find((x) => suppressionMatches(x, f));
    return s ? { ...f, suppressed: { reason: s.reason } } : f;
  });
}

function finding(rule: PolicyRule, env: string, sourceFile: string, stack: PolicyStack | undefined, r: TargetedResult & { constructPath?: string }): Finding {
  return {
    ruleId: rule.id,
    level: rule.level,
    status: r.result.status,
    message: rule.message,
    ...(r.result.status === "non-compliant" ? { detail: r.result.detail } : {}),
    explanation: rule.explanation,
    fix: rule.fix,
    env,
    ...(stack ? { stack: stack.name } : {}),
    target: r.target,
    ...(r.constructPath ? { constructPath: r.constructPath } : {}),
    ...(r.site ?? stack?.site ? { site: r.site ?? stack?.site } : {}),
    ...(r.service ? { service: r.service } : {}),
    ...(r.source ? { source: { file: sourceFile, path: r.source } } : {}),
  };
}

/** cdktf writes each block's construct path under `//.metadata.path`. */
function constructPathOf(config: Readonly<Record<string, unknown>>): { constructPath?: string } {
  const path = ((config["//"] as { metadata?: { path?: unknown } } | undefined)?.metadata?.path);
  return typeof path === "string" ? { constructPath: path } : {};
}

function serviceField(service: string | undefined): { service?: string } {
  return service ? { service } : {};
}

const LEVEL_ORDER = { error: 0, warning: 1 } as const;

function compareFindings(a: Finding, b: Finding): number {
  return (
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.env, b.env) ||
    compareStrings(a.stack ?? "", b.stack ?? "") ||
    compareStrings(a.target, b.target)
  );
}
