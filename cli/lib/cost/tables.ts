/**
 * The price tables `estate cost` and the diff's cost section read: a YAML file of its own (default
 * `costs/example.yaml`), checked by the environment loader's machinery, so every mistake is reported at
 * file:line:column with its path and what to write instead.
 *
 * Every table carries its `source` and `date`; amounts are in the table's `currency` and converted to the
 * reporting currency with `exchangeRates`. A month is {@link HOURS_PER_MONTH} hours.
 */
import { z } from "zod";
import { loadYamlDocument, type DocumentKind } from "../../../model";

/** The price file used when --costs (or ESTATE_COSTS) names none. */
export const DEFAULT_COSTS_FILE = "costs/example.yaml";

/** Environment variable naming the price file; `estate diff` reads its cost tables from it (or the default). */
export const COSTS_FILE_VARIABLE = "ESTATE_COSTS";

/** Hours in a billing month: 365 × 24 ÷ 12, the figure AWS's pricing pages and calculator use. */
export const HOURS_PER_MONTH = 730;

/** Tables older than this many days are reported stale, unless the file sets `maxAgeDays`. */
export const DEFAULT_MAX_AGE_DAYS = 90;

/** The price file to read: the one given, else $ESTATE_COSTS, else the default. */
export function costsFile(given?: string): string {
  return given ?? (process.env[COSTS_FILE_VARIABLE] || DEFAULT_COSTS_FILE);
}

const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code in capitals, like EUR, USD or KRW");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, e.g. "2026-11-02"');
const price = z.number().min(0, "a price cannot be negative").finite();
const source = z.string().min(1, "say where the figures come from (a URL, a price-list export, an internal rate card)");

const provenance = { source, date };

const flavor = z.strictObject({
  vcpus: z.number().int().min(1),
  ramGiB: z.number().positive(),
  /** Root disk of the flavor; used only by instances that boot from the local disk instead of a volume. */
  diskGiB: z.number().int().min(0),
});

const privateCloud = z.strictObject({
  ...provenance,
  currency,
  vcpuHour: price,
  ramGiBHour: price,
  volumeGiBMonth: price,
  /** Local (ephemeral) disk of instances booted from an image, per GiB-month. @default - such disks are unpriced */
  localDiskGiBMonth: price.optional(),
  loadBalancerMonth: price,
  /** A floating IP (public address) per month. @default - floating IPs are unpriced */
  floatingIpMonth: price.optional(),
});

const awsRegion = z.strictObject({
  /** On-demand Linux price per instance type and hour. */
  instanceHour: z.record(z.string(), price),
  /** EBS storage per volume type (gp3, gp2, io2 ...) and GiB-month. */
  ebsGiBMonth: z.record(z.string(), price),
  /** Per load balancer type (`application`, `network`) and hour; capacity units (LCU/NLCU) are usage, excluded. */
  loadBalancerHour: z.partialRecord(z.enum(["application", "network", "gateway"]), price),
  /** Per NAT gateway and hour; data processed per GB is usage, excluded. */
  natGatewayHour: price.optional(),
  /** Per public IPv4 address (Elastic IP) and hour. */
  publicIpv4Hour: price.optional(),
});

const aws = z.strictObject({
  ...provenance,
  currency,
  regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region name, e.g. "eu-central-1"'), awsRegion),
});

export const costTablesSchema = z.strictObject({
  /** Set on example figures: every report then says the prices are not real. */
  illustrative: z.boolean().default(false),
  reportingCurrency: currency,
  /** A table whose date is older than this is reported stale. */
  maxAgeDays: z.number().int().min(1).default(DEFAULT_MAX_AGE_DAYS),
  exchangeRates: z.strictObject({
    ...provenance,
    /** Units of the reporting currency for one unit of each listed currency. */
    rates: z.record(currency, z.number().positive("an exchange rate must be more than 0")),
  }),
  flavors: z.strictObject({
    ...provenance,
    /** vCPU, RAM and disk per Nova flavor name (`openstack flavor list --long`). */
    table: z.record(z.string().min(1), flavor),
  }),
  private: privateCloud,
  aws: aws.optional(),
});

export type CostTables = z.infer<typeof costTablesSchema>;
export type AwsRegionPrices = z.infer<typeof awsRegion>;

const COST_DOCUMENT: DocumentKind<CostTables> = {
  noun: "cost file",
  schema: costTablesSchema,
  example: DEFAULT_COSTS_FILE,
  topLevelKeys: "reportingCurrency:, exchangeRates:, flavors:, private:, aws: ...",
  reference: '"Cost" in README.md',
};

/** The tables with a date, by their path in the file: what staleness is reported on. */
export function datedTables(tables: CostTables): { readonly table: string; readonly source: string; readonly date: string }[] {
  const dated = (table: string, t: { source: string; date: string }) => ({ table, source: t.source, date: t.date });
  return [
    dated("exchangeRates", tables.exchangeRates),
    dated("flavors", tables.flavors),
    dated("private", tables.private),
    ...(tables.aws ? [dated("aws", tables.aws)] : []),
  ];
}

/**
 * Reads and checks a price file. Besides the shape: every date is a real calendar date and not after `today`,
 * and every table's currency has an exchange rate (or is the reporting currency).
 * @throws EnvironmentError (noun "cost file") listing every problem, located
 */
export function loadCostTables(file: string, today: Date = new Date()): CostTables {
  return loadYamlDocument(file, COST_DOCUMENT, (tables) => {
    const problems: { path: (string | number)[]; message: string }[] = [];
    const todayText = today.toISOString().slice(0, 10);
    for (const t of datedTables(tables)) {
      const parsed = new Date(`${t.date}T00:00:00Z`);
      if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== t.date) {
        problems.push({ path: [t.table, "date"], message: `"${t.date}" is not a calendar date; write YYYY-MM-DD` });
      } else if (t.date > todayText) {
        problems.push({ path: [t.table, "date"], message: `"${t.date}" is in the future (today is ${todayText}); write the date the figures were taken` });
      }
    }
    const rates = tables.exchangeRates.rates;
    const own = rates[tables.reportingCurrency];
    if (own !== undefined && own !== 1) {
      problems.push({ path: ["exchangeRates", "rates", tables.reportingCurrency], message: `the reporting currency converts to itself at 1; got ${own}: remove the entry or write 1` });
    }
    for (const [table, cur] of [["private", tables.private.currency], ...(tables.aws ? [["aws", tables.aws.currency]] : [])] as const) {
      if (cur !== tables.reportingCurrency && rates[cur] === undefined) {
        problems.push({
          path: [table, "currency"],
          message: `no exchange rate for ${cur}: add "${cur}: <${tables.reportingCurrency} per 1 ${cur}>" under exchangeRates.rates, or give the prices in ${tables.reportingCurrency}`,
        });
      }
    }
    return problems;
  });
}
