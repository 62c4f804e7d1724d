/**
 * Money in reports: `Intl.NumberFormat` with the ISO 4217 currency code, in a fixed locale (en-US) so output is the
 * same on every machine, with the currency's own number of decimals (EUR 2, KRW 0): `€1,234.56`, `₩1,234,000`.
 */
const formats = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, signed: boolean): Intl.NumberFormat {
  const key = `${currency}|${signed}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency, ...(signed ? { signDisplay: "exceptZero" } : {}) });
    formats.set(key, f);
  }
  return f;
}

/** `€1,234.56` */
export function formatMoney(amount: number, currency: string): string {
  return formatter(currency, false).format(normalizeZero(amount, currency));
}

/** `+€1,234.56`, `-€12.00`, `€0.00`: a change. */
export function formatMoneyChange(amount: number, currency: string): string {
  return formatter(currency, true).format(normalizeZero(amount, currency));
}

/** `+€1,234.56 / month` */
export function formatMonthlyChange(amount: number, currency: string): string {
  return `${formatMoneyChange(amount, currency)} / month`;
}

/** `62.5 %` */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** `0.41` */
export function formatRatio(ratio: number): string {
  return ratio.toFixed(2);
}

/** Amounts that round to zero in the currency print as zero, never as "-€0.00". */
function normalizeZero(amount: number, currency: string): number {
  const digits = formatter(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.abs(amount) < 0.5 * 10 ** -digits ? 0 : amount;
}
