import { referenceReader, stepsText, traversalOf, type TerraformJson } from "../../terraform-json";

describe("traversalOf", () => {
  it("reads an expression that is one reference and its steps, and nothing else", () => {
    expect(traversalOf('${data.openstack_images_image_v2.image["v1"].id}')).toEqual({
      kind: "data",
      address: "data.openstack_images_image_v2.image",
      steps: [{ index: "v1" }, { attribute: "id" }],
    });
    expect(traversalOf("${aws_instance.web[0].network_interface[1].id}")).toEqual({
      kind: "managed",
      address: "aws_instance.web",
      steps: [{ index: 0 }, { attribute: "network_interface" }, { index: 1 }, { attribute: "id" }],
    });
    expect(stepsText(traversalOf('${local.amis["2026.11.1"].id}')!.steps)).toBe('["2026.11.1"].id');
    for (const other of ["${each.value}", "${upper(local.x)}", "ami-${local.x}", "${local.x}${local.y}", "plain", "$${local.x}"]) expect(traversalOf(other)).toBeUndefined();
  });
});

describe("referenceReader", () => {
  const tf = (extra: Partial<TerraformJson> = {}): TerraformJson => ({
    locals: { names: { v1: "golden-1" }, ids: { v1: '${data.openstack_images_image_v2.byVersion["v1"].id}' }, via: '${local.ids["v1"]}', loop: "${local.loop}" },
    data: {
      openstack_images_image_v2: {
        direct: { "//": { metadata: { path: "s/Direct" } }, name: "golden-1", most_recent: true },
        byVersion: { for_each: "${local.names}", name: "${each.value}", most_recent: true },
        otherRegion: { provider: "openstack.east", name: "golden-1", most_recent: true },
      },
    },
    ...extra,
  });
  const read = referenceReader(tf());

  it("GIVEN two lookups with the same query at other addresses THEN the same reading, naming the instance read", () => {
    expect(read.read('${local.via}').identity).toBe(read.read("${data.openstack_images_image_v2.direct.id}").identity);
    expect(read.read('${local.via}').source).toEqual({ mode: "data", address: 'data.openstack_images_image_v2.byVersion["v1"]' });
    expect(read.dataQuery("data.openstack_images_image_v2.direct")).toBe(read.dataQuery('data.openstack_images_image_v2.byVersion["v1"]'));
    expect(read.dataQueries().size).toBe(2);
  });

  it("GIVEN another provider, another attribute or an unknown instance THEN other readings", () => {
    const direct = read.read("${data.openstack_images_image_v2.direct.id}").identity;
    expect(read.read("${data.openstack_images_image_v2.otherRegion.id}").identity).not.toBe(direct);
    expect(read.read("${data.openstack_images_image_v2.direct.name}").identity).not.toBe(direct);
    expect(read.read('${data.openstack_images_image_v2.byVersion["v2"].id}')).toEqual({ identity: JSON.stringify('${data.openstack_images_image_v2.byVersion["v2"].id}') });
  });

  it("GIVEN a local holding a literal THEN the literal; a cycle of locals THEN its text", () => {
    expect(read.read('${local.names["v1"]}')).toEqual({ identity: '"golden-1"', literal: "golden-1" });
    expect(read.read("${local.loop}")).toEqual({ identity: '"${local.loop}"' });
    expect(read.read("${var.image}")).toEqual({ identity: '"${var.image}"' });
  });
});
