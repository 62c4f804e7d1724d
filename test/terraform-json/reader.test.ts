import { blocksOf, expressionsIn, instancesOf, multiplicityOf, referencesIn, resourceInstanceCount, type TerraformJson } from "../../terraform-json";

const fleet: TerraformJson = {
  locals: { hosts_web: { "dev-os-a-web-002": { ip: "10.10.1.2", az: "az2" }, "dev-os-a-web-001": { ip: "10.10.1.1", az: "az1" } } },
  resource: {
    openstack_compute_instance_v2: {
      web_fleet_instance: {
        "//": { metadata: { path: "dev-os-a/web/Fleet/Instance" } },
        for_each: "${local.hosts_web}",
        name: "${each.key}",
        availability_zone: "${each.value.az}",
        network: [{ port: "${openstack_networking_port_v2.web_fleet_port[each.key].id}" }],
        metadata: { label: "host ${each.key} in ${each.value[\"az\"]}" },
      },
    },
    openstack_networking_port_v2: { web_fleet_port: { for_each: "${local.hosts_web}", name: "${each.key}" } },
    aws_eip: { nat: { count: 3, domain: "vpc", tags: { Name: "nat-${count.index}" } } },
    aws_vpc_security_group_ingress_rule: { r: { for_each: "${toset([\"a\",\"b\"])}", description: "${each.value}" } },
    aws_subnet: { unknown: { for_each: "${{for z in var.zones : z => z}}", cidr_block: "10.0.0.0/24" } },
  },
};

describe("terraform-json", () => {
  it("expands for_each over a literal local into one instance per host, sorted, with each.* replaced", () => {
    const [block] = blocksOf(fleet).filter((b) => b.address === "openstack_compute_instance_v2.web_fleet_instance");
    const instances = instancesOf(block, fleet);
    expect(instances.map((i) => i.address)).toEqual([
      'openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-001"]',
      'openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-002"]',
    ]);
    expect(instances[0].attributes).toEqual({
      name: "dev-os-a-web-001",
      availability_zone: "az1",
      network: [{ port: '${openstack_networking_port_v2.web_fleet_port["dev-os-a-web-001"].id}' }],
      metadata: { label: "host dev-os-a-web-001 in az1" },
    });
  });

  it("resolves count, toset(...) and leaves what it cannot evaluate as one entry", () => {
    const byAddress = new Map(blocksOf(fleet).map((b) => [b.address, b]));
    expect(instancesOf(byAddress.get("aws_eip.nat")!, fleet).map((i) => [i.address, (i.attributes.tags as any).Name])).toEqual([
      ["aws_eip.nat[0]", "nat-0"],
      ["aws_eip.nat[1]", "nat-1"],
      ["aws_eip.nat[2]", "nat-2"],
    ]);
    expect(instancesOf(byAddress.get("aws_vpc_security_group_ingress_rule.r")!, fleet).map((i) => i.attributes.description)).toEqual(["a", "b"]);
    expect(multiplicityOf(byAddress.get("aws_subnet.unknown")!, fleet)).toEqual({ kind: "unknown", expression: "${{for z in var.zones : z => z}}" });
  });

  it("counts resource instances: for_each and count expanded", () => {
    // 2 instances + 2 ports + 3 EIPs + 2 rules + 1 unknown
    expect(resourceInstanceCount(fleet)).toBe(10);
  });

  it("finds references with their index and attribute, skipping strings, functions and loop variables", () => {
    expect(expressionsIn('a ${x.y} b $${not.this} ${f({a = "}"})}')).toEqual(["x.y", 'f({a = "}"})']);
    expect(
      referencesIn([
        '${openstack_networking_port_v2.web_fleet_port["dev-os-a-web-001"].id}',
        '${data.aws_ami.golden.id} ${local.subnets["eu-west-1a"]} ${lookup(var.m, "aws_instance.fake")}',
        "${[for host_entry in aws_instance.web : host_entry.private_ip]}",
      ]),
    ).toEqual([
      { kind: "managed", address: "openstack_networking_port_v2.web_fleet_port", key: "dev-os-a-web-001", attribute: "id" },
      { kind: "data", address: "data.aws_ami.golden", attribute: "id" },
      { kind: "local", address: "local.subnets", key: "eu-west-1a" },
      { kind: "var", address: "var.m" },
      { kind: "managed", address: "aws_instance.web" },
    ]);
  });
});
