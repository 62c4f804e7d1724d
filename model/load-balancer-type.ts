/**
 * Which kind of AWS load balancer a service gets. An application load balancer terminates every connection and
 * health-checks over HTTP(S) only; TLS passthrough (HTTPS), TCP and UDP listeners, and TCP health checks, need a
 * network load balancer.
 */
import type { ListenerProtocol } from "./schema";

export type AwsLoadBalancerType = "application" | "network";

export function awsLoadBalancerType(listeners: readonly { readonly protocol: ListenerProtocol }[], healthCheckProtocol: string): AwsLoadBalancerType {
  const layer7 = listeners.every((l) => l.protocol === "HTTP" || l.protocol === "TERMINATED_HTTPS") && healthCheckProtocol !== "TCP";
  return layer7 ? "application" : "network";
}
