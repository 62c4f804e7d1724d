/**
 * Which existing object each resource instance of a site stack is, and what Terraform will read from it on import.
 *
 * Identity, per resource type (names are the stack's names; objects that have none are matched by what they are):
 * network, subnet, router, security group, server group, load balancer: by name (a load balancer also by its VIP
 * address); port: by fixed IP on the site network; instance: by name; router interface: the router's interface port
 * on the subnet; router route: the router's route with the same destination and next hop; security-group rule: in
 * its group, by direction, ethertype, protocol, port range and remote prefix or group; listener: its load balancer
 * and port; pool: its listener; monitor: its pool; member: its pool, address and port; floating IP: its address.
 *
 * Import ids follow the provider's documentation (terraform-provider-openstack v3.x, docs/resources/*.md): the
 * object id, except a router interface (the interface's port id), a router route
 * (`<router_id>-route-<destination_cidr>-<next_hop>`) and a pool member (`<pool_id>/<member_id>`).
 */
import { blocksOf, instancesOf, referenceReader, sourceAttribute, traversalOf, type ReferenceReader, type TerraformJson } from "../../../terraform-json";
import type { SiteDumps } from "./dumps";
import type { TargetInstance } from "./targets";

/** A value Terraform only knows after apply: a reference to something that will be created. */
export const KNOWN_AFTER_APPLY = "(known after apply)";

export interface Matched {
  readonly target: TargetInstance;
  /** The instance's arguments with references resolved to the ids of what they point to (or "(known after apply)"). */
  readonly resolvedConfig: Record<string, unknown>;
  /** The id the `import` block carries. */
  readonly importId: string;
  /** The object's own id (what references to the address resolve to). */
  readonly objectId: string;
  /** What the object is called in OpenStack, for reports (`port 10.10.1.1`, a name). */
  readonly label: string;
  /** The resource's arguments as the provider will read them from the object, by Terraform attribute name. */
  readonly observed: Record<string, unknown>;
  /** Attributes other resources refer to (`id`, `vip_port_id`). */
  readonly refs: Record<string, string>;
}

export interface Unmatched {
  readonly kind: string;
  readonly id: string;
  readonly label: string;
}

export interface MatchResult {
  readonly matched: Matched[];
  /** Instances nothing exists for: the first apply creates them. */
  readonly missing: TargetInstance[];
  /** Objects in the dumps that no instance claims: left alone by the stack. */
  readonly unclaimed: Unmatched[];
}

/** Resolves the resource's references once what they point to is matched. */
type Resolve = (value: unknown) => unknown;

/** Types in the order their references need: a subnet after its network, a member after its pool. */
const ORDER = [
  "openstack_networking_network_v2",
  "openstack_networking_subnet_v2",
  "openstack_networking_router_v2",
  "openstack_networking_router_interface_v2",
  "openstack_networking_router_route_v2",
  "openstack_networking_secgroup_v2",
  "openstack_networking_secgroup_rule_v2",
  "openstack_compute_servergroup_v2",
  "openstack_networking_port_v2",
  "openstack_compute_instance_v2",
  "openstack_lb_loadbalancer_v2",
  "openstack_lb_listener_v2",
  "openstack_lb_pool_v2",
  "openstack_lb_monitor_v2",
  "openstack_lb_member_v2",
  "openstack_networking_floatingip_v2",
];

/** Resource types adopt can match; instances of others are reported to be created, with a note. */
export const ADOPTABLE_TYPES: readonly string[] = ORDER;

interface Candidate {
  readonly kind: string;
  readonly id: string;
  readonly importId?: string;
  readonly label: string;
  readonly observed: Record<string, unknown>;
  readonly refs?: Record<string, string>;
}

export function matchSite(targets: readonly TargetInstance[], dumps: SiteDumps, data: DataSources): MatchResult {
  const byAddress = new Map<string, Matched>();
  const claimed = new Set<string>();
  const resolve: Resolve = (value) => resolveRefs(value, byAddress, data, dumps);
  const ordered = [...targets].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  const missing: TargetInstance[] = [];
  for (const target of ordered) {
    const config = resolve(target.config) as Record<string, unknown>;
    const found = findCandidate(target, config, dumps, claimed);
    if (!found) {
      missing.push(target);
      continue;
    }
    claimed.add(found.id);
    byAddress.set(target.address, {
      target,
      resolvedConfig: config,
      importId: found.importId ?? found.id,
      objectId: found.id,
      label: found.label,
      observed: found.observed,
      refs: { id: found.id, ...(found.refs ?? {}) },
    });
  }
  return {
    matched: [...byAddress.values()].sort((a, b) => compare(a.target.address, b.target.address)),
    missing: missing.sort((a, b) => compare(a.address, b.address)),
    unclaimed: unclaimedObjects(dumps, claimed, data),
  };
}

/** What the stack's references read, and the external networks its data sources look up. */
export interface DataSources {
  /** Follows the stack's references through its locals to the instance or literal they read (terraform-json/). */
  readonly reader: ReferenceReader;
  /** Names of the networks its `openstack_networking_network_v2` data sources look up. */
  readonly networks: readonly string[];
}

export function dataSourcesOf(stack: unknown): DataSources {
  const tf = stack as TerraformJson;
  const networks = blocksOf(tf, "data")
    .filter((b) => b.type === "openstack_networking_network_v2")
    .flatMap((b) => instancesOf(b, tf).map((i) => lookupName(i.attributes)));
  return { reader: referenceReader(tf), networks };
}

/** The `name` a lookup queries, as the matcher compares it. */
function lookupName(attributes: Readonly<Record<string, unknown>>): string {
  return String(attributes.name ?? "");
}

/** `image:<name>`: how a boot volume's image is compared (the image id is read by a data source at plan time). */
export function imageToken(name: string): string {
  return `image:${name}`;
}

/**
 * A value with every string that only references something replaced by what it reads: a literal (through locals),
 * the id of a matched object (or any attribute in its `refs`), `image:<name>` for an image lookup's id, the id of the
 * external network a lookup names in the dumps; "(known after apply)" for any other reference. Other strings
 * (literals, templates, function calls) stay as written.
 */
function resolveRefs(value: unknown, byAddress: ReadonlyMap<string, Matched>, data: DataSources, dumps: SiteDumps): unknown {
  if (typeof value === "string") {
    if (!traversalOf(value)) return value;
    const read = data.reader.read(value);
    if ("literal" in read) return read.literal;
    const attribute = sourceAttribute(read);
    if (read.source?.mode === "managed") return (attribute === undefined ? undefined : byAddress.get(read.source.address)?.refs[attribute]) ?? KNOWN_AFTER_APPLY;
    const lookup = read.source && attribute === "id" ? data.reader.dataInstance(read.source.address) : undefined;
    if (lookup?.block.type === "openstack_images_image_v2") return imageToken(lookupName(lookup.attributes));
    if (lookup?.block.type === "openstack_networking_network_v2") {
      return dumps.networks.find((n) => n.name === lookupName(lookup.attributes) && n.external)?.id ?? KNOWN_AFTER_APPLY;
    }
    return KNOWN_AFTER_APPLY;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, byAddress, data, dumps));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, byAddress, data, dumps)]));
  return value;
}

const known = (v: unknown): v is string => typeof v === "string" && v !== KNOWN_AFTER_APPLY;

function findCandidate(target: TargetInstance, c: Record<string, unknown>, d: SiteDumps, claimed: ReadonlySet<string>): Candidate | undefined {
  const free = <T extends { id: string }>(list: readonly T[]) => list.filter((o) => !claimed.has(o.id));
  switch (target.type) {
    case "openstack_networking_network_v2": {
      const n = free(d.networks).find((x) => !x.external && x.name === c.name);
      return n && { kind: "network", id: n.id, label: `network ${n.name}`, observed: { name: n.name, admin_state_up: n.adminStateUp } };
    }
    case "openstack_networking_subnet_v2": {
      const s = free(d.subnets).find((x) => x.name === c.name && (!known(c.network_id) || x.networkId === c.network_id));
      return (
        s && {
          kind: "subnet",
          id: s.id,
          label: `subnet ${s.name} ${s.cidr}`,
          observed: {
            name: s.name,
            network_id: s.networkId,
            cidr: s.cidr,
            ip_version: s.ipVersion,
            gateway_ip: s.gatewayIp ?? "",
            enable_dhcp: s.enableDhcp,
            dns_nameservers: s.dnsNameservers,
            allocation_pool: s.allocationPools.map((p) => ({ end: p.end, start: p.start })),
          },
        }
      );
    }
    case "openstack_networking_router_v2": {
      const r = free(d.routers).find((x) => x.name === c.name);
      return r && { kind: "router", id: r.id, label: `router ${r.name}`, observed: { name: r.name, admin_state_up: r.adminStateUp, external_network_id: r.externalNetworkId ?? "" } };
    }
    case "openstack_networking_router_interface_v2": {
      if (!known(c.router_id) || !known(c.subnet_id)) return undefined;
      const p = free(d.ports).find((x) => x.deviceOwner === "network:router_interface" && x.deviceId === c.router_id && x.fixedIps.some((f) => f.subnetId === c.subnet_id));
      return p && { kind: "router interface", id: p.id, label: `router interface port ${p.fixedIps[0]?.ipAddress ?? p.id}`, observed: { router_id: p.deviceId, subnet_id: c.subnet_id } };
    }
    case "openstack_networking_router_route_v2": {
      if (!known(c.router_id)) return undefined;
      const router = d.routers.find((r) => r.id === c.router_id);
      const route = router?.routes.find((r) => r.destination === c.destination_cidr && r.nexthop === c.next_hop);
      if (!router || !route) return undefined;
      const id = `${router.id}-route-${route.destination}-${route.nexthop}`;
      return { kind: "router route", id, label: `route ${route.destination} via ${route.nexthop}`, observed: { router_id: router.id, destination_cidr: route.destination, next_hop: route.nexthop } };
    }
    case "openstack_networking_secgroup_v2": {
      const g = free(d.securityGroups).find((x) => x.name === c.name);
      return g && { kind: "security group", id: g.id, label: `security group ${g.name}`, observed: { name: g.name, description: g.description } };
    }
    case "openstack_networking_secgroup_rule_v2": {
      if (!known(c.security_group_id)) return undefined;
      const group = d.securityGroups.find((g) => g.id === c.security_group_id);
      const same = (a: unknown, b: unknown) => (a ?? null) === (b === "" ? null : (b ?? null));
      const r = group?.rules.find(
        (x) =>
          !claimed.has(x.id) &&
          x.direction === c.direction &&
          x.ethertype === c.ethertype &&
          same(x.protocol, c.protocol) &&
          same(x.portRangeMin, c.port_range_min) &&
          same(x.portRangeMax, c.port_range_max) &&
          same(x.remoteIpPrefix, c.remote_ip_prefix) &&
          same(x.remoteGroupId, c.remote_group_id),
      );
      return (
        r && {
          kind: "security group rule",
          id: r.id,
          label: `rule ${ruleLabel(r)} in ${group!.name}`,
          observed: {
            security_group_id: r.securityGroupId,
            direction: r.direction,
            ethertype: r.ethertype,
            protocol: r.protocol ?? "",
            port_range_min: r.portRangeMin ?? 0,
            port_range_max: r.portRangeMax ?? 0,
            remote_ip_prefix: r.remoteIpPrefix ?? "",
            description: r.description,
          },
        }
      );
    }
    case "openstack_compute_servergroup_v2": {
      const g = free(d.serverGroups).find((x) => x.name === c.name);
      return g && { kind: "server group", id: g.id, label: `server group ${g.name}`, observed: { name: g.name, policies: [g.policy] } };
    }
    case "openstack_networking_port_v2": {
      const wanted = (c.fixed_ip as { ip_address?: string }[] | undefined)?.[0]?.ip_address;
      const p = free(d.ports).find((x) => x.fixedIps.some((f) => f.ipAddress === wanted) && (!known(c.network_id) || x.networkId === c.network_id));
      return (
        p && {
          kind: "port",
          id: p.id,
          label: `port ${p.name || "(no name)"} ${p.fixedIps.map((f) => f.ipAddress).join(", ")}`,
          observed: {
            name: p.name,
            network_id: p.networkId,
            admin_state_up: p.adminStateUp,
            security_group_ids: [...p.securityGroupIds].sort(),
            fixed_ip: p.fixedIps.map((f) => ({ ip_address: f.ipAddress, subnet_id: f.subnetId })),
          },
        }
      );
    }
    case "openstack_compute_instance_v2": {
      const s = free(d.servers).find((x) => x.name === c.name);
      if (!s) return undefined;
      return { kind: "server", id: s.id, label: `server ${s.name}`, observed: observedServer(s, d) };
    }
    case "openstack_lb_loadbalancer_v2": {
      const l = free(d.loadBalancers).find((x) => x.vipAddress === c.vip_address && (!known(c.vip_subnet_id) || x.vipSubnetId === c.vip_subnet_id)) ?? free(d.loadBalancers).find((x) => x.name === c.name);
      return (
        l && {
          kind: "load balancer",
          id: l.id,
          label: `load balancer ${l.name} (VIP ${l.vipAddress})`,
          observed: { name: l.name, vip_address: l.vipAddress, vip_subnet_id: l.vipSubnetId, admin_state_up: l.adminStateUp },
          refs: { vip_port_id: l.vipPortId },
        }
      );
    }
    case "openstack_lb_listener_v2": {
      if (!known(c.loadbalancer_id)) return undefined;
      const l = free(d.listeners).find((x) => x.loadBalancerIds.includes(c.loadbalancer_id as string) && x.protocolPort === c.protocol_port);
      return (
        l && {
          kind: "listener",
          id: l.id,
          label: `listener ${l.name} ${l.protocol}/${l.protocolPort}`,
          observed: {
            name: l.name,
            loadbalancer_id: c.loadbalancer_id,
            protocol: l.protocol,
            protocol_port: l.protocolPort,
            allowed_cidrs: [...l.allowedCidrs].sort(),
            ...(l.defaultTlsContainerRef ? { default_tls_container_ref: l.defaultTlsContainerRef } : {}),
          },
        }
      );
    }
    case "openstack_lb_pool_v2": {
      if (!known(c.listener_id)) return undefined;
      const p = free(d.pools).find((x) => x.listenerIds.includes(c.listener_id as string));
      return p && { kind: "pool", id: p.id, label: `pool ${p.name}`, observed: { name: p.name, listener_id: c.listener_id, protocol: p.protocol, lb_method: p.lbMethod } };
    }
    case "openstack_lb_monitor_v2": {
      if (!known(c.pool_id)) return undefined;
      const h = free(d.healthMonitors).find((x) => x.poolIds.includes(c.pool_id as string));
      return (
        h && {
          kind: "health monitor",
          id: h.id,
          label: `health monitor ${h.name || "(no name)"} ${h.type}`,
          observed: {
            name: h.name,
            pool_id: c.pool_id,
            type: h.type,
            delay: h.delay,
            timeout: h.timeout,
            max_retries: h.maxRetries,
            max_retries_down: h.maxRetriesDown,
            ...(h.urlPath !== null ? { url_path: h.urlPath } : {}),
            ...(h.httpMethod !== null ? { http_method: h.httpMethod } : {}),
            ...(h.expectedCodes !== null ? { expected_codes: h.expectedCodes } : {}),
          },
        }
      );
    }
    case "openstack_lb_member_v2": {
      if (!known(c.pool_id)) return undefined;
      const m = free(d.members).find((x) => x.poolId === c.pool_id && x.address === c.address && x.protocolPort === c.protocol_port);
      return (
        m && {
          kind: "member",
          id: m.id,
          importId: `${m.poolId}/${m.id}`,
          label: `member ${m.name || "(no name)"} ${m.address}:${m.protocolPort}`,
          observed: { name: m.name, pool_id: m.poolId, address: m.address, protocol_port: m.protocolPort },
        }
      );
    }
    case "openstack_networking_floatingip_v2": {
      const f = free(d.floatingIps).find((x) => x.address === c.address);
      const pool = f && d.networks.find((n) => n.id === f.networkId)?.name;
      return f && { kind: "floating IP", id: f.id, label: `floating IP ${f.address}`, observed: { address: f.address, port_id: f.portId ?? "", description: f.description, ...(pool ? { pool } : {}) } };
    }
    default:
      return undefined;
  }
}

/**
 * A server as terraform-provider-openstack v3.x records it on import (resource_openstack_compute_instance_v2.go,
 * `resourceOpenStackComputeInstanceV2ImportState` and `resourceComputeInstanceV2Read`): block_device from its
 * bootable attached volumes (uuid = the volume's image, delete_on_termination true, volume_size), key_pair,
 * availability_zone, flavor_name, metadata. `network[].port` and `scheduler_hints` are not read back.
 */
function observedServer(s: SiteDumps["servers"][number], d: SiteDumps): Record<string, unknown> {
  const volumes = s.volumeIds.map((id) => d.volumes.find((v) => v.id === id)).filter((v) => v !== undefined && v.bootable);
  return {
    name: s.name,
    flavor_name: s.flavorName,
    availability_zone: s.availabilityZone,
    key_pair: s.keyName ?? "",
    metadata: s.metadata,
    block_device: volumes.map((v, i) => ({
      boot_index: i,
      delete_on_termination: true,
      destination_type: "volume",
      source_type: "image",
      uuid: v!.imageName ? imageToken(v!.imageName) : "",
      volume_size: v!.size,
    })),
    // Not read back on import (terraform-provider-openstack issue #1280): what the server really runs is reported.
    [SERVER_GROUP_OBSERVED]: d.serverGroups.find((g) => g.members.includes(s.id))?.id ?? "",
    [IMAGE_OBSERVED]: s.imageName,
  };
}

/** Facts about a server the provider does not put into state, carried for the report. */
export const SERVER_GROUP_OBSERVED = "(server group)";
export const IMAGE_OBSERVED = "(image)";

function ruleLabel(r: SiteDumps["securityGroups"][number]["rules"][number]): string {
  const ports = r.portRangeMin === null ? "any" : r.portRangeMin === r.portRangeMax ? `${r.portRangeMin}` : `${r.portRangeMin}-${r.portRangeMax}`;
  const remote = r.remoteIpPrefix ?? (r.remoteGroupId ? `group ${r.remoteGroupId}` : "anywhere");
  return `${r.direction} ${r.ethertype} ${r.protocol ?? "any"}/${ports} ${r.direction === "ingress" ? "from" : "to"} ${remote}`;
}

/**
 * What exists and no instance claims. Not listed because the stack neither describes nor owns them by design: the
 * external network and its subnets (read by a data source), the project's `default` security group and Neutron's
 * default egress rules in any group, ports Neutron, Nova or Octavia own for an object already listed (router
 * gateway and interfaces, DHCP, VIP and amphora ports, ports of matched servers), boot volumes of matched servers.
 */
function unclaimedObjects(d: SiteDumps, claimed: ReadonlySet<string>, data: DataSources): Unmatched[] {
  const out: Unmatched[] = [];
  const externalNames = new Set(data.networks);
  const external = new Set(d.networks.filter((n) => n.external || externalNames.has(n.name)).map((n) => n.id));
  const add = (kind: string, id: string, label: string) => {
    if (!claimed.has(id)) out.push({ kind, id, label });
  };
  for (const n of d.networks) if (!external.has(n.id)) add("network", n.id, `network ${n.name}`);
  for (const s of d.subnets) if (!external.has(s.networkId)) add("subnet", s.id, `subnet ${s.name} ${s.cidr}`);
  for (const r of d.routers) {
    add("router", r.id, `router ${r.name}`);
    for (const route of r.routes) add("router route", `${r.id}-route-${route.destination}-${route.nexthop}`, `route ${route.destination} via ${route.nexthop} on router ${r.name}`);
  }
  for (const g of d.securityGroups) {
    if (g.name !== "default") add("security group", g.id, `security group ${g.name}`);
    for (const r of g.rules) {
      const neutronDefault = r.direction === "egress" && r.protocol === null && r.portRangeMin === null && r.remoteIpPrefix === null && r.remoteGroupId === null;
      if (g.name !== "default" && !neutronDefault) add("security group rule", r.id, `rule ${ruleLabel(r)} in ${g.name}`);
    }
  }
  for (const g of d.serverGroups) add("server group", g.id, `server group ${g.name}`);
  const claimedServers = new Set(d.servers.filter((s) => claimed.has(s.id)).map((s) => s.id));
  for (const p of d.ports) {
    const owned = /^(network:|Octavia|neutron:LOADBALANCER)/.test(p.deviceOwner) || (p.deviceOwner.startsWith("compute:") && claimedServers.has(p.deviceId));
    if (!owned && !external.has(p.networkId)) add("port", p.id, `port ${p.name || "(no name)"} ${p.fixedIps.map((f) => f.ipAddress).join(", ")}`);
  }
  for (const s of d.servers) add("server", s.id, `server ${s.name}`);
  for (const v of d.volumes) if (!v.serverIds.some((id) => claimedServers.has(id))) add("volume", v.id, `volume of ${v.size} GiB`);
  for (const f of d.floatingIps) add("floating IP", f.id, `floating IP ${f.address}`);
  for (const l of d.loadBalancers) add("load balancer", l.id, `load balancer ${l.name} (VIP ${l.vipAddress})`);
  for (const l of d.listeners) add("listener", l.id, `listener ${l.name} ${l.protocol}/${l.protocolPort}`);
  for (const p of d.pools) add("pool", p.id, `pool ${p.name}`);
  for (const h of d.healthMonitors) add("health monitor", h.id, `health monitor ${h.name || "(no name)"} ${h.type}`);
  for (const m of d.members) add("member", m.id, `member ${m.name || "(no name)"} ${m.address}:${m.protocolPort}`);
  return out.sort((a, b) => compare(a.kind, b.kind) || compare(a.label, b.label));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
