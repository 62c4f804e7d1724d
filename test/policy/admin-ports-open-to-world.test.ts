import { adminPortsOpenToWorld, evaluatePolicy } from "../../policy";
import { resourceOf, single, stackOf } from "./fixtures";

const check = (type: string, config: Record<string, unknown>) => {
  const tf = single(type, "rule", config);
  return adminPortsOpenToWorld.check(resourceOf(tf, type, "rule"), stackOf(tf));
};

const neutron = (overrides: Record<string, unknown>) => ({
  direction: "ingress",
  ethertype: "IPv4",
  protocol: "tcp",
  port_range_min: 22,
  port_range_max: 22,
  remote_ip_prefix: "192.0.2.0/26",
  security_group_id: "${openstack_networking_secgroup_v2.group.id}",
  ...overrides,
});

describe("EST-NET-001 SSH or RDP open to the world", () => {
  it("GIVEN SSH from the admin network THEN compliant", () => {
    expect(check("openstack_networking_secgroup_rule_v2", neutron({}))).toEqual({ status: "compliant" });
  });

  it("GIVEN SSH from 0.0.0.0/0 on a Neutron rule THEN non-compliant", () => {
    expect(check("openstack_networking_secgroup_rule_v2", neutron({ remote_ip_prefix: "0.0.0.0/0" }))).toEqual({
      status: "non-compliant",
      detail: "open to the world: SSH (tcp/22) from 0.0.0.0/0",
    });
  });

  it("GIVEN a Neutron rule without remote prefix or group (every source) over a range holding 3389 THEN non-compliant", () => {
    const result = check("openstack_networking_secgroup_rule_v2", neutron({ remote_ip_prefix: undefined, port_range_min: 3000, port_range_max: 4000 }));
    expect(result).toEqual({ status: "non-compliant", detail: "open to the world: RDP (tcp/3000-4000) from 0.0.0.0/0" });
  });

  it("GIVEN SSH from 0.0.0.0/1 and 128.0.0.0/1 inline in one group THEN non-compliant, judged by what they cover", () => {
    const group = { ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/1", "128.0.0.0/1"] }] };
    expect(check("aws_security_group", group)).toEqual({
      status: "non-compliant",
      detail: "open to the world: SSH from 0.0.0.0/1, 128.0.0.0/1, which reach the whole public IPv4 internet",
    });
  });

  it("GIVEN SSH from 10.0.0.0/8 (private, however large) THEN compliant", () => {
    expect(check("openstack_networking_secgroup_rule_v2", neutron({ remote_ip_prefix: "10.0.0.0/8" }))).toEqual({ status: "compliant" });
  });

  it("GIVEN HTTP from the world THEN compliant", () => {
    expect(check("openstack_networking_secgroup_rule_v2", neutron({ remote_ip_prefix: "0.0.0.0/0", port_range_min: 80, port_range_max: 80 }))).toEqual({ status: "compliant" });
  });

  it("GIVEN an egress rule THEN not applicable", () => {
    expect(check("openstack_networking_secgroup_rule_v2", neutron({ direction: "egress", remote_ip_prefix: "0.0.0.0/0" }))).toEqual({ status: "not-applicable" });
  });

  it("GIVEN an AWS ingress rule from ::/0 on every protocol THEN non-compliant", () => {
    const result = check("aws_vpc_security_group_ingress_rule", { security_group_id: "sg", ip_protocol: "-1", cidr_ipv6: "::/0" });
    expect(result.status).toBe("non-compliant");
  });

  it("GIVEN an aws_security_group with inline SSH from the world THEN non-compliant; from the admin network THEN compliant", () => {
    const inline = (cidr: string) => ({ ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: [cidr] }] });
    expect(check("aws_security_group", inline("0.0.0.0/0")).status).toBe("non-compliant");
    expect(check("aws_security_group", inline("192.0.2.0/26")).status).toBe("compliant");
  });

  it("GIVEN a for_each of AWS rules THEN each instance is checked and only the open one is reported", () => {
    const tf = {
      resource: {
        aws_vpc_security_group_ingress_rule: {
          instances: {
            for_each: {
              "tcp-22-192.0.2.0/26": { cidr: "192.0.2.0/26", port: 22 },
              "tcp-3389-0.0.0.0/0": { cidr: "0.0.0.0/0", port: 3389 },
            },
            security_group_id: "sg",
            ip_protocol: "tcp",
            cidr_ipv4: "${each.value.cidr}",
            from_port: "${each.value.port}",
            to_port: "${each.value.port}",
          },
        },
      },
    };
    const findings = evaluatePolicy({ models: [], stacks: [stackOf(tf, "dev-aws")] }, [adminPortsOpenToWorld]);
    expect(findings.map((f) => [f.target, f.status])).toEqual([
      ['aws_vpc_security_group_ingress_rule.instances["tcp-22-192.0.2.0/26"]', "compliant"],
      ['aws_vpc_security_group_ingress_rule.instances["tcp-3389-0.0.0.0/0"]', "non-compliant"],
    ]);
  });
});
