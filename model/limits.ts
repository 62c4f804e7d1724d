/**
 * Cloud limits the model can know: the quotas and settings of each OpenStack site that decide whether an apply goes
 * through, with the clouds' own defaults. A site writes `limits:` only where its cloud differs from the defaults.
 *
 * The model reads them at load (server groups, hypervisors, routes) and the policy pack reads them against the
 * synthesized stacks (security groups and their rules: rule EST-QTA-001).
 */
import { z } from "zod";
import { zoneIndexOf } from "./address-plan";
import type { EnvironmentFile } from "./schema";

type Path = (string | number)[];
type Add = (path: Path, message: string) => void;

/**
 * Nova `[quota] server_group_members`: servers one server group may hold. Nova answers the 11th member with
 * `403 Quota exceeded, too many servers in group`.
 * Source: nova.conf reference, https://docs.openstack.org/nova/latest/configuration/config.html#quota.server_group_members
 */
export const DEFAULT_SERVER_GROUP_MEMBERS = 10;
/**
 * Nova `[quota] server_groups`: server groups per project.
 * Source: https://docs.openstack.org/nova/latest/configuration/config.html#quota.server_groups
 */
export const DEFAULT_SERVER_GROUPS = 10;
/**
 * Neutron `[quotas] quota_security_group`: security groups per project, the project's `default` group included.
 * Source: neutron.conf reference, https://docs.openstack.org/neutron/latest/configuration/neutron.html#quotas.quota_security_group
 */
export const DEFAULT_SECURITY_GROUPS = 10;
/**
 * Neutron `[quotas] quota_security_group_rule`: security-group rules per project. Every rule counts, the two
 * egress rules Neutron adds to each new group included.
 * Source: https://docs.openstack.org/neutron/latest/configuration/neutron.html#quotas.quota_security_group_rule
 */
export const DEFAULT_SECURITY_GROUP_RULES = 100;
/**
 * Neutron `max_routes`: static routes on one router; a router update with more is refused (`RoutesExhausted`).
 * Source: https://docs.openstack.org/neutron/latest/configuration/neutron.html#DEFAULT.max_routes
 */
export const DEFAULT_ROUTES_PER_ROUTER = 30;
/** Egress rules Neutron adds to every new security group: any protocol to anywhere, IPv4 and IPv6. */
export const DEFAULT_EGRESS_RULES_PER_GROUP = 2;
/**
 * Rules of the `default` security group Neutron creates in every project: the two egress rules and ingress from
 * members of the same group, IPv4 and IPv6. They count against the project's rule quota too.
 */
export const DEFAULT_GROUP_RULES = 4;

const positive = (setting: string, api: string) =>
  z
    .number({ error: `${setting} must be a whole number (the cloud's ${api})` })
    .int(`${setting} must be a whole number (the cloud's ${api})`)
    .min(1, `${setting} must be at least 1 (the cloud's ${api})`);

/** `sites.openstack[].limits`: every field optional; a field left out takes the cloud's default. */
export const siteLimitsSchema = z.strictObject({
  /** Nova `server_group_members`. @default 10 */
  serverGroupMembers: positive("serverGroupMembers", "Nova quota server_group_members").default(DEFAULT_SERVER_GROUP_MEMBERS),
  /** Nova `server_groups`. @default 10 */
  serverGroups: positive("serverGroups", "Nova quota server_groups").default(DEFAULT_SERVER_GROUPS),
  /** Neutron `quota_security_group`. @default 10 */
  securityGroups: positive("securityGroups", "Neutron quota security_group").default(DEFAULT_SECURITY_GROUPS),
  /** Neutron `quota_security_group_rule`. @default 100 */
  securityGroupRules: positive("securityGroupRules", "Neutron quota security_group_rule").default(DEFAULT_SECURITY_GROUP_RULES),
  /** Neutron `max_routes`. @default 30 */
  routesPerRouter: positive("routesPerRouter", "Neutron max_routes").default(DEFAULT_ROUTES_PER_ROUTER),
  /**
   * Hypervisors (Nova compute hosts) in each availability zone, keyed by zone name. Hard anti-affinity needs one
   * per member of a server group placed in the zone. @default - not checked
   */
  hypervisorsPerAvailabilityZone: z.record(z.string(), positive("a hypervisor count", "number of compute hosts in the zone")).optional(),
});

export type SiteLimits = z.infer<typeof siteLimitsSchema>;

/** The limits of a site that writes none. */
export const DEFAULT_SITE_LIMITS: SiteLimits = {
  serverGroupMembers: DEFAULT_SERVER_GROUP_MEMBERS,
  serverGroups: DEFAULT_SERVER_GROUPS,
  securityGroups: DEFAULT_SECURITY_GROUPS,
  securityGroupRules: DEFAULT_SECURITY_GROUP_RULES,
  routesPerRouter: DEFAULT_ROUTES_PER_ROUTER,
};

/**
 * The server group (1-based) of the host with 1-based `index` in a fleet: hosts 1..members go to group 1, the next
 * `members` to group 2, and so on. Derived from the index alone, so a growing fleet never moves an existing host
 * (a host's `scheduler_hints.group` is ForceNew: moving it replaces the server).
 */
export function serverGroupOrdinal(index: number, members: number): number {
  return Math.floor((index - 1) / members) + 1;
}

/** Server groups a fleet of `hosts` needs with `members` per group. */
export function serverGroupCount(hosts: number, members: number): number {
  return hosts === 0 ? 0 : serverGroupOrdinal(hosts, members);
}

/**
 * Limits checked at load: server groups per project, hypervisors for hard anti-affinity, routes per router, and
 * hypervisor counts naming zones the site does not have.
 */
export function checkSiteLimits(env: EnvironmentFile, instancesIn: (svc: EnvironmentFile["services"][number], site: string) => number, add: Add): void {
  env.sites.openstack.forEach((site, si) => {
    const base: Path = ["sites", "openstack", si];
    const limits = site.limits;
    const limitsPath = (field: string): string => `sites.openstack[${si}].limits.${field}`;

    if (site.routes.length > limits.routesPerRouter) {
      add([...base, "routes", limits.routesPerRouter], `site "${site.name}" has ${site.routes.length} routes, over the ${limits.routesPerRouter} a Neutron router accepts (max_routes); Neutron refuses the router update. Summarize routes into covering networks, or, if the cloud's max_routes is higher, set ${limitsPath("routesPerRouter")} to it`);
    }

    let groups = 0;
    env.services.forEach((svc, vi) => {
      const count = instancesIn(svc, site.name);
      if (count === 0 || svc.placement === "none") return;
      groups += serverGroupCount(count, limits.serverGroupMembers);
      if (svc.placement !== "anti-affinity" || limits.hypervisorsPerAvailabilityZone === undefined) return;
      checkHardAntiAffinity(site, si, svc.name, count, Object.hasOwn(svc.instancesBySite, site.name) ? ["services", vi, "instancesBySite", site.name] : ["services", vi, "instancesPerSite"], add);
    });
    if (groups > limits.serverGroups) {
      add([...base, "limits", "serverGroups"], `site "${site.name}" needs ${groups} Nova server groups (one per ${limits.serverGroupMembers} hosts of each service with a placement), over the project quota of ${limits.serverGroups} (server_groups); raise the quota and set ${limitsPath("serverGroups")}, or use placement: none for a service`);
    }

    for (const zone of Object.keys(limits.hypervisorsPerAvailabilityZone ?? {})) {
      if (!site.availabilityZones.includes(zone)) {
        add([...base, "limits", "hypervisorsPerAvailabilityZone", zone], `site "${site.name}" has no availability zone "${zone}" (its zones: ${site.availabilityZones.join(", ")}); name one of them`);
      }
    }
  });
}

/**
 * Hard anti-affinity puts every member of a server group on its own hypervisor: the members a group places in a
 * zone (hosts go round-robin over the zones) must not outnumber the zone's hypervisors, or Nova fails the extra
 * servers with "No valid host was found". Each group is checked alone: Nova does not spread across groups.
 */
function checkHardAntiAffinity(site: EnvironmentFile["sites"]["openstack"][number], si: number, service: string, count: number, path: Path, add: Add): void {
  const zones = site.availabilityZones;
  const hypervisors = site.limits.hypervisorsPerAvailabilityZone ?? {};
  const perGroupAndZone = new Map<string, number>();
  for (let n = 1; n <= count; n++) {
    const key = `${serverGroupOrdinal(n, site.limits.serverGroupMembers)}\u0000${zones[zoneIndexOf(n, zones.length)]}`;
    perGroupAndZone.set(key, (perGroupAndZone.get(key) ?? 0) + 1);
  }
  const reported = new Set<string>();
  for (const [key, members] of perGroupAndZone) {
    const zone = key.split("\u0000")[1];
    const available = Object.hasOwn(hypervisors, zone) ? hypervisors[zone] : undefined;
    if (available === undefined || members <= available || reported.has(zone)) continue;
    reported.add(zone);
    add(path, `service "${service}" places ${members} members of one anti-affinity server group in zone "${zone}" of site "${site.name}", which has ${available} hypervisor(s) (sites.openstack[${si}].limits.hypervisorsPerAvailabilityZone.${zone}); hard anti-affinity needs one hypervisor per member: lower the instances, use placement: soft-anti-affinity, or add hypervisors and raise the count`);
  }
}
