import { fleetAntiAffinity } from "../../policy";
import { resourceOf, stackOf } from "./fixtures";

const fleet = (extra: Record<string, unknown>, policies = ["soft-anti-affinity"]) => ({
  locals: { hosts_web: { "dev-os-a-web-001": { ip: "10.10.1.1", az: "az1" } } },
  resource: {
    openstack_compute_servergroup_v2: { web_server_group_group: { name: "dev-os-a-web", policies } },
    openstack_compute_instance_v2: { web_fleet_instance: { for_each: "${local.hosts_web}", name: "${each.key}", flavor_name: "m1.small", ...extra } },
  },
});

const check = (tf: ReturnType<typeof fleet>) => fleetAntiAffinity.check(resourceOf(tf, "openstack_compute_instance_v2", "web_fleet_instance"), stackOf(tf));

describe("EST-PLC-001 fleet without anti-affinity", () => {
  const hint = { scheduler_hints: [{ group: "${openstack_compute_servergroup_v2.web_server_group_group.id}" }] };

  it("GIVEN a fleet in a soft-anti-affinity server group THEN compliant", () => {
    expect(check(fleet(hint))).toEqual({ status: "compliant" });
  });

  it("GIVEN a fleet without scheduler hints (placement: none) THEN non-compliant", () => {
    expect(check(fleet({}))).toEqual({ status: "non-compliant", detail: "no scheduler_hints group" });
  });

  it("GIVEN a fleet in an affinity server group THEN non-compliant", () => {
    expect(check(fleet(hint, ["affinity"]))).toEqual({
      status: "non-compliant",
      detail: "server group openstack_compute_servergroup_v2.web_server_group_group has policy affinity, not anti-affinity",
    });
  });

  it("GIVEN a single instance (an image builder) THEN not applicable", () => {
    const tf = { resource: { openstack_compute_instance_v2: { builder: { name: "dev-os-a-builder", flavor_name: "m1.small" } } } };
    expect(fleetAntiAffinity.check(resourceOf(tf, "openstack_compute_instance_v2", "builder"), stackOf(tf))).toEqual({ status: "not-applicable" });
  });
});
