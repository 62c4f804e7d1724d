import { Fn, TerraformIterator, TerraformLocal, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { DataOpenstackImagesImageV2 } from "../../.gen/providers/openstack/data-openstack-images-image-v2";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { isValidIpv4 } from "../../model";
import { literalLocalRegistry } from "../private/literal-locals";
import { terraformLiteral } from "../private/terraform-literal";

/** The per-host facts a fleet needs; HostModel satisfies it. */
export interface FleetHost {
  readonly name: string;
  readonly ip: string;
  readonly availabilityZone: string;
  /** 1-based index into `serverGroupIds` when the fleet spans several server groups. @default 1 */
  readonly serverGroup?: number;
  /** Golden-image version the host runs: a key of `imagesByVersion`. Required with `imagesByVersion`. */
  readonly imageVersion?: string;
  /** False while the host is out of service: its load-balancer members get weight 0. @default true */
  readonly inService?: boolean;
}

/** Octavia member weight of a host in service, and of one taken out (Octavia API: 0 to 256, 0 takes no new connections). */
export const MEMBER_WEIGHT_IN_SERVICE = 1;
export const MEMBER_WEIGHT_OUT_OF_SERVICE = 0;

export interface FleetImage {
  /** Glance image id. */
  readonly id?: string;
  /** Glance image name, looked up (most recent) when no id is given. */
  readonly name?: string;
}

export interface FleetProps {
  /** Hosts keyed by name; every host becomes one instance and one fixed-IP port, addressed by its name. */
  readonly hosts: readonly FleetHost[];
  /** Name of the Terraform local that holds the host map (unique in the stack). */
  readonly hostsLocalName: string;
  readonly networkId: string;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
  readonly flavorName: string;
  /** The image of every host. Ignored with `imagesByVersion`. */
  readonly image: FleetImage;
  /**
   * Images by version, each host booting the one of its `imageVersion` (a golden-image rollout runs two versions in
   * one fleet). The host map then carries each host's `version` and member `weight`, the name lookups are one data
   * source with `for_each` over the versions, and the instances read their image through the local
   * `image_ids_<name>` (`hosts_web` → `image_ids_web`): so a host's configuration changes only when its own version does.
   * @default - every host boots `image`
   */
  readonly imagesByVersion?: Readonly<Record<string, FleetImage>>;
  /** Nova metadata key set to each host's own version (with `imagesByVersion`). @default - none */
  readonly versionMetadataKey?: string;
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
  /**
   * Resources the instances must wait for and do not refer to: the router interface of their subnet (metadata
   * service, package mirrors). Never a data source. @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A fleet of instances from one golden image, each on a port with its fixed IP, spread over availability zones.
 * One `for_each` resource per kind keyed by host name: every host stays individually addressable.
 */
export class Fleet extends Construct {
  /** Expression of the host map, usable as another resource's for_each (e.g. pool members). */
  readonly hostsExpression: string;
  readonly instances: ComputeInstanceV2;
  readonly ports: NetworkingPortV2;

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    const names = new Set<string>();
    for (const h of props.hosts) {
      if (names.has(h.name)) throw new Error(`${this.node.path}: host "${h.name}" appears twice`);
      names.add(h.name);
      if (!isValidIpv4(h.ip)) throw new Error(`${this.node.path}: host "${h.name}" has no valid IPv4 address, got "${h.ip}"`);
    }
    if (!props.image.id && !props.image.name) throw new Error(`${this.node.path}: image needs an id or a name`);
    if (props.hosts.length === 0) throw new Error(`${this.node.path}: a fleet needs at least one host`);
    const groups = props.serverGroupIds ?? [];
    for (const h of props.hosts) {
      const g = h.serverGroup ?? 1;
      if (groups.length > 0 && !(Number.isInteger(g) && g >= 1 && g <= groups.length)) {
        throw new Error(`${this.node.path}: host "${h.name}" names server group ${g}, but the fleet has ${groups.length} (serverGroupIds)`);
      }
    }

    // The group goes into the host map only when there are several: a one-group fleet keeps the map it always had.
    const versions = props.imagesByVersion;
    if (versions) {
      for (const [v, img] of Object.entries(versions)) if (!img.id && !img.name) throw new Error(`${this.node.path}: image version "${v}" needs an id or a name`);
      for (const h of props.hosts) {
        if (h.imageVersion === undefined || !Object.hasOwn(versions, h.imageVersion)) {
          throw new Error(`${this.node.path}: host "${h.name}" runs image version "${h.imageVersion ?? ""}", which imagesByVersion does not have (${Object.keys(versions).join(", ")})`);
        }
      }
    }
    const map: Record<string, { ip: string; az: string; group?: number; version?: string; weight?: number }> = {};
    for (const h of props.hosts) {
      map[h.name] = {
        ip: h.ip,
        az: h.availabilityZone,
        ...(groups.length > 1 ? { group: h.serverGroup ?? 1 } : {}),
        ...(versions ? { version: h.imageVersion, weight: h.inService === false ? MEMBER_WEIGHT_OUT_OF_SERVICE : MEMBER_WEIGHT_IN_SERVICE } : {}),
      };
    }
    this.hostsExpression = literalLocalRegistry(this).addLiteralLocal(props.hostsLocalName, map);

    const imageId = versions
      ? this.versionedImageId(props.hostsLocalName, versions)
      : (props.image.id ?? new DataOpenstackImagesImageV2(this, "Image", { name: terraformLiteral(props.image.name!), mostRecent: true }).id);

    const portHosts = TerraformIterator.fromMap(this.hostsExpression as unknown as Record<string, unknown>);
    this.ports = new NetworkingPortV2(this, "Port", {
      forEach: portHosts,
      name: portHosts.key,
      networkId: props.networkId,
      adminStateUp: true,
      securityGroupIds: [...props.securityGroupIds],
      fixedIp: [{ subnetId: props.subnetId, ipAddress: portHosts.getString("ip") }],
    });

    const hosts = TerraformIterator.fromMap(this.hostsExpression as unknown as Record<string, unknown>);
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
      ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
    });
  }

  /**
   * `${local.image_ids_<name>[each.value.version]}`: the local maps each version to its Glance id, written
   * literally or read by one `for_each` data source over the names (keyed by version, so a version's lookup keeps
   * its address whichever versions run beside it).
   */
  private versionedImageId(hostsLocalName: string, versions: Readonly<Record<string, FleetImage>>): string {
    // `hosts_web` gives `image_names_web` and `image_ids_web`.
    const suffix = hostsLocalName.replace(/^hosts_/, "");
    const names: Record<string, string> = {};
    for (const [v, img] of Object.entries(versions)) if (!img.id) names[v] = img.name!;
    const ids: Record<string, string> = {};
    if (Object.keys(names).length > 0) {
      const each = TerraformIterator.fromMap(literalLocalRegistry(this).addLiteralLocal(`image_names_${suffix}`, names) as unknown as Record<string, unknown>);
      const lookup = new DataOpenstackImagesImageV2(this, "Image", { forEach: each, name: each.value, mostRecent: true });
      for (const v of Object.keys(names)) ids[v] = `\${data.${lookup.terraformResourceType}.${lookup.friendlyUniqueId}[${JSON.stringify(v)}].id}`;
    }
    for (const [v, img] of Object.entries(versions)) if (img.id) ids[v] = terraformLiteral(img.id);
    const local = new TerraformLocal(this, `image_ids_${suffix}`, ids);
    local.overrideLogicalId(`image_ids_${suffix}`);
    return `\${local.image_ids_${suffix}[each.value.version]}`;
  }
}

/** The group id of the current host, `{"1" = <id>, "2" = <id>}[each.value.group]`: a group missing from the map fails the plan. */
function serverGroupOf(ids: readonly string[], hosts: TerraformIterator): string {
  const byOrdinal: Record<string, string> = {};
  ids.forEach((id, i) => (byOrdinal[String(i + 1)] = id));
  return Fn.lookup(byOrdinal, hosts.getString("group"));
}
