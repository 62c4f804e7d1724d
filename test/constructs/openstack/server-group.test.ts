import { OpenstackServerGroup } from "../../../constructs/openstack";
import { openstackErrorOf, openstackTestStack, resourcesOf, synthJson } from "../../support/synth";

describe("OpenstackServerGroup", () => {
  it("defaults to soft anti-affinity", () => {
    const stack = openstackTestStack();
    new OpenstackServerGroup(stack, "Group", { name: "t-web" });
    expect(resourcesOf(synthJson(stack), "openstack_compute_servergroup_v2").group_group).toEqual({ name: "t-web", policies: ["soft-anti-affinity"] });
  });

  it("refuses an unknown policy", () => {
    expect(openstackErrorOf((s) => new OpenstackServerGroup(s, "Group", { name: "x", policy: "affinity" as any }))).toBe('test/Group: policy must be "anti-affinity" or "soft-anti-affinity", got "affinity"');
  });
});
