/**
 * Generated legacy estates for `estate routes`: servers in site os-a of environments/dev.yaml (subnet
 * 10.10.0.0/20, gateway 10.10.0.1), each with its own static routing table, deterministic for a given seed.
 *
 * Shape (the ground truth tests check the consolidation against):
 * - a pool of /24 destinations in 10.128.0.0/9, runs of 16 consecutive /24s through the same next hop (so exact
 *   halves merge up to /20s), a few holes where no server routes, and /28s inside some /24s through another next
 *   hop (nested routes the router must keep);
 * - every server routes a random subset of the pool (overlapping subsets), plus the site's own subnet, link-local
 *   and the default route via the site gateway;
 * - `conflicts` destinations routed through one next hop by most servers and another by every seventh server;
 * - `offSubnet` destinations through 192.168.50.1, a next hop the router cannot reach;
 * - one format per server in turn: ip -j route, ip route show, route -n, netstat -rn.
 */
export const LEGACY_SITE = { name: "os-a", subnetCidr: "10.10.0.0/20", gatewayIp: "10.10.0.1" } as const;

/**
 * Next hops on the site subnet (routers to the legacy networks): in the lower half of block 0, which the address plan
 * gives to no host, VIP or DHCP port, so the environment file accepts them as next hops.
 */
export const LEGACY_NEXT_HOPS = Array.from({ length: 16 }, (_, i) => `10.10.0.${64 + i}`);
export const OFF_SUBNET_NEXT_HOP = "192.168.50.1";

export interface LegacyRoute {
  readonly destination: string;
  readonly nextHop: string;
}

export interface LegacyEstate {
  /** Routing table text per server, named `<server>.<ext>`. */
  readonly files: ReadonlyMap<string, string>;
  /** Every (destination, next hop) some server routes through an on-subnet next hop, conflicts excluded. */
  readonly agreed: readonly LegacyRoute[];
  /** Destination → next hop → servers, for the destinations servers disagree on. */
  readonly conflicts: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  readonly offSubnet: readonly string[];
  readonly routesPerServer: number;
}

export interface LegacyEstateOptions {
  readonly servers: number;
  /** Routes from the pool on each server (the fixed site routes come on top). */
  readonly routesPerServer: number;
  readonly seed: number;
}

const FORMATS = ["json", "ip", "route", "netstat"] as const;

export function generateLegacyEstate(options: LegacyEstateOptions): LegacyEstate {
  const random = mulberry32(options.seed);
  const pool: LegacyRoute[] = [];
  const poolSize = Math.round(options.routesPerServer * 1.4);
  for (let k = 0; pool.length < poolSize; k++) {
    if (k % 37 === 36) continue; // a hole: no server routes it, so no merge may cover it
    const network = `10.${128 + (k >> 8)}.${k & 255}`;
    const nextHop = LEGACY_NEXT_HOPS[(k >> 4) % LEGACY_NEXT_HOPS.length];
    pool.push({ destination: `${network}.0/24`, nextHop });
    if (k % 23 === 5) pool.push({ destination: `${network}.64/28`, nextHop: LEGACY_NEXT_HOPS[((k >> 4) + 3) % LEGACY_NEXT_HOPS.length] });
  }
  const conflictCount = 40;
  const conflictPicks = Array.from({ length: conflictCount }, (_, i) => pool[(i * 97 + 11) % pool.length]);
  const conflictSet = new Set(conflictPicks.map((r) => r.destination));
  const offSubnet = Array.from({ length: 20 }, (_, i) => `172.${16 + (i >> 4)}.${(i & 15) * 16}.0/20`);

  const used = new Map<string, LegacyRoute>();
  const conflicts = new Map<string, Map<string, string[]>>();
  const files = new Map<string, string>();
  const width = String(options.servers).length;
  for (let s = 0; s < options.servers; s++) {
    const server = `legacy-${String(s + 1).padStart(width, "0")}`;
    const picks = new Set<number>();
    while (picks.size < options.routesPerServer - conflictCount - offSubnet.length) {
      const index = Math.floor(random() * pool.length);
      if (!conflictSet.has(pool[index].destination)) picks.add(index);
    }
    const routes: LegacyRoute[] = [...picks].sort((a, b) => a - b).map((i) => pool[i]);
    for (const r of routes) used.set(`${r.destination} ${r.nextHop}`, r);
    for (const c of conflictPicks) {
      const nextHop = s % 7 === 0 ? LEGACY_NEXT_HOPS[(LEGACY_NEXT_HOPS.indexOf(c.nextHop) + 1) % LEGACY_NEXT_HOPS.length] : c.nextHop;
      routes.push({ destination: c.destination, nextHop });
      const sides = conflicts.get(c.destination) ?? new Map<string, string[]>();
      conflicts.set(c.destination, sides);
      sides.set(nextHop, [...(sides.get(nextHop) ?? []), server]);
    }
    for (const d of offSubnet) routes.push({ destination: d, nextHop: OFF_SUBNET_NEXT_HOP });
    const format = FORMATS[s % FORMATS.length];
    files.set(`${server}.${format === "json" ? "json" : "txt"}`, renderTable(format, routes, s));
  }
  return { files, agreed: [...used.values()], conflicts, offSubnet, routesPerServer: options.routesPerServer };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function renderTable(format: (typeof FORMATS)[number], routes: readonly LegacyRoute[], index: number): string {
  const own = `10.10.${1 + (index >> 8)}.${index & 255}`;
  const dev = (hop: string) => (hop === OFF_SUBNET_NEXT_HOP ? "eth1" : "eth0");
  switch (format) {
    case "json": {
      const entries = [
        { dst: "default", gateway: LEGACY_SITE.gatewayIp, dev: "eth0", protocol: "static", flags: [] },
        { dst: LEGACY_SITE.subnetCidr, dev: "eth0", protocol: "kernel", scope: "link", prefsrc: own, flags: [] },
        { dst: "169.254.0.0/16", dev: "eth0", scope: "link", metric: 1000, flags: [] },
        ...routes.map((r) => ({ dst: r.destination, gateway: r.nextHop, dev: dev(r.nextHop), protocol: "static", flags: [] })),
      ];
      return `${JSON.stringify(entries)}\n`;
    }
    case "ip":
      return [
        `default via ${LEGACY_SITE.gatewayIp} dev eth0 proto static`,
        `${LEGACY_SITE.subnetCidr} dev eth0 proto kernel scope link src ${own}`,
        "169.254.0.0/16 dev eth0 scope link metric 1000",
        ...routes.map((r) => `${r.destination} via ${r.nextHop} dev ${dev(r.nextHop)} proto static`),
        "",
      ].join("\n");
    default: {
      const header = format === "route" ? "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface" : "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface";
      const tail = format === "route" ? "0      0        0" : "0 0          0";
      const row = (dst: string, gw: string, mask: string, flags: string, iface: string) => `${dst.padEnd(15)} ${gw.padEnd(15)} ${mask.padEnd(15)} ${flags.padEnd(5)} ${tail} ${iface}`;
      return [
        "Kernel IP routing table",
        header,
        row("0.0.0.0", LEGACY_SITE.gatewayIp, "0.0.0.0", "UG", "eth0"),
        row("10.10.0.0", "0.0.0.0", "255.255.240.0", "U", "eth0"),
        row("169.254.0.0", "0.0.0.0", "255.255.0.0", "U", "eth0"),
        ...routes.map((r) => {
          const [address, length] = r.destination.split("/");
          return row(address, r.nextHop, MASKS[Number(length)], "UG", dev(r.nextHop));
        }),
        "",
      ].join("\n");
    }
  }
}

/** Dotted netmasks of the prefix lengths the generator uses, written out (net-tools prints masks, not lengths). */
const MASKS: Record<number, string> = { 20: "255.255.240.0", 24: "255.255.255.0", 28: "255.255.255.240" };
