/**
 * From per-server routing tables to the central route set of one site (Neutron router extra routes:
 * destination → next hop). The rules:
 * 1. what the site already provides is dropped: its own subnet, link-local, the default route and any route via
 *    the site gateway (the router itself);
 * 2. routes the router cannot carry stay host-specific, with the reason: no next hop (on-link), multipath,
 *    blackhole/unreachable/…, a next hop off the site subnet (Neutron accepts only next hops on a subnet connected
 *    to the router), a default route via another host;
 * 3. a destination with different next hops on different servers is a conflict: reported with the servers on each
 *    side and left out — never resolved here (a route already in the environment file stays as it is);
 * 4. two exact halves of a network with the same next hop become their parent, repeatedly; nothing else is
 *    summarised, so no address is routed that no server routed;
 * 5. a route inside a covering route with the same next hop (and no other route in between) adds nothing and is
 *    dropped; more-specific routes with another next hop than their covering route are kept.
 */
import { WORLD_IPV4_CIDR } from "../model/cidr-set";
import { addressInside, cidrInside, firstAddress, LINK_LOCAL_CIDR, prefixLength, siblingAndParent, supernet } from "./cidr";
import type { RouteKind, RoutingTable } from "./parse";

/** The source name of the routes the environment file already holds for the site. */
export const ENVIRONMENT_SOURCE = "environment file";

export interface SiteRouting {
  readonly name: string;
  readonly subnetCidr: string;
  /** The router's address on the site subnet. */
  readonly gatewayIp: string;
  /** The site's routes today, kept as they are. */
  readonly routes: readonly CentralRoute[];
  /** Routes its router accepts (Neutron `max_routes`). */
  readonly maxRoutes: number;
}

export interface CentralRoute {
  readonly destination: string;
  readonly nextHop: string;
}

export interface ConsolidatedRoute extends CentralRoute {
  /** Servers (and the environment file) that routed this destination, or a part of it merged into it. */
  readonly servers: readonly string[];
  /** The routes merged into this one, when it is a parent of exact halves. @default - none */
  readonly mergedFrom?: readonly string[];
}

/** A route (or a route's next hop) the central router does not take, and why. */
export interface ExcludedRoute {
  readonly destination: string;
  readonly nextHop?: string;
  readonly kind: RouteKind;
  readonly reason: string;
  readonly servers: readonly string[];
}

export interface ConflictSide {
  readonly nextHop: string;
  readonly servers: readonly string[];
}

export interface RouteConflict {
  readonly destination: string;
  readonly sides: readonly ConflictSide[];
  /** The environment file already routes it; that route stays. @default - none (the destination is left out) */
  readonly kept?: CentralRoute;
}

export interface ServerSummary {
  readonly server: string;
  readonly file: string;
  readonly format: string;
  readonly routes: number;
}

export interface RouteConsolidation {
  readonly site: string;
  readonly subnetCidr: string;
  readonly servers: readonly ServerSummary[];
  /** Routes read over every server. */
  readonly routesRead: number;
  /** Distinct (destination, next hop, kind) over every server. */
  readonly distinctRoutes: number;
  /** The routes for the site's `routes`, sorted by destination address then prefix length. */
  readonly central: readonly ConsolidatedRoute[];
  /** Dropped: the site provides them. */
  readonly siteProvided: readonly ExcludedRoute[];
  /** Kept on the servers: the router cannot carry them. */
  readonly hostSpecific: readonly ExcludedRoute[];
  /** Dropped: a covering central route with the same next hop routes them already. */
  readonly covered: readonly ExcludedRoute[];
  readonly conflicts: readonly RouteConflict[];
  readonly maxRoutes: number;
  /** The central routes are more than the router accepts. */
  readonly overLimit: boolean;
}

interface Distinct {
  readonly destination: string;
  readonly nextHop?: string;
  readonly kind: RouteKind;
  readonly servers: string[];
}

export function consolidateRoutes(site: SiteRouting, tables: readonly RoutingTable[]): RouteConsolidation {
  const { distinct, routesRead } = collectDistinct(site, tables);
  const siteProvided: ExcludedRoute[] = [];
  const hostSpecific: ExcludedRoute[] = [];
  const candidates: Distinct[] = [];
  for (const route of distinct) {
    const why = inFile(route) ? undefined : providedBySite(site, route);
    if (why) siteProvided.push({ ...route, reason: why });
    else candidates.push(route);
  }
  const { agreed, conflicts } = findConflicts(site, candidates, hostSpecific);
  const merged = mergeSiblings(agreed, new Set(conflicts.map((c) => c.destination)));
  const { kept, covered } = dropCovered(merged);
  const central = kept.sort(byAddress);
  return {
    site: site.name,
    subnetCidr: site.subnetCidr,
    servers: tables.map((t) => ({ server: t.server, file: t.file, format: t.format, routes: t.routes.length })),
    routesRead,
    distinctRoutes: distinct.length - site.routes.length,
    central,
    siteProvided: siteProvided.sort(byAddress),
    hostSpecific: hostSpecific.sort(byAddress),
    covered: covered.sort(byAddress),
    conflicts: conflicts.sort(byAddress),
    maxRoutes: site.maxRoutes,
    overLimit: central.length > site.maxRoutes,
  };
}

function collectDistinct(site: SiteRouting, tables: readonly RoutingTable[]): { distinct: Distinct[]; routesRead: number } {
  const byKey = new Map<string, Distinct>();
  let routesRead = 0;
  const add = (destination: string, nextHop: string | undefined, kind: RouteKind, server: string) => {
    const key = `${destination} ${nextHop ?? ""} ${kind}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { destination, ...(nextHop ? { nextHop } : {}), kind, servers: [] }));
    if (entry.servers[entry.servers.length - 1] !== server) entry.servers.push(server);
  };
  for (const route of site.routes) add(route.destination, route.nextHop, "unicast", ENVIRONMENT_SOURCE);
  for (const table of tables) {
    routesRead += table.routes.length;
    for (const route of table.routes) add(route.destination, route.nextHop, route.kind, table.server);
  }
  return { distinct: [...byKey.values()], routesRead };
}

/** The environment file holds this route already: it stays as it is, whatever the rules would say of it. */
function inFile(route: Distinct): boolean {
  return route.servers[0] === ENVIRONMENT_SOURCE;
}

/** Why the site provides this route already, or undefined. */
function providedBySite(site: SiteRouting, route: Distinct): string | undefined {
  if (route.kind !== "unicast") return undefined;
  if (cidrInside(route.destination, site.subnetCidr)) return `inside the site subnet ${site.subnetCidr}, which is connected to the router`;
  if (cidrInside(route.destination, LINK_LOCAL_CIDR)) return `link-local (${LINK_LOCAL_CIDR}): never routed`;
  if (route.destination === WORLD_IPV4_CIDR && route.nextHop === site.gatewayIp) return `the default route via the site gateway ${site.gatewayIp}`;
  if (route.nextHop === site.gatewayIp) return `via the site gateway ${site.gatewayIp}: the router forwards it already`;
  return undefined;
}

/** Why the router cannot carry a route, or undefined when it can. */
function hostSpecificReason(site: SiteRouting, route: Distinct): string | undefined {
  if (route.kind === "multipath") return "multipath (several next hops): a Neutron extra route has one next hop";
  if (route.kind !== "unicast") return `${route.kind} route: a Neutron extra route only forwards to a next hop`;
  if (!route.nextHop) return "on-link (no next hop): reached directly from the host's own interface";
  if (!addressInside(route.nextHop, site.subnetCidr)) return `next hop ${route.nextHop} is not on the site subnet ${site.subnetCidr}: Neutron accepts only next hops on a subnet connected to the router`;
  if (route.destination === WORLD_IPV4_CIDR) return `default route via ${route.nextHop}, not the site gateway ${site.gatewayIp}: on the router it would take over from the external gateway`;
  return undefined;
}

/**
 * Destinations routed through different next hops (by any servers, whether or not the router could carry either
 * one) are conflicts; the others are agreed. Agreed routes the router cannot carry go to `hostSpecific`.
 */
function findConflicts(site: SiteRouting, candidates: readonly Distinct[], hostSpecific: ExcludedRoute[]): { agreed: Map<string, ConsolidatedRoute>; conflicts: RouteConflict[] } {
  const byDestination = new Map<string, Distinct[]>();
  for (const route of candidates) {
    const list = byDestination.get(route.destination);
    if (list) list.push(route);
    else byDestination.set(route.destination, [route]);
  }
  const agreed = new Map<string, ConsolidatedRoute>();
  const conflicts: RouteConflict[] = [];
  for (const [destination, routes] of byDestination) {
    const forwarding = routes.filter((r) => r.kind === "unicast" && r.nextHop);
    const nextHops = new Set(forwarding.map((r) => r.nextHop));
    if (nextHops.size > 1) {
      const existing = site.routes.find((r) => r.destination === destination);
      const sides = forwarding.map((r) => ({ nextHop: r.nextHop!, servers: r.servers })).sort((a, b) => b.servers.length - a.servers.length || a.nextHop.localeCompare(b.nextHop));
      conflicts.push({ destination, sides, ...(existing ? { kept: existing } : {}) });
      if (existing) agreed.set(destination, { ...existing, servers: [ENVIRONMENT_SOURCE] });
      for (const r of routes.filter((r) => !forwarding.includes(r))) hostSpecific.push({ ...r, reason: hostSpecificReason(site, r)! });
      continue;
    }
    for (const route of routes) {
      const why = inFile(route) ? undefined : hostSpecificReason(site, route);
      if (why) hostSpecific.push({ ...route, reason: why });
      else agreed.set(destination, { destination, nextHop: route.nextHop!, servers: route.servers });
    }
  }
  return { agreed, conflicts };
}

/**
 * Two exact halves with the same next hop become their parent, from /32 up, so parents merge again. A parent
 * that is already a destination with another next hop, or a conflict, is left alone; so is a route the
 * environment file holds.
 */
function mergeSiblings(agreed: Map<string, ConsolidatedRoute>, conflicted: ReadonlySet<string>): ConsolidatedRoute[] {
  const routes = new Map(agreed);
  const byLength: string[][] = Array.from({ length: 33 }, () => []);
  for (const destination of routes.keys()) byLength[prefixLength(destination)].push(destination);
  for (let length = 32; length >= 1; length--) {
    for (const destination of byLength[length]) {
      const route = routes.get(destination);
      if (!route) continue;
      const family = siblingAndParent(destination)!;
      const sibling = routes.get(family.sibling);
      if (!sibling || sibling.nextHop !== route.nextHop || conflicted.has(family.parent)) continue;
      if (route.servers.includes(ENVIRONMENT_SOURCE) || sibling.servers.includes(ENVIRONMENT_SOURCE)) continue;
      const parent = routes.get(family.parent);
      if (parent && parent.nextHop !== route.nextHop) continue;
      const [low, high] = destinationOrder(route, sibling) < 0 ? [route, sibling] : [sibling, route];
      routes.delete(low.destination);
      routes.delete(high.destination);
      routes.set(family.parent, {
        destination: family.parent,
        nextHop: route.nextHop,
        servers: union(parent?.servers ?? [], low.servers, high.servers),
        mergedFrom: [...(parent?.mergedFrom ?? []), ...(low.mergedFrom ?? [low.destination]), ...(high.mergedFrom ?? [high.destination])],
      });
      if (!parent) byLength[length - 1].push(family.parent);
    }
  }
  return [...routes.values()];
}

/**
 * Drops each route whose nearest covering route (the longest strictly shorter prefix among the routes) has the
 * same next hop: the router sends those addresses the same way without it.
 */
function dropCovered(routes: readonly ConsolidatedRoute[]): { kept: ConsolidatedRoute[]; covered: ExcludedRoute[] } {
  const byDestination = new Map(routes.map((r) => [r.destination, r]));
  const lengths = [...new Set(routes.map((r) => prefixLength(r.destination)))].sort((a, b) => b - a);
  const kept: ConsolidatedRoute[] = [];
  const covered: ExcludedRoute[] = [];
  for (const route of routes) {
    const cover = nearestCover(route.destination, byDestination, lengths);
    if (cover && cover.nextHop === route.nextHop && !route.servers.includes(ENVIRONMENT_SOURCE)) {
      covered.push({ destination: route.destination, nextHop: route.nextHop, kind: "unicast", reason: `covered by ${cover.destination} via the same next hop`, servers: route.servers });
    } else kept.push(route);
  }
  return { kept, covered };
}

/** `lengths`: the prefix lengths among the routes, longest first (only those can hold a cover). */
function nearestCover(destination: string, routes: ReadonlyMap<string, ConsolidatedRoute>, lengths: readonly number[]): ConsolidatedRoute | undefined {
  const own = prefixLength(destination);
  for (const length of lengths) {
    if (length >= own) continue;
    const cover = routes.get(supernet(destination, length));
    if (cover) return cover;
  }
  return undefined;
}

function union(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

function destinationOrder(a: { destination: string }, b: { destination: string }): number {
  const numA = firstAddress(a.destination);
  const numB = firstAddress(b.destination);
  return numA < numB ? -1 : numA > numB ? 1 : prefixLength(a.destination) - prefixLength(b.destination);
}

function byAddress<T extends { destination: string; nextHop?: string }>(a: T, b: T): number {
  return destinationOrder(a, b) || (a.nextHop ?? "").localeCompare(b.nextHop ?? "");
}
