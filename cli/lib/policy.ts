/** Running the policy pack on synthesized output, and the text a person reads about its findings. */
import { evaluatePolicy, summarize, type Finding, type PolicyStack } from "../../constructs/policy";
import type { EstateModel } from "../../model";
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
    if (f.suppressed) lines.push(`           suppressed: ${f.suppressed.reason}`);
    else {
      lines.push(`           why: ${f.explanation}`);
      lines.push(`           fix: ${f.fix}`);
    }
  }
  lines.push(summaryLine(findings));
  return lines;
}

/**
 * A finding as `--json` prints it: every member of Finding, always present, null where the finding has no value
 * (`stack` and `constructPath` of a model finding, `detail` of a compliant one, `suppressed` of an open one). The
 * return type makes a member added to Finding a compile error here until it is printed too.
 */
export function findingJson(f: Finding): { readonly [K in keyof Finding]-?: Exclude<Finding[K], undefined> | null } {
  return {
    ruleId: f.ruleId,
    level: f.level,
    status: f.status,
    message: f.message,
    detail: f.detail ?? null,
    explanation: f.explanation,
    fix: f.fix,
    env: f.env,
    stack: f.stack ?? null,
    target: f.target,
    constructPath: f.constructPath ?? null,
    site: f.site ?? null,
    service: f.service ?? null,
    suppressed: f.suppressed ?? null,
  };
}

export function summaryLine(findings: readonly Finding[]): string {
  const s = summarize(findings);
  const parts = [`${s.errors} ${s.errors === 1 ? "error" : "errors"}`, `${s.warnings} ${s.warnings === 1 ? "warning" : "warnings"}`, `${s.suppressed} suppressed`];
  return `policy: ${parts.join(", ")} (${s.rules} rules, ${s.compliant} compliant checks)`;
}
