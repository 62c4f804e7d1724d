import type { TerraformJson } from "../../terraform-json";
import { diffStack } from "../../cli/lib/diff/engine";
import { forceNewCatalog } from "../../cli/lib/diff/force-new";
import { renderText } from "../../cli/lib/diff/render";
import { countChanges } from "../../cli/lib/diff/types";

const catalog = forceNewCatalog({
  openstack_compute_instance_v2: ["block_device.uuid", "key_pair"],
  openstack_compute_keypair_v2: ["name", "public_key"],
});

const metadata = (path: string) => ({ metadata: { path, uniqueId: path.replace(/\W/g, "_") } });
const keyPairs = { admin: { name: "estate-admin", public_key: "ssh-ed25519 AAAA1" }, ops: { name: "estate-ops", public_key: "ssh-ed25519 AAAA2" } };

/** The key pairs and a host per entry of `local.hosts`, booting from `uuid`. */
function fleet(uuid: string, instance: Record<string, unknown> = {}): NonNullable<TerraformJson["resource"]> {
  return {
    openstack_compute_keypair_v2: keyPairs,
    openstack_compute_instance_v2: {
      web: {
        for_each: "${local.hosts}",
        name: "${each.key}",
        flavor_name: "m1.small",
        key_pair: "${openstack_compute_keypair_v2.admin.name}",
        block_device: [{ uuid, source_type: "image" }],
        ...instance,
      },
    },
  };
}

/** Two hosts booting from one image lookup, addressed directly: the shape before per-version lookups. */
function direct(image = "golden-1"): TerraformJson {
  return {
    locals: { hosts: { "w-001": { version: "v1" }, "w-002": { version: "v1" } } },
    data: { openstack_images_image_v2: { image: { "//": metadata("s/Image"), name: image, most_recent: true } } },
    resource: fleet("${data.openstack_images_image_v2.image.id}"),
  };
}

/** The same hosts reading their image through a local per version, one lookup instance per version. */
function perVersion(names: Record<string, string>, hostVersion = "v1", instance: Record<string, unknown> = {}, locals: Record<string, unknown> = {}): TerraformJson {
  return {
    locals: {
      hosts: { "w-001": { version: hostVersion }, "w-002": { version: hostVersion } },
      image_names: names,
      image_ids: Object.fromEntries(Object.keys(names).map((v) => [v, `\${data.openstack_images_image_v2.image[${JSON.stringify(v)}].id}`])),
      ...locals,
    },
    data: { openstack_images_image_v2: { image: { "//": metadata("s/Fleet/Image"), for_each: "${local.image_names}", most_recent: true, name: "${each.value}" } } },
    resource: fleet("${local.image_ids[each.value.version]}", instance),
  };
}

const diff = (base: TerraformJson, head: TerraformJson) => diffStack("s", base, head, catalog);
const summary = (base: TerraformJson, head: TerraformJson) => diff(base, head).changes.map((c) => `${c.action} ${c.address}`);
const instances = (base: TerraformJson, head: TerraformJson) => diff(base, head).changes.filter((c) => c.type === "openstack_compute_instance_v2");

describe("diff compares references by what they read", () => {
  it("GIVEN hosts moved from a direct lookup to a local over a per-version lookup with the same query THEN no instance changes", () => {
    const d = diff(direct(), perVersion({ v1: "golden-1" }));
    expect(d.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      "forget data.openstack_images_image_v2.image",
      'read data.openstack_images_image_v2.image["v1"]',
      "create local.image_ids",
    ]);
    expect(countChanges(d.changes)).toEqual({ import: 0, add: 0, change: 0, destroy: 0, forget: 0, replace: 0, read: 1 });
    expect(renderText({ base: "b", head: "h", stacks: [d], files: [], security: [], notes: [] })).toContain("s: 0 to add, 0 to change, 0 to destroy; 1 data source read\n");
  });

  it("GIVEN a lookup renamed with the same query (metadata aside) THEN its readers read the same image", () => {
    const renamed = direct();
    const lookup = renamed.data!.openstack_images_image_v2.image;
    const head: TerraformJson = {
      ...renamed,
      data: { openstack_images_image_v2: { image_v1: { ...lookup, "//": metadata("s/Images/v1/Lookup") } } },
      resource: {
        ...renamed.resource,
        openstack_compute_instance_v2: {
          web: { ...renamed.resource!.openstack_compute_instance_v2.web, block_device: [{ uuid: "${data.openstack_images_image_v2.image_v1.id}", source_type: "image" }] },
        },
      },
    };
    expect(summary(direct(), head)).toEqual(["forget data.openstack_images_image_v2.image", "read data.openstack_images_image_v2.image_v1"]);
  });

  it("GIVEN the per-version lookup the hosts read asks for another image name THEN every host is replaced, its image known after apply", () => {
    const changes = instances(direct(), perVersion({ v2: "golden-2" }, "v2"));
    expect(changes.map((c) => `${c.action} ${c.address}`)).toEqual(['replace openstack_compute_instance_v2.web["w-001"]', 'replace openstack_compute_instance_v2.web["w-002"]']);
    expect(changes[0].attributes).toEqual([
      {
        path: "block_device[0].uuid",
        before: "${data.openstack_images_image_v2.image.id}",
        after: '${local.image_ids["v2"]}',
        forcesReplacement: true,
        knownAfterApply: 'data.openstack_images_image_v2.image["v2"]',
      },
    ]);
  });

  it("GIVEN a host's version moves to a lookup both sides read (a rollout's replace step) THEN that host alone is replaced, known after apply", () => {
    const base = perVersion({ v1: "golden-1", v2: "golden-2" });
    const head = perVersion({ v1: "golden-1", v2: "golden-2" });
    (head.locals!.hosts as Record<string, { version: string }>)["w-002"] = { version: "v2" };
    const d = diff(base, head);
    expect(d.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['replace openstack_compute_instance_v2.web["w-002"]']);
    expect(d.changes[0].attributes).toEqual([
      { path: "block_device[0].uuid", before: '${local.image_ids["v1"]}', after: '${local.image_ids["v2"]}', forcesReplacement: true, knownAfterApply: 'data.openstack_images_image_v2.image["v2"]' },
    ]);
    expect(renderText({ base: "b", head: "h", stacks: [d], files: [], security: [], notes: [] })).toContain(
      '        block_device[0].uuid: ${local.image_ids["v1"]} -> ${local.image_ids["v2"]} (known after\n            apply)  # forces replacement\n',
    );
  });

  it("GIVEN the text the hosts read is unchanged but the lookup behind it asks for another name THEN every host is replaced", () => {
    const changes = instances(perVersion({ v1: "golden-1" }), perVersion({ v1: "golden-1-rebuilt" }));
    expect(changes.map((c) => c.action)).toEqual(["replace", "replace"]);
    expect(changes[1].attributes).toEqual([
      { path: "block_device[0].uuid", before: '${local.image_ids["v1"]}', after: '${local.image_ids["v1"]}', forcesReplacement: true, knownAfterApply: 'data.openstack_images_image_v2.image["v1"]' },
    ]);
  });

  it("GIVEN a reference renamed to another existing resource THEN a change showing both expressions", () => {
    const head = perVersion({ v1: "golden-1" }, "v1", { key_pair: "${openstack_compute_keypair_v2.ops.name}" });
    const changes = instances(perVersion({ v1: "golden-1" }), head);
    expect(changes.map((c) => `${c.action} ${c.address}`)).toEqual(['replace openstack_compute_instance_v2.web["w-001"]', 'replace openstack_compute_instance_v2.web["w-002"]']);
    expect(changes[0].attributes).toEqual([
      { path: "key_pair", before: "${openstack_compute_keypair_v2.admin.name}", after: "${openstack_compute_keypair_v2.ops.name}", forcesReplacement: true },
    ]);
  });

  it("GIVEN a reference moved behind a chain of two locals to the same lookup THEN no instance changes", () => {
    const head = perVersion({ v1: "golden-1" }, "v1", { block_device: [{ uuid: "${local.boot_image}", source_type: "image" }] }, { boot_image: '${local.image_ids["v1"]}' });
    expect(instances(direct(), head)).toEqual([]);
    // The same chain ending at another lookup is a replacement.
    const other = perVersion({ v1: "golden-1", v2: "golden-2" }, "v1", { block_device: [{ uuid: "${local.boot_image}", source_type: "image" }] }, { boot_image: '${local.image_ids["v2"]}' });
    expect(instances(direct(), other)[0]).toMatchObject({ action: "replace", attributes: [{ path: "block_device[0].uuid", knownAfterApply: 'data.openstack_images_image_v2.image["v2"]' }] });
  });

  it("GIVEN a literal moved into a local THEN no change; another literal in the local THEN a change", () => {
    const viaLocal = (flavor: string) => perVersion({ v1: "golden-1" }, "v1", { flavor_name: "${local.flavor}" }, { flavor: flavor });
    expect(instances(perVersion({ v1: "golden-1" }), viaLocal("m1.small"))).toEqual([]);
    expect(instances(perVersion({ v1: "golden-1" }), viaLocal("m1.large"))[0]).toMatchObject({
      action: "update",
      attributes: [{ path: "flavor_name", before: "m1.small", after: "${local.flavor}", forcesReplacement: false }],
    });
    // Written the same on both sides, the local's new literal is what changes: shown as the literals read.
    expect(instances(viaLocal("m1.small"), viaLocal("m1.large"))[0]).toMatchObject({
      action: "update",
      attributes: [{ path: "flavor_name", before: "m1.small", after: "m1.large", forcesReplacement: false }],
    });
  });
});
