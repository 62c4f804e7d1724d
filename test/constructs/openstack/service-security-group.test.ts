import { OpenstackServiceSecurityGroup } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

describe("OpenstackServiceSecurityGroup", () => {
  const props = { name: "t-web", servicePorts: [{ protocol: "tcp" as const, port: 8080 }, { protocol: "tcp" as const, port: 8080 }], loadBalancerSourceCidrs: ["10.10.0.128/25"], adminCidrs: ["192.0.2.0/26"] };

  it("opens service ports to the load balancer and SSH to admins only (defaults)", () => {
    const stack = openstackTestStack();
    new OpenstackServiceSecurityGroup(stack, "Sg", props);
    const rules = Object.values(resourcesOf(synthJson(stack), "openstack_networking_secgroup_rule_v2")).map((r: any) => `${r.protocol}/${r.port_range_min}-${r.port_range_max} from ${r.remote_ip_prefix}`);
    expect(rules.sort()).toEqual(["tcp/22-22 from 192.0.2.0/26", "tcp/8080-8080 from 10.10.0.128/25"]);
  });

  it("opens node_exporter to monitoring networks (all options)", () => {
    const stack = openstackTestStack();
    new OpenstackServiceSecurityGroup(stack, "Sg", { ...props, monitoringCidrs: ["10.0.0.0/16"], nodeExporterPort: 9200 });
    const rule = resourcesOf(synthJson(stack), "openstack_networking_secgroup_rule_v2").sg_node_exporter_from10_0_0_0_16;
    expect(rule).toMatchObject({ direction: "ingress", ethertype: "IPv4", protocol: "tcp", port_range_min: 9200, port_range_max: 9200, remote_ip_prefix: "10.0.0.0/16" });
  });

  it("refuses SSH open to the world", () => {
    expect(openstackErrorOf((s) => new OpenstackServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["0.0.0.0/0"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks in adminCidrs",
    );
  });

  it("refuses SSH open to the world in two halves, and to an internet-sized share of it", () => {
    expect(openstackErrorOf((s) => new OpenstackServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks in adminCidrs",
    );
    expect(openstackErrorOf((s) => new OpenstackServiceSecurityGroup(s, "Sg", { ...props, adminCidrs: ["11.0.0.0/9", "11.128.0.0/9"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to 16,777,216 public addresses (0.5% of the public IPv4 space); list the admin networks in adminCidrs",
    );
  });
});
