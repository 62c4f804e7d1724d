/**
 * The cost report of a set of synthesized stacks: per stack and per service, private against public, cost per
 * serving host, the private/public ratio for the same capacity, exchange-rate sensitivity, stale tables, unpriced
 * and excluded resources. Pure: stacks' Terraform JSON and tables in, plain data out.
 */
import type { TerraformJson } from "../../../terraform-json";
import { compareStrings } from "../../../util";
import { EXCLUDED_USAGE, meterStack, type CloudKind, type CostItem, type ExcludedItem } from "./meter";
import { datedTables, HOURS_PER_MONTH, type CostTables } from "./tables";

/** The exchange-rate moves the sensitivity table shows. */
export const RATE_SENSITIVITY: readonly number[] = [-0.1, 0, 0.1];

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Money {
  /** Sum of priced charges, per month, in the reporting currency. */
  readonly monthly: number;
  /** Charges without a price: the sum leaves them out, so it is a lower bound when this is not 0. */
  readonly unpriced: number;
}

export interface StackCost extends Money {
  readonly stack: string;
  /** Which cloud the stack's charges belong to; `none` when it has no priced or unpriced charges. */
  readonly cloud: CloudKind | "none";
  readonly excluded: number;
}

export interface CloudSide extends Money {
  /** Serving hosts: hosts of the service's fleets (golden-image builders are not). */
  readonly hosts: number;
  /** Monthly cost per serving host: hosts, their volumes and the service's load balancers and public addresses. */
  readonly perHost: number | null;
}

export interface ServiceCost {
  readonly service: string;
  readonly private: CloudSide;
  readonly public: CloudSide;
  /** Private cost per host ÷ public cost per host; null unless both sides run the service with every charge priced. */
  readonly ratio: number | null;
}

export interface SensitivityRow {
  /** -0.1 for "rate 10 % lower". */
  readonly change: number;
  readonly rate: number;
  readonly public: number;
  readonly total: number;
  readonly publicShare: number | null;
}

export interface StaleTable {
  readonly table: string;
  readonly date: string;
  readonly ageDays: number;
  readonly source: string;
}

export interface UnpricedItem {
  readonly stack: string;
  readonly address: string;
  readonly what: string;
  readonly reason: string;
}

export interface CostReport {
  readonly currency: string;
  readonly illustrative: boolean;
  readonly hoursPerMonth: number;
  readonly stacks: readonly StackCost[];
  readonly services: readonly ServiceCost[];
  readonly totals: { readonly private: Money; readonly public: Money; readonly total: Money; readonly publicShare: number | null };
  /**
   * Private ÷ public monthly cost of the estate's serving capacity priced both ways: every service's hosts (all
   * sites) at its private and at its public cost per host. Null when no service has both.
   */
  readonly sameCapacityRatio: number | null;
  /** Null when the public prices are in the reporting currency (nothing to move). */
  readonly sensitivity: { readonly currency: string; readonly rows: readonly SensitivityRow[] } | null;
  readonly maxAgeDays: number;
  readonly stale: readonly StaleTable[];
  readonly unpriced: readonly UnpricedItem[];
  readonly excluded: { readonly usage: readonly string[]; readonly resources: readonly { readonly type: string; readonly reason: string; readonly count: number }[] };
}

export interface ReportOptions {
  /** The day staleness is measured on. @default - now */
  readonly today?: Date;
  /** @default - the file's maxAgeDays */
  readonly maxAgeDays?: number;
}

/** Converts native amounts to the reporting currency; `rateChange` moves the public table's currency rate. */
export function converter(tables: CostTables, rateChange = 0): (amount: number, currency: string) => number {
  const moved = tables.aws?.currency;
  return (amount, currency) => {
    if (currency === tables.reportingCurrency) return amount;
    const rate = tables.exchangeRates.rates[currency];
    if (rate === undefined) throw new Error(`no exchange rate for ${currency}`); // the loader refuses such files
    return amount * rate * (currency === moved ? 1 + rateChange : 1);
  };
}

/** Every charge of the given stacks, in stack order. */
export function meterStacks(stacks: ReadonlyMap<string, TerraformJson>, tables: CostTables): { items: CostItem[]; excluded: ExcludedItem[] } {
  const items: CostItem[] = [];
  const excluded: ExcludedItem[] = [];
  for (const name of [...stacks.keys()].sort(compareStrings)) {
    const metered = meterStack(name, stacks.get(name)!, tables);
    items.push(...metered.items);
    excluded.push(...metered.excluded);
  }
  return { items, excluded };
}

/** Priced sum and unpriced count of some charges, in the reporting currency. */
export function sumItems(items: readonly CostItem[], convert: (amount: number, currency: string) => number): Money {
  let monthly = 0;
  let unpriced = 0;
  for (const i of items) {
    if (i.monthly === undefined || i.currency === undefined) unpriced++;
    else monthly += convert(i.monthly, i.currency);
  }
  return { monthly, unpriced };
}

/** One stack's monthly cost before and after a change (a diff, a what-if). */
export interface StackChange {
  readonly stack: string;
  readonly before: Money;
  readonly after: Money;
  /** after − before, priced charges only. */
  readonly change: number;
}

/** The charges of some stacks before and after a change. */
export interface CostComparison {
  readonly stacks: readonly StackChange[];
  readonly before: Money;
  readonly after: Money;
  readonly change: number;
  /** Charges after the change that have no price. */
  readonly unpriced: readonly UnpricedItem[];
}

/** Per stack of `stacks` (in that order) and in total, the charges of `before` against those of `after`. */
export function compareCosts(
  stacks: readonly string[],
  before: readonly CostItem[],
  after: readonly CostItem[],
  convert: (amount: number, currency: string) => number,
): CostComparison {
  const rows = stacks.map((stack) => {
    const b = sumItems(before.filter((i) => i.stack === stack), convert);
    const a = sumItems(after.filter((i) => i.stack === stack), convert);
    return { stack, before: b, after: a, change: a.monthly - b.monthly };
  });
  const b = sumItems(before, convert);
  const a = sumItems(after, convert);
  return { stacks: rows, before: b, after: a, change: a.monthly - b.monthly, unpriced: unpricedOf(after) };
}

/** The charges without a price, with what to add. */
export function unpricedOf(items: readonly CostItem[]): UnpricedItem[] {
  return items.filter((i) => i.monthly === undefined).map((i) => ({ stack: i.stack, address: i.address, what: i.what, reason: i.unpriced ?? "no price" }));
}

export function costReport(stacks: ReadonlyMap<string, TerraformJson>, tables: CostTables, options: ReportOptions = {}): CostReport {
  const { items, excluded } = meterStacks(stacks, tables);
  const convert = converter(tables);
  const maxAgeDays = options.maxAgeDays ?? tables.maxAgeDays;
  return {
    currency: tables.reportingCurrency,
    illustrative: tables.illustrative,
    hoursPerMonth: HOURS_PER_MONTH,
    stacks: stackCosts([...stacks.keys()], items, excluded, convert),
    services: serviceCosts(items, convert),
    totals: totals(items, convert),
    sameCapacityRatio: sameCapacityRatio(serviceCosts(items, convert)),
    sensitivity: sensitivity(items, tables),
    maxAgeDays,
    stale: staleTables(tables, options.today ?? new Date(), maxAgeDays),
    unpriced: unpricedOf(items),
    excluded: { usage: EXCLUDED_USAGE, resources: excludedSummary(excluded) },
  };
}

function stackCosts(names: readonly string[], items: readonly CostItem[], excluded: readonly ExcludedItem[], convert: (a: number, c: string) => number): StackCost[] {
  return [...names].sort(compareStrings).map((stack) => {
    const of = items.filter((i) => i.stack === stack);
    const clouds = new Set(of.map((i) => i.cloud));
    const cloud: StackCost["cloud"] = clouds.size === 0 ? "none" : clouds.has("public") ? "public" : "private";
    return { stack, cloud, ...sumItems(of, convert), excluded: excluded.filter((e) => e.stack === stack).length };
  });
}

function side(items: readonly CostItem[], convert: (a: number, c: string) => number): CloudSide {
  const money = sumItems(items, convert);
  const hosts = items.filter((i) => i.servingHost).length;
  return { ...money, hosts, perHost: hosts > 0 ? money.monthly / hosts : null };
}

function serviceCosts(items: readonly CostItem[], convert: (a: number, c: string) => number): ServiceCost[] {
  const names = [...new Set(items.flatMap((i) => (i.service ? [i.service] : [])))].sort(compareStrings);
  return names.map((service) => {
    const of = items.filter((i) => i.service === service);
    const priv = side(of.filter((i) => i.cloud === "private"), convert);
    const pub = side(of.filter((i) => i.cloud === "public"), convert);
    const ratio = priv.perHost !== null && pub.perHost !== null && priv.unpriced === 0 && pub.unpriced === 0 && pub.perHost > 0 ? priv.perHost / pub.perHost : null;
    return { service, private: priv, public: pub, ratio };
  });
}

function totals(items: readonly CostItem[], convert: (a: number, c: string) => number): CostReport["totals"] {
  const priv = sumItems(items.filter((i) => i.cloud === "private"), convert);
  const pub = sumItems(items.filter((i) => i.cloud === "public"), convert);
  const total = { monthly: priv.monthly + pub.monthly, unpriced: priv.unpriced + pub.unpriced };
  return { private: priv, public: pub, total, publicShare: total.monthly > 0 ? pub.monthly / total.monthly : null };
}

function sameCapacityRatio(services: readonly ServiceCost[]): number | null {
  let priv = 0;
  let pub = 0;
  for (const s of services) {
    if (s.ratio === null) continue;
    const hosts = s.private.hosts + s.public.hosts;
    priv += s.private.perHost! * hosts;
    pub += s.public.perHost! * hosts;
  }
  return pub > 0 ? priv / pub : null;
}

function sensitivity(items: readonly CostItem[], tables: CostTables): CostReport["sensitivity"] {
  const currency = tables.aws?.currency;
  if (currency === undefined || currency === tables.reportingCurrency) return null;
  const rate = tables.exchangeRates.rates[currency];
  const rows = RATE_SENSITIVITY.map((change) => {
    const t = totals(items, converter(tables, change));
    return { change, rate: rate * (1 + change), public: t.public.monthly, total: t.total.monthly, publicShare: t.publicShare };
  });
  return { currency, rows };
}

/** Tables whose date is more than `maxAgeDays` days before `today`. */
export function staleTables(tables: CostTables, today: Date, maxAgeDays: number): StaleTable[] {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return datedTables(tables)
    .map((t) => ({ ...t, ageDays: Math.round((day - Date.parse(`${t.date}T00:00:00Z`)) / DAY_MS) }))
    .filter((t) => t.ageDays > maxAgeDays)
    .map((t) => ({ table: t.table, date: t.date, ageDays: t.ageDays, source: t.source }));
}

function excludedSummary(excluded: readonly ExcludedItem[]): CostReport["excluded"]["resources"] {
  const byType = new Map<string, { type: string; reason: string; count: number }>();
  for (const e of excluded) {
    const entry = byType.get(e.type) ?? { type: e.type, reason: e.reason, count: 0 };
    entry.count++;
    byType.set(e.type, entry);
  }
  return [...byType.values()].sort((a, b) => compareStrings(a.type, b.type));
}
