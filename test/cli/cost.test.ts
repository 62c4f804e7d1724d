import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devCopy, estate, PROJECT, removeTempDirs, tempDir } from "./estate";

/**
 * Price table used throughout: test/fixtures/costs/small.yaml, round figures so every expectation below is worked
 * out by hand (1 month = 730 hours, 1 USD = 0.5 EUR).
 *
 * dev, per OpenStack site (os-a, os-b, os-c alike), EUR:
 *   web host  m1.small  (1 vCPU, 2 GiB): 1 × 0.01 × 730 + 2 × 0.005 × 730 = 7.30 + 7.30 = 14.60, volume 20 GiB × 0.1 = 2.00 → 16.60
 *   api host  m1.medium (2 vCPU, 4 GiB): 14.60 + 14.60 = 29.20, volume 2.00 → 31.20
 *   3 web + 2 api = 49.80 + 62.40; 2 Octavia load balancers 20.00; 2 floating IPs 4.00  → 136.20
 * dev-aws, USD:
 *   web t3.small 0.02 × 730 = 14.60 + gp3 20 GiB × 0.1 = 2.00 → 16.60; × 3 = 49.80
 *   api t3.medium 0.04 × 730 = 29.20 + 2.00 → 31.20; × 2 = 62.40
 *   ALB (web) 0.02 × 730 = 14.60; NLB (api) 0.03 × 730 = 21.90
 *   3 NAT gateways 3 × 0.05 × 730 = 109.50; 3 Elastic IPs 3 × 0.005 × 730 = 10.95
 *   269.15 USD × 0.5 = 134.575 EUR
 */
const SMALL = join(PROJECT, "test", "fixtures", "costs", "small.yaml");

interface CostJson {
  env: string;
  currency: string;
  illustrative: boolean;
  stacks: { stack: string; cloud: string; monthly: number; unpriced: number; excluded: number }[];
  services: { service: string; private: { hosts: number; monthly: number; perHost: number | null; unpriced: number }; public: { hosts: number; monthly: number; perHost: number | null }; ratio: number | null }[];
  totals: { private: { monthly: number }; public: { monthly: number }; total: { monthly: number; unpriced: number }; publicShare: number };
  sensitivity: { currency: string; rows: { change: number; rate: number; public: number; total: number }[] } | null;
  stale: { table: string; date: string; ageDays: number }[];
  unpriced: { stack: string; address: string; what: string; reason: string }[];
  whatIf: { hosts: number; stacks: { stack: string; before: { monthly: number }; after: { monthly: number }; change: number }[]; change: number }[];
}

function costJson(args: string[]): CostJson {
  const run = estate(["cost", "--json", ...args]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as CostJson;
}

afterAll(removeTempDirs);

describe("estate cost", () => {
  it("prices every stack of dev from the synthesized Terraform, per stack, per service and in total", () => {
    const r = costJson(["--env", "dev", "--costs", SMALL]);
    expect(r.currency).toBe("EUR");
    expect(r.illustrative).toBe(false);
    expect(r.stacks).toEqual([
      { stack: "dev-aws", cloud: "public", monthly: 134.575, unpriced: 0, excluded: 0 },
      { stack: "dev-os-a", cloud: "private", monthly: 136.2, unpriced: 0, excluded: 0 },
      { stack: "dev-os-b", cloud: "private", monthly: 136.2, unpriced: 0, excluded: 0 },
      { stack: "dev-os-c", cloud: "private", monthly: 136.2, unpriced: 0, excluded: 0 },
      // 8 health checks + 8 records (2 services × 4 sites): Route 53 is excluded, and said so.
      { stack: "dev-traffic", cloud: "none", monthly: 0, unpriced: 0, excluded: 16 },
    ]);
    const web = r.services.find((s) => s.service === "web")!;
    // Private: 3 sites × (3 hosts × 16.60 + load balancer 10 + floating IP 2) = 185.40 over 9 hosts.
    expect(web.private).toMatchObject({ hosts: 9, monthly: 185.4, perHost: 20.6, unpriced: 0 });
    // Public: (3 × 16.60 + ALB 14.60) USD × 0.5 = 32.20 over 3 hosts.
    expect(web.public).toMatchObject({ hosts: 3, monthly: 32.2 });
    expect(web.public.perHost).toBeCloseTo(10.733333, 5);
    expect(web.ratio).toBeCloseTo(20.6 / (32.2 / 3), 6);
    expect(r.totals.private.monthly).toBeCloseTo(408.6, 6);
    expect(r.totals.public.monthly).toBeCloseTo(134.575, 6);
    expect(r.totals.total.monthly).toBeCloseTo(543.175, 6);
    expect(r.totals.publicShare).toBeCloseTo(134.575 / 543.175, 6);
    // ±10 % on the USD rate moves the public part only: 269.15 USD × 0.45 and × 0.55.
    expect(r.sensitivity!.currency).toBe("USD");
    expect(r.sensitivity!.rows.map((row) => [row.change, row.rate, row.public, row.total])).toEqual([
      [-0.1, 0.45, 121.1175, 529.7175],
      [0, 0.5, 134.575, 543.175],
      [0.1, 0.55, 148.0325, 556.6325],
    ]);
    expect(r.unpriced).toEqual([]);
  });

  it("prints the same figures as text, formatted in the reporting currency", () => {
    const run = estate(["cost", "--env", "dev", "--costs", SMALL]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Monthly cost of dev in EUR (1 month = 730 hours)");
    expect(run.stdout).toMatch(/^dev-os-a\s+private\s+€136\.20\s+0\s+0$/m);
    expect(run.stdout).toMatch(/^dev-aws\s+public\s+€134\.58\s+0\s+0$/m);
    expect(run.stdout).toContain("Total: €543.18 / month: private €408.60, public €134.58 (public share 24.8 %).");
    expect(run.stdout).toMatch(/^ {2}\+10 %\s+0\.5500\s+€148\.03\s+€556\.63\s+26\.6 %$/m);
    expect(run.stdout).toContain("  - 8 × aws_route53_health_check: Route 53 health check (excluded)");
    expect(run.stdout).not.toContain("ILLUSTRATIVE");
  });

  it("reports tables older than the allowed age as stale", () => {
    const run = estate(["cost", "--env", "dev", "--costs", SMALL, "--max-age-days", "30"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Stale tables (older than 30 days; refresh them from their source):");
    expect(run.stdout).toMatch(/^ {2}aws: dated 2026-01-15, \d+ days old \(source: test figures\)$/m);
    const fresh = costJson(["--env", "dev", "--costs", SMALL, "--max-age-days", "100000"]);
    expect(fresh.stale).toEqual([]);
  });

  it.each(["-3", "abc", "1.5"])("GIVEN --max-age-days %s THEN exit 2: the staleness limit never silently disappears", (days) => {
    const run = estate(["cost", "--env", "dev", "--costs", SMALL, "--max-age-days", days]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--max-age-days takes a whole number of days, 1 or more");
  });

  it("reports a flavor without a price as unpriced, by name, never as zero; --strict makes it an error", () => {
    const dir = tempDir();
    const costs = join(dir, "costs.yaml");
    writeFileSync(costs, readFileSync(SMALL, "utf8").replace("    m1.medium: { vcpus: 2, ramGiB: 4, diskGiB: 40 }\n", ""));
    const r = costJson(["--env", "dev", "--costs", costs]);
    // The api hosts (m1.medium) have no compute price: 2 per site; their volumes are still priced.
    expect(r.unpriced).toHaveLength(6);
    expect(r.unpriced[0]).toEqual({
      stack: "dev-os-a",
      address: 'openstack_compute_instance_v2.api_fleet_instance["dev-os-a-api-001"]',
      what: "instance m1.medium",
      reason: 'flavor "m1.medium" is not in flavors.table',
    });
    // 136.20 − 2 × 29.20 = 77.80: the priced part only, with the unpriced count next to it.
    expect(r.stacks.find((s) => s.stack === "dev-os-a")).toMatchObject({ monthly: 77.8, unpriced: 2 });
    expect(r.services.find((s) => s.service === "api")!.ratio).toBeNull();

    const text = estate(["cost", "--env", "dev", "--costs", costs]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("Unpriced (6; not counted in any figure above, which are lower bounds):");

    const strict = estate(["cost", "--env", "dev", "--costs", costs, "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('flavor "m1.medium" is not in flavors.table');
    expect(strict.stderr).toBe(`estate cost: --strict: 6 charges have no price (listed above); add them to ${costs}\n`);
    expect(estate(["cost", "--env", "dev", "--costs", SMALL, "--strict"]).status).toBe(0);
  });

  it("prices a what-if: a service's hosts moved from one site to another, with the cost of each", () => {
    const r = costJson(["--env", "dev", "--costs", SMALL, "--move", "web:os-a:aws"]);
    const w = r.whatIf[0];
    expect(w.hosts).toBe(3);
    // os-a loses 3 web hosts, web's load balancer and floating IP: 136.20 − 49.80 − 10 − 2 = 74.40.
    // aws gains 3 t3.small hosts: 134.575 + 3 × 16.60 × 0.5 = 159.475.
    expect(w.stacks).toEqual([
      { stack: "dev-os-a", before: { monthly: 136.2, unpriced: 0 }, after: { monthly: 74.4, unpriced: 0 }, change: -61.8 },
      { stack: "dev-aws", before: { monthly: 134.575, unpriced: 0 }, after: { monthly: 159.475, unpriced: 0 }, change: 24.9 },
    ]);
    expect(w.change).toBeCloseTo(-36.9, 6);
  });

  it("refuses a what-if that names an unknown service or site (exit 2)", () => {
    const run = estate(["cost", "--env", "dev", "--costs", SMALL, "--move", "web:os-x:aws"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--move web:os-x:aws: environment "dev" has no site "os-x" (sites: os-a, os-b, os-c, aws)');
    expect(estate(["cost", "--env", "dev", "--costs", SMALL, "--move", "web-os-a"]).stderr).toContain("write <service>:<from-site>:<to-site>");
    const twoEnvs = estate(["cost", "--env", "dev", "--env", "prod"]);
    expect(twoEnvs.status).toBe(2);
    expect(twoEnvs.stderr).toContain("--env names one environment");
  });

  it("says when the prices are illustrative (the bundled example)", () => {
    const run = estate(["cost", "--env", "prod"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("prices from costs/example.yaml");
    expect(run.stdout).toContain("ILLUSTRATIVE PRICES: costs/example.yaml holds example figures, not real prices");
    expect(run.stdout).toMatch(/^prod-os-a-bake\s+private\s+€\d/m);
  });
});

describe("estate cost on a bad cost file", () => {
  const cases: [string, (text: string) => string, string][] = [
    ["a misspelt key", (t) => t.replace("vcpuHour:", "vcpuHours:"), ':18:3: private.vcpuHours: unknown key "vcpuHours"; did you mean "vcpuHour"?'],
    ["a negative price", (t) => t.replace("loadBalancerMonth: 10", "loadBalancerMonth: -10"), ":22:3: private.loadBalancerMonth: a price cannot be negative; got the number -10"],
    ["a quoted number", (t) => t.replace("natGatewayHour: 0.05", 'natGatewayHour: "0.05"'), ":33:7: aws.regions.eu-west-1.natGatewayHour: expected a number, got the text \"0.05\"; remove the quotes: a quoted value is text"],
    ["a lower-case currency", (t) => t.replace("currency: USD", "currency: usd"), ":27:3: aws.currency: must be an ISO 4217 currency code in capitals, like EUR, USD or KRW"],
    ["a currency without an exchange rate", (t) => t.replace("rates: { USD: 0.5 }", "rates: { GBP: 1.2 }"), ':27:3: aws.currency: no exchange rate for USD: add "USD: <EUR per 1 USD>" under exchangeRates.rates'],
    ["a date in the future", (t) => t.replace('date: "2026-01-15"\n  table', 'date: "2999-01-15"\n  table'), ':10:3: flavors.date: "2999-01-15" is in the future'],
    ["a date that does not exist", (t) => t.replace('date: "2026-01-15"\n  currency: EUR', 'date: "2026-02-30"\n  currency: EUR'), ':16:3: private.date: "2026-02-30" is not a calendar date; write YYYY-MM-DD'],
  ];
  it.each(cases)("reports %s at file:line:column with its path, exit 1, no stack trace", (_name, mutate, expected) => {
    const dir = tempDir();
    const costs = join(dir, "costs.yaml");
    writeFileSync(costs, mutate(readFileSync(SMALL, "utf8")));
    const run = estate(["cost", "--env", "dev", "--costs", costs]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toMatch(/: \d+ problems? in cost file$/);
    expect(run.stderr).toContain(`${costs}${expected}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing file and a YAML syntax error the same way", () => {
    const missing = estate(["cost", "--env", "dev", "--costs", "costs/nope.yaml"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("costs/nope.yaml: 1 problem in cost file\n  costs/nope.yaml: (top level): file not found\n");
    const dir = tempDir();
    const costs = join(dir, "costs.yaml");
    writeFileSync(costs, "reportingCurrency: EUR\nprivate:\n\tvcpuHour: 1\n");
    const broken = estate(["cost", "--env", "dev", "--costs", costs]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain("a tab is used for indentation");
  });
});

describe("estate diff --format markdown: monthly cost change", () => {
  it("shows the cost of hosts a change adds, per stack and in total", () => {
    const dir = tempDir();
    const base = join(dir, "base");
    expect(estate(["synth", "--env", "dev", "--out", base, "--no-policy"]).status).toBe(0);
    const env = devCopy();
    writeFileSync(env, readFileSync(env, "utf8").replace("instancesPerSite: 3", "instancesPerSite: 4"));
    process.env.ESTATE_COSTS = SMALL;
    try {
      const run = estate(["diff", "--base", base, "--env", env, "--format", "markdown"]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      // One web host more per site: 16.60 EUR in each OpenStack site, 16.60 USD × 0.5 = 8.30 EUR in AWS.
      expect(run.stdout).toContain(
        [
          "#### Monthly cost",
          "",
          "| Stack | Before | After | Change |",
          "|:--|--:|--:|--:|",
          "| `dev-aws` | €134.58 | €142.88 | +€8.30 / month |",
          "| `dev-os-a` | €136.20 | €152.80 | +€16.60 / month |",
          "| `dev-os-b` | €136.20 | €152.80 | +€16.60 / month |",
          "| `dev-os-c` | €136.20 | €152.80 | +€16.60 / month |",
          "| **Total** | €543.18 | €601.28 | **+€58.10 / month** |",
        ].join("\n"),
      );
      expect(run.stdout).not.toContain("Illustrative");

      // Two saved outputs compared from a directory without price tables: the diff says so in one line.
      const head = join(dir, "head");
      expect(estate(["synth", "--env", env, "--out", head, "--no-policy"]).status).toBe(0);
      delete process.env.ESTATE_COSTS;
      const elsewhere = estate(["diff", "--base", base, "--head", head, "--format", "markdown"], { cwd: dir });
      expect(elsewhere.status).toBe(0);
      expect(elsewhere.stdout).toContain('_Monthly cost: not computed, no price file at `costs/example.yaml` (set ESTATE_COSTS; see "Cost" in README.md)._');
    } finally {
      delete process.env.ESTATE_COSTS;
    }
  });
});
