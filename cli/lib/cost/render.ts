/** The cost report as text for a terminal (the JSON form is the CostResult itself). */
import { formatTable } from "../table";
import { formatMoney, formatMoneyChange, formatMonthlyChange, formatPercent, formatRatio } from "./money";
import type { Money } from "./report";
import type { CostResult } from "./run";

/** How many unpriced charges are listed one by one; the rest are counted. */
const LISTED_UNPRICED_LIMIT = 20;

export function renderCostText(r: CostResult): string[] {
  const money = (m: Money) => `${formatMoney(m.monthly, r.currency)}${m.unpriced > 0 ? ` + ${m.unpriced} unpriced` : ""}`;
  const out: string[] = [`Monthly cost of ${r.env} in ${r.currency} (1 month = ${r.hoursPerMonth} hours), prices from ${r.costsFile}`];
  if (r.illustrative) out.push(`ILLUSTRATIVE PRICES: ${r.costsFile} holds example figures, not real prices (see "Cost" in README.md to fill it).`);
  out.push("");
  out.push(
    ...formatTable(
      [{ header: "STACK" }, { header: "CLOUD" }, { header: "MONTHLY", align: "right" }, { header: "UNPRICED", align: "right" }, { header: "EXCLUDED", align: "right" }],
      r.stacks.map((s) => [s.stack, s.cloud === "none" ? "-" : s.cloud, formatMoney(s.monthly, r.currency), String(s.unpriced), String(s.excluded)]),
    ),
  );
  out.push("");
  const perHost = (v: number | null) => (v === null ? "-" : formatMoney(v, r.currency));
  out.push(
    ...formatTable(
      [
        { header: "SERVICE" },
        { header: "PRIVATE HOSTS", align: "right" },
        { header: "PRIVATE", align: "right" },
        { header: "PER HOST", align: "right" },
        { header: "PUBLIC HOSTS", align: "right" },
        { header: "PUBLIC", align: "right" },
        { header: "PER HOST", align: "right" },
        { header: "PRIVATE/PUBLIC", align: "right" },
      ],
      r.services.map((s) => [
        s.service,
        String(s.private.hosts),
        money(s.private),
        perHost(s.private.perHost),
        String(s.public.hosts),
        money(s.public),
        perHost(s.public.perHost),
        s.ratio === null ? "-" : formatRatio(s.ratio),
      ]),
    ),
  );
  out.push("");
  const share = r.totals.publicShare === null ? "" : ` (public share ${formatPercent(r.totals.publicShare)})`;
  out.push(`Total: ${money(r.totals.total)} / month: private ${money(r.totals.private)}, public ${money(r.totals.public)}${share}.`);
  out.push(
    r.sameCapacityRatio === null
      ? "Same capacity, private / public: not computed (no service is priced in both clouds)."
      : `Same capacity, private / public: ${formatRatio(r.sameCapacityRatio)} (every service's hosts priced at its private and at its public cost per host).`,
  );
  if (r.sensitivity) {
    out.push("", `Exchange rate ${r.sensitivity.currency} -> ${r.currency}, ±10 %:`);
    out.push(
      ...formatTable(
        [{ header: "RATE" }, { header: `${r.currency} PER ${r.sensitivity.currency}`, align: "right" }, { header: "PUBLIC", align: "right" }, { header: "TOTAL", align: "right" }, { header: "PUBLIC SHARE", align: "right" }],
        r.sensitivity.rows.map((row) => [
          row.change === 0 ? "as given" : `${row.change > 0 ? "+" : "-"}${Math.round(Math.abs(row.change) * 100)} %`,
          row.rate.toFixed(4),
          formatMoney(row.public, r.currency),
          formatMoney(row.total, r.currency),
          row.publicShare === null ? "-" : formatPercent(row.publicShare),
        ]),
      ).map((l) => `  ${l}`),
    );
  }
  for (const w of r.whatIf) {
    out.push("", `What if ${w.move.service} moved from ${w.move.from} to ${w.move.to} (${w.hosts} hosts, the same number at the service's size there):`);
    out.push(
      ...formatTable(
        [{ header: "STACK" }, { header: "NOW", align: "right" }, { header: "AFTER THE MOVE", align: "right" }, { header: "CHANGE", align: "right" }],
        [
          ...w.stacks.map((s) => [s.stack, money(s.before), money(s.after), formatMoneyChange(s.change, r.currency)]),
          ["both", money(w.before), money(w.after), formatMoneyChange(w.change, r.currency)],
        ],
      ).map((l) => `  ${l}`),
    );
    out.push(`  Net: ${formatMonthlyChange(w.change, r.currency)}.`);
  }
  if (r.stale.length > 0) {
    out.push("", `Stale tables (older than ${r.maxAgeDays} days; refresh them from their source):`);
    for (const t of r.stale) out.push(`  ${t.table}: dated ${t.date}, ${t.ageDays} days old (source: ${t.source})`);
  }
  const unpriced = [...r.unpriced, ...r.whatIf.flatMap((w) => w.unpriced)];
  if (unpriced.length > 0) {
    out.push("", `Unpriced (${unpriced.length}; not counted in any figure above, which are lower bounds):`);
    for (const u of unpriced.slice(0, LISTED_UNPRICED_LIMIT)) out.push(`  ${u.stack}: ${u.address}: ${u.what}: ${u.reason}`);
    if (unpriced.length > LISTED_UNPRICED_LIMIT) out.push(`  … and ${unpriced.length - LISTED_UNPRICED_LIMIT} more (--json lists all)`);
  }
  out.push("", "Excluded from every figure:");
  for (const u of r.excluded.usage) out.push(`  - ${u}`);
  for (const e of r.excluded.resources) out.push(`  - ${e.count} × ${e.type}: ${e.reason}`);
  return out;
}
