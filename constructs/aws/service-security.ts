import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DEFAULT_NODE_EXPORTER_PORT, describeCoverage, isValidCidr, publicCoverage, WORLD_IPV4_CIDR } from "../../model";
import type { AwsLoadBalancerType, AwsServiceListener } from "./service-load-balancer";
import type { IAwsSiteNetwork } from "./site-network";
import { ValidationError } from "../core";

/** Default for {@link AwsServiceSecurityProps.sshPort}. */
export const DEFAULT_SSH_PORT = 22;
/** Default for {@link AwsServiceSecurityProps.nodeExporterPort}: the model's default node_exporter port. */
export const DEFAULT_AWS_NODE_EXPORTER_PORT = DEFAULT_NODE_EXPORTER_PORT;
/** Name of the AWS-managed prefix list of Route 53 health checkers (IPv4) in a region. */
export function route53HealthCheckersPrefixListName(region: string): string {
  return `com.amazonaws.${region}.route53-healthchecks`;
}

/** Props of {@link AwsServiceSecurity}; every value comes from the model. */
export interface AwsServiceSecurityProps {
  /** Base of the security group names: `<name>-lb` and `<name>-instances`. */
  readonly name: string;
  /** The VPC the security groups belong to ({@link AwsSiteNetwork}). */
  readonly network: Pick<IAwsSiteNetwork, "vpcId" | "vpcCidr">;
  /** Decides how instances see load-balanced traffic: from the ALB's group, or with client addresses (NLB). */
  readonly loadBalancerType: AwsLoadBalancerType;
  /** Listeners of the service: public ports on the load balancer, backend ports on the instances. */
  readonly listeners: readonly Pick<AwsServiceListener, "protocol" | "port" | "backendPort">[];
  /** Port the instances answer health checks on. */
  readonly healthCheckPort: number;
  /** Client networks allowed to reach the listeners. */
  readonly allowedCidrs: readonly string[];
  /** Admin networks allowed to SSH to the instances; never the whole internet. */
  readonly adminCidrs: readonly string[];
  /** Networks allowed to scrape node_exporter. @default - the VPC CIDR */
  readonly monitoringCidrs?: readonly string[];
  /** node_exporter port on every instance. @default 9100 */
  readonly nodeExporterPort?: number;
  /** SSH port on every instance. @default 22 */
  readonly sshPort?: number;
  /**
   * Managed prefix list of health checkers outside the VPC (Route 53's `com.amazonaws.<region>.route53-healthchecks`)
   * allowed to every TCP listener port, so DNS health checks also work for services open only to private networks.
   * Through an NLB the checkers' own addresses reach the instances, so they are allowed on the backend ports too.
   * @default - none
   */
  readonly healthCheckerPrefixListId?: string;
}

interface CidrRule {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly cidr: string;
  readonly description: string;
}

/** A rule whose peer (security group or prefix list) is the same for the whole resource. */
interface PortRule {
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly description: string;
}

/**
 * The two security groups of one AWS service, mirroring the OpenStack rules:
 * - load balancer: listener ports open to `allowedCidrs` only; egress only to the instances' backend and
 *   health-check ports;
 * - instances: backend and health-check ports from the load balancer only. An ALB proxies, so its group is the
 *   source. An NLB keeps client addresses (client IP preservation is always on for instance targets over UDP and
 *   on by default over TCP), so the instances admit `allowedCidrs` on the backend ports, and the VPC CIDR, from which
 *   the NLB nodes send health checks. SSH only from `adminCidrs` (never 0.0.0.0/0); node_exporter from
 *   `monitoringCidrs`; egress anywhere, through the NAT gateways;
 * - optionally, Route 53 health checkers (a managed prefix list) on the listener ports, and on the backend ports
 *   behind an NLB, for services whose clients are private networks only.
 *
 * Every rule is its own `aws_vpc_security_group_*_rule`, with `for_each` keyed `<protocol>-<port>-<source>`.
 */
export class AwsServiceSecurity extends Construct {
  /** ID of the load balancer's `aws_security_group`: client networks in, the instance ports out. */
  readonly loadBalancerSecurityGroupId: string;
  /** ID of the instances' `aws_security_group`: add rules to it with `aws_vpc_security_group_ingress_rule`. */
  readonly instanceSecurityGroupId: string;

  constructor(scope: Construct, id: string, props: AwsServiceSecurityProps) {
    super(scope, id);
    this.validate(props);
    const sshPort = props.sshPort ?? DEFAULT_SSH_PORT;
    const nodeExporterPort = props.nodeExporterPort ?? DEFAULT_AWS_NODE_EXPORTER_PORT;
    const monitoringCidrs = props.monitoringCidrs ?? [props.network.vpcCidr];

    const lbGroup = new SecurityGroup(this, "LoadBalancer", {
      name: `${props.name}-lb`,
      description: `Load balancer of ${props.name}: listener ports from the allowed client networks`,
      vpcId: props.network.vpcId,
      tags: { Name: `${props.name}-lb` },
    });
    const instanceGroup = new SecurityGroup(this, "Instances", {
      name: `${props.name}-instances`,
      description: `Instances of ${props.name}: service ports from the load balancer, SSH from admin networks`,
      vpcId: props.network.vpcId,
      tags: { Name: `${props.name}-instances` },
    });

    const listenerRules: CidrRule[] = [];
    for (const l of props.listeners) {
      for (const cidr of props.allowedCidrs) {
        listenerRules.push({ protocol: ipProtocol(l), port: l.port, cidr, description: `${l.protocol} listener ${l.port} from clients` });
      }
    }
    const backendPorts: PortRule[] = props.listeners.map((l) => ({ protocol: ipProtocol(l), port: l.backendPort, description: `${l.protocol} backend ${l.backendPort}` }));
    backendPorts.push({ protocol: "tcp", port: props.healthCheckPort, description: `health checks on ${props.healthCheckPort}` });

    cidrRules(this, "LoadBalancerIngress", VpcSecurityGroupIngressRule, lbGroup.id, listenerRules);
    groupRules(this, "LoadBalancerEgress", VpcSecurityGroupEgressRule, lbGroup.id, instanceGroup.id, backendPorts);

    const instanceRules: CidrRule[] = [];
    if (props.loadBalancerType === "application") {
      groupRules(this, "InstanceIngressFromLoadBalancer", VpcSecurityGroupIngressRule, instanceGroup.id, lbGroup.id, backendPorts);
    } else {
      const sources = [...props.allowedCidrs, props.network.vpcCidr];
      for (const p of backendPorts.slice(0, -1)) {
        for (const cidr of sources) instanceRules.push({ ...p, cidr, description: `${p.description} from clients and load balancer nodes` });
      }
      const hc = backendPorts[backendPorts.length - 1];
      instanceRules.push({ ...hc, cidr: props.network.vpcCidr, description: `${hc.description} from load balancer nodes` });
    }
    for (const cidr of props.adminCidrs) instanceRules.push({ protocol: "tcp", port: sshPort, cidr, description: "SSH from admin networks" });
    for (const cidr of monitoringCidrs) instanceRules.push({ protocol: "tcp", port: nodeExporterPort, cidr, description: "node_exporter from monitoring" });
    cidrRules(this, "InstanceIngress", VpcSecurityGroupIngressRule, instanceGroup.id, instanceRules);

    if (props.healthCheckerPrefixListId !== undefined) {
      const probed = props.listeners.filter((l) => l.protocol !== "UDP");
      const ports = (which: "port" | "backendPort") => probed.map((l): PortRule => ({ protocol: "tcp", port: l[which], description: `health checkers on ${which === "port" ? "listener" : "backend"} ${l[which]}` }));
      prefixListRules(this, "LoadBalancerIngressFromHealthCheckers", lbGroup.id, props.healthCheckerPrefixListId, ports("port"));
      if (props.loadBalancerType === "network") {
        prefixListRules(this, "InstanceIngressFromHealthCheckers", instanceGroup.id, props.healthCheckerPrefixListId, ports("backendPort"));
      }
    }

    new VpcSecurityGroupEgressRule(this, "InstanceEgress", {
      securityGroupId: instanceGroup.id,
      ipProtocol: "-1",
      // Instances reach package mirrors, NTP and the like anywhere, through the NAT gateways.
      cidrIpv4: WORLD_IPV4_CIDR,
      description: "Egress through the NAT gateways",
    });

    this.loadBalancerSecurityGroupId = lbGroup.id;
    this.instanceSecurityGroupId = instanceGroup.id;
  }

  private validate(props: AwsServiceSecurityProps): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,240}$/.test(props.name) || props.name.startsWith("sg-")) {
      throw new ValidationError(`name "${props.name}" cannot name a security group: use letters, digits, ".", "_" and "-", not starting with "sg-"`, this);
    }
    if (props.listeners.length === 0) throw new ValidationError(`listeners is empty; a service needs at least one listener`, this);
    const ports: [string, number][] = [
      ...props.listeners.flatMap((l): [string, number][] => [[`listener port`, l.port], [`backend port`, l.backendPort]]),
      ["healthCheckPort", props.healthCheckPort],
      ["sshPort", props.sshPort ?? DEFAULT_SSH_PORT],
      ["nodeExporterPort", props.nodeExporterPort ?? DEFAULT_AWS_NODE_EXPORTER_PORT],
    ];
    for (const [what, port] of ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ValidationError(`${what} must be a whole number from 1 to 65535, got ${port}`, this);
    }
    const lists: [string, readonly string[]][] = [
      ["allowedCidrs", props.allowedCidrs],
      ["adminCidrs", props.adminCidrs],
      ["monitoringCidrs", props.monitoringCidrs ?? [props.network.vpcCidr]],
    ];
    for (const [what, cidrs] of lists) {
      if (cidrs.length === 0) throw new ValidationError(`${what} is empty; list at least one network`, this);
      for (const cidr of cidrs) {
        if (!isValidCidr(cidr)) throw new ValidationError(`${what} holds "${cidr}", which is not an IPv4 network such as 192.0.2.0/26`, this);
      }
    }
    // Judged by what the networks cover together: 0.0.0.0/1 and 128.0.0.0/1 open as much as 0.0.0.0/0.
    const reach = publicCoverage(props.adminCidrs);
    if (reach.internetScale) throw new ValidationError(`adminCidrs would open SSH to ${describeCoverage(reach)}; list the admin networks instead`, this);
  }
}

function ipProtocol(listener: Pick<AwsServiceListener, "protocol">): "tcp" | "udp" {
  return listener.protocol === "UDP" ? "udp" : "tcp";
}

type RuleClass = typeof VpcSecurityGroupIngressRule | typeof VpcSecurityGroupEgressRule;

/** One rule resource per (protocol, port, CIDR), keyed so each rule keeps its address when others change. */
function cidrRules(scope: Construct, id: string, kind: RuleClass, securityGroupId: string, rules: readonly CidrRule[]): void {
  const map: Record<string, CidrRule> = {};
  for (const r of rules) map[`${r.protocol}-${r.port}-${r.cidr}`] ??= r;
  const each = TerraformIterator.fromMap(map);
  new kind(scope, id, {
    forEach: each,
    securityGroupId,
    ipProtocol: each.getString("protocol"),
    fromPort: each.getNumber("port"),
    toPort: each.getNumber("port"),
    cidrIpv4: each.getString("cidr"),
    description: each.getString("description"),
  });
}

/** One ingress rule resource per (protocol, port) from a managed prefix list. */
function prefixListRules(scope: Construct, id: string, securityGroupId: string, prefixListId: string, rules: readonly PortRule[]): void {
  const map: Record<string, PortRule> = {};
  for (const r of rules) map[`${r.protocol}-${r.port}`] ??= r;
  const each = TerraformIterator.fromMap(map);
  new VpcSecurityGroupIngressRule(scope, id, {
    forEach: each,
    securityGroupId,
    prefixListId,
    ipProtocol: each.getString("protocol"),
    fromPort: each.getNumber("port"),
    toPort: each.getNumber("port"),
    description: each.getString("description"),
  });
}

/** One rule resource per (protocol, port) between two security groups. */
function groupRules(scope: Construct, id: string, kind: RuleClass, securityGroupId: string, peerGroupId: string, rules: readonly PortRule[]): void {
  const map: Record<string, PortRule> = {};
  for (const r of rules) map[`${r.protocol}-${r.port}`] ??= r;
  const each = TerraformIterator.fromMap(map);
  new kind(scope, id, {
    forEach: each,
    securityGroupId,
    referencedSecurityGroupId: peerGroupId,
    ipProtocol: each.getString("protocol"),
    fromPort: each.getNumber("port"),
    toPort: each.getNumber("port"),
    description: each.getString("description"),
  });
}
