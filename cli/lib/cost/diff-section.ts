/**
 * The monthly cost change of a diff, for its markdown: both synth outputs priced with the same tables, per stack
 * and in total. The tables come from $ESTATE_COSTS or costs/example.yaml; without that file the section says so
 * in one line. Unpriced charges are listed, never counted as zero; a diff never fails for them.
 */
import { existsSync } from "node:fs";
import type { TerraformJson } from "../../../terraform-json";
import { compareStrings } from "../../../util";
import type { SynthOutput } from "../synth-output";
import { formatMoney, formatMonthlyChange } from "./money";
import { compareCosts, converter, meterStacks, type CostComparison, type Money } from "./report";
import { costsFile, COSTS_FILE_VARIABLE, HOURS_PER_MONTH, loadCostTables } from "./tables";

/** Unpriced charges listed one by one in the PR comment; the rest are counted. */
const LISTED_UNPRICED_LIMIT = 10;

/**
 * `no-tables` when there is no price file; else the comparison, with `stacks` only those whose cost or unpriced
 * charges differ and `unpriced` the head's unpriced charges in those stacks.
 */
export type CostChange =
  | { readonly status: "no-tables"; readonly costsFile: string }
  | (CostComparison & {
      readonly status: "priced";
      readonly costsFile: string;
      readonly currency: string;
      readonly illustrative: boolean;
    });

/**
 * Prices `stacks` of both outputs. An invalid price file throws its located EnvironmentError: a pull request
 * that breaks the tables fails its review.
 */
export function costChange(base: SynthOutput, head: SynthOutput, stacks: readonly string[]): CostChange {
  const file = costsFile();
  if (!process.env[COSTS_FILE_VARIABLE] && !existsSync(file)) return { status: "no-tables", costsFile: file };
  const tables = loadCostTables(file);
  const convert = converter(tables);
  const pick = (out: SynthOutput) => new Map(stacks.filter((s) => out.stacks.has(s)).map((s) => [s, out.stacks.get(s) as TerraformJson]));
  const before = meterStacks(pick(base), tables).items;
  const after = meterStacks(pick(head), tables).items;
  const all = compareCosts([...stacks].sort(compareStrings), before, after, convert);
  const changed = all.stacks.filter((r) => r.change !== 0 || r.before.unpriced !== r.after.unpriced);
  const names = new Set(changed.map((r) => r.stack));
  return {
    ...all,
    stacks: changed,
    unpriced: all.unpriced.filter((u) => names.has(u.stack)),
    status: "priced",
    costsFile: file,
    currency: tables.reportingCurrency,
    illustrative: tables.illustrative,
  };
}

/** The "Monthly cost" section of the PR comment; empty when the diff carries no cost change. */
export function costChangeMarkdown(cost: CostChange | undefined): string[] {
  if (!cost) return [];
  if (cost.status === "no-tables") return [`_Monthly cost: not computed, no price file at \`${cost.costsFile}\` (set ${COSTS_FILE_VARIABLE}; see "Cost" in README.md)._`, ""];
  const c = cost.currency;
  const money = (m: Money) => `${formatMoney(m.monthly, c)}${m.unpriced > 0 ? ` + ${m.unpriced} unpriced` : ""}`;
  const out = ["#### Monthly cost", ""];
  if (cost.stacks.length === 0) out.push(`No change: ${money(cost.after)} / month for the stacks compared.`, "");
  else {
    out.push("| Stack | Before | After | Change |", "|:--|--:|--:|--:|");
    for (const s of cost.stacks) out.push(`| \`${s.stack}\` | ${money(s.before)} | ${money(s.after)} | ${formatMonthlyChange(s.change, c)} |`);
    out.push(`| **Total** | ${money(cost.before)} | ${money(cost.after)} | **${formatMonthlyChange(cost.change, c)}** |`, "");
  }
  const notes = [`Prices from \`${cost.costsFile}\` in ${c}; 1 month = ${HOURS_PER_MONTH} hours; usage charges (LCU, NAT per GB, data transfer, Route 53) excluded.`];
  if (cost.illustrative) notes.push("⚠️ **Illustrative example prices, not real ones.**");
  out.push(notes.join(" "), "");
  if (cost.unpriced.length > 0) {
    out.push(`**${cost.unpriced.length} unpriced** (not counted above):`, "");
    for (const u of cost.unpriced.slice(0, LISTED_UNPRICED_LIMIT)) out.push(`- \`${u.stack}\`: \`${u.address}\`: ${u.what}: ${u.reason}`);
    if (cost.unpriced.length > LISTED_UNPRICED_LIMIT) out.push(`- … and ${cost.unpriced.length - LISTED_UNPRICED_LIMIT} more (\`estate cost --json\` lists all)`);
    out.push("");
  }
  return out;
}
