/**
 * Redundancy of every service against its peak: which sites serve it, how many hosts they run, how far above
 * `peakInstances` that is, and which single further site loss would take it below. Policy rules EST-AVL-002 and
 * EST-AVL-003 judge an estate from this report, and `estate drain` prints it: one computation, one home.
 *
 * Terms (README, "Redundancy while a site is drained"):
 * - a *serving site* takes traffic: its `traffic.state` is active and its weight is above 0;
 * - a *drained site* has `traffic.state: drained` (in the file, or `--drain` / `ESTATE_DRAIN` for one run);
 *   a site at weight 0 but active is not serving either, and is not a drain;
 * - *peak capacity* is the service's `peakInstances`: hosts it needs at peak, summed over the serving sites;
 * - the *margin* is serving hosts minus peak capacity.
 */
import type { EstateModel } from "../model";

/** Hosts of one service in one site. */
export interface SiteHosts {
  readonly site: string;
  readonly hosts: number;
}

/** A serving site whose loss would leave the others below peak capacity. */
export interface BreakingLoss {
  readonly site: string;
  /** Hosts the other serving sites still run without it. */
  readonly remaining: number;
}

/**
 * - `n-plus-one`: any one serving site can be lost and the others still run peak capacity;
 * - `not-n-plus-one`: no drain concerns the service and losing one serving site breaks peak capacity (an error);
 * - `reduced`: a drained site runs the service; the serving sites run peak capacity, but losing one more of
 *   them would not (a warning: the drain is allowed, the redundancy is gone while it lasts);
 * - `below-peak`: a drained site runs the service and the serving sites run less than peak capacity (an error);
 * - `unchecked`: the service sets no `peakInstances`.
 */
export type RedundancyVerdict = "n-plus-one" | "not-n-plus-one" | "reduced" | "below-peak" | "unchecked";

export interface ServiceRedundancy {
  readonly service: string;
  /** @default - none: the service states no peak, the verdict is `unchecked` */
  readonly peakInstances?: number;
  /** Every serving site, in file order, with its hosts of this service (0 where the service does not run). */
  readonly serving: readonly SiteHosts[];
  /** Drained sites that run hosts of this service, in file order. */
  readonly drained: readonly SiteHosts[];
  /** Hosts of the service in the serving sites. */
  readonly servingHosts: number;
  /** servingHosts minus peakInstances (negative: short of peak). @default - none (no peakInstances) */
  readonly margin?: number;
  /** Serving sites whose loss alone would leave fewer than peakInstances, in file order. */
  readonly breakingLosses: readonly BreakingLoss[];
  readonly verdict: RedundancyVerdict;
}

export interface RedundancyReport {
  readonly env: string;
  /** Every drained site of the estate, in file order. */
  readonly drainedSites: readonly string[];
  readonly services: readonly ServiceRedundancy[];
}

/** The redundancy of every service of the estate, in file order. */
export function redundancyReport(model: EstateModel): RedundancyReport {
  const sites = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])];
  const hostsIn = (site: (typeof sites)[number], service: string) => site.services.find((s) => s.service.name === service)?.hosts.length ?? 0;
  const serving = sites.filter((s) => s.traffic.effectiveWeight > 0);
  const drained = sites.filter((s) => s.traffic.state === "drained");
  const services = model.services.map((service): ServiceRedundancy => {
    const servingHosts = serving.map((s) => ({ site: s.name, hosts: hostsIn(s, service.name) }));
    const drainedHosts = drained.map((s) => ({ site: s.name, hosts: hostsIn(s, service.name) })).filter((s) => s.hosts > 0);
    const total = servingHosts.reduce((sum, s) => sum + s.hosts, 0);
    const base = { service: service.name, serving: servingHosts, drained: drainedHosts, servingHosts: total };
    const peak = service.peakInstances;
    if (peak === undefined) return { ...base, breakingLosses: [], verdict: "unchecked" };
    const breakingLosses = servingHosts.map((s) => ({ site: s.site, remaining: total - s.hosts })).filter((l) => l.remaining < peak);
    const verdict: RedundancyVerdict =
      drainedHosts.length === 0
        ? total < peak || breakingLosses.length > 0 || servingHosts.length === 0
          ? "not-n-plus-one"
          : "n-plus-one"
        : total < peak
          ? "below-peak"
          : breakingLosses.length > 0
            ? "reduced"
            : "n-plus-one";
    return { ...base, peakInstances: peak, margin: total - peak, breakingLosses, verdict };
  });
  return { env: model.env, drainedSites: drained.map((s) => s.name), services };
}

/** `os-a 24, os-c 24, aws 12` */
export function formatSiteHosts(sites: readonly SiteHosts[]): string {
  return sites.map((s) => `${s.site} ${s.hosts}`).join(", ");
}

/** `os-a (36 left), os-c (36 left) or aws (48 left)` */
export function formatBreakingLosses(losses: readonly BreakingLoss[]): string {
  const each = losses.map((l) => `${l.site} (${l.remaining} left)`);
  return each.length <= 1 ? each.join("") : `${each.slice(0, -1).join(", ")} or ${each[each.length - 1]}`;
}

/** `with os-b drained, the serving sites run 60 (os-a 24, os-c 24, aws 12)` */
export function describeServing(s: ServiceRedundancy): string {
  const drained = s.drained.map((d) => d.site).join(", ");
  const running = s.serving.filter((x) => x.hosts > 0);
  return `with ${drained} drained, the serving sites run ${s.servingHosts}${running.length > 0 ? ` (${formatSiteHosts(running)})` : ""}`;
}
