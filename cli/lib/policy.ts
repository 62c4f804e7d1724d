/** The text a person reads about policy findings. */
import { summarize, type Finding } from "../../policy";
import { formatPath } from "../../model";

/** Policy errors that block a command; the findings are printed, exit 1. */
export { PolicyError } from "../../policy";

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
    source: f.source ?? null,
  };
}

export function summaryLine(findings: readonly Finding[]): string {
  const s = summarize(findings);
  const parts = [`${s.errors} ${s.errors === 1 ? "error" : "errors"}`, `${s.warnings} ${s.warnings === 1 ? "warning" : "warnings"}`, `${s.suppressed} suppressed`];
  return `policy: ${parts.join(", ")} (${s.rules} rules, ${s.compliant} compliant checks)`;
}
