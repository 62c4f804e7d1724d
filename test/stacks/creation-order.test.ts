/**
 * Creation order that only the cloud knows is written down: Terraform orders resources by their references, and
 * where the cloud needs something no argument refers to, the resource says so with `depends_on`. Data sources never
 * do: that would defer their read to apply time and make every attribute read from them unknown in plans.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironment } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";

const FIXTURE = "test/fixtures/safe-apply/ordering.yaml";

describe("creation order the cloud needs", () => {
  const stacks = new Map<string, any>();
  beforeAll(() => {
    const out = join(mkdtempSync(join(tmpdir(), "estate-order-")), "out");
    try {
      const result = synthesizeModels([loadEnvironment(FIXTURE)], { outdir: out });
      for (const s of result.stacks) stacks.set(s.name, JSON.parse(readFileSync(join(out, s.path), "utf8")));
    } finally {
      rmSync(join(out, ".."), { recursive: true, force: true });
    }
  });

  it("associates a public VIP's floating IP only once the subnet is on the router (Neutron: ExternalGatewayForFloatingIPNotFound)", () => {
    for (const site of ["dev-os-a", "dev-os-b", "dev-os-c"]) {
      const fip = stacks.get(site).resource.openstack_networking_floatingip_v2.web_public_vip_floating_ip;
      expect(fip.depends_on, site).toEqual(["openstack_networking_router_interface_v2.network_router_interface"]);
    }
  });

  it("boots OpenStack instances once their subnet reaches the router (metadata, package mirrors)", () => {
    const instances = stacks.get("dev-os-a").resource.openstack_compute_instance_v2;
    for (const name of ["web_fleet_instance", "api_fleet_instance"]) {
      expect(instances[name].depends_on, name).toEqual(["openstack_networking_router_interface_v2.network_router_interface"]);
    }
  });

  it("creates an internet-facing AWS load balancer once the VPC has its internet gateway, and an internal one without waiting", () => {
    const lbs = stacks.get("dev-aws").resource.aws_lb;
    expect(lbs.web_load_balancer_resource.depends_on).toEqual(["aws_internet_gateway.network_internet_gateway"]);
    expect(lbs.api_load_balancer_resource.depends_on).toBeUndefined();
  });

  it("boots AWS instances once their zone's private subnet routes through its NAT gateway", () => {
    const instances = stacks.get("dev-aws").resource.aws_instance;
    const egress = [
      "aws_route.network_eu_west_1a_private_default_route",
      "aws_route.network_eu_west_1b_private_default_route",
      "aws_route.network_eu_west_1c_private_default_route",
      "aws_route_table_association.network_eu_west_1a_private_route_table_association",
      "aws_route_table_association.network_eu_west_1b_private_route_table_association",
      "aws_route_table_association.network_eu_west_1c_private_route_table_association",
    ];
    for (const name of ["web_fleet_instances", "api_fleet_instances"]) expect([...instances[name].depends_on].sort(), name).toEqual(egress);
  });

  it("never puts depends_on on a data source, in any stack", () => {
    const offenders: string[] = [];
    for (const [stack, tf] of stacks) {
      for (const [type, blocks] of Object.entries<Record<string, any>>(tf.data ?? {})) {
        for (const [name, body] of Object.entries(blocks)) if (body.depends_on) offenders.push(`${stack}: data.${type}.${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(stacks.size).toBeGreaterThan(4);
  });
});
