import { referenceReader, sourceAttribute, type TerraformJson } from "../../terraform-json";

describe("what a reading reads from its source", () => {
  const tf: TerraformJson = {
    locals: {
      image_ids_web: { "2026.11.1": '${local.golden["2026.11.1"]}' },
      golden: { "2026.11.1": '${data.openstack_images_image_v2.golden["2026.11.1"].id}' },
      names: { "2026.11.1": "debian12-golden-2026.11.1" },
      network: "${openstack_networking_network_v2.site}",
    },
    data: { openstack_images_image_v2: { golden: { for_each: "${local.names}", name: "${each.value}", most_recent: true } } },
    resource: { openstack_networking_network_v2: { site: { name: "site" } } },
  };
  const reader = referenceReader(tf);

  it("GIVEN a reference through two locals to a lookup's id THEN the lookup instance, its steps `.id` and attribute id", () => {
    const read = reader.read('${local.image_ids_web["2026.11.1"]}');
    expect(read.source).toEqual({ mode: "data", address: 'data.openstack_images_image_v2.golden["2026.11.1"]' });
    expect(read.steps).toEqual([{ attribute: "id" }]);
    expect(sourceAttribute(read)).toBe("id");
  });

  it("GIVEN a local holding a whole resource, read further THEN the steps after the local are the steps from the resource", () => {
    const read = reader.read("${local.network.id}");
    expect(read.source).toEqual({ mode: "managed", address: "openstack_networking_network_v2.site" });
    expect(read.steps).toEqual([{ attribute: "id" }]);
    expect(sourceAttribute(reader.read("${local.network}"))).toBeUndefined();
    expect(sourceAttribute(reader.read("${openstack_networking_network_v2.site.tags[0]}"))).toBeUndefined();
  });

  it("GIVEN a literal or an unknown reference THEN no steps and no attribute", () => {
    expect(reader.read('${local.names["2026.11.1"]}').steps).toBeUndefined();
    expect(sourceAttribute(reader.read('${local.names["2026.11.1"]}'))).toBeUndefined();
    expect(sourceAttribute(reader.read("${var.image}"))).toBeUndefined();
  });

  it("GIVEN a source address THEN the data-source instance with each.value substituted; an unknown one THEN undefined", () => {
    const lookup = reader.dataInstance('data.openstack_images_image_v2.golden["2026.11.1"]');
    expect(lookup?.block.type).toBe("openstack_images_image_v2");
    expect(lookup?.attributes).toEqual({ name: "debian12-golden-2026.11.1", most_recent: true });
    expect(reader.dataInstance('data.openstack_images_image_v2.golden["2026.12.1"]')).toBeUndefined();
  });
});
