import { OpenstackSiteNetwork } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

const NETWORK = {
  name: "t-os-a",
  subnetCidr: "10.10.0.0/20",
  gatewayIp: "10.10.0.1",
  allocationPool: { start: "10.10.0.128", end: "10.10.0.254" },
  externalNetworkName: "public",
};

describe("OpenstackSiteNetwork", () => {
  it("creates network, subnet, router with external gateway and interface (defaults)", () => {
    const stack = openstackTestStack();
    new OpenstackSiteNetwork(stack, "Network", NETWORK);
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
    const stack = openstackTestStack();
    new OpenstackSiteNetwork(stack, "Network", { ...NETWORK, dnsServers: ["10.0.0.53"], routes: [{ destination: "10.0.0.0/16", nextHop: "10.10.0.254" }] });
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
    expect(openstackErrorOf((s) => new OpenstackSiteNetwork(s, "Network", { ...NETWORK, routes: [{ destination: "10.0.0.0/16", nextHop: "10.99.0.1" }] }))).toBe(
      'test/Network: route to 10.0.0.0/16 has next hop "10.99.0.1" outside 10.10.0.0/20; the router only reaches next hops on its subnet',
    );
  });
});
