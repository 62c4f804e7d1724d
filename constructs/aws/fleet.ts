import { Lazy, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { cidrContains, ipToInt, isValidIpv4, parseCidr } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import type { AwsTargetGroupRef } from "./service-load-balancer";
import type { IAwsSiteNetwork } from "./site-network";
import { HostMap, ValidationError } from "../core";

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
export const INSTANCE_METADATA_OPTIONS = {
  /** The instance metadata service is on (EC2 `http_endpoint`). */
  httpEndpoint: "enabled",
  /** IMDSv2 only: every request needs a session token (EC2 `http_tokens`). */
  httpTokens: "required",
  /** Token responses travel one network hop, so containers on the host cannot fetch them (EC2 `http_put_response_hop_limit`). */
  httpPutResponseHopLimit: 1,
} as const;

/** The per-host facts a fleet needs; HostModel satisfies it. */
export interface AwsFleetHost {
  /** Host name: the for_each key, the Name tag and the inventory name. */
  readonly name: string;
  /** Fixed private address inside the private subnet of `availabilityZone`. */
  readonly ip: string;
  /** AWS availability zone of the host, e.g. `eu-west-1a`: one of the site's `availabilityZones`. */
  readonly availabilityZone: string;
  /** Image version the host runs: a key of `imageIdsByVersion`. Required with it. */
  readonly imageVersion?: string;
  /** False while the host is out of service: it is registered in no target group. @default true */
  readonly inService?: boolean;
}

/** Props of {@link AwsFleet}; every value comes from the model. */
export interface AwsFleetProps {
  /** Name of the Terraform local that holds the host map (unique in the stack), e.g. `hosts_web`. */
  readonly hostsLocalName: string;
  /** EC2 tags of every instance, after its `Name` tag (the host name); values are literal text. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** AMI of the golden image, for hosts that name no version. */
  readonly imageId: string;
  /**
   * AMIs by version, each host booting the one of its `imageVersion` (a golden-image rollout runs two versions in
   * one fleet): the host map then carries each host's `version`, and the instances read their AMI through the local
   * `amis_<service>` (`hosts_web` → `amis_web`), so a host's configuration changes only when its own version does.
   * @default - every host boots `imageId`
   */
  readonly imageIdsByVersion?: Readonly<Record<string, string>>;
  /** EC2 tag key set to each host's own version (with `imageIdsByVersion`), over the same key in `tags`. @default - none */
  readonly versionTag?: string;
  /** EC2 instance type (`services[].instanceType`), e.g. `t3.medium`. */
  readonly instanceType: string;
  /** The hosts, one EC2 instance each through `for_each`, keyed by host name. */
  readonly hosts: readonly AwsFleetHost[];
  /** Where hosts go; the instances wait for its private egress routes when it names them. */
  readonly network: Pick<IAwsSiteNetwork, "zones" | "privateSubnetIdFor" | "privateEgress">;
  /**
   * Security groups of every instance (`vpc_security_group_ids`), e.g. {@link
   * AwsServiceSecurity.instanceSecurityGroupId}.
   */
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
 * hosts keyed by host name (the local `hostsLocalName`), so each host keeps its own address
 * (`aws_instance.<id>["dev-aws-web-001"]`) and ten thousand hosts cost one resource to synthesize. Every host gets
 * its fixed private IP in its zone's private subnet, no public address, IMDSv2 only and an encrypted gp3 root
 * volume; it is registered in each target group by one attachment resource per group, keyed the same way.
 */
export class AwsFleet extends Construct {
  /** The host map (`local.<hostsLocalName>`): what the target-group attachments and other per-host resources iterate over. */
  readonly hosts: HostMap;
  /** The `aws_instance` resource, one instance per host through `for_each`. */
  readonly instances: Instance;

  constructor(scope: Construct, id: string, props: AwsFleetProps) {
    super(scope, id);
    this.validate(props);

    const versions = props.imageIdsByVersion;
    const map: Record<string, { ip: string; zone: string; version?: string }> = {};
    for (const h of props.hosts) map[h.name] = { ip: h.ip, zone: h.availabilityZone, ...(versions ? { version: h.imageVersion! } : {}) };
    this.hosts = HostMap.define(this, props.hostsLocalName, map);
    // `hosts_web` gives `amis_web` and `targets_web`.
    const suffix = props.hostsLocalName.replace(/^hosts_/, "");
    let ami = props.imageId;
    if (versions) {
      new TerraformLocal(this, `amis_${suffix}`, { ...versions }).overrideLogicalId(`amis_${suffix}`);
      ami = `\${local.amis_${suffix}[each.value.version]}`;
    }
    // Hosts out of service are registered in no target group: removing the attachment deregisters the target
    // (Elastic Load Balancing drains it for the target group's deregistration delay). A map of the registered
    // hosts exists only while some host is out, so a fleet in service keeps the configuration it always had.
    const registered = props.hosts.filter((h) => h.inService !== false);
    const targets =
      registered.length === props.hosts.length ? this.hosts : HostMap.define(this, `targets_${suffix}`, Object.fromEntries(registered.map((h) => [h.name, map[h.name]])));

    const hosts = this.hosts.forEach();
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
        ...Object.fromEntries(Object.entries(props.tags ?? {}).map(([k, v]) => [k, terraformLiteral(v)])),
        ...(versions && props.versionTag ? { [props.versionTag]: hosts.getString("version") } : {}),
      },
    });

    const instanceId = Lazy.stringValue({
      produce: () => `\${${this.instances.terraformResourceType}.${this.instances.friendlyUniqueId}[each.key].id}`,
    });
    const attachments = new Construct(this, "TargetGroupAttachments");
    for (const group of props.targetGroups ?? []) {
      const each = targets.forEach();
      new LbTargetGroupAttachment(attachments, String(group.listenerPort), {
        forEach: each,
        targetGroupArn: group.targetGroupArn,
        targetId: instanceId,
        port: group.port,
      });
    }
  }

  private validate(props: AwsFleetProps): void {
    if (props.hosts.length === 0) throw new ValidationError(`hosts is empty; a fleet needs at least one host (leave the service out of the site instead)`, this);
    const size = props.volumeSizeGiB ?? DEFAULT_ROOT_VOLUME_SIZE_GIB;
    if (!Number.isInteger(size) || size < 1 || size > MAX_ROOT_VOLUME_SIZE_GIB) {
      throw new ValidationError(`volumeSizeGiB must be a whole number from 1 to ${MAX_ROOT_VOLUME_SIZE_GIB}, got ${size}`, this);
    }
    const versions = props.imageIdsByVersion;
    if (versions) {
      for (const h of props.hosts) {
        if (h.imageVersion === undefined || !Object.hasOwn(versions, h.imageVersion)) {
          throw new ValidationError(`host "${h.name}" runs image version "${h.imageVersion ?? ""}", which imageIdsByVersion does not have (${Object.keys(versions).join(", ")})`, this);
        }
      }
    }
    const subnets = new Map(props.network.zones.map((z) => [z.name, parseCidr(z.privateSubnetCidr)]));
    const names = new Set<string>();
    const ips = new Map<string, string>();
    for (const h of props.hosts) {
      if (names.has(h.name)) throw new ValidationError(`host "${h.name}" appears twice; host names are the fleet's keys and must be unique`, this);
      names.add(h.name);
      if (!isValidIpv4(h.ip)) throw new ValidationError(`host "${h.name}" has ip "${h.ip}", which is not an IPv4 address`, this);
      const twin = ips.get(h.ip);
      if (twin) throw new ValidationError(`hosts "${twin}" and "${h.name}" both have ip ${h.ip}`, this);
      ips.set(h.ip, h.name);
      const subnet = subnets.get(h.availabilityZone);
      if (!subnet) {
        throw new ValidationError(`host "${h.name}" is in zone "${h.availabilityZone}", which the network does not have (zones: ${[...subnets.keys()].join(", ")})`, this);
      }
      if (!cidrContains(subnet, ipToInt(h.ip))) {
        const zone = props.network.zones.find((z) => z.name === h.availabilityZone)!;
        throw new ValidationError(`host "${h.name}" has ip ${h.ip}, outside the private subnet ${zone.privateSubnetCidr} of zone "${zone.name}"`, this);
      }
    }
  }
}
