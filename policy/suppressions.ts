/**
 * Suppressions that point nowhere. A suppression naming a rule the pack does not have, or a target that no stack,
 * site, service, model path or resource of the estate matches, would silently suppress nothing: a typo that hides
 * itself. Each becomes an error finding of rule EST-POL-001, located at the suppression's line.
 */
import picomatch from "picomatch";
import { didYouMean, type EstateModel } from "../model";
import type { Finding, PolicyRule, PolicyStack } from "./rule";
import { blocksOf } from "../terraform-json";

export const SUPPRESSION_RULE_ID = "EST-POL-001";

const RULE = {
  id: SUPPRESSION_RULE_ID,
  level: "error" as const,
  message: "a suppression points at nothing",
  explanation:
    "A suppression whose rule or target matches nothing suppresses nothing: a misspelt rule id or target would leave the finding it was written for unsuppressed, or, after a rename, keep an exception nobody can see.",
  fix: "Name a rule id of the pack (estate validate lists them in README.md) and a target that exists: a stack, site, service, model path (services.<name>.<field>) or resource address, globs allowed; or delete the suppression.",
};

/**
 * Findings for the suppressions of `model` whose rule or target matches nothing. `findings` are the pack's
 * findings for the model's stacks; `stacks` the stacks synthesized. A resource-address target is judged only when
 * every stack of the environment was synthesized (a `--stack` selection cannot tell whether another stack has it).
 */
export function suppressionFindings(model: EstateModel, rules: readonly PolicyRule[], stacks: readonly PolicyStack[], findings: readonly Finding[]): Finding[] {
  const ids = rules.map((r) => r.id);
  const own = stacks.filter((s) => s.env === model.env);
  const complete = model.stacks.every((ref) => own.some((s) => s.name === ref.name));
  const names = new Set<string>([
    ...model.stacks.map((s) => s.name),
    ...model.openstackSites.map((s) => s.name),
    ...(model.awsSite ? [model.awsSite.name] : []),
    ...model.services.map((s) => s.name),
    ...findings.filter((f) => f.env === model.env).map((f) => f.target),
  ]);
  for (const stack of own) {
    for (const block of blocksOf(stack.tf)) {
      names.add(block.address);
      names.add(`${stack.name}/${block.address}`);
    }
  }
  const out: Finding[] = [];
  model.suppressions.forEach((s, i) => {
    const problem = (field: "rule" | "target", detail: string): Finding => ({
      ruleId: RULE.id,
      level: RULE.level,
      status: "non-compliant",
      message: RULE.message,
      detail,
      explanation: RULE.explanation,
      fix: RULE.fix,
      env: model.env,
      target: `policy.suppressions[${i}].${field}`,
      source: { file: model.sourceFile, path: ["policy", "suppressions", i, field] },
    });
    // A rule is named exactly: a pattern such as "EST-*" would switch off the whole policy gate in one line.
    if (!ids.includes(s.rule)) {
      const pattern = /[*?[\]{}!]/.test(s.rule) ? "; a suppression names one rule exactly, never a pattern" : "";
      out.push(problem("rule", `no policy rule is named ${JSON.stringify(s.rule)}${pattern}${didYouMean(s.rule, ids)} (rules: ${ids.join(", ")})`));
    }
    if (s.target === undefined) return;
    const addressLike = /^([a-z0-9-]+\/)?[a-z][a-z0-9_]*\.[A-Za-z_*]/.test(s.target) && !s.target.startsWith("services.");
    if (addressLike && !complete) return;
    if (![...names].some((n) => matches(s.target!, n))) {
      out.push(problem("target", `target ${JSON.stringify(s.target)} matches no stack, site, service, model path or resource of environment "${model.env}"${didYouMean(s.target, [...names])}`));
    }
  });
  return out;
}

function matches(pattern: string, name: string): boolean {
  return pattern === name || picomatch(pattern, { dot: true })(name);
}
