/**
 * What each load balancer pool probes, decided once from what that pool's backend serves: the Octavia monitor, the
 * AWS target-group check and the Route 53 check all read this decision; the order of the listeners in the file
 * never changes it.
 *
 * The rule, per listener (one Octavia pool, one AWS target group):
 * - UDP listeners: Octavia probes the listener's own backend port with `UDP-CONNECT` (the only UDP monitor).
 *   Elastic Load Balancing cannot check UDP targets over UDP (TCP, HTTP or HTTPS only), so the AWS target group
 *   runs the service's health check on the service's health-check port ({@link serviceHealthCheckPort}).
 * - Other listeners, health check with a `port`: the members answer health checks there (a dedicated health
 *   port, or one of the backend ports); every pool probes it with the check's protocol.
 * - Other listeners, health check without a `port`: each pool probes its own backend port, in what the backend
 *   speaks: an HTTP check becomes HTTP behind HTTP and TERMINATED_HTTPS listeners (TLS ends at the load balancer),
 *   HTTPS behind HTTPS (TLS pass-through) listeners, and a TCP connect behind TCP listeners (no HTTP to speak to).
 *   An HTTPS check likewise. A TCP check is a TCP connect everywhere.
 * - An HTTP(S) check whose `port` is a backend port that speaks another protocol (plain HTTP to a TLS port, HTTPS
 *   to a plain HTTP port, anything to a UDP-only port) is refused at load ({@link healthCheckPortProblem}).
 *
 * Route 53 checks each site's public entry point on one listener ({@link publicHealthCheck}): TLS listeners
 * first (the path most clients take), then plain HTTP, then TCP; the lowest port among equals. UDP listeners
 * cannot be probed from the internet.
 */
import type { ListenerProtocol } from "./schema";

/** Health-check protocols of the environment file. */
export type HealthCheckProtocol = "HTTP" | "HTTPS" | "TCP";

/** Octavia monitor types the toolkit renders (openstack_lb_monitor_v2 `type`). */
export type MonitorType = HealthCheckProtocol | "UDP-CONNECT";

/** A health check as written in the file (before defaults that depend on the listeners). */
export interface HealthCheckInput {
  readonly protocol: HealthCheckProtocol;
  readonly path?: string;
  readonly port?: number;
}

export interface ListenerInput {
  readonly protocol: ListenerProtocol;
  readonly port: number;
  readonly backendPort: number;
}

/** What one pool probes on its members. */
export interface HealthProbeModel {
  /** Octavia monitor type: HTTP, HTTPS, TCP, or UDP-CONNECT for UDP pools. */
  readonly protocol: MonitorType;
  /** Member port probed (the members' `monitor_port` when it differs from the pool's backend port). */
  readonly port: number;
  /** HTTP path, set for HTTP and HTTPS probes. */
  readonly path?: string;
}

/** What an AWS target group checks: never UDP. */
export interface TargetHealthCheckModel extends HealthProbeModel {
  /** Target group health check protocol (`health_check.protocol`): HTTP, HTTPS or TCP. */
  readonly protocol: HealthCheckProtocol;
}

/** What Route 53 checks on a site's public entry point. */
export interface PublicHealthCheckModel {
  /** Route 53 health check type: HTTP, HTTPS or TCP. */
  readonly protocol: HealthCheckProtocol;
  /** Public listener port probed. */
  readonly listenerPort: number;
  /** HTTP path, set for HTTP and HTTPS checks. */
  readonly path?: string;
}

/** What the members behind a listener speak. */
function backendSpeaks(listener: ListenerProtocol): "HTTP" | "TLS" | "TCP" | "UDP" {
  switch (listener) {
    case "HTTP":
    case "TERMINATED_HTTPS":
      return "HTTP";
    case "HTTPS":
      return "TLS";
    default:
      return listener;
  }
}

function probeOf(protocol: HealthCheckProtocol, port: number, path: string | undefined): HealthProbeModel {
  return { protocol, port, ...(protocol === "TCP" ? {} : { path }) };
}

/** The Octavia monitor of one listener's pool. */
export function listenerHealthProbe(listener: ListenerInput, hc: HealthCheckInput): HealthProbeModel {
  const speaks = backendSpeaks(listener.protocol);
  if (speaks === "UDP") return { protocol: "UDP-CONNECT", port: listener.backendPort };
  if (hc.port !== undefined || hc.protocol === "TCP") return probeOf(hc.protocol, hc.port ?? listener.backendPort, hc.path);
  const protocol: HealthCheckProtocol = speaks === "HTTP" ? "HTTP" : speaks === "TLS" ? "HTTPS" : "TCP";
  return probeOf(protocol, listener.backendPort, hc.path);
}

/**
 * Port the members answer the service's health check on: the check's `port`, else the lowest backend port whose
 * pool runs the check's own protocol, else the lowest backend port probed over TCP, else the lowest backend port.
 */
export function serviceHealthCheckPort(listeners: readonly ListenerInput[], hc: HealthCheckInput): number {
  if (hc.port !== undefined) return hc.port;
  const probes = listeners.map((l) => listenerHealthProbe(l, hc));
  const lowest = (ports: number[]) => (ports.length > 0 ? Math.min(...ports) : undefined);
  return (
    lowest(probes.filter((p) => p.protocol === hc.protocol).map((p) => p.port)) ??
    lowest(probes.filter((p) => p.protocol !== "UDP-CONNECT").map((p) => p.port)) ??
    Math.min(...listeners.map((l) => l.backendPort))
  );
}

/** The AWS target-group check of one listener's group. */
export function targetHealthCheck(listener: ListenerInput, hc: HealthCheckInput, servicePort: number): TargetHealthCheckModel {
  const probe = listenerHealthProbe(listener, hc);
  if (probe.protocol !== "UDP-CONNECT") return probe as TargetHealthCheckModel;
  return probeOf(hc.protocol, servicePort, hc.path) as TargetHealthCheckModel;
}

const PUBLIC_PREFERENCE: readonly ListenerProtocol[] = ["TERMINATED_HTTPS", "HTTPS", "HTTP", "TCP"];

/** The Route 53 check of the service's public entry point, or undefined when every listener is UDP. */
export function publicHealthCheck(listeners: readonly ListenerInput[], hc: HealthCheckInput): PublicHealthCheckModel | undefined {
  const candidates = listeners
    .filter((l) => l.protocol !== "UDP")
    .sort((a, b) => PUBLIC_PREFERENCE.indexOf(a.protocol) - PUBLIC_PREFERENCE.indexOf(b.protocol) || a.port - b.port);
  const probed = candidates[0];
  if (!probed) return undefined;
  const protocol: HealthCheckProtocol = hc.protocol === "TCP" || probed.protocol === "TCP" ? "TCP" : probed.protocol === "HTTP" ? "HTTP" : "HTTPS";
  return { protocol, listenerPort: probed.port, ...(protocol === "TCP" ? {} : { path: hc.path }) };
}

/**
 * Why a service cannot be checked by an AWS target group, or undefined: with every listener UDP and no `port`, the
 * check would land on a UDP port (Elastic Load Balancing checks UDP targets over TCP, HTTP or HTTPS only).
 */
export function awsHealthCheckPortProblem(listeners: readonly ListenerInput[], hc: HealthCheckInput, site: string): string | undefined {
  if (hc.port !== undefined || listeners.some((l) => l.protocol !== "UDP")) return undefined;
  return `every listener is UDP, and Elastic Load Balancing checks UDP targets over TCP, HTTP or HTTPS only (site "${site}" runs this service); give healthCheck.port: the TCP port the members answer health checks on`;
}

/** Why the check's `port` cannot carry its protocol, or undefined. */
export function healthCheckPortProblem(listeners: readonly ListenerInput[], hc: HealthCheckInput): string | undefined {
  if (hc.port === undefined) return undefined;
  const serving = listeners.filter((l) => l.backendPort === hc.port);
  if (serving.length === 0) return undefined;
  const describe = (l: ListenerInput) => `the ${l.protocol} listener ${l.port} → ${l.backendPort}`;
  if (serving.every((l) => l.protocol === "UDP")) {
    return `a ${hc.protocol} health check on port ${hc.port} needs TCP, but the members serve that port over UDP only (${serving.map(describe).join(", ")}); use a port served over TCP`;
  }
  if (hc.protocol === "TCP") return undefined;
  const wrong = serving.find((l) => {
    const speaks = backendSpeaks(l.protocol);
    return hc.protocol === "HTTP" ? speaks === "TLS" || speaks === "UDP" : speaks === "HTTP" || speaks === "UDP";
  });
  if (!wrong) return undefined;
  return hc.protocol === "HTTP"
    ? `an HTTP health check on port ${hc.port} would speak plain HTTP to a port where the members speak ${backendSpeaks(wrong.protocol)} (${describe(wrong)}); use protocol HTTPS, or the port of a backend that speaks HTTP`
    : `an HTTPS health check on port ${hc.port} would speak TLS to a port where the members speak ${backendSpeaks(wrong.protocol)} (${describe(wrong)}); use protocol HTTP, or the port of a backend that speaks TLS`;
}
