import { loadBalancerHealthCheck } from "../../policy";
import { resourceOf, single, stackOf } from "./fixtures";

describe("EST-LB-001 load balancer without a health check", () => {
  const pool = { name: "web-80", listener_id: "${openstack_lb_listener_v2.listener.id}", protocol: "HTTP", lb_method: "ROUND_ROBIN" };
  const monitor = { pool_id: "${openstack_lb_pool_v2.pool.id}", type: "HTTP", delay: 10, timeout: 5, max_retries: 3, url_path: "/healthz" };

  it("GIVEN an Octavia pool with a monitor THEN compliant", () => {
    const tf = { resource: { openstack_lb_pool_v2: { pool }, openstack_lb_monitor_v2: { monitor } } };
    expect(loadBalancerHealthCheck.check(resourceOf(tf, "openstack_lb_pool_v2", "pool"), stackOf(tf))).toEqual({ status: "compliant" });
  });

  it("GIVEN an Octavia pool whose only monitor watches another pool THEN non-compliant", () => {
    const tf = { resource: { openstack_lb_pool_v2: { pool, other: pool }, openstack_lb_monitor_v2: { monitor: { ...monitor, pool_id: "${openstack_lb_pool_v2.other.id}" } } } };
    expect(loadBalancerHealthCheck.check(resourceOf(tf, "openstack_lb_pool_v2", "pool"), stackOf(tf))).toEqual({
      status: "non-compliant",
      detail: "no openstack_lb_monitor_v2 refers to this pool",
    });
  });

  it("GIVEN an AWS target group with an enabled health check THEN compliant", () => {
    const tf = single("aws_lb_target_group", "tg", { port: 8080, protocol: "HTTP", health_check: { enabled: true, path: "/healthz" } });
    expect(loadBalancerHealthCheck.check(resourceOf(tf, "aws_lb_target_group", "tg"), stackOf(tf))).toEqual({ status: "compliant" });
  });

  it.each([
    [{ health_check: { enabled: false } }, "health_check.enabled is false"],
    [{}, "no health_check block: AWS falls back to its defaults, not the service's health check"],
  ])("GIVEN an AWS target group %j THEN non-compliant", (extra, detail) => {
    const tf = single("aws_lb_target_group", "tg", { port: 8080, protocol: "HTTP", ...extra });
    expect(loadBalancerHealthCheck.check(resourceOf(tf, "aws_lb_target_group", "tg"), stackOf(tf))).toEqual({ status: "non-compliant", detail });
  });
});
