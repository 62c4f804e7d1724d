import { Fleet, FloatingVip, OctaviaLoadBalancer, ServerGroup, ServiceSecurityGroup, SiteNetwork } from "../../constructs/openstack";
import { OpenstackProvider } from "../../.gen/providers/openstack/provider";
import { errorOf as errorIn, resourcesOf, synthJson, testStack as bareStack } from "../support/synth";

/** GIVEN a stack with the one OpenStack provider every site stack has. */
function testStack() {
  const stack = bareStack();
  new OpenstackProvider(stack, "openstack", { cloud: "test", region: "RegionOne" });
  return stack;
}

const errorOf = (build: Parameters<typeof errorIn>[0]) => errorIn(build, testStack());

const NETWORK = {
  name: "t-os-a",
  subnetCidr: "10.10.0.0/20",
  gatewayIp: "10.10.0.1",
  allocationPool: { start: "10.10.0.128", end: "10.10.0.254" },
  externalNetworkName: "public",
};

describe("SiteNetwork", () => {
  it("creates network, subnet, router with external gateway and interface (defaults)", () => {
    const stack = testStack();
    new SiteNetwork(stack, "Network", NETWORK);
    const tf = synthJson(stack);
    expect(tf.data.openstack_networking_network_v2.network_external).toEqual({ name: "public", external: true });
    expect(resourcesOf(tf, "openstack_networking_subnet_v2").network_subnet).toMatchObject({
      cidr: "10.10.0.0/20",
      ip_version: 4,
      gateway_ip: "10.10.0.1",
      allocation_pool: [{ start: "10.10.0.128", end: "10.10.0.254" }],
      network_id: "${openstack_networking_network_v2.network_network.id}",
    });
    expect(resourcesOf(tf, "openstack_networking_router_v2").network_router.external_network_id).toBe("${data.openstack_networking_network_v2.network_external.id}");
    expect(resourcesOf(tf, "openstack_networking_router_interface_v2").network_router_interface).toEqual({
      router_id: "${openstack_networking_router_v2.network_router.id}",
      subnet_id: "${openstack_networking_subnet_v2.network_subnet.id}",
    });
    expect(resourcesOf(tf, "openstack_networking_router_route_v2")).toEqual({});
  });

  it("adds one central route per entry, after the interface (all options)", () => {
    const stack = testStack();
    new SiteNetwork(stack, "Network", { ...NETWORK, dnsServers: ["10.0.0.53"], routes: [{ destination: "10.0.0.0/16", nextHop: "10.10.0.254" }] });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "openstack_networking_subnet_v2").network_subnet.dns_nameservers).toEqual(["10.0.0.53"]);
    expect(resourcesOf(tf, "openstack_networking_router_route_v2").network_route_to10_0_0_0_16).toEqual({
      router_id: "${openstack_networking_router_v2.network_router.id}",
      destination_cidr: "10.0.0.0/16",
      next_hop: "10.10.0.254",
      depends_on: ["openstack_networking_router_interface_v2.network_router_interface"],
    });
  });

  it("refuses a next hop off the subnet", () => {
    expect(errorOf((s) => new SiteNetwork(s, "Network", { ...NETWORK, routes: [{ destination: "10.0.0.0/16", nextHop: "10.99.0.1" }] }))).toBe(
      'test/Network: route to 10.0.0.0/16 has next hop "10.99.0.1" outside 10.10.0.0/20; the router only reaches next hops on its subnet',
    );
  });
});

describe("ServiceSecurityGroup", () => {
  const props = { name: "t-web", servicePorts: [{ protocol: "tcp" as const, port: 8080 }, { protocol: "tcp" as const, port: 8080 }], loadBalancerSourceCidrs: ["10.10.0.128/25"], adminCidrs: ["192.0.2.0/26"] };

  it("opens service ports to the load balancer and SSH to admins only (defaults)", () => {
    const stack = testStack();
    new ServiceSecurityGroup(stack, "Sg", props);
    const rules = Object.values(resourcesOf(synthJson(stack), "openstack_networking_secgroup_rule_v2")).map((r: any) => `${r.protocol}/${r.port_range_min}-${r.port_range_max} from ${r.remote_ip_prefix}`);
    expect(rules.sort()).toEqual(["tcp/22-22 from 192.0.2.0/26", "tcp/8080-8080 from 10.10.0.128/25"]);
  });

  it("opens node_exporter to monitoring networks (all options)", () => {
    const stack = testStack();
    new ServiceSecurityGroup(stack, "Sg", { ...props, monitoringCidrs: ["10.0.0.0/16"], nodeExporterPort: 9200 });
    const rule = resourcesOf(synthJson(stack), "openstack_networking_secgroup_rule_v2").sg_node_exporter_from10_0_0_0_16;
    expect(rule).toMatchObject({ direction: "ingress", ethertype: "IPv4", protocol: "tcp", port_range_min: 9200, port_range_max: 9200, remote_ip_prefix: "10.0.0.0/16" });
  });

  it("refuses SSH open to the world", () => {
    expect(errorOf((s) => new ServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["0.0.0.0/0"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks in adminCidrs",
    );
  });

  it("refuses SSH open to the world in two halves, and to an internet-sized share of it", () => {
    expect(errorOf((s) => new ServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks in adminCidrs",
    );
    expect(errorOf((s) => new ServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["11.0.0.0/9", "11.128.0.0/9"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to 16,777,216 public addresses (0.5% of the public IPv4 space); list the admin networks in adminCidrs",
    );
  });
});

describe("ServerGroup", () => {
  it("defaults to soft anti-affinity", () => {
    const stack = testStack();
    new ServerGroup(stack, "Group", { name: "t-web" });
    expect(resourcesOf(synthJson(stack), "openstack_compute_servergroup_v2").group_group).toEqual({ name: "t-web", policies: ["soft-anti-affinity"] });
  });

  it("refuses an unknown policy", () => {
    expect(errorOf((s) => new ServerGroup(s, "Group", { name: "x", policy: "affinity" as any }))).toBe('test/Group: policy must be "anti-affinity" or "soft-anti-affinity", got "affinity"');
  });
});

describe("Fleet", () => {
  const hosts = [
    { name: "t-os-a-web-001", ip: "10.10.1.1", availabilityZone: "az1" },
    { name: "t-os-a-web-002", ip: "10.10.1.2", availabilityZone: "az2" },
  ];
  const base = { hosts, hostsLocalName: "hosts_web", networkId: "net", subnetId: "sub", securityGroupIds: ["sg"], flavorName: "m1.small", image: { name: "golden" }, keyPairName: "admin" };

  it("renders one port and one instance per host, keyed by host name (defaults)", () => {
    const stack = testStack();
    new Fleet(stack, "Fleet", base);
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({ "t-os-a-web-001": { ip: "10.10.1.1", az: "az1" }, "t-os-a-web-002": { ip: "10.10.1.2", az: "az2" } });
    expect(resourcesOf(tf, "openstack_networking_port_v2").fleet_port).toMatchObject({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      fixed_ip: [{ subnet_id: "sub", ip_address: "${each.value.ip}" }],
      security_group_ids: ["sg"],
    });
    const instance = resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance;
    expect(instance).toMatchObject({
      for_each: "${local.hosts_web}",
      name: "${each.key}",
      availability_zone: "${each.value.az}",
      image_id: "${data.openstack_images_image_v2.fleet_image.id}",
      network: [{ port: "${openstack_networking_port_v2.fleet_port[each.key].id}" }],
    });
    expect(instance.block_device).toBeUndefined();
    expect(instance.scheduler_hints).toBeUndefined();
    expect(tf.data.openstack_images_image_v2.fleet_image).toEqual({ name: "golden", most_recent: true });
  });

  it("boots from a volume in a server group (all options)", () => {
    const stack = testStack();
    new Fleet(stack, "Fleet", { ...base, image: { id: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" }, serverGroupIds: ["sg-1"], volumeSizeGiB: 40, metadata: { estate_env: "t" } });
    const instance = resourcesOf(synthJson(stack), "openstack_compute_instance_v2").fleet_instance;
    expect(instance.scheduler_hints).toEqual([{ group: "sg-1" }]);
    expect(instance.image_id).toBeUndefined();
    expect(instance.block_device).toEqual([
      { uuid: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11", source_type: "image", destination_type: "volume", volume_size: 40, boot_index: 0, delete_on_termination: true },
    ]);
    expect(instance.metadata).toEqual({ estate_env: "t" });
  });

  it("places hosts in several server groups by the group each host names", () => {
    // GIVEN three hosts, the third in a second group (a fleet grown past the group's member quota)
    const stack = testStack();
    const grown = [...hosts.map((h) => ({ ...h, serverGroup: 1 })), { name: "t-os-a-web-003", ip: "10.10.1.3", availabilityZone: "az3", serverGroup: 2 }];
    // WHEN
    new Fleet(stack, "Fleet", { ...base, hosts: grown, serverGroupIds: ["sg-1", "sg-2"] });
    const tf = synthJson(stack);
    // THEN each host carries its group in the host map and the instance looks it up
    expect(tf.locals.hosts_web).toEqual({
      "t-os-a-web-001": { ip: "10.10.1.1", az: "az1", group: 1 },
      "t-os-a-web-002": { ip: "10.10.1.2", az: "az2", group: 1 },
      "t-os-a-web-003": { ip: "10.10.1.3", az: "az3", group: 2 },
    });
    expect(resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance.scheduler_hints).toEqual([{ group: '${{"1" = "sg-1", "2" = "sg-2"}[each.value.group]}' }]);
  });

  it("refuses a host naming a server group the fleet does not have", () => {
    expect(errorOf((s) => new Fleet(s, "Fleet", { ...base, hosts: [{ ...hosts[0], serverGroup: 3 }], serverGroupIds: ["sg-1", "sg-2"] }))).toBe(
      'test/Fleet: host "t-os-a-web-001" names server group 3, but the fleet has 2 (serverGroupIds)',
    );
  });

  it("GIVEN images by version THEN each host boots its own version's image and carries its member weight", () => {
    const stack = testStack();
    const rolled = [
      { ...hosts[0], imageVersion: "2", inService: false },
      { ...hosts[1], imageVersion: "1" },
    ];
    new Fleet(stack, "Fleet", { ...base, hosts: rolled, imagesByVersion: { "1": { name: "golden-1" }, "2": { id: "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" } }, versionMetadataKey: "estate_image_version" });
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({
      "t-os-a-web-001": { ip: "10.10.1.1", az: "az1", version: "2", weight: 0 },
      "t-os-a-web-002": { ip: "10.10.1.2", az: "az2", version: "1", weight: 1 },
    });
    expect(tf.locals.image_names_web).toEqual({ "1": "golden-1" });
    expect(tf.locals.image_ids_web).toEqual({ "1": '${data.openstack_images_image_v2.fleet_image["1"].id}', "2": "0b7e0e6e-6a7b-4a3e-9f55-0e7c4b9b1d11" });
    expect(tf.data.openstack_images_image_v2.fleet_image).toMatchObject({ for_each: "${local.image_names_web}", name: "${each.value}", most_recent: true });
    const instance = resourcesOf(tf, "openstack_compute_instance_v2").fleet_instance;
    expect(instance.image_id).toBe("${local.image_ids_web[each.value.version]}");
    expect(instance.metadata).toEqual({ estate_image_version: "${each.value.version}" });
  });

  it("refuses a host whose version has no image", () => {
    expect(errorOf((s) => new Fleet(s, "Fleet", { ...base, hosts: [{ ...hosts[0], imageVersion: "3" }], imagesByVersion: { "1": { name: "golden-1" } } }))).toBe(
      'test/Fleet: host "t-os-a-web-001" runs image version "3", which imagesByVersion does not have (1)',
    );
  });

  it("refuses a duplicate host", () => {
    expect(errorOf((s) => new Fleet(s, "Fleet", { ...base, hosts: [hosts[0], hosts[0]] }))).toBe('test/Fleet: host "t-os-a-web-001" appears twice');
  });
});

describe("OctaviaLoadBalancer", () => {
  const props = {
    name: "t-web",
    vipSubnetId: "sub",
    vipAddress: "10.10.0.17",
    listeners: [{ protocol: "HTTP" as const, port: 80, backendPort: 8080, monitor: { protocol: "HTTP" as const, port: 8080, path: "/healthz" } }],
    healthMonitor: { delaySec: 10, timeoutSec: 5, maxRetries: 3, maxRetriesDown: 3 },
    allowedCidrs: ["0.0.0.0/0"],
    membersExpression: "${local.hosts_web}",
    memberSubnetId: "sub",
  };

  it("wires listener, pool, monitor and one member per host (defaults)", () => {
    const stack = testStack();
    new OctaviaLoadBalancer(stack, "Lb", props);
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
    const stack = testStack();
    new OctaviaLoadBalancer(stack, "Lb", { ...props, memberWeights: true });
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
    const stack = testStack();
    new OctaviaLoadBalancer(stack, "Lb", {
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
    const stack = testStack();
    new OctaviaLoadBalancer(stack, "Lb", { ...props, listeners: [{ protocol: "UDP", port: 53, backendPort: 5353, monitor: { protocol: "UDP-CONNECT", port: 5353 } }] });
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
    expect(errorOf((s) => new OctaviaLoadBalancer(s, "Lb", { ...props, listeners: [{ protocol: "UDP", port: 53, backendPort: 5353, monitor: { protocol: "TCP", port: 853 } }] }))).toBe(
      "test/Lb: listener 53: a UDP pool cannot take a TCP monitor; UDP pools take UDP-CONNECT, which only they take",
    );
  });

  it("refuses a monitor timeout above its delay", () => {
    expect(errorOf((s) => new OctaviaLoadBalancer(s, "Lb", { ...props, healthMonitor: { ...props.healthMonitor, timeoutSec: 20 } }))).toBe(
      "test/Lb: healthMonitor.timeoutSec (20) must not exceed delaySec (10); Octavia rejects it",
    );
  });
});

describe("FloatingVip", () => {
  it("holds the fixed public address on the LB's VIP port", () => {
    const stack = testStack();
    new FloatingVip(stack, "Vip", { pool: "public", address: "198.51.100.10", portId: "port-1" });
    expect(resourcesOf(synthJson(stack), "openstack_networking_floatingip_v2").vip_floating_ip).toEqual({ pool: "public", address: "198.51.100.10", port_id: "port-1" });
  });

  it("refuses a malformed address", () => {
    expect(errorOf((s) => new FloatingVip(s, "Vip", { pool: "public", address: "198.51.100", portId: "p" }))).toBe('test/Vip: address must be an IPv4 address, got "198.51.100"');
  });
});
