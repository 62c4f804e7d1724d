/** `estate synth`: synthesize the selected environments and stacks, policy-checked before anything is moved into place. */
import { resourceInstanceCount, summarize, type Finding, type TerraformJson } from "../../constructs/policy";
import { synthesizeModels, type SynthesizedStack } from "../../stacks/synthesize";
import { policyStacks, PolicyError, runPolicy } from "./policy";
import { loadSelectedModels, stackNames, stackSelection } from "./select";
import { emptySynthOutput } from "./synth-output";

export { DEFAULT_OUTDIR } from "./defaults";
import { DEFAULT_OUTDIR } from "./defaults";

export interface SynthRequest {
  readonly envs?: readonly string[];
  readonly stacks?: readonly string[];
  readonly outdir?: string;
  readonly drain?: readonly string[];
  /** Run the policy pack before committing the output. @default true */
  readonly policy?: boolean;
}

export interface SynthReport {
  readonly outdir: string;
  readonly stacks: readonly { readonly name: string; readonly env: string; readonly path: string; readonly resources: number }[];
  readonly files: readonly string[];
  /** Policy findings (empty when the policy was skipped). */
  readonly findings: readonly Finding[];
}

export function runSynth(request: SynthRequest): SynthReport {
  const models = loadSelectedModels(request.envs, request.drain);
  const selection = stackSelection(request.stacks);
  selection.assertEveryGlobMatches(stackNames(models));
  const outdir = request.outdir ?? DEFAULT_OUTDIR;
  const built: SynthesizedStack[] = models.flatMap((m) =>
    m.stacks.filter((s) => selection.matches(s.name)).map((s) => ({ ...s, env: m.env, path: `stacks/${s.name}/cdk.tf.json` })),
  );
  let findings: Finding[] = [];
  const counts = new Map<string, number>();
  const result = synthesizeModels(models, {
    outdir,
    include: (ref) => selection.matches(ref.name),
    beforeCommit: (tmp, written) => {
      const output = { ...emptySynthOutput(tmp), stacks: written as ReadonlyMap<string, TerraformJson> };
      for (const [name, tf] of output.stacks) counts.set(name, resourceInstanceCount(tf));
      if (request.policy === false) return;
      const stacks = policyStacks(output, built);
      findings = runPolicy(models, stacks);
      if (summarize(findings).errors > 0) throw new PolicyError(findings);
    },
  });
  return {
    outdir,
    stacks: result.stacks.map((s) => ({ name: s.name, env: s.env, path: s.path, resources: counts.get(s.name) ?? 0 })),
    files: result.files,
    findings,
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
  return lines;
}
