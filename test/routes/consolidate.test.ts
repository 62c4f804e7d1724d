import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IPv4CidrRange, Pool } from "ip-num";
import { generateLegacyEstate, LEGACY_NEXT_HOPS, LEGACY_SITE, OFF_SUBNET_NEXT_HOP } from "../../bench/legacy-routes";
import { consolidateRoutes, DestinationCache, parseRoutingTable, readRoutingTables, type RoutingTable } from "../../routes";

const SITE = { ...LEGACY_SITE, routes: [], maxRoutes: 30 };

function table(server: string, lines: string[]): RoutingTable {
  const { table, unreadable } = parseRoutingTable(lines.join("\n"), `${server}.txt`);
  expect(unreadable).toEqual([]);
  return table!;
}

const central = (c: ReturnType<typeof consolidateRoutes>) => c.central.map((r) => `${r.destination} via ${r.nextHop}`);

describe("consolidateRoutes", () => {
  it("GIVEN the example tables of examples/legacy-routes THEN the central routes, exclusions and conflicts are exactly these", () => {
    const { tables, unreadable } = readRoutingTables(join(__dirname, "..", "..", "examples", "legacy-routes"));
    expect(unreadable).toEqual([]);
    const c = consolidateRoutes({ ...SITE, routes: [{ destination: "10.0.0.0/16", nextHop: "10.10.0.254" }] }, tables);
    expect(c.routesRead).toBe(22);
    expect(central(c)).toEqual(["10.0.0.0/16 via 10.10.0.254", "10.60.0.0/23 via 10.10.0.110", "10.70.0.0/16 via 10.10.0.111", "10.70.5.0/24 via 10.10.0.112"]);
    expect(c.central[1]).toMatchObject({ servers: ["db-01", "web-01", "web-02"], mergedFrom: ["10.60.0.0/24", "10.60.1.0/24"] });
    expect(c.covered.map((r) => `${r.destination} ${r.reason}`)).toEqual(["10.0.5.0/24 covered by 10.0.0.0/16 via the same next hop"]);
    expect(c.siteProvided.map((r) => r.destination)).toEqual(["0.0.0.0/0", "10.10.0.0/20", "169.254.0.0/16"]);
    expect(c.hostSpecific.map((r) => [r.destination, r.servers])).toEqual([
      ["10.99.0.0/16", ["web-02"]],
      ["172.16.0.0/12", ["web-02"]],
      ["192.168.50.0/24", ["web-02"]],
    ]);
    expect(c.conflicts).toEqual([
      {
        destination: "10.80.0.0/16",
        sides: [
          { nextHop: "10.10.0.109", servers: ["db-01"] },
          { nextHop: "10.10.0.113", servers: ["web-02"] },
        ],
      },
    ]);
    expect(c.overLimit).toBe(false);
  });

  it("GIVEN halves with the same next hop THEN they merge up to their parent, never across a hole or another next hop", () => {
    const c = consolidateRoutes(SITE, [
      table("a", ["10.1.0.0/24 via 10.10.0.9", "10.1.1.0/24 via 10.10.0.9", "10.1.2.0/24 via 10.10.0.9", "10.1.3.0/24 via 10.10.0.9"]),
      table("b", ["10.2.0.0/24 via 10.10.0.9", "10.2.1.0/24 via 10.10.0.8", "10.3.1.0/24 via 10.10.0.9", "10.3.2.0/24 via 10.10.0.9"]),
    ]);
    // 10.3.1.0/24 and 10.3.2.0/24 are adjacent but not halves of one /23: merging them would route 10.3.0.0/24 too.
    expect(central(c)).toEqual(["10.1.0.0/22 via 10.10.0.9", "10.2.0.0/24 via 10.10.0.9", "10.2.1.0/24 via 10.10.0.8", "10.3.1.0/24 via 10.10.0.9", "10.3.2.0/24 via 10.10.0.9"]);
  });

  it("GIVEN halves whose parent is routed elsewhere or in conflict THEN they stay apart", () => {
    const c = consolidateRoutes(SITE, [
      table("a", ["10.1.0.0/25 via 10.10.0.9", "10.1.0.128/25 via 10.10.0.9", "10.1.0.0/24 via 10.10.0.8", "10.4.0.0/25 via 10.10.0.9", "10.4.0.128/25 via 10.10.0.9", "10.4.0.0/24 via 10.10.0.7"]),
      table("b", ["10.4.0.0/24 via 10.10.0.6"]),
    ]);
    expect(central(c)).toEqual(["10.1.0.0/24 via 10.10.0.8", "10.1.0.0/25 via 10.10.0.9", "10.1.0.128/25 via 10.10.0.9", "10.4.0.0/25 via 10.10.0.9", "10.4.0.128/25 via 10.10.0.9"]);
    expect(c.conflicts.map((x) => x.destination)).toEqual(["10.4.0.0/24"]);
  });

  it("GIVEN nested routes THEN a more-specific route with another next hop stays and one with the same next hop as its cover goes", () => {
    const c = consolidateRoutes(SITE, [table("a", ["10.5.0.0/16 via 10.10.0.9", "10.5.1.0/24 via 10.10.0.8", "10.5.1.128/25 via 10.10.0.9", "10.5.2.0/24 via 10.10.0.9"])]);
    expect(central(c)).toEqual(["10.5.0.0/16 via 10.10.0.9", "10.5.1.0/24 via 10.10.0.8", "10.5.1.128/25 via 10.10.0.9"]);
    expect(c.covered.map((r) => r.destination)).toEqual(["10.5.2.0/24"]);
  });

  it("GIVEN a route already in the environment file that servers contradict THEN the conflict is reported and the file's route stays", () => {
    const c = consolidateRoutes({ ...SITE, routes: [{ destination: "10.0.0.0/16", nextHop: "10.10.0.254" }] }, [table("a", ["10.0.0.0/16 via 10.10.0.113"])]);
    expect(central(c)).toEqual(["10.0.0.0/16 via 10.10.0.254"]);
    expect(c.conflicts).toEqual([
      {
        destination: "10.0.0.0/16",
        sides: [
          { nextHop: "10.10.0.113", servers: ["a"] },
          { nextHop: "10.10.0.254", servers: ["environment file"] },
        ],
        kept: { destination: "10.0.0.0/16", nextHop: "10.10.0.254" },
      },
    ]);
  });

  it("GIVEN routes in the environment file the rules would drop THEN they stay as they are", () => {
    const routes = [
      { destination: "0.0.0.0/0", nextHop: "10.10.0.9" },
      { destination: "10.5.1.0/24", nextHop: "10.10.0.9" },
      { destination: "10.6.0.0/24", nextHop: "10.10.0.8" },
    ];
    const c = consolidateRoutes({ ...SITE, routes }, [table("a", ["10.5.0.0/16 via 10.10.0.9", "10.6.1.0/24 via 10.10.0.8"])]);
    // The server's /16 adds nothing under the file's default route via the same next hop; the file's /24 stays anyway,
    // and is not merged with its other half.
    expect(central(c)).toEqual(["0.0.0.0/0 via 10.10.0.9", "10.5.1.0/24 via 10.10.0.9", "10.6.0.0/24 via 10.10.0.8", "10.6.1.0/24 via 10.10.0.8"]);
    expect(c.covered.map((r) => r.destination)).toEqual(["10.5.0.0/16"]);
    expect(c.hostSpecific).toEqual([]);
  });

  it("GIVEN more routes than the router takes THEN the consolidation says so", () => {
    const lines = Array.from({ length: 31 }, (_, i) => `10.${i * 2}.0.0/16 via 10.10.0.9`);
    const c = consolidateRoutes(SITE, [table("a", lines)]);
    expect(c.central).toHaveLength(31);
    expect(c.overLimit).toBe(true);
  });
});

describe("readRoutingTables", () => {
  it("GIVEN two files for one server THEN the second is reported", () => {
    const dir = mkdtempSync(join(tmpdir(), "estate-routes-"));
    try {
      writeFileSync(join(dir, "web-01.json"), '[{"dst": "10.60.0.0/24", "gateway": "10.10.0.110"}]');
      writeFileSync(join(dir, "web-01.txt"), "10.60.0.0/24 via 10.10.0.110 dev eth0\n");
      expect(readRoutingTables(dir).unreadable).toEqual([
        { file: join(dir, "web-01.txt"), line: 1, problem: `${join(dir, "web-01.json")} is the routing table of server web-01 already: keep one file per server` },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("consolidateRoutes on a generated legacy estate (50 servers × 2,000 routes, four formats)", () => {
  const estate = generateLegacyEstate({ servers: 50, routesPerServer: 2000, seed: 17 });
  const cache = new DestinationCache();
  const parsed = [...estate.files].map(([name, text]) => parseRoutingTable(text, name, cache));
  const result = consolidateRoutes({ ...SITE, maxRoutes: 5000 }, parsed.map((p) => p.table!));
  /** Addresses covered by a list of CIDRs, as ip-num aggregates them: equal lists, equal address sets. */
  const addresses = (cidrs: string[]) => (cidrs.length === 0 ? [] : Pool.fromCidrRanges(cidrs.map((c) => IPv4CidrRange.fromCidr(c))).aggregate().getRanges().map((r) => r.toRangeString()));

  it("THEN every line is read, in all four formats", () => {
    expect(parsed.flatMap((p) => p.unreadable)).toEqual([]);
    expect(new Set(parsed.map((p) => p.table!.format))).toEqual(new Set(["ip-json", "ip-route", "route-n", "netstat-rn"]));
    expect(result.routesRead).toBe(50 * 2003);
  });

  it("THEN for every next hop the central routes cover exactly the addresses the servers agreed to route through it", () => {
    for (const hop of LEGACY_NEXT_HOPS) {
      const want = addresses(estate.agreed.filter((r) => r.nextHop === hop).map((r) => r.destination));
      const got = addresses(result.central.filter((r) => r.nextHop === hop).map((r) => r.destination));
      expect(want.length).toBeGreaterThan(0);
      expect(got, `next hop ${hop}`).toEqual(want);
    }
    expect(new Set(result.central.map((r) => r.nextHop))).toEqual(new Set(LEGACY_NEXT_HOPS));
    expect(new Set(result.central.map((r) => r.destination)).size).toBe(result.central.length);
  });

  it("THEN merging shrank the route set, and nested routes through another next hop stayed", () => {
    expect(result.central.length).toBeLessThan(estate.agreed.length);
    expect(result.central.some((r) => r.mergedFrom && r.destination.endsWith("/20"))).toBe(true);
    expect(result.central.filter((r) => r.destination.endsWith("/28")).length).toBe(estate.agreed.filter((r) => r.destination.endsWith("/28")).length);
  });

  it("THEN every conflict is reported with the servers on each side, and none is carried", () => {
    const got = new Map(result.conflicts.map((c) => [c.destination, new Map(c.sides.map((s) => [s.nextHop, s.servers]))]));
    expect(got).toEqual(estate.conflicts);
    expect(result.conflicts).toHaveLength(40);
    const carried = new Set(result.central.map((r) => r.destination));
    expect([...estate.conflicts.keys()].filter((d) => carried.has(d))).toEqual([]);
  });

  it("THEN routes through a next hop off the site subnet stay host-specific, on every server", () => {
    expect(result.hostSpecific.map((r) => [r.destination, r.nextHop, r.servers.length])).toEqual(estate.offSubnet.map((d) => [d, OFF_SUBNET_NEXT_HOP, 50]));
    expect(result.siteProvided.map((r) => r.destination)).toEqual(["0.0.0.0/0", "10.10.0.0/20", "169.254.0.0/16"]);
  });

  it("THEN the same seed gives the same estate, byte for byte", () => {
    const again = generateLegacyEstate({ servers: 50, routesPerServer: 2000, seed: 17 });
    expect([...again.files]).toEqual([...estate.files]);
  });
});
