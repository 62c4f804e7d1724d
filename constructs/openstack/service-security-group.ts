import { Construct } from "constructs";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { NetworkingSecgroupV2 } from "../../.gen/providers/openstack/networking-secgroup-v2";
import { DEFAULT_NODE_EXPORTER_PORT, describeCoverage, isValidCidr, publicCoverage } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

/** SSH, opened to the admin networks only: 22 (IANA). */
export const SSH_PORT = 22;

/** A port the service's hosts serve on, with its transport. */
export interface ServicePort {
  /** Transport, as Neutron names it in a rule's `protocol`. */
  readonly protocol: "tcp" | "udp";
  /** Port number, 1-65535. */
  readonly port: number;
}

/** Props of {@link OpenstackServiceSecurityGroup}; every value comes from the model. */
export interface OpenstackServiceSecurityGroupProps {
  /** Name of the Neutron security group (`<env>-<site>-<service>`). */
  readonly name: string;
  /** Ports the members serve and answer health checks on. */
  readonly servicePorts: readonly ServicePort[];
  /** Where the load balancer's member-facing traffic comes from (Octavia amphorae on the site subnet). */
  readonly loadBalancerSourceCidrs: readonly string[];
  /** SSH is open to these networks only. */
  readonly adminCidrs: readonly string[];
  /** Networks Prometheus scrapes from. @default [] */
  readonly monitoringCidrs?: readonly string[];
  /** @default 9100 */
  readonly nodeExporterPort?: number;
}

/** Default for {@link OpenstackServiceSecurityGroupProps.nodeExporterPort}: the model's default node_exporter port. */
export const DEFAULT_OPENSTACK_NODE_EXPORTER_PORT = DEFAULT_NODE_EXPORTER_PORT;

/**
 * Security group of one service's instances: service ports from the load balancer, SSH from the admin networks,
 * node_exporter from monitoring. Neutron's default egress rules stay.
 */
export class OpenstackServiceSecurityGroup extends Construct {
  /** ID of the `openstack_networking_secgroup_v2`: add rules to it with `openstack_networking_secgroup_rule_v2`. */
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: OpenstackServiceSecurityGroupProps) {
    super(scope, id);
    if (props.adminCidrs.length === 0) throw new ValidationError(`adminCidrs must list at least one network`, this);
    for (const cidr of [...props.adminCidrs, ...props.loadBalancerSourceCidrs, ...(props.monitoringCidrs ?? [])]) {
      if (!isValidCidr(cidr)) throw new ValidationError(`"${cidr}" is not an IPv4 CIDR`, this);
    }
    // Judged by what the networks cover together: 0.0.0.0/1 and 128.0.0.0/1 open as much as 0.0.0.0/0.
    const reach = publicCoverage(props.adminCidrs);
    if (reach.internetScale) throw new ValidationError(`adminCidrs would open SSH to ${describeCoverage(reach)}; list the admin networks in adminCidrs`, this);
    const group = new NetworkingSecgroupV2(this, "Group", { name: terraformLiteral(props.name), description: terraformLiteral(`Instances of ${props.name}`) });
    this.securityGroupId = group.id;

    const rule = (ruleId: string, protocol: string, port: number, cidr: string, description: string) =>
      new NetworkingSecgroupRuleV2(this, ruleId, {
        securityGroupId: group.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol,
        portRangeMin: port,
        portRangeMax: port,
        remoteIpPrefix: cidr,
        description,
      });

    const ports = uniquePorts(props.servicePorts);
    for (const p of ports) {
      for (const cidr of unique(props.loadBalancerSourceCidrs)) rule(`${capital(p.protocol)}${p.port}From${cidrId(cidr)}`, p.protocol, p.port, cidr, `${p.protocol}/${p.port} from the load balancer`);
    }
    for (const cidr of unique(props.adminCidrs)) rule(`SshFrom${cidrId(cidr)}`, "tcp", SSH_PORT, cidr, "SSH from admin networks");
    const exporter = props.nodeExporterPort ?? DEFAULT_OPENSTACK_NODE_EXPORTER_PORT;
    for (const cidr of unique(props.monitoringCidrs ?? [])) rule(`NodeExporterFrom${cidrId(cidr)}`, "tcp", exporter, cidr, "node_exporter from monitoring");
  }
}

function uniquePorts(ports: readonly ServicePort[]): ServicePort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Rule ids come from the CIDR, not a list position: reordering or inserting a network never renames a rule. */
function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, "_");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
