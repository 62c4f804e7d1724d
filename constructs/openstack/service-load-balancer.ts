import { Construct } from "constructs";
import { LbListenerV2 } from "../../.gen/providers/openstack/lb-listener-v2";
import { LbLoadbalancerV2 } from "../../.gen/providers/openstack/lb-loadbalancer-v2";
import { LbMemberV2 } from "../../.gen/providers/openstack/lb-member-v2";
import { LbMonitorV2 } from "../../.gen/providers/openstack/lb-monitor-v2";
import { LbPoolV2 } from "../../.gen/providers/openstack/lb-pool-v2";
import { isValidCidr } from "../../model";
import { compareStrings } from "../../util";
import { terraformLiteral } from "../terraform-literal";
import { type HostMap, ValidationError } from "../core";
import type { IOpenstackSiteNetwork } from "./site-network";

/** Listener protocols Octavia accepts (Octavia API v2, listener `protocol`). */
export type OctaviaListenerProtocol = "HTTP" | "HTTPS" | "TCP" | "UDP" | "TERMINATED_HTTPS";
/** Octavia monitor types the construct renders; `UDP-CONNECT` is the only one a UDP pool takes. */
export type OctaviaMonitorType = "HTTP" | "HTTPS" | "TCP" | "UDP-CONNECT";
/** Pool load-balancing algorithms Octavia accepts (Octavia API v2, pool `lb_algorithm`). */
export type OctaviaLbMethod = "ROUND_ROBIN" | "LEAST_CONNECTIONS" | "SOURCE_IP";

/** The pool algorithm when none is given: `ROUND_ROBIN`. */
export const DEFAULT_LB_METHOD: OctaviaLbMethod = "ROUND_ROBIN";

/**
 * Listener `allowed_cidrs` in the order Octavia returns them: sorted as strings (code-point order, so
 * "100.64.0.0/10" comes before "15.177.0.0/18"; measured on Octavia Zed). The order means nothing to Octavia, but
 * the provider compares the attribute as an ordered list: any other order shows a change on every plan after an
 * apply. Duplicates are dropped (Octavia stores each CIDR once).
 */
export function octaviaAllowedCidrsOrder(cidrs: readonly string[]): string[] {
  return [...new Set(cidrs)].sort(compareStrings);
}

/** One Octavia listener with its pool and the pool's health monitor. */
export interface OctaviaListener {
  /** Listener protocol (Octavia `protocol`); the pool protocol follows from it ({@link poolProtocolFor}). */
  readonly protocol: OctaviaListenerProtocol;
  /** Port the VIP listens on (Octavia `protocol_port`), 1-65535. */
  readonly port: number;
  /** Port the members serve on. */
  readonly backendPort: number;
  /** Barbican container with the certificate; required for TERMINATED_HTTPS. */
  readonly tlsContainerRef?: string;
  /**
   * What the pool's monitor probes, as the model decides it per pool from what the backend serves
   * (model/health-check.ts): HealthProbeModel satisfies it.
   */
  readonly monitor: OctaviaPoolMonitor;
}

/** The probe of one pool. */
export interface OctaviaPoolMonitor {
  /** Monitor type (Octavia health monitor `type`); `UDP-CONNECT` for UDP pools. */
  readonly protocol: OctaviaMonitorType;
  /** Member port probed; members get it as `monitor_port` when it differs from the backend port. */
  readonly port: number;
  /** HTTP path, required for HTTP and HTTPS monitors. */
  readonly path?: string;
}

/** Timings and expected answers shared by the monitors of every pool. */
export interface OctaviaHealthMonitor {
  /** Seconds between probes (Octavia health monitor `delay`); Octavia refuses a `timeoutSec` above it. */
  readonly delaySec: number;
  /** Seconds a probe may take (Octavia health monitor `timeout`). */
  readonly timeoutSec: number;
  /** Successful checks before a member is ONLINE. */
  readonly maxRetries: number;
  /** Failed checks before a member is ERROR. */
  readonly maxRetriesDown: number;
  /** @default "200" */
  readonly expectedCodes?: string;
}

/** Props of {@link OpenstackServiceLoadBalancer}; every value comes from the model (`services[]`). */
export interface OpenstackServiceLoadBalancerProps {
  /** Name of the load balancer, its listeners, pools and monitors in Octavia (`<env>-<site>-<service>`). */
  readonly name: string;
  /** The site network: the VIP port and the members' addresses are on its subnet. */
  readonly network: Pick<IOpenstackSiteNetwork, "subnetId">;
  /** Fixed VIP address on the site subnet. */
  readonly vipAddress: string;
  /** Listeners, one per `services[].listeners[]` entry; at least one. */
  readonly listeners: readonly OctaviaListener[];
  /** Timing and thresholds of every pool's health monitor (`services[].healthCheck`). */
  readonly healthMonitor: OctaviaHealthMonitor;
  /** Client networks allowed on every listener (Octavia enforces them on the VIP); any order, written sorted. */
  readonly allowedCidrs: readonly string[];
  /** The hosts behind the load balancer (a fleet's host map, with an `ip` per host name): one member per host and listener. */
  readonly members: HostMap;
  /** @default "ROUND_ROBIN" */
  readonly lbMethod?: OctaviaLbMethod;
  /**
   * The host map carries each member's `weight` (`OpenstackFleet` with `imagesByVersion`): members get it, and leave
   * `admin_state_up` to day-2 drains (ignored by Terraform, never set). @default false
   */
  readonly memberWeights?: boolean;
}

/** Octavia load balancer of one service in one site: a listener, pool, monitor and members per service listener. */
export class OpenstackServiceLoadBalancer extends Construct {
  /** ID of the `openstack_lb_loadbalancer_v2`, a Terraform reference. */
  readonly loadBalancerId: string;
  /** Neutron port of the VIP: what a floating IP is associated with ({@link OpenstackFloatingVip}). */
  readonly vipPortId: string;
  /** The fixed VIP address on the site subnet, as the model placed it. */
  readonly vipAddress: string;

  constructor(scope: Construct, id: string, props: OpenstackServiceLoadBalancerProps) {
    super(scope, id);
    const hm = props.healthMonitor;
    if (hm.timeoutSec > hm.delaySec) throw new ValidationError(`healthMonitor.timeoutSec (${hm.timeoutSec}) must not exceed delaySec (${hm.delaySec}); a probe would outlast its own interval (Octavia's API reference asks for a timeout below the delay)`, this);
    if (props.listeners.length === 0) throw new ValidationError(`a load balancer needs at least one listener`, this);
    for (const cidr of props.allowedCidrs) if (!isValidCidr(cidr)) throw new ValidationError(`allowedCidrs: "${cidr}" is not an IPv4 CIDR`, this);

    const lb = new LbLoadbalancerV2(this, "LoadBalancer", {
      name: terraformLiteral(props.name),
      vipSubnetId: props.network.subnetId,
      vipAddress: props.vipAddress,
      adminStateUp: true,
    });
    this.loadBalancerId = lb.id;
    this.vipPortId = lb.vipPortId;
    this.vipAddress = props.vipAddress;

    for (const l of props.listeners) {
      if (l.protocol === "TERMINATED_HTTPS" && !l.tlsContainerRef) {
        throw new ValidationError(`listener ${l.port} is TERMINATED_HTTPS and needs tlsContainerRef`, this);
      }
      const probe = l.monitor;
      if ((probe.protocol === "HTTP" || probe.protocol === "HTTPS") && !probe.path?.startsWith("/")) {
        throw new ValidationError(`listener ${l.port}: an ${probe.protocol} monitor needs a path starting with "/", got "${probe.path ?? ""}"`, this);
      }
      if ((l.protocol === "UDP") !== (probe.protocol === "UDP-CONNECT")) {
        throw new ValidationError(`listener ${l.port}: a ${l.protocol} pool cannot take a ${probe.protocol} monitor; UDP pools take UDP-CONNECT, which only they take`, this);
      }
      const scopeForPort = new Construct(this, `Port${l.port}`);
      const listener = new LbListenerV2(scopeForPort, "Listener", {
        name: terraformLiteral(`${props.name}-${l.port}`),
        loadbalancerId: lb.id,
        protocol: l.protocol,
        protocolPort: l.port,
        allowedCidrs: octaviaAllowedCidrsOrder(props.allowedCidrs),
        ...(l.tlsContainerRef ? { defaultTlsContainerRef: terraformLiteral(l.tlsContainerRef) } : {}),
      });
      const poolProtocol = poolProtocolFor(l.protocol);
      const pool = new LbPoolV2(scopeForPort, "Pool", {
        name: terraformLiteral(`${props.name}-${l.port}`),
        listenerId: listener.id,
        protocol: poolProtocol,
        lbMethod: props.lbMethod ?? DEFAULT_LB_METHOD,
      });
      new LbMonitorV2(scopeForPort, "Monitor", {
        name: terraformLiteral(`${props.name}-${l.port}`),
        poolId: pool.id,
        type: probe.protocol,
        delay: hm.delaySec,
        timeout: hm.timeoutSec,
        maxRetries: hm.maxRetries,
        maxRetriesDown: hm.maxRetriesDown,
        ...(probe.protocol === "HTTP" || probe.protocol === "HTTPS"
          ? { urlPath: terraformLiteral(probe.path!), httpMethod: "GET", expectedCodes: terraformLiteral(hm.expectedCodes ?? "200") }
          : {}),
      });
      // One member per host, keyed and named by the host: the provider records a member only once Octavia reports
      // it ACTIVE (terraform-provider-openstack v3.x, resource_openstack_lb_member_v2.go), so one left in ERROR by a
      // failed apply is deleted or imported by hand at this address (README, "Recovering from a failed apply").
      const members = props.members.forEach();
      new LbMemberV2(scopeForPort, "Member", {
        forEach: members,
        name: members.key,
        poolId: pool.id,
        address: members.getString("ip"),
        protocolPort: l.backendPort,
        subnetId: props.network.subnetId,
        ...(probe.port !== l.backendPort ? { monitorPort: probe.port } : {}),
        // Terraform owns the weight (0 while a rollout holds the host out); day-2 drains by Ansible toggle
        // admin_state_up, which the stack never sets and ignores (README, "Who owns a member's weight").
        ...(props.memberWeights ? { weight: members.getNumber("weight"), lifecycle: { ignoreChanges: ["admin_state_up"] } } : {}),
      });
    }
  }
}

/** Octavia pool protocol behind a listener protocol (TLS terminates at the listener). */
export function poolProtocolFor(listener: OctaviaListenerProtocol): "HTTP" | "HTTPS" | "TCP" | "UDP" {
  switch (listener) {
    case "TERMINATED_HTTPS":
      return "HTTP";
    default:
      return listener;
  }
}
