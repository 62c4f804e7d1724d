/**
 * `estate preflight --env X --site Y`: what the site's stacks need from its cloud, checked against the cloud as the
 * clouds.yaml user Terraform will deploy with. The one command of the CLI that talks to a cloud.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformJson } from "../../../terraform-json";
import { DEFAULT_EGRESS_RULES_PER_GROUP, type EstateModel, type OpenstackSiteModel } from "../../../model";
import { UsageError } from "../errors";
import { loadSelectedModels, siteNames } from "../select";
import { formatTable } from "../table";
import { withTemporarySynth } from "../temp-synth";
import { runChecks, type CheckResult, type CheckSection } from "./checks";
import { findCloud } from "./clouds-yaml";
import { siteDemand, type SiteDemand } from "./demand";
import { OpenstackSession } from "./openstack-api";
import { policyRulesOf, type RuleUse } from "./policy-rules";

export interface PreflightRequest {
  /** Environment name or file. */
  readonly env: string;
  readonly site: string;
  /** clouds.yaml entry to use instead of the site's `cloud`. @default - the site's cloud */
  readonly cloud?: string;
}

export interface PreflightReport {
  readonly env: string;
  readonly site: string;
  readonly stacks: readonly string[];
  readonly cloud: string;
  readonly cloudsFile: string;
  readonly region: string;
  readonly user: string;
  readonly project: string;
  readonly roles: readonly string[];
  readonly checks: readonly CheckResult[];
  /** Counts by status. */
  readonly summary: { readonly ok: number; readonly missing: number; readonly skipped: number };
}

/** The site's stacks (its site stack, and its bake stack when the environment bakes) as synthesized. */
export function siteStacks(model: EstateModel, site: OpenstackSiteModel): { name: string; tf: TerraformJson }[] {
  const wanted = model.stacks.filter((s) => s.site === site.name && (s.kind === "openstack" || s.kind === "bake"));
  return withTemporarySynth(
    [model],
    (dir, result) =>
      result.stacks
        .filter((s) => wanted.some((w) => w.name === s.name))
        .map((s) => ({ name: s.name, tf: JSON.parse(readFileSync(join(dir, s.path), "utf8")) as TerraformJson })),
    (stack) => wanted.some((w) => w.name === stack.name),
  );
}

/** What the site's stacks ask of the cloud: the objects and the policy rules. Pure: no cloud is contacted. */
export function siteRequirements(model: EstateModel, site: OpenstackSiteModel): { demand: SiteDemand; rules: RuleUse[] } {
  const stacks = siteStacks(model, site);
  return { demand: siteDemand(site, stacks, DEFAULT_EGRESS_RULES_PER_GROUP), rules: policyRulesOf(stacks.map((s) => s.tf)) };
}

/** Resolves --env and --site to one OpenStack site; unknown ones are usage errors naming what exists. */
export function selectSite(env: string, siteName: string): { model: EstateModel; site: OpenstackSiteModel } {
  const [model] = loadSelectedModels([env]);
  const site = model.openstackSites.find((s) => s.name === siteName);
  if (!site) {
    const isAws = model.awsSite?.name === siteName;
    if (isAws) throw new UsageError(`--site: "${siteName}" is the AWS site; preflight checks OpenStack sites (sites: ${model.openstackSites.map((s) => s.name).join(", ")})`);
    throw new UsageError(`--site: environment "${model.env}" has no site "${siteName}" (sites: ${siteNames(model).join(", ")})`);
  }
  return { model, site };
}

export async function preflight(request: PreflightRequest, env: NodeJS.ProcessEnv = process.env): Promise<PreflightReport> {
  const { model, site } = selectSite(request.env, request.site);
  const { demand, rules } = siteRequirements(model, site);
  const cloud = findCloud(request.cloud ?? site.cloud, env);
  const session = await OpenstackSession.open(cloud, site.region);
  const declared = { limits: site.limits, path: `sites.openstack[${model.openstackSites.indexOf(site)}].limits` };
  const checks = await runChecks(session, demand, rules, declared);
  const count = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  return {
    env: model.env,
    site: site.name,
    stacks: demand.stacks,
    cloud: cloud.name,
    cloudsFile: cloud.file,
    region: site.region,
    user: session.token.user.name,
    project: session.token.project.name,
    roles: session.token.roles,
    checks,
    summary: { ok: count("ok"), missing: count("missing"), skipped: count("skipped") },
  };
}

/** The report for --json: every key always, null where a check has no fix or no resources. */
export function preflightJson(report: PreflightReport): unknown {
  return { ...report, checks: report.checks.map((c) => ({ section: c.section, check: c.check, status: c.status, detail: c.detail, fix: c.fix ?? null, resources: c.resources ?? null })) };
}

/** The report as text: a heading, then one table per section (check, result, detail, what to do), then a summary. */
export function formatPreflight(report: PreflightReport): string[] {
  const lines = [
    `preflight of ${report.stacks.join(", ")} on cloud ${report.cloud} (${report.cloudsFile}), region ${report.region}`,
    `user ${report.user}, project ${report.project}, roles ${report.roles.join(", ") || "none"}`,
  ];
  const sections: CheckSection[] = ["services", "permissions", "floating IPs", "objects", "quotas"];
  for (const section of sections) {
    const rows = report.checks.filter((c) => c.section === section);
    if (rows.length === 0) continue;
    lines.push("", `${section}:`);
    lines.push(...formatTable([{ header: "CHECK" }, { header: "RESULT" }, { header: "DETAIL" }, { header: "WHAT TO DO" }], rows.map((c) => [c.check, c.status, c.detail, c.fix ?? ""])).map((l) => `  ${l}`));
  }
  const { ok, missing, skipped } = report.summary;
  lines.push("", missing === 0 ? `all ${ok} checks ok${skipped ? ` (${skipped} skipped)` : ""}` : `${missing} missing, ${ok} ok${skipped ? `, ${skipped} skipped` : ""}`);
  return lines;
}
