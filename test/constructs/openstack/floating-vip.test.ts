import { OpenstackFloatingVip } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

describe("OpenstackFloatingVip", () => {
  it("holds the fixed public address on the LB's VIP port", () => {
    const stack = openstackTestStack();
    new OpenstackFloatingVip(stack, "Vip", { network: { externalNetworkName: "public" }, address: "198.51.100.10", loadBalancer: { vipPortId: "port-1" } });
    expect(resourcesOf(synthJson(stack), "openstack_networking_floatingip_v2").vip_floating_ip).toEqual({ pool: "public", address: "198.51.100.10", port_id: "port-1" });
  });

  it("refuses a malformed address", () => {
    expect(openstackErrorOf((s) => new OpenstackFloatingVip(s, "Vip", { network: { externalNetworkName: "public" }, address: "198.51.100", loadBalancer: { vipPortId: "p" } }))).toBe('test/Vip: address must be an IPv4 address, got "198.51.100"');
  });
});
