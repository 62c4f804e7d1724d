/** Running the policy pack on synthesized output, and the text a person reads about its findings. */
import { evaluatePolicy, summarize, type Finding, type PolicyStack } from "../../constructs/policy";
import { formatPath, type EstateModel } from "../../model";
import type { SynthesizedStack } from "../../stacks/synthesize";
import { readSynthOutput, type SynthOutput } from "./synth-output";

/** Policy errors that block a command; the findings are printed, exit 1. */
export class PolicyError extends Error {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[]) {
    const { errors } = summarize(findings);
    super(`policy check failed: ${errors} ${errors === 1 ? "error" : "errors"}; nothing was written`);
    this.name = "PolicyError";
    this.findings = findings;
  }
}

/** The stacks of a synth output directory, as the policy rules see them. */
export function policyStacks(dir: string | SynthOutput, stacks: readonly SynthesizedStack[]): PolicyStack[] {
  const output = typeof dir === "string" ? readSynthOutput(dir, false) : dir;
  return stacks.flatMap((s) => {
    const tf = output.stacks.get(s.name);
    return tf ? [{ name: s.name, env: s.env, kind: s.kind, ...(s.site ? { site: s.site } : {}), tf }] : [];
  });
}

export function runPolicy(models: readonly EstateModel[], stacks: readonly PolicyStack[]): Finding[] {
  return evaluatePolicy({ models, stacks });
}

/** Non-compliant findings (suppressed ones included, marked), one block each, then a summary line. */
export function formatFindings(findings: readonly Finding[]): string[] {
  const lines: string[] = [];
  for (const f of findings.filter((x) => x.status === "non-compliant")) {
    const level = f.suppressed ? "suppressed" : f.level;
    const where = f.stack ? `${f.stack} ${f.target}` : `${f.env}: ${f.target}`;
    lines.push(`${level.toUpperCase().padEnd(10)} ${f.ruleId}  ${where}${f.constructPath ? ` (${f.constructPath})` : ""}`);
    lines.push(`           ${f.message}${f.detail ? `: ${f.detail}` : ""}`);
    if (f.source) lines.push(`           where: ${f.source.file}${f.source.line ? `:${f.source.line}:${f.source.column ?? 1}` : ""}: ${formatPath(f.source.path)}`);
    if (f.suppressed) lines.push(`           suppressed: ${f.suppressed.reason}`);
    else {
      lines.push(`           why: ${f.explanation}`);
      lines.push(`           fix: ${f.fix}`);
    }
  }
  lines.push(summaryLine(findings));
  return lines;
}

export function summaryLine(findings: readonly Finding[]): string {
  const s = summarize(findings);
  const parts = [`${s.errors} ${s.errors === 1 ? "error" : "errors"}`, `${s.warnings} ${s.warnings === 1 ? "warning" : "warnings"}`, `${s.suppressed} suppressed`];
  return `policy: ${parts.join(", ")} (${s.rules} rules, ${s.compliant} compliant checks)`;
}
