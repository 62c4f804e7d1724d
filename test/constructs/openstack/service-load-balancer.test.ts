import { Testing } from "cdktf";
import { LbListenerV2 } from "../../../.gen/providers/openstack/lb-listener-v2";
import { LbLoadbalancerV2 } from "../../../.gen/providers/openstack/lb-loadbalancer-v2";
import { LbMemberV2 } from "../../../.gen/providers/openstack/lb-member-v2";
import { LbMonitorV2 } from "../../../.gen/providers/openstack/lb-monitor-v2";
import { LbPoolV2 } from "../../../.gen/providers/openstack/lb-pool-v2";
import { OpenstackProvider } from "../../../.gen/providers/openstack/provider";
import { HostMap } from "../../../constructs/core";
import { OpenstackServiceLoadBalancer, type OpenstackServiceLoadBalancerProps } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

const PROPS: OpenstackServiceLoadBalancerProps = {
  name: "t-os-a-web",
  network: { subnetId: "subnet-1" },
  vipAddress: "10.10.0.17",
  listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080, monitor: { protocol: "HTTP", port: 8080, path: "/healthz" } }],
  healthMonitor: { delaySec: 10, timeoutSec: 5, maxRetries: 3, maxRetriesDown: 4 },
  allowedCidrs: ["203.0.113.0/24", "100.64.0.0/10", "15.177.0.0/18"],
  members: HostMap.fromLocalName("hosts_web"),
};

/** GIVEN a plain cdktf stack (cdktf's Testing.synthScope) with an OpenStack provider and one load balancer in it. */
function synthLoadBalancer(props: OpenstackServiceLoadBalancerProps): string {
  return Testing.synthScope((scope) => {
    new OpenstackProvider(scope, "openstack", { cloud: "test" });
    new OpenstackServiceLoadBalancer(scope, "Lb", props);
  });
}

// Terraform names in a plain stack are cdktf's own: the construct path and a hash of it. The matchers compare each
// property given in full (nested blocks included) and ignore the properties not given.
describe("OpenstackServiceLoadBalancer", () => {
  it("wires an Octavia load balancer, listener, pool, monitor and one member per host (defaults)", () => {
    const synthesized = synthLoadBalancer(PROPS);
    expect(synthesized).toHaveResourceWithProperties(LbLoadbalancerV2, { name: "t-os-a-web", vip_subnet_id: "subnet-1", vip_address: "10.10.0.17", admin_state_up: true });
    expect(synthesized).toHaveResourceWithProperties(LbListenerV2, {
      name: "t-os-a-web-80",
      loadbalancer_id: "${openstack_lb_loadbalancer_v2.Lb_LoadBalancer_A706B8E4.id}",
      protocol: "HTTP",
      protocol_port: 80,
      // In the order Octavia returns them (code-point order), so a plan after an apply shows no change.
      allowed_cidrs: ["100.64.0.0/10", "15.177.0.0/18", "203.0.113.0/24"],
    });
    expect(synthesized).toHaveResourceWithProperties(LbPoolV2, { name: "t-os-a-web-80", protocol: "HTTP", lb_method: "ROUND_ROBIN" });
    expect(synthesized).toHaveResourceWithProperties(LbMonitorV2, {
      name: "t-os-a-web-80",
      type: "HTTP",
      delay: 10,
      timeout: 5,
      max_retries: 3,
      max_retries_down: 4,
      url_path: "/healthz",
      http_method: "GET",
      expected_codes: "200",
    });
    const members = JSON.parse(synthesized).resource.openstack_lb_member_v2;
    expect(Object.values(members)).toEqual([
      {
        for_each: "${local.hosts_web}",
        name: "${each.key}",
        pool_id: "${openstack_lb_pool_v2.Lb_Port80_Pool_FFA2ED4B.id}",
        address: "${each.value.ip}",
        protocol_port: 8080,
        subnet_id: "subnet-1",
      },
    ]);
  });

  it("terminates TLS into an HTTP pool, monitors another port, and sets the method and codes (all options)", () => {
    const synthesized = synthLoadBalancer({
      ...PROPS,
      lbMethod: "LEAST_CONNECTIONS",
      listeners: [
        {
          protocol: "TERMINATED_HTTPS",
          port: 443,
          backendPort: 8080,
          tlsContainerRef: "https://barbican.example.net/v1/containers/1",
          monitor: { protocol: "HTTP", port: 8081, path: "/ready" },
        },
        { protocol: "UDP", port: 53, backendPort: 5353, monitor: { protocol: "UDP-CONNECT", port: 5353 } },
      ],
      healthMonitor: { ...PROPS.healthMonitor, expectedCodes: "200-299" },
    });
    expect(synthesized).toHaveResourceWithProperties(LbListenerV2, {
      name: "t-os-a-web-443",
      protocol: "TERMINATED_HTTPS",
      protocol_port: 443,
      default_tls_container_ref: "https://barbican.example.net/v1/containers/1",
    });
    expect(synthesized).toHaveResourceWithProperties(LbPoolV2, { name: "t-os-a-web-443", protocol: "HTTP", lb_method: "LEAST_CONNECTIONS" });
    expect(synthesized).toHaveResourceWithProperties(LbMonitorV2, { name: "t-os-a-web-443", type: "HTTP", url_path: "/ready", expected_codes: "200-299" });
    expect(synthesized).toHaveResourceWithProperties(LbMemberV2, { protocol_port: 8080, monitor_port: 8081 });
    expect(synthesized).toHaveResourceWithProperties(LbPoolV2, { name: "t-os-a-web-53", protocol: "UDP" });
    const monitors = Object.values<any>(JSON.parse(synthesized).resource.openstack_lb_monitor_v2);
    expect(monitors.find((m) => m.name === "t-os-a-web-53")).toEqual({
      name: "t-os-a-web-53",
      pool_id: "${openstack_lb_pool_v2.Lb_Port53_Pool_08585ADA.id}",
      type: "UDP-CONNECT",
      delay: 10,
      timeout: 5,
      max_retries: 3,
      max_retries_down: 4,
    });
  });

  it("refuses a TERMINATED_HTTPS listener without a certificate container", () => {
    expect(() => synthLoadBalancer({ ...PROPS, listeners: [{ protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, monitor: { protocol: "HTTP", port: 8080, path: "/" } }] })).toThrow(
      "stack/Lb: listener 443 is TERMINATED_HTTPS and needs tlsContainerRef",
    );
  });
});

describe("OpenstackServiceLoadBalancer in an estate stack", () => {
  const props = {
    name: "t-web",
    network: { subnetId: "sub" },
    vipAddress: "10.10.0.17",
    listeners: [{ protocol: "HTTP" as const, port: 80, backendPort: 8080, monitor: { protocol: "HTTP" as const, port: 8080, path: "/healthz" } }],
    healthMonitor: { delaySec: 10, timeoutSec: 5, maxRetries: 3, maxRetriesDown: 3 },
    allowedCidrs: ["0.0.0.0/0"],
    members: HostMap.fromLocalName("hosts_web"),
  };

  it("wires listener, pool, monitor and one member per host (defaults)", () => {
    const stack = openstackTestStack();
    new OpenstackServiceLoadBalancer(stack, "Lb", props);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "openstack_lb_loadbalancer_v2").lb_load_balancer).toMatchObject({ vip_subnet_id: "sub", vip_address: "10.10.0.17" });
    expect(resourcesOf(tf, "openstack_lb_listener_v2").lb_port80_listener).toMatchObject({ protocol: "HTTP", protocol_port: 80, allowed_cidrs: ["0.0.0.0/0"] });
    expect(resourcesOf(tf, "openstack_lb_pool_v2").lb_port80_pool).toMatchObject({ protocol: "HTTP", lb_method: "ROUND_ROBIN", listener_id: "${openstack_lb_listener_v2.lb_port80_listener.id}" });
    expect(resourcesOf(tf, "openstack_lb_monitor_v2").lb_port80_monitor).toMatchObject({ type: "HTTP", url_path: "/healthz", delay: 10, timeout: 5, max_retries: 3, max_retries_down: 3, expected_codes: "200" });
    expect(resourcesOf(tf, "openstack_lb_member_v2").lb_port80_member).toEqual({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      pool_id: "${openstack_lb_pool_v2.lb_port80_pool.id}",
      address: "${each.value.ip}",
      protocol_port: 8080,
      subnet_id: "sub",
    });
  });

  it("GIVEN member weights THEN each member takes its host's weight and leaves admin_state_up to day-2 drains", () => {
    const stack = openstackTestStack();
    new OpenstackServiceLoadBalancer(stack, "Lb", { ...props, memberWeights: true });
    expect(resourcesOf(synthJson(stack), "openstack_lb_member_v2").lb_port80_member).toEqual({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      pool_id: "${openstack_lb_pool_v2.lb_port80_pool.id}",
      address: "${each.value.ip}",
      protocol_port: 8080,
      subnet_id: "sub",
      weight: "${each.value.weight}",
      lifecycle: { ignore_changes: ["admin_state_up"] },
    });
  });

  it("terminates TLS, uses an HTTP pool and a separate monitor port (all options)", () => {
    const stack = openstackTestStack();
    new OpenstackServiceLoadBalancer(stack, "Lb", {
      ...props,
      lbMethod: "LEAST_CONNECTIONS",
      listeners: [
        {
          protocol: "TERMINATED_HTTPS",
          port: 443,
          backendPort: 8080,
          tlsContainerRef: "https://barbican.example.net/v1/containers/1",
          monitor: { protocol: "HTTP", port: 8081, path: "/healthz" },
        },
      ],
      healthMonitor: { ...props.healthMonitor, expectedCodes: "200-299" },
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "openstack_lb_listener_v2").lb_port443_listener.default_tls_container_ref).toBe("https://barbican.example.net/v1/containers/1");
    expect(resourcesOf(tf, "openstack_lb_pool_v2").lb_port443_pool).toMatchObject({ protocol: "HTTP", lb_method: "LEAST_CONNECTIONS" });
    expect(resourcesOf(tf, "openstack_lb_member_v2").lb_port443_member.monitor_port).toBe(8081);
    expect(resourcesOf(tf, "openstack_lb_monitor_v2").lb_port443_monitor.expected_codes).toBe("200-299");
  });

  it("gives a UDP pool a UDP-CONNECT monitor without HTTP settings", () => {
    const stack = openstackTestStack();
    new OpenstackServiceLoadBalancer(stack, "Lb", { ...props, listeners: [{ protocol: "UDP", port: 53, backendPort: 5353, monitor: { protocol: "UDP-CONNECT", port: 5353 } }] });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "openstack_lb_monitor_v2").lb_port53_monitor).toEqual({
      name: "t-web-53",
      pool_id: "${openstack_lb_pool_v2.lb_port53_pool.id}",
      type: "UDP-CONNECT",
      delay: 10,
      timeout: 5,
      max_retries: 3,
      max_retries_down: 3,
    });
    expect(resourcesOf(tf, "openstack_lb_member_v2").lb_port53_member.monitor_port).toBeUndefined();
  });

  it("refuses a monitor the pool's protocol cannot take", () => {
    expect(openstackErrorOf((s) => new OpenstackServiceLoadBalancer(s, "Lb", { ...props, listeners: [{ protocol: "UDP", port: 53, backendPort: 5353, monitor: { protocol: "TCP", port: 853 } }] }))).toBe(
      "test/Lb: listener 53: a UDP pool cannot take a TCP monitor; UDP pools take UDP-CONNECT, which only they take",
    );
  });

  it("refuses a monitor timeout above its delay", () => {
    expect(openstackErrorOf((s) => new OpenstackServiceLoadBalancer(s, "Lb", { ...props, healthMonitor: { ...props.healthMonitor, timeoutSec: 20 } }))).toBe(
      "test/Lb: healthMonitor.timeoutSec (20) must not exceed delaySec (10); a probe would outlast its own interval (Octavia's API reference asks for a timeout below the delay)",
    );
  });
});
