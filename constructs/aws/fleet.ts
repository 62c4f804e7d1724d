import { Lazy, TerraformIterator, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { cidrContains, ipToInt, isValidIpv4, parseCidr } from "../../model";
import { literalLocalRegistry, snakeCase } from "../private/literal-locals";
import { terraformLiteral } from "../private/terraform-literal";
import type { AwsTargetGroupRef } from "./service-load-balancer";
import type { IAwsSiteNetwork } from "./site-network";

/** Default for {@link AwsFleetProps.volumeSizeGiB}: the model's default volume size. */
export const DEFAULT_ROOT_VOLUME_SIZE_GIB = 20;
/** Root volumes are gp3: baseline IOPS and throughput independent of size. */
export const ROOT_VOLUME_TYPE = "gp3";
/** EBS gp3 volume size limits. */
export const MAX_ROOT_VOLUME_SIZE_GIB = 16384;
/**
 * IMDSv2 only (session tokens required) with a hop limit of 1: a container or a forwarded request on the host
 * cannot reach the instance's credentials.
 */
export const INSTANCE_METADATA_OPTIONS = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } as const;

/** The per-host facts a fleet needs; HostModel satisfies it. */
export interface AwsFleetHost {
  /** Host name: the for_each key, the Name tag and the inventory name. */
  readonly name: string;
  /** Fixed private address inside the private subnet of `availabilityZone`. */
  readonly ip: string;
  readonly availabilityZone: string;
  /** Image version the host runs: a key of `imageIdsByVersion`. Required with it. */
  readonly imageVersion?: string;
  /** False while the host is out of service: it is registered in no target group. @default true */
  readonly inService?: boolean;
}

export interface AwsFleetProps {
  /** Environment name, for the `estate:env` tag. */
  readonly env: string;
  /** Site name, for the `estate:site` tag. */
  readonly site: string;
  /** Service name: `estate:service` tag, and names the host-map local `hosts_<service>`. */
  readonly service: string;
  /** Golden image name, for the `estate:image` tag. */
  readonly image: string;
  /** Image version of hosts that name none, for the `estate:version` tag. */
  readonly imageVersion: string;
  /** AMI of the golden image, for hosts that name no version. */
  readonly imageId: string;
  /**
   * AMIs by version, each host booting the one of its `imageVersion` (a golden-image rollout runs two versions in
   * one fleet): the host map then carries each host's `version`, and the instances read their AMI through the local
   * `amis_<service>`, so a host's configuration changes only when its own version does. @default - every host boots `imageId`
   */
  readonly imageIdsByVersion?: Readonly<Record<string, string>>;
  readonly instanceType: string;
  readonly hosts: readonly AwsFleetHost[];
  /** Where hosts go; the instances wait for its private egress routes when it names them. */
  readonly network: Pick<IAwsSiteNetwork, "zones" | "privateSubnetIdFor" | "privateEgress">;
  readonly securityGroupIds: readonly string[];
  /** EC2 key pair for SSH. */
  readonly keyName: string;
  /** Encrypted gp3 root volume size. @default 20 */
  readonly volumeSizeGiB?: number;
  /** Target groups every host is registered in, on the group's port. @default - none */
  readonly targetGroups?: readonly AwsTargetGroupRef[];
}

/**
 * The instances of one service in one AWS site: a single `aws_instance` with `for_each` over a literal map of
 * hosts keyed by host name (registered as the local `hosts_<service>`), so each host keeps its own address
 * (`aws_instance.<id>["dev-aws-web-001"]`) and ten thousand hosts cost one resource to synthesize. Every host gets
 * its fixed private IP in its zone's private subnet, no public address, IMDSv2 only and an encrypted gp3 root
 * volume; it is registered in each target group by one attachment resource per group, keyed the same way.
 */
export class AwsFleet extends Construct {
  /** `${local.hosts_<service>}`: the host map, usable as another resource's for_each. */
  readonly hostsExpression: string;
  readonly instances: Instance;

  constructor(scope: Construct, id: string, props: AwsFleetProps) {
    super(scope, id);
    this.validate(props);

    const versions = props.imageIdsByVersion;
    const map: Record<string, { ip: string; zone: string; version?: string }> = {};
    for (const h of props.hosts) map[h.name] = { ip: h.ip, zone: h.availabilityZone, ...(versions ? { version: h.imageVersion } : {}) };
    const registry = literalLocalRegistry(this);
    const localName = `hosts_${snakeCase(props.service)}`;
    this.hostsExpression = registry.addLiteralLocal(localName, map);
    let ami = props.imageId;
    if (versions) {
      const amis = new TerraformLocal(this, `amis_${snakeCase(props.service)}`, Object.fromEntries(Object.entries(versions).map(([v, id]) => [v, id])));
      amis.overrideLogicalId(`amis_${snakeCase(props.service)}`);
      ami = `\${local.amis_${snakeCase(props.service)}[each.value.version]}`;
    }
    // Hosts out of service are registered in no target group: removing the attachment deregisters the target
    // (Elastic Load Balancing drains it for the target group's deregistration delay). A map of the registered
    // hosts exists only while some host is out, so a fleet in service keeps the configuration it always had.
    const registered = props.hosts.filter((h) => h.inService !== false);
    const targetsExpression =
      registered.length === props.hosts.length
        ? this.hostsExpression
        : registry.addLiteralLocal(`targets_${snakeCase(props.service)}`, Object.fromEntries(registered.map((h) => [h.name, map[h.name]])));

    const hosts = TerraformIterator.fromMap(this.hostsExpression as unknown as Record<string, unknown>);
    this.instances = new Instance(this, "Instances", {
      forEach: hosts,
      ami,
      instanceType: props.instanceType,
      subnetId: props.network.privateSubnetIdFor(hosts.getString("zone")),
      privateIp: hosts.getString("ip"),
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      keyName: terraformLiteral(props.keyName),
      metadataOptions: { ...INSTANCE_METADATA_OPTIONS },
      rootBlockDevice: {
        volumeType: ROOT_VOLUME_TYPE,
        volumeSize: props.volumeSizeGiB ?? DEFAULT_ROOT_VOLUME_SIZE_GIB,
        encrypted: true,
        deleteOnTermination: true,
      },
      ...(props.network.privateEgress && props.network.privateEgress.length > 0 ? { dependsOn: [...props.network.privateEgress] } : {}),
      tags: {
        Name: hosts.key,
        "estate:env": props.env,
        "estate:site": props.site,
        "estate:service": props.service,
        "estate:image": terraformLiteral(props.image),
        "estate:version": versions ? hosts.getString("version") : terraformLiteral(props.imageVersion),
      },
    });

    const instanceId = Lazy.stringValue({
      produce: () => `\${${this.instances.terraformResourceType}.${this.instances.friendlyUniqueId}[each.key].id}`,
    });
    const attachments = new Construct(this, "TargetGroupAttachments");
    for (const group of props.targetGroups ?? []) {
      const each = TerraformIterator.fromMap(targetsExpression as unknown as Record<string, unknown>);
      new LbTargetGroupAttachment(attachments, String(group.listenerPort), {
        forEach: each,
        targetGroupArn: group.targetGroupArn,
        targetId: instanceId,
        port: group.port,
      });
    }
  }

  private validate(props: AwsFleetProps): void {
    const path = this.node.path;
    if (props.hosts.length === 0) throw new Error(`${path}: hosts is empty; a fleet needs at least one host (leave the service out of the site instead)`);
    const size = props.volumeSizeGiB ?? DEFAULT_ROOT_VOLUME_SIZE_GIB;
    if (!Number.isInteger(size) || size < 1 || size > MAX_ROOT_VOLUME_SIZE_GIB) {
      throw new Error(`${path}: volumeSizeGiB must be a whole number from 1 to ${MAX_ROOT_VOLUME_SIZE_GIB}, got ${size}`);
    }
    const subnets = new Map(props.network.zones.map((z) => [z.name, parseCidr(z.privateSubnetCidr)]));
    const names = new Set<string>();
    const ips = new Map<string, string>();
    for (const h of props.hosts) {
      if (names.has(h.name)) throw new Error(`${path}: host "${h.name}" appears twice; host names are the fleet's keys and must be unique`);
      names.add(h.name);
      if (!isValidIpv4(h.ip)) throw new Error(`${path}: host "${h.name}" has ip "${h.ip}", which is not an IPv4 address`);
      const twin = ips.get(h.ip);
      if (twin) throw new Error(`${path}: hosts "${twin}" and "${h.name}" both have ip ${h.ip}`);
      ips.set(h.ip, h.name);
      const subnet = subnets.get(h.availabilityZone);
      if (!subnet) {
        throw new Error(`${path}: host "${h.name}" is in zone "${h.availabilityZone}", which the network does not have (zones: ${[...subnets.keys()].join(", ")})`);
      }
      if (!cidrContains(subnet, ipToInt(h.ip))) {
        const zone = props.network.zones.find((z) => z.name === h.availabilityZone)!;
        throw new Error(`${path}: host "${h.name}" has ip ${h.ip}, outside the private subnet ${zone.privateSubnetCidr} of zone "${zone.name}"`);
      }
    }
  }
}
