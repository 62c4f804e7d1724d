/**
 * Adopt resolves a stack's references to what they finally read, however the stack writes them (directly, through
 * a local, through a local holding another local), against the committed dumps of a real site.
 */
import { join } from "node:path";
import { readSiteDumps } from "../../cli/lib/adopt/dumps";
import { dataSourcesOf, KNOWN_AFTER_APPLY, matchSite } from "../../cli/lib/adopt/match";
import { targetInstances } from "../../cli/lib/adopt/targets";
import type { TerraformJson } from "../../terraform-json";
import { PROJECT } from "./estate";

const dumps = readSiteDumps(join(PROJECT, "test/fixtures/adopt/dumps/os-a"));

describe("adopt matching with references written through locals", () => {
  const tf: TerraformJson = {
    locals: {
      hosts_web: { "adopt-os-a-web-001": { version: "2026.11.1" } },
      image_names_web: { "2026.11.1": "debian12-golden-2026.11.1" },
      golden: { "2026.11.1": '${data.openstack_images_image_v2.web["2026.11.1"].id}' },
      image_ids_web: { "2026.11.1": '${local.golden["2026.11.1"]}' },
      site_network: "${openstack_networking_network_v2.network}",
      external: "${data.openstack_networking_network_v2.external.id}",
    },
    data: {
      openstack_images_image_v2: { web: { for_each: "${local.image_names_web}", name: "${each.value}", most_recent: true } },
      openstack_networking_network_v2: { external: { name: "public", external: true } },
    },
    resource: {
      openstack_networking_network_v2: { network: { name: "adopt-os-a" } },
      openstack_networking_subnet_v2: { subnet: { name: "adopt-os-a", network_id: "${local.site_network.id}", cidr: "10.10.0.0/16" } },
      openstack_networking_router_v2: { router: { name: "adopt-os-a", external_network_id: "${local.external}" } },
      openstack_compute_instance_v2: {
        web: {
          for_each: "${local.hosts_web}",
          name: "${each.key}",
          block_device: [{ boot_index: 0, source_type: "image", destination_type: "volume", volume_size: 20, uuid: "${local.image_ids_web[each.value.version]}" }],
          user_data: "${var.user_data}",
        },
      },
    },
  };
  const result = matchSite(targetInstances(tf), dumps, dataSourcesOf(tf));
  const resolved = (address: string) => result.matched.find((m) => m.target.address === address)?.resolvedConfig;

  it("GIVEN a network read through a local holding the resource THEN the subnet resolves to the matched network and matches", () => {
    expect(resolved("openstack_networking_subnet_v2.subnet")?.network_id).toBe("cc5757a2-adf7-4b16-8c7f-f9d234bb86f4");
    expect(result.matched.find((m) => m.target.address === "openstack_networking_subnet_v2.subnet")?.importId).toBe("cb47b411-7d38-418a-8335-a6c0a2bbd2be");
  });

  it("GIVEN the external network lookup's id read through a local THEN the id of the external network the dumps hold", () => {
    expect(resolved("openstack_networking_router_v2.router")?.external_network_id).toBe("4523c81a-2bb1-45eb-98ae-d56abd779cac");
  });

  it("GIVEN a boot image read through a local of a local THEN the image the lookup names; a variable THEN known after apply", () => {
    const server = resolved('openstack_compute_instance_v2.web["adopt-os-a-web-001"]');
    expect((server?.block_device as { uuid: string }[])[0].uuid).toBe("image:debian12-golden-2026.11.1");
    expect(server?.user_data).toBe(KNOWN_AFTER_APPLY);
  });
});
