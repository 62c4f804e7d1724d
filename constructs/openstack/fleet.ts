import { Fn, TerraformIterator, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { DataOpenstackImagesImageV2 } from "../../.gen/providers/openstack/data-openstack-images-image-v2";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { isValidIpv4 } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { defineLiteralLocal, HostMap, ValidationError } from "../core";
import type { IOpenstackSiteNetwork } from "./site-network";

/** The per-host facts a fleet needs; HostModel satisfies it. */
export interface OpenstackFleetHost {
  /** Host name, also the Nova instance name and the `for_each` key (`<env>-<site>-<service>-NNN`). */
  readonly name: string;
  /** Fixed IPv4 address on the site subnet, outside the DHCP allocation pool; decided by the model's IPAM. */
  readonly ip: string;
  /** Nova availability zone of the host (`availability_zone`), one of the site's `availabilityZones`. */
  readonly availabilityZone: string;
  /** 1-based index into `serverGroupIds` when the fleet spans several server groups. @default 1 */
  readonly serverGroup?: number;
  /** Golden-image version the host runs: a key of `imagesByVersion`. Required with `imagesByVersion`. */
  readonly imageVersion?: string;
  /** False while the host is out of service: its load-balancer members get weight 0. @default true */
  readonly inService?: boolean;
}

/** Octavia member weight of a host in service (Octavia API: 0 to 256, 0 takes no new connections). */
export const MEMBER_WEIGHT_IN_SERVICE = 1;
/** Octavia member weight of a host a rollout holds out of service: it takes no new connections. */
export const MEMBER_WEIGHT_OUT_OF_SERVICE = 0;

/** The Glance image a fleet boots from: exactly one of `id` or `name`. */
export interface OpenstackFleetImage {
  /** Glance image id. */
  readonly id?: string;
  /** Glance image name, looked up (most recent) when no id is given. */
  readonly name?: string;
}

/** Props of {@link OpenstackFleet}; every value comes from the model. */
export interface OpenstackFleetProps {
  /** Hosts keyed by name; every host becomes one instance and one fixed-IP port, addressed by its name. */
  readonly hosts: readonly OpenstackFleetHost[];
  /** Name of the Terraform local that holds the host map (unique in the stack). */
  readonly hostsLocalName: string;
  /** Where the ports go (the site subnet); the instances wait for its router interface when it names one. */
  readonly network: Pick<IOpenstackSiteNetwork, "networkId" | "subnetId" | "routerInterface">;
  /** Neutron security groups applied to every host port, e.g. {@link OpenstackServiceSecurityGroup.securityGroupId}. */
  readonly securityGroupIds: readonly string[];
  /** Nova flavor name (`flavor_name`), e.g. `m1.medium`: `services[].flavor` in the environment file. */
  readonly flavorName: string;
  /** The golden image to boot, by Glance ID or name (`images[].openstack.<site>`). */
  readonly image: OpenstackFleetImage;
  /**
   * Images by version, each host booting the one of its `imageVersion` (a golden-image rollout runs two versions in
   * one fleet). The host map then carries each host's `version` and member `weight`, the name lookups are one data
   * source with `for_each` over the versions, and the instances read their image through the local
   * `image_ids_<name>` (`hosts_web` → `image_ids_web`): so a host's configuration changes only when its own version does.
   * @default - every host boots `image`
   */
  readonly imagesByVersion?: Readonly<Record<string, OpenstackFleetImage>>;
  /** Nova metadata key set to each host's own version (with `imagesByVersion`). @default - none */
  readonly versionMetadataKey?: string;
  /** Nova key pair injected into every host (`key_pair`): `ssh.keyName` in the environment file. */
  readonly keyPairName: string;
  /**
   * Nova server groups for placement; each host names its group with `serverGroup` (1-based). Several groups are
   * needed when a fleet outgrows Nova's members-per-group quota: anti-affinity then holds within each group only.
   * @default - no scheduler hint
   */
  readonly serverGroupIds?: readonly string[];
  /** Boot from a Cinder volume of this size. @default - boot from the image on local disk */
  readonly volumeSizeGiB?: number;
  /** Nova metadata on every instance. @default {} */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * A fleet of instances from one golden image, each on a port with its fixed IP, spread over availability zones.
 * One `for_each` resource per kind keyed by host name: every host stays individually addressable.
 */
export class OpenstackFleet extends Construct {
  /** The host map (`local.<hostsLocalName>`): what pool members and other per-host resources iterate over. */
  readonly hosts: HostMap;
  /** The `openstack_compute_instance_v2` resource, one instance per host through `for_each`. */
  readonly instances: ComputeInstanceV2;
  /** The `openstack_networking_port_v2` resource, one port with the fixed address per host through `for_each`. */
  readonly ports: NetworkingPortV2;

  constructor(scope: Construct, id: string, props: OpenstackFleetProps) {
    super(scope, id);
    const names = new Set<string>();
    for (const h of props.hosts) {
      if (names.has(h.name)) throw new ValidationError(`host "${h.name}" appears twice`, this);
      names.add(h.name);
      if (!isValidIpv4(h.ip)) throw new ValidationError(`host "${h.name}" has no valid IPv4 address, got "${h.ip}"`, this);
    }
    if (!props.imagesByVersion && !props.image.id && !props.image.name) throw new ValidationError(`image needs an id or a name`, this);
    if (props.hosts.length === 0) throw new ValidationError(`a fleet needs at least one host`, this);
    const groups = props.serverGroupIds ?? [];
    for (const h of props.hosts) {
      const g = h.serverGroup ?? 1;
      if (groups.length > 0 && !(Number.isInteger(g) && g >= 1 && g <= groups.length)) {
        throw new ValidationError(`host "${h.name}" names server group ${g}, but the fleet has ${groups.length} (serverGroupIds)`, this);
      }
    }

    // The group goes into the host map only when there are several: a one-group fleet keeps the map it always had.
    const versions = props.imagesByVersion;
    if (versions) {
      for (const [v, img] of Object.entries(versions)) if (!img.id && !img.name) throw new ValidationError(`image version "${v}" needs an id or a name`, this);
      for (const h of props.hosts) {
        if (h.imageVersion === undefined || !Object.hasOwn(versions, h.imageVersion)) {
          throw new ValidationError(`host "${h.name}" runs image version "${h.imageVersion ?? ""}", which imagesByVersion does not have (${Object.keys(versions).join(", ")})`, this);
        }
      }
    }
    const map: Record<string, { ip: string; az: string; group?: number; version?: string; weight?: number }> = {};
    for (const h of props.hosts) {
      map[h.name] = {
        ip: h.ip,
        az: h.availabilityZone,
        ...(groups.length > 1 ? { group: h.serverGroup ?? 1 } : {}),
        ...(versions ? { version: h.imageVersion!, weight: h.inService === false ? MEMBER_WEIGHT_OUT_OF_SERVICE : MEMBER_WEIGHT_IN_SERVICE } : {}),
      };
    }
    this.hosts = HostMap.define(this, props.hostsLocalName, map);

    const imageId = versions
      ? this.versionedImageId(props.hostsLocalName, versions)
      : (props.image.id ?? new DataOpenstackImagesImageV2(this, "Image", { name: terraformLiteral(props.image.name!), mostRecent: true }).id);

    const portHosts = this.hosts.forEach();
    this.ports = new NetworkingPortV2(this, "Port", {
      forEach: portHosts,
      name: portHosts.key,
      networkId: props.network.networkId,
      adminStateUp: true,
      securityGroupIds: [...props.securityGroupIds],
      fixedIp: [{ subnetId: props.network.subnetId, ipAddress: portHosts.getString("ip") }],
    });

    const hosts = this.hosts.forEach();
    this.instances = new ComputeInstanceV2(this, "Instance", {
      forEach: hosts,
      name: hosts.key,
      flavorName: terraformLiteral(props.flavorName),
      // Booting from a volume, the image goes in block_device only: the provider reports no image_id for such
      // servers, so setting it too would show a forced replacement on every plan.
      ...(props.volumeSizeGiB ? {} : { imageId }),
      availabilityZone: hosts.getString("az"),
      keyPair: terraformLiteral(props.keyPairName),
      metadata: {
        ...Object.fromEntries(Object.entries(props.metadata ?? {}).map(([k, v]) => [k, terraformLiteral(v)])),
        ...(versions && props.versionMetadataKey ? { [props.versionMetadataKey]: hosts.getString("version") } : {}),
      },
      network: [{ port: `\${${this.ports.terraformResourceType}.${this.ports.friendlyUniqueId}[each.key].id}` }],
      ...(groups.length > 0 ? { schedulerHints: [{ group: groups.length === 1 ? groups[0] : serverGroupOf(groups, hosts) }] } : {}),
      ...(props.volumeSizeGiB
        ? {
            blockDevice: [
              { uuid: imageId, sourceType: "image", destinationType: "volume", volumeSize: props.volumeSizeGiB, bootIndex: 0, deleteOnTermination: true },
            ],
          }
        : {}),
      // The router interface, never a data source: instances reach the metadata service and mirrors through it.
      ...(props.network.routerInterface ? { dependsOn: [props.network.routerInterface] } : {}),
    });
  }

  /**
   * `${local.image_ids_<name>[each.value.version]}`: the local maps each version to its Glance id, written
   * literally or read by one `for_each` data source over the names (keyed by version, so a version's lookup keeps
   * its address whichever versions run beside it).
   */
  private versionedImageId(hostsLocalName: string, versions: Readonly<Record<string, OpenstackFleetImage>>): string {
    // `hosts_web` gives `image_names_web` and `image_ids_web`.
    const suffix = hostsLocalName.replace(/^hosts_/, "");
    const names: Record<string, string> = {};
    for (const [v, img] of Object.entries(versions)) if (!img.id) names[v] = img.name!;
    const ids: Record<string, string> = {};
    if (Object.keys(names).length > 0) {
      const each = TerraformIterator.fromMap(defineLiteralLocal(this, `image_names_${suffix}`, names) as unknown as Record<string, unknown>);
      const lookup = new DataOpenstackImagesImageV2(this, "Image", { forEach: each, name: each.value, mostRecent: true });
      for (const v of Object.keys(names)) ids[v] = `\${data.${lookup.terraformResourceType}.${lookup.friendlyUniqueId}[${JSON.stringify(v)}].id}`;
    }
    for (const [v, img] of Object.entries(versions)) if (img.id) ids[v] = terraformLiteral(img.id);
    new TerraformLocal(this, `image_ids_${suffix}`, ids).overrideLogicalId(`image_ids_${suffix}`);
    return `\${local.image_ids_${suffix}[each.value.version]}`;
  }
}

/** The group id of the current host, `{"1" = <id>, "2" = <id>}[each.value.group]`: a group missing from the map fails the plan. */
function serverGroupOf(ids: readonly string[], hosts: TerraformIterator): string {
  const byOrdinal: Record<string, string> = {};
  ids.forEach((id, i) => (byOrdinal[String(i + 1)] = id));
  return Fn.lookup(byOrdinal, hosts.getString("group"));
}
