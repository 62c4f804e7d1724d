/**
 * What the stacks of one OpenStack site ask of its cloud, read from their synthesized Terraform JSON: the objects
 * they create (with the names they carry, to tell them apart from what a deployed site already holds), the objects
 * they look up (flavors, images, availability zones, the external network, a key pair) and the services they call.
 * Server-group membership comes from the model (the hosts' `serverGroup`), the one home of that decision.
 */
import { blocksOf, instancesOf, referenceReader, sourceAttribute, stepsText, traversalOf, type ReferenceReader, type TerraformJson } from "../../../terraform-json";
import type { OpenstackSiteModel } from "../../../model";
import { bootsFromVolume } from "./policy-rules";

export interface ServerDemand {
  readonly name: string;
  readonly flavor: string;
  readonly availabilityZone?: string;
  /** Size of the boot volume Nova creates. @default - boots from the image on the hypervisor's disk */
  readonly bootVolumeGiB?: number;
}

export interface LoadBalancerDemand {
  readonly name: string;
  readonly vipAddress?: string;
}

export interface ImageLookup {
  readonly name?: string;
  readonly id?: string;
  /** Terraform addresses that read it. */
  readonly usedBy: readonly string[];
}

/** Counts of one kind of object, with the names of those that carry one (empty names are unnamed objects). */
export interface Created {
  readonly count: number;
  readonly names: readonly string[];
}

export interface SiteDemand {
  readonly stacks: readonly string[];
  readonly servers: readonly ServerDemand[];
  readonly networks: Created;
  readonly subnets: Created;
  readonly routers: Created;
  /** Ports the stacks create by name, plus one per router interface (Neutron creates it in the project). */
  readonly ports: Created;
  readonly securityGroups: Created;
  /** Rules the stacks create, plus the egress rules Neutron adds to every new group (model/limits.ts). */
  readonly securityGroupRules: number;
  readonly serverGroups: readonly { readonly name: string; readonly members: number }[];
  readonly floatingIps: readonly { readonly address: string; readonly pool: string }[];
  readonly loadBalancers: readonly LoadBalancerDemand[];
  readonly listeners: number;
  readonly pools: number;
  readonly healthMonitors: number;
  readonly members: number;
  readonly flavors: readonly string[];
  readonly images: readonly ImageLookup[];
  readonly availabilityZones: readonly string[];
  readonly externalNetworks: readonly string[];
  /**
   * Key pair the servers name; `created` when a stack registers it, with the public key it registers (key pairs
   * belong to the user, not the project).
   */
  readonly keyPair?: { readonly name: string; readonly created: boolean; readonly publicKey?: string };
  /** Barbican containers named by TERMINATED_HTTPS listeners. */
  readonly tlsContainers: readonly string[];
}

const literal = (v: unknown): string | undefined => (typeof v === "string" && !v.includes("${") ? v : undefined);
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * Reads the site's stacks. `egressRulesPerGroup` is what Neutron adds to every new security group
 * (DEFAULT_EGRESS_RULES_PER_GROUP).
 */
export function siteDemand(site: OpenstackSiteModel, stacks: readonly { readonly name: string; readonly tf: TerraformJson }[], egressRulesPerGroup: number): SiteDemand {
  const servers: ServerDemand[] = [];
  const named = { networks: [] as string[], subnets: [] as string[], routers: [] as string[], ports: [] as string[], securityGroups: [] as string[] };
  let routerInterfaces = 0;
  let rules = 0;
  const floatingIps: { address: string; pool: string }[] = [];
  const loadBalancers: LoadBalancerDemand[] = [];
  const counts = { listeners: 0, pools: 0, healthMonitors: 0, members: 0 };
  const flavors = new Set<string>();
  const zones = new Set<string>();
  const externalNetworks = new Set<string>();
  const images = new Map<string, { name?: string; id?: string; usedBy: string[] }>();
  const tls = new Set<string>();
  let keyName: string | undefined;
  let keyCreated = false;
  let publicKey: string | undefined;
  // Key pairs the stacks register, by the address servers refer to them with.
  const keyPairs = new Map<string, { name?: string; publicKey?: string }>();
  for (const { tf } of stacks) {
    for (const block of blocksOf(tf, "managed").filter((b) => b.type === "openstack_compute_keypair_v2")) {
      keyPairs.set(block.address, { ...(literal(block.config.name) ? { name: literal(block.config.name) } : {}), ...(literal(block.config.public_key) ? { publicKey: literal(block.config.public_key) } : {}) });
    }
  }
  /** The key pair a server's `key_pair` names: a literal name, or the `name` of a key pair a stack registers. */
  const keyPairOf = (ref: unknown, reader: ReferenceReader): { name?: string; publicKey?: string } | undefined => {
    if (literal(ref)) return { name: literal(ref) };
    const read = reader.read(ref);
    return read.source?.mode === "managed" && sourceAttribute(read) === "name" ? keyPairs.get(read.source.address) : undefined;
  };

  for (const { tf } of stacks) {
    for (const block of blocksOf(tf, "data")) {
      const a = block.config;
      if (block.type === "openstack_networking_network_v2" && a.external === true && literal(a.name)) externalNetworks.add(literal(a.name)!);
    }
  }
  const imageOf = (ref: unknown, usedBy: string, reader: ReferenceReader) => {
    const image = imageRead(ref, reader);
    if (!image) return;
    const key = image.id ? `id:${image.id}` : `name:${image.name}`;
    const entry = images.get(key) ?? { ...image, usedBy: [] };
    entry.usedBy.push(usedBy);
    images.set(key, entry);
  };

  for (const { tf } of stacks) {
    const reader = referenceReader(tf);
    for (const block of blocksOf(tf, "managed")) {
      for (const { attributes: a } of instancesOf(block, tf)) {
        const name = literal(a.name) ?? "";
        switch (block.type) {
          case "openstack_networking_network_v2":
            named.networks.push(name);
            break;
          case "openstack_networking_subnet_v2":
            named.subnets.push(name);
            break;
          case "openstack_networking_router_v2":
            named.routers.push(name);
            break;
          case "openstack_networking_router_interface_v2":
            routerInterfaces += 1;
            break;
          case "openstack_networking_port_v2":
            named.ports.push(name);
            break;
          case "openstack_networking_secgroup_v2":
            named.securityGroups.push(name);
            rules += egressRulesPerGroup;
            break;
          case "openstack_networking_secgroup_rule_v2":
            rules += 1;
            break;
          case "openstack_networking_floatingip_v2":
            if (literal(a.address)) floatingIps.push({ address: literal(a.address)!, pool: literal(a.pool) ?? "" });
            break;

          case "openstack_compute_instance_v2": {
            const device = Array.isArray(a.block_device) ? (a.block_device as Record<string, unknown>[]).find((d) => d.destination_type === "volume") : undefined;
            const flavor = literal(a.flavor_name) ?? "";
            flavors.add(flavor);
            const zone = literal(a.availability_zone);
            if (zone) zones.add(zone);
            const key = keyPairOf(a.key_pair, reader);
            if (key?.name) {
              keyName = key.name;
              // The builder names the key by its literal name; it is still the one the site stack registers.
              const registered = [...keyPairs.values()].find((k) => k.name === key.name);
              keyCreated = registered !== undefined;
              publicKey = registered?.publicKey;
            }
            servers.push({ name, flavor, ...(zone ? { availabilityZone: zone } : {}), ...(bootsFromVolume(a) && typeof device?.volume_size === "number" ? { bootVolumeGiB: device.volume_size } : {}) });
            const ref = device ? device.uuid : a.image_id;
            imageOf(ref, block.address, reader);
            // A server that picks its image from a map of versions (a golden-image rollout) may run any of them by
            // the last step: every version the map holds must exist before the first host is drained.
            for (const other of otherVersions(ref, tf)) imageOf(other, block.address, reader);
            break;
          }
          case "openstack_lb_loadbalancer_v2":
            loadBalancers.push({ name, ...(literal(a.vip_address) ? { vipAddress: literal(a.vip_address) } : {}) });
            break;
          case "openstack_lb_listener_v2":
            counts.listeners += 1;
            if (literal(a.default_tls_container_ref)) tls.add(literal(a.default_tls_container_ref)!);
            break;
          case "openstack_lb_pool_v2":
            counts.pools += 1;
            break;
          case "openstack_lb_monitor_v2":
            counts.healthMonitors += 1;
            break;
          case "openstack_lb_member_v2":
            counts.members += 1;
            break;
        }
      }
    }
  }

  const serverGroups = site.services.flatMap((placed) =>
    placed.serverGroups.map((groupName, i) => ({ name: groupName, members: placed.hosts.filter((h) => (h.serverGroup ?? 1) === i + 1).length })),
  );
  const created = (names: string[], extra = 0): Created => ({ count: names.length + extra, names: sorted(names.filter((n) => n !== "")) });
  return {
    stacks: stacks.map((s) => s.name),
    servers,
    networks: created(named.networks),
    subnets: created(named.subnets),
    routers: created(named.routers),
    ports: created(named.ports, routerInterfaces),
    securityGroups: created(named.securityGroups),
    securityGroupRules: rules,
    serverGroups,
    floatingIps,
    loadBalancers,
    ...counts,
    flavors: sorted([...flavors].filter((f) => f !== "")),
    images: [...images.values()].map((i) => ({ ...i, usedBy: sorted(i.usedBy) })),
    availabilityZones: sorted(zones),
    externalNetworks: sorted(externalNetworks),
    ...(keyName ? { keyPair: { name: keyName, created: keyCreated, ...(publicKey ? { publicKey } : {}) } } : {}),
    tlsContainers: sorted(tls),
  };
}

/**
 * For `${local.<map>["<key>"]}` over a literal map of a stack's locals: the same reference at every other key of the
 * map (`${local.image_ids_web["2026.12.1"]}` beside `["2026.11.1"]`). Empty for anything else.
 */
function otherVersions(ref: unknown, tf: TerraformJson): string[] {
  const t = typeof ref === "string" ? traversalOf(ref) : undefined;
  const first = t?.steps[0];
  if (t?.kind !== "local" || !first || !("index" in first)) return [];
  const map = (tf.locals as Record<string, unknown> | undefined)?.[t.address.slice("local.".length)];
  if (map === null || typeof map !== "object" || Array.isArray(map)) return [];
  return Object.keys(map)
    .filter((k) => k !== String(first.index))
    .map((k) => `\${${t.address}${stepsText([{ index: k }, ...t.steps.slice(1)])}}`);
}

/**
 * The image a server's `image_id` or boot volume `uuid` reads: a literal id (written there or in the local entry it
 * reads, `${local.image_ids_web["2026.11.1"]}`), or the `name` an `openstack_images_image_v2` lookup queries when it
 * reads the lookup's `id`. @returns undefined for anything else (the value is then no image the cloud must hold)
 */
function imageRead(ref: unknown, reader: ReferenceReader): { name?: string; id?: string } | undefined {
  if (literal(ref)) return { id: literal(ref) };
  const read = reader.read(ref);
  if (literal(read.literal)) return { id: literal(read.literal) };
  const lookup = read.source?.mode === "data" && sourceAttribute(read) === "id" ? reader.dataInstance(read.source.address) : undefined;
  if (lookup?.block.type !== "openstack_images_image_v2") return undefined;
  const name = literal(lookup.attributes.name);
  return name ? { name } : {};
}
