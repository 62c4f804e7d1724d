import { referencesIn } from "../../terraform-json";
import { compliant, nonCompliant, type ResourceRule } from "../rule";

/** EST-LB-001: every Octavia pool has a health monitor and every AWS target group an enabled health check. */
export const loadBalancerHealthCheck: ResourceRule = {
  id: "EST-LB-001",
  level: "error",
  kind: "resource",
  serviceSetting: "healthCheck",
  resourceTypes: ["openstack_lb_pool_v2", "aws_lb_target_group"],
  message: "load balancer pool or target group without a health check",
  explanation:
    "Without a health check the load balancer keeps sending requests to a member that is down or still warming up, so a single failed host turns into errors for a share of every client's requests.",
  fix: "Give the service a healthCheck in the environment file; Octavia pools need an openstack_lb_monitor_v2, AWS target groups a health_check block with enabled = true.",
  check: (resource, stack) => {
    if (resource.block.type === "aws_lb_target_group") {
      const hc = resource.attributes.health_check;
      const block = (Array.isArray(hc) ? hc[0] : hc) as Record<string, unknown> | undefined;
      if (!block) return nonCompliant("no health_check block: AWS falls back to its defaults, not the service's health check");
      if (block.enabled === false) return nonCompliant("health_check.enabled is false");
      return compliant();
    }
    const monitors = Object.entries(stack.tf.resource?.openstack_lb_monitor_v2 ?? {}).filter(([, config]) =>
      referencesIn(config.pool_id).some((r) => r.address === resource.block.address),
    );
    return monitors.length > 0 ? compliant() : nonCompliant("no openstack_lb_monitor_v2 refers to this pool");
  },
};
