/** `estate synth`: synthesize the selected environments and stacks, policy-checked before anything is moved into place. */
import { summarize, type Finding } from "../../policy";
import { resourceInstanceCount } from "../../terraform-json";
import type { StackKind } from "../../model";
import { DEPENDENCY_LOCKS_DIR, synthesizeModels, TERRAFORM_LOCK_FILE } from "../../stacks/synthesize";
import { findingJson } from "./policy";
import { loadSelectedModels, stackNames, stackSelection } from "./select";

export { DEFAULT_OUTDIR } from "./defaults";
import { DEFAULT_OUTDIR } from "./defaults";

export interface SynthRequest {
  readonly envs?: readonly string[];
  readonly stacks?: readonly string[];
  readonly outdir?: string;
  readonly drain?: readonly string[];
  /** Run the policy pack before committing the output. @default true */
  readonly policy?: boolean;
  /** For `cdktf synth`: see `SynthesizeOptions.placeholdersForRemovedStacks`. @default false */
  readonly placeholdersForRemovedStacks?: boolean;
}

export interface SynthReport {
  readonly outdir: string;
  readonly stacks: readonly SynthReportStack[];
  readonly files: readonly string[];
  /** Stacks of the previous output that this synthesis removed. */
  readonly removedStacks: readonly string[];
  /** Stacks that got their committed dependency lock file. */
  readonly lockedStacks: readonly string[];
  /** Policy findings (empty when the policy was skipped). */
  readonly findings: readonly Finding[];
}

export interface SynthReportStack {
  readonly name: string;
  readonly env: string;
  readonly kind: StackKind;
  /** @default - none (the traffic stack) */
  readonly site?: string;
  /** The stack's Terraform JSON, relative to the output directory. */
  readonly path: string;
  /** Resource instances, for_each and count expanded. */
  readonly resources: number;
}

export function runSynth(request: SynthRequest): SynthReport {
  const models = loadSelectedModels(request.envs, request.drain);
  const selection = stackSelection(request.stacks);
  selection.assertEveryGlobMatches(stackNames(models));
  const outdir = request.outdir ?? DEFAULT_OUTDIR;
  const counts = new Map<string, number>();
  const result = synthesizeModels(models, {
    outdir,
    include: (ref) => selection.matches(ref.name),
    policy: request.policy === false ? "skip" : "enforce",
    ...(request.placeholdersForRemovedStacks ? { placeholdersForRemovedStacks: true } : {}),
    beforeCommit: (_tmp, written) => {
      for (const [name, tf] of written) counts.set(name, resourceInstanceCount(tf));
    },
  });
  return {
    outdir,
    stacks: result.stacks.map((s) => ({ name: s.name, env: s.env, kind: s.kind, ...(s.site ? { site: s.site } : {}), path: s.path, resources: counts.get(s.name) ?? 0 })),
    files: result.files,
    removedStacks: result.removedStacks,
    lockedStacks: result.lockedStacks,
    findings: result.findings,
  };
}

/** What `estate synth` prints: one line per stack with its resource count, then the other artifacts. */
export function formatSynthReport(report: SynthReport): string[] {
  const lines = [`wrote ${report.outdir}`];
  const width = Math.max(...report.stacks.map((s) => s.name.length));
  const pathWidth = Math.max(...report.stacks.map((s) => s.path.length));
  for (const s of report.stacks) {
    lines.push(`  ${s.name.padEnd(width)}  ${s.path.padEnd(pathWidth)}  ${String(s.resources).padStart(6)} ${s.resources === 1 ? "resource" : "resources"}`);
  }
  for (const f of report.files) lines.push(`  ${f}`);
  const unlocked = report.stacks.filter((s) => !report.lockedStacks.includes(s.name)).map((s) => s.name);
  if (unlocked.length > 0) lines.push(`no committed dependency lock file (${DEPENDENCY_LOCKS_DIR}/<stack>${TERRAFORM_LOCK_FILE}) for: ${unlocked.join(", ")}`);
  if (report.removedStacks.length > 0) lines.push(`removed stacks not in this selection: ${report.removedStacks.join(", ")}`);
  return lines;
}

/**
 * What `estate synth --json` prints. Every key is always present: `site` is null for the traffic stack; with
 * --no-policy, `policy.checked` is false and the summary counts nothing. `policy.findings` holds the non-compliant
 * findings only (suppressed ones included, marked); `estate validate --json` lists the compliant checks too.
 */
export function synthReportJson(report: SynthReport, policyChecked: boolean): unknown {
  return {
    outdir: report.outdir,
    stacks: report.stacks.map((s) => ({ name: s.name, env: s.env, kind: s.kind, site: s.site ?? null, path: s.path, resources: s.resources })),
    files: report.files,
    removedStacks: report.removedStacks,
    lockedStacks: report.lockedStacks,
    policy: {
      checked: policyChecked,
      summary: summarize(report.findings),
      findings: report.findings.filter((f) => f.status === "non-compliant").map(findingJson),
    },
  };
}
