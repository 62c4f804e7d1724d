import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup, type LbTargetGroupHealthCheck } from "@cdktf/provider-aws/lib/lb-target-group";
import type { IAwsSiteNetwork } from "./site-network";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

/** Elastic Load Balancing v2 load balancer types (`load_balancer_type`): an ALB for HTTP(S), an NLB for TCP/UDP. */
export type AwsLoadBalancerType = "application" | "network";

/**
 * What a listener carries, in the toolkit's listener terms (Octavia's): TERMINATED_HTTPS ends TLS at the load
 * balancer (an ALB HTTPS or an NLB TLS listener), HTTPS passes it through to the backends (NLB only).
 */
export type AwsServiceListenerProtocol = "HTTP" | "HTTPS" | "TCP" | "UDP" | "TERMINATED_HTTPS";

/** What a target group checks on its instances (ELB target-group health check protocol, port and path). */
export interface AwsTargetHealthCheck {
  /** Protocol of the check (the target group's `health_check.protocol`). */
  readonly protocol: "HTTP" | "HTTPS" | "TCP";
  /** Instance port checked. */
  readonly port: number;
  /** Request path of HTTP and HTTPS checks, starting with "/". @default - none (required for HTTP and HTTPS) */
  readonly path?: string;
}

/** One listener of the service; the model's ListenerModel satisfies it. */
export interface AwsServiceListener {
  /** Listener protocol as the environment file names it; translated to the ELB protocol of the listener. */
  readonly protocol: AwsServiceListenerProtocol;
  /** Port the load balancer listens on, 1-65535. */
  readonly port: number;
  /** Port the instances serve on (the target group's `port`), 1-65535. */
  readonly backendPort: number;
  /** ACM certificate of a TERMINATED_HTTPS listener. @default - none (required for TERMINATED_HTTPS) */
  readonly tls?: {
    /** ARN of the ACM certificate the listener presents (`certificate_arn`). */
    readonly awsCertificateArn: string;
  };
  /** What this listener's target group checks (the model decides it per pool: model/health-check.ts). */
  readonly targetHealthCheck: AwsTargetHealthCheck;
}

/** Timings and expected answers of every target group's check; the model's HealthCheckModel satisfies it. */
export interface AwsServiceHealthCheck {
  /** Seconds between checks, 5-300 (ELB HealthCheckIntervalSeconds). */
  readonly intervalSec: number;
  /** Seconds without an answer that fail a check, from 2 to less than the interval (ELB HealthCheckTimeoutSeconds). */
  readonly timeoutSec: number;
  /** Consecutive successes before a target is healthy, 2-10. */
  readonly healthyThreshold: number;
  /** Consecutive failures before a target is unhealthy, 2-10. */
  readonly unhealthyThreshold: number;
  /** HTTP codes that count as healthy (the target group's `matcher`), e.g. "200" or "200-299". */
  readonly expectedCodes: string;
}

/** A target group of the service, for the fleet to register its instances in. */
export interface AwsTargetGroupRef {
  /** Load balancer port whose listener forwards to this group. */
  readonly listenerPort: number;
  /** Instance port the group sends traffic to. */
  readonly port: number;
  /** ARN of the `aws_lb_target_group`, a Terraform reference. */
  readonly targetGroupArn: string;
}

/** TLS policy of TLS-terminating listeners: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Default for {@link AwsServiceLoadBalancerProps.deletionProtection}: off, so `cdktf destroy` works. */
export const DEFAULT_DELETION_PROTECTION = false;
/** Default for {@link AwsServiceLoadBalancerProps.crossZoneLoadBalancing} (network load balancers). */
export const DEFAULT_CROSS_ZONE_LOAD_BALANCING = true;
/** AWS limits load balancer names to 32 characters. */
export const MAX_LOAD_BALANCER_NAME_LENGTH = 32;

const LAYER7: readonly AwsServiceListenerProtocol[] = ["HTTP", "HTTPS", "TERMINATED_HTTPS"];

/** Props of {@link AwsServiceLoadBalancer}; every value comes from the model. */
export interface AwsServiceLoadBalancerProps {
  /** Exact load balancer name, as the model decides it: the traffic stack looks the load balancer up by it. */
  readonly loadBalancerName: string;
  /** `application` (ALB) for HTTP and TLS-terminating listeners, `network` (NLB) for TCP and UDP. */
  readonly loadBalancerType: AwsLoadBalancerType;
  /** Subnets (one per zone) to place the load balancer in: the public ones, or the private ones when internal. */
  readonly network: Pick<IAwsSiteNetwork, "vpcId" | "publicSubnetIds" | "privateSubnetIds" | "internetGateway">;
  /** An internal load balancer in the private subnets, reachable from the VPC and its peers only. @default false */
  readonly internal?: boolean;
  /** Security groups of the load balancer, e.g. {@link AwsServiceSecurity.loadBalancerSecurityGroupId}. */
  readonly securityGroupIds: readonly string[];
  /** Listeners, one per `services[].listeners[]` entry, each with its own target group. */
  readonly listeners: readonly AwsServiceListener[];
  /** Timings of every target group's health check (what each probes comes with its listener). */
  readonly healthCheck: AwsServiceHealthCheck;
  /** TLS policy of HTTPS (ALB) and TLS (NLB) listeners. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Spread each NLB node's traffic over targets in every zone (always on for ALBs). @default true */
  readonly crossZoneLoadBalancing?: boolean;
}

/**
 * The internet-facing load balancer of one service in the public subnets: an ALB for HTTP and
 * TERMINATED_HTTPS listeners, an NLB for TCP and UDP. One instance target group per listener, whose health check
 * is the service's, and one listener per model listener forwarding to it. TERMINATED_HTTPS terminates TLS with
 * the model's ACM certificate and a TLS 1.2+ policy; backends then speak plain HTTP (ALB) or TCP (NLB).
 */
export class AwsServiceLoadBalancer extends Construct {
  /** ARN of the `aws_lb`, a Terraform reference. */
  readonly loadBalancerArn: string;
  /** DNS name AWS gives the load balancer; the traffic stack looks it up by name instead of reading it from here. */
  readonly dnsName: string;
  /** Route 53 zone id of the load balancer's DNS name, for alias records. */
  readonly zoneId: string;
  /** The target groups, one per listener, for the fleet's attachments. */
  readonly targetGroups: readonly AwsTargetGroupRef[];

  constructor(scope: Construct, id: string, props: AwsServiceLoadBalancerProps) {
    super(scope, id);
    this.validate(props);
    const alb = props.loadBalancerType === "application";
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;

    const lb = new Lb(this, "Resource", {
      name: props.loadBalancerName,
      loadBalancerType: props.loadBalancerType,
      internal: props.internal ?? false,
      ipAddressType: "ipv4",
      subnets: props.internal ? Object.values(props.network.privateSubnetIds) : [...props.network.publicSubnetIds],
      securityGroups: [...props.securityGroupIds],
      enableDeletionProtection: props.deletionProtection ?? DEFAULT_DELETION_PROTECTION,
      ...(alb ? { dropInvalidHeaderFields: true } : { enableCrossZoneLoadBalancing: props.crossZoneLoadBalancing ?? DEFAULT_CROSS_ZONE_LOAD_BALANCING }),
      tags: { Name: props.loadBalancerName },
      // Elastic Load Balancing refuses an internet-facing load balancer in a VPC without an internet gateway.
      ...(!props.internal && props.network.internetGateway ? { dependsOn: [props.network.internetGateway] } : {}),
    });

    const groupsNs = new Construct(this, "TargetGroups");
    const listenersNs = new Construct(this, "Listeners");
    const targetGroups: AwsTargetGroupRef[] = [];
    for (const l of props.listeners) {
      const group = new LbTargetGroup(groupsNs, String(l.port), {
        // No name: AWS names must be unique and ≤ 32 characters; Terraform generates one, which lets a changed
        // group be created before the old one is destroyed while its listener still points at it.
        port: l.backendPort,
        protocol: targetProtocol(l.protocol, alb),
        targetType: "instance",
        vpcId: props.network.vpcId,
        healthCheck: healthCheckOf(l.targetHealthCheck, props.healthCheck),
        tags: { Name: `${props.loadBalancerName}-${l.port}` },
        lifecycle: { createBeforeDestroy: true },
      });
      const terminates = l.protocol === "TERMINATED_HTTPS";
      new LbListener(listenersNs, String(l.port), {
        loadBalancerArn: lb.arn,
        port: l.port,
        protocol: listenerProtocol(l.protocol, alb),
        ...(terminates ? { sslPolicy: terraformLiteral(sslPolicy), certificateArn: terraformLiteral(l.tls!.awsCertificateArn) } : {}),
        defaultAction: [{ type: "forward", targetGroupArn: group.arn }],
        tags: { Name: `${props.loadBalancerName}-${l.port}` },
      });
      targetGroups.push({ listenerPort: l.port, port: l.backendPort, targetGroupArn: group.arn });
    }

    this.loadBalancerArn = lb.arn;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.targetGroups = targetGroups;
  }

  private validate(props: AwsServiceLoadBalancerProps): void {
    const name = props.loadBalancerName;
    if (name.length === 0 || name.length > MAX_LOAD_BALANCER_NAME_LENGTH || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name) || name.startsWith("internal-")) {
      throw new ValidationError(
        `loadBalancerName "${name}" is not a valid AWS load balancer name: 1-${MAX_LOAD_BALANCER_NAME_LENGTH} letters, digits and dashes, not starting or ending with a dash nor starting with "internal-"`,
        this,
      );
    }
    if (props.network.publicSubnetIds.length < 2) {
      throw new ValidationError(`a load balancer needs public subnets in at least two availability zones, got ${props.network.publicSubnetIds.length}`, this);
    }
    if (props.listeners.length === 0) throw new ValidationError(`listeners is empty; a load balancer needs at least one listener`, this);
    const alb = props.loadBalancerType === "application";
    const ports = new Set<number>();
    for (const l of props.listeners) {
      if (ports.has(l.port)) throw new ValidationError(`port ${l.port} has two listeners; a load balancer listens once per port`, this);
      ports.add(l.port);
      if (alb && !LAYER7.includes(l.protocol)) {
        throw new ValidationError(`an application load balancer cannot carry the ${l.protocol} listener on port ${l.port}; use loadBalancerType "network"`, this);
      }
      if (alb && l.protocol === "HTTPS") {
        throw new ValidationError(
          `the HTTPS listener on port ${l.port} passes TLS through to the backends, which an application load balancer cannot do; use loadBalancerType "network", or TERMINATED_HTTPS with a certificate`,
          this,
        );
      }
      if (l.protocol === "TERMINATED_HTTPS" && !l.tls?.awsCertificateArn) {
        throw new ValidationError(`the TERMINATED_HTTPS listener on port ${l.port} needs tls.awsCertificateArn (an ACM certificate ARN)`, this);
      }
      if (l.protocol !== "TERMINATED_HTTPS" && l.tls) {
        throw new ValidationError(`the ${l.protocol} listener on port ${l.port} has a certificate, which only TERMINATED_HTTPS listeners use`, this);
      }
    }
    for (const l of props.listeners) {
      const check = l.targetHealthCheck;
      if (alb && check.protocol === "TCP") {
        throw new ValidationError(`application load balancers check targets over HTTP or HTTPS, but the health check of listener ${l.port} is TCP; give it protocol HTTP and a path`, this);
      }
      if (check.protocol !== "TCP" && !check.path?.startsWith("/")) {
        throw new ValidationError(`an ${check.protocol} health check needs a path starting with "/", got "${check.path ?? ""}"`, this);
      }
    }
    const hc = props.healthCheck;
    if (hc.timeoutSec < 2 || hc.timeoutSec >= hc.intervalSec) {
      throw new ValidationError(
        `health-check timeoutSec must be at least 2 and less than intervalSec (${hc.intervalSec}), got ${hc.timeoutSec}; Elastic Load Balancing rejects anything else`,
        this,
      );
    }
    if (hc.intervalSec < 5 || hc.intervalSec > 300) throw new ValidationError(`health-check intervalSec must be from 5 to 300, got ${hc.intervalSec}`, this);
    for (const [what, n] of [["healthyThreshold", hc.healthyThreshold], ["unhealthyThreshold", hc.unhealthyThreshold]] as const) {
      if (!Number.isInteger(n) || n < 2 || n > 10) throw new ValidationError(`health-check ${what} must be from 2 to 10, got ${n}`, this);
    }
  }
}

function listenerProtocol(protocol: AwsServiceListenerProtocol, alb: boolean): string {
  if (alb) return protocol === "TERMINATED_HTTPS" ? "HTTPS" : "HTTP";
  if (protocol === "UDP") return "UDP";
  return protocol === "TERMINATED_HTTPS" ? "TLS" : "TCP";
}

function targetProtocol(protocol: AwsServiceListenerProtocol, alb: boolean): string {
  if (alb) return "HTTP";
  return protocol === "UDP" ? "UDP" : "TCP";
}

function healthCheckOf(check: AwsTargetHealthCheck, hc: AwsServiceHealthCheck): LbTargetGroupHealthCheck {
  return {
    enabled: true,
    protocol: check.protocol,
    port: String(check.port),
    ...(check.protocol === "TCP" ? {} : { path: terraformLiteral(check.path!), matcher: terraformLiteral(hc.expectedCodes) }),
    interval: hc.intervalSec,
    timeout: hc.timeoutSec,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
}
