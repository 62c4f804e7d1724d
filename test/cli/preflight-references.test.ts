/**
 * Preflight reads what a server's image and key pair reference finally read, however the stack writes the
 * reference: directly, through a local, or through a local holding another local.
 */
import { siteDemand } from "../../cli/lib/preflight/demand";
import { selectSite } from "../../cli/lib/preflight/run";
import type { TerraformJson } from "../../terraform-json";

const PINNED = "6f0a1c53-2b4e-4c1a-9d2f-8e7b5a4c3d21";

describe("preflight demand of images and key pairs written through locals", () => {
  const { site } = selectSite("test/fixtures/openstack-local/local.yaml", "os-a");
  const tf: TerraformJson = {
    locals: {
      hosts_web: { "t-web-001": { version: "v1" }, "t-web-002": { version: "v2" }, "t-web-003": { version: "v3" }, "t-web-004": { version: "v1" } },
      image_names_web: { v1: "golden-1", v2: "golden-2" },
      lookups_web: { v1: '${data.openstack_images_image_v2.web["v1"].id}' },
      image_ids_web: { v1: '${local.lookups_web["v1"]}', v2: '${data.openstack_images_image_v2.web["v2"].id}', v3: "${local.pinned}" },
      pinned: PINNED,
      admin_key: "${openstack_compute_keypair_v2.admin.name}",
    },
    data: {
      openstack_images_image_v2: {
        web: { for_each: "${local.image_names_web}", name: "${each.value}", most_recent: true },
        base: { name: "debian-12-genericcloud", most_recent: true },
      },
    },
    resource: {
      openstack_compute_keypair_v2: { admin: { name: "estate-admin", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest estate-admin@test" } },
      openstack_compute_instance_v2: {
        builder: { name: "t-builder", flavor_name: "m1.small", image_id: "${data.openstack_images_image_v2.base.id}", key_pair: "${local.admin_key}" },
        web: {
          for_each: "${local.hosts_web}",
          name: "${each.key}",
          flavor_name: "m1.small",
          key_pair: "${local.admin_key}",
          block_device: [{ boot_index: 0, source_type: "image", destination_type: "volume", volume_size: 20, delete_on_termination: true, uuid: "${local.image_ids_web[each.value.version]}" }],
        },
      },
    },
  };
  const demand = siteDemand(site, [{ name: "t-os-a", tf }], 2);

  it("GIVEN a lookup read directly, through a local, or through a local of a local THEN the image each server needs, once per image", () => {
    expect(demand.images).toEqual([
      { name: "debian-12-genericcloud", usedBy: ["openstack_compute_instance_v2.builder"] },
      { name: "golden-1", usedBy: ["openstack_compute_instance_v2.web"] },
      { name: "golden-2", usedBy: ["openstack_compute_instance_v2.web"] },
      { id: PINNED, usedBy: ["openstack_compute_instance_v2.web"] },
    ]);
  });

  it("GIVEN the key pair's name read through a local THEN the key pair the stack registers, with its public key", () => {
    expect(demand.keyPair).toEqual({ name: "estate-admin", created: true, publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest estate-admin@test" });
  });

  it("GIVEN a lookup's other attribute or a variable THEN no image is asked of the cloud", () => {
    const other: TerraformJson = {
      ...tf,
      resource: {
        openstack_compute_instance_v2: {
          a: { name: "a", flavor_name: "m1.small", image_id: "${data.openstack_images_image_v2.base.name}" },
          b: { name: "b", flavor_name: "m1.small", image_id: "${var.image}" },
        },
      },
    };
    expect(siteDemand(site, [{ name: "t-os-a", tf: other }], 2).images).toEqual([]);
  });

  it("GIVEN every server still on v1 of a map that also holds v2 (a rollout at step 0) THEN v2 is asked of the cloud too, before any host is drained", () => {
    const atStart: TerraformJson = {
      ...tf,
      locals: { ...tf.locals, hosts_web: { "t-web-001": { version: "v1" }, "t-web-002": { version: "v1" } }, image_ids_web: { v1: '${data.openstack_images_image_v2.web["v1"].id}', v2: PINNED } },
    };
    expect(siteDemand(site, [{ name: "t-os-a", tf: atStart }], 2).images).toEqual([
      { name: "debian-12-genericcloud", usedBy: ["openstack_compute_instance_v2.builder"] },
      { name: "golden-1", usedBy: ["openstack_compute_instance_v2.web"] },
      { id: PINNED, usedBy: ["openstack_compute_instance_v2.web"] },
    ]);
  });
});
