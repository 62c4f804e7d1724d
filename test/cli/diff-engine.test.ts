import type { TerraformJson } from "../../terraform-json";
import { diffStack } from "../../cli/lib/diff/engine";
import { forceNewCatalog, loadForceNewCatalog } from "../../cli/lib/diff/force-new";
import { groupChanges } from "../../cli/lib/diff/group";
import { loadCollectionCatalog } from "../../cli/lib/diff/elements";
import { MARKDOWN_LIMIT, renderMarkdown, wrapLine } from "../../cli/lib/diff/render";
import { countChanges } from "../../cli/lib/diff/types";
import { classifySecurity, groupSecurity } from "../../cli/lib/diff/security";

const catalog = forceNewCatalog({
  openstack_compute_instance_v2: ["availability_zone", "key_pair", "block_device.uuid", "network.port"],
  openstack_networking_port_v2: ["network_id"],
  openstack_compute_keypair_v2: ["name", "public_key"],
  openstack_networking_secgroup_rule_v2: ["remote_ip_prefix", "port_range_min", "port_range_max"],
  openstack_lb_listener_v2: ["protocol", "protocol_port"],
  aws_instance: ["ami"],
});

/** A fleet of OpenStack hosts, as the Fleet construct synthesizes it. */
function site(hosts: Record<string, { ip: string; az: string }>, opts: { image?: string; flavor?: string; publicKey?: string } = {}): TerraformJson {
  return {
    locals: { hosts_web: hosts },
    data: { openstack_images_image_v2: { web_fleet_image: { name: opts.image ?? "golden-1", most_recent: true } } },
    resource: {
      openstack_compute_keypair_v2: { key_pair: { name: "estate-admin", public_key: opts.publicKey ?? "ssh-ed25519 AAAA1" } },
      openstack_networking_port_v2: { web_fleet_port: { for_each: "${local.hosts_web}", name: "${each.key}", network_id: "net", fixed_ip: [{ ip_address: "${each.value.ip}" }] } },
      openstack_compute_instance_v2: {
        web_fleet_instance: {
          for_each: "${local.hosts_web}",
          name: "${each.key}",
          flavor_name: opts.flavor ?? "m1.small",
          availability_zone: "${each.value.az}",
          key_pair: "${openstack_compute_keypair_v2.key_pair.name}",
          block_device: [{ uuid: "${data.openstack_images_image_v2.web_fleet_image.id}", source_type: "image" }],
          network: [{ port: "${openstack_networking_port_v2.web_fleet_port[each.key].id}" }],
        },
      },
    },
  };
}

const two = { "w-001": { ip: "10.0.1.1", az: "az1" }, "w-002": { ip: "10.0.1.2", az: "az2" } };
const summary = (tf1: TerraformJson, tf2: TerraformJson) => diffStack("s", tf1, tf2, catalog).changes.map((c) => `${c.action} ${c.address}`);

describe("diff engine", () => {
  it("GIVEN identical stacks THEN no changes", () => {
    expect(diffStack("s", site(two), site(two), catalog)).toEqual({ name: "s", status: "unchanged", changes: [] });
  });

  it("GIVEN a host added to the map THEN its instance and port are created under the host name", () => {
    expect(summary(site(two), site({ ...two, "w-003": { ip: "10.0.1.3", az: "az3" } }))).toEqual([
      'create openstack_compute_instance_v2.web_fleet_instance["w-003"]',
      'create openstack_networking_port_v2.web_fleet_port["w-003"]',
    ]);
  });

  it("GIVEN one host moved to another AZ THEN only that instance is replaced, forced by availability_zone", () => {
    const changes = diffStack("s", site(two), site({ ...two, "w-002": { ip: "10.0.1.2", az: "az3" } }), catalog).changes;
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      address: 'openstack_compute_instance_v2.web_fleet_instance["w-002"]',
      action: "replace",
      attributes: [{ path: "availability_zone", before: "az2", after: "az3", forcesReplacement: true }],
    });
  });

  it("GIVEN a shared setting changed THEN every instance updates in place, grouped as one change", () => {
    const changes = diffStack("s", site(two), site(two, { flavor: "m1.large" }), catalog).changes;
    expect(changes.map((c) => c.action)).toEqual(["update", "update"]);
    const groups = groupChanges(changes);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ resource: "openstack_compute_instance_v2.web_fleet_instance", keys: ["w-001", "w-002"], attributes: [{ path: "flavor_name", before: "m1.small", after: "m1.large" }] });
  });

  it("GIVEN a new image name THEN the data source re-reads and every instance booting from it is replaced", () => {
    const changes = diffStack("s", site(two), site(two, { image: "golden-2" }), catalog).changes;
    expect(changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      "read data.openstack_images_image_v2.web_fleet_image",
      'replace openstack_compute_instance_v2.web_fleet_instance["w-001"]',
      'replace openstack_compute_instance_v2.web_fleet_instance["w-002"]',
    ]);
    expect(changes[1].attributes).toEqual([
      {
        path: "block_device[0].uuid",
        before: "${data.openstack_images_image_v2.web_fleet_image.id}",
        after: "${data.openstack_images_image_v2.web_fleet_image.id}",
        forcesReplacement: true,
        knownAfterApply: "data.openstack_images_image_v2.web_fleet_image",
      },
    ]);
  });

  it("GIVEN a replaced port THEN only the instance on that port follows (per-key references)", () => {
    const before = site(two);
    const after = site(two);
    (after.resource!.openstack_networking_port_v2.web_fleet_port as any).network_id = "other-net";
    const changes = diffStack("s", before, after, catalog).changes;
    // Both ports change network (shared), so both instances follow through network[0].port.
    expect(changes.filter((c) => c.action === "replace").map((c) => c.address)).toEqual([
      'openstack_compute_instance_v2.web_fleet_instance["w-001"]',
      'openstack_compute_instance_v2.web_fleet_instance["w-002"]',
      'openstack_networking_port_v2.web_fleet_port["w-001"]',
      'openstack_networking_port_v2.web_fleet_port["w-002"]',
    ]);
    expect(groupChanges(changes).find((g) => g.resource.startsWith("openstack_compute"))!.attributes[0]).toMatchObject({
      path: "network[0].port",
      knownAfterApply: "openstack_networking_port_v2.web_fleet_port[each.key]",
    });
  });

  it("GIVEN a replaced key pair whose name stays the same THEN instances reading its name are untouched", () => {
    expect(summary(site(two), site(two, { publicKey: "ssh-ed25519 AAAA2" }))).toEqual(["replace openstack_compute_keypair_v2.key_pair"]);
  });

  it("loads the maintained force-new lists of both providers", () => {
    const real = loadForceNewCatalog();
    expect(real.forcesReplacement("openstack_compute_instance_v2", "block_device[0].uuid", "a", "b")).toBe(true);
    expect(real.forcesReplacement("openstack_compute_instance_v2", "metadata.estate_image_version", "a", "b")).toBe(false);
    expect(real.forcesReplacement("aws_instance", "ami", "a", "b")).toBe(true);
    expect(real.forcesReplacement("aws_instance", "root_block_device.encrypted", false, true)).toBe(true);
    expect(real.forcesReplacement("aws_instance", "root_block_device.volume_size", 20, 40)).toBe(false);
    expect(real.forcesReplacement("aws_lb_target_group", "health_check.path", "/", "/healthz")).toBe(false);
    expect(real.knows("aws_route53_record")).toBe(true);
  });
});

describe("security classification", () => {
  const rule = (cidr: string, from = 22, to = from) => ({
    resource: {
      openstack_networking_secgroup_rule_v2: {
        [`ssh_from_${cidr.replace(/\W/g, "_")}`]: { security_group_id: "${openstack_networking_secgroup_v2.g.id}", direction: "ingress", protocol: "tcp", port_range_min: from, port_range_max: to, remote_ip_prefix: cidr },
      },
    },
  });
  const rows = (a: TerraformJson, b: TerraformJson) => classifySecurity([diffStack("s", a, b, catalog)]);

  it("GIVEN a rule renamed for a wider CIDR THEN one changed row, flagged as widening", () => {
    expect(rows(rule("192.0.2.0/26"), rule("192.0.2.0/24"))).toEqual([
      {
        stack: "s",
        address: "openstack_networking_secgroup_rule_v2.ssh_from_192_0_2_0_26 → openstack_networking_secgroup_rule_v2.ssh_from_192_0_2_0_24",
        change: "changed",
        subject: "ingress tcp/22",
        before: "tcp/22 from 192.0.2.0/26",
        after: "tcp/22 from 192.0.2.0/24",
        exposure: "wider",
        label: "widens 192.0.2.0/26 to 192.0.2.0/24",
      },
    ]);
  });

  it("GIVEN a rule opened to the world, to more ports or to another network THEN labelled wider", () => {
    expect(rows(rule("192.0.2.0/26"), rule("0.0.0.0/0"))[0]).toMatchObject({ exposure: "wider", label: "opens tcp/22 to the internet" });
    expect(rows(rule("192.0.2.0/26", 22), rule("192.0.2.0/26", 22, 1024))[0]).toMatchObject({ exposure: "wider", label: "widens ports tcp/22 to tcp/22-1024" });
    expect(rows(rule("10.1.0.0/16"), rule("10.2.0.0/16"))[0]).toMatchObject({ exposure: "wider", label: "admits 10.2.0.0/16 (private range) on tcp/22" });
    expect(rows(rule("192.0.2.0/26", 22), rule("192.0.2.0/26", 2222))[0]).toMatchObject({ exposure: "wider", label: "opens tcp/2222 instead of tcp/22" });
  });

  it("GIVEN a rule narrowed or removed THEN labelled narrower", () => {
    const [row] = rows(rule("192.0.2.0/24"), rule("192.0.2.0/26"));
    expect(row).toMatchObject({ change: "changed", before: "tcp/22 from 192.0.2.0/24", after: "tcp/22 from 192.0.2.0/26", exposure: "narrower", label: "narrows 192.0.2.0/24 to 192.0.2.0/26" });
    expect(rows(rule("198.51.100.0/24"), { resource: {} })).toEqual([
      {
        stack: "s",
        address: "openstack_networking_secgroup_rule_v2.ssh_from_198_51_100_0_24",
        change: "removed",
        subject: "ingress tcp/22",
        before: "tcp/22 from 198.51.100.0/24",
        exposure: "narrower",
        label: "no longer admits 198.51.100.0/24 (public range) on tcp/22",
      },
    ]);
  });

  it("GIVEN the same rule added in three stacks THEN one group naming the stacks", () => {
    const groups = groupSecurity(["dev-os-a", "dev-os-b", "dev-os-c"].flatMap((s) => classifySecurity([diffStack(s, { resource: {} }, rule("203.0.113.0/24"), catalog)])));
    expect(groups).toEqual([
      {
        change: "added",
        subject: "ingress tcp/22",
        after: "tcp/22 from 203.0.113.0/24",
        exposure: "wider",
        label: "admits 203.0.113.0/24 (public range) on tcp/22",
        stacks: ["dev-os-a", "dev-os-b", "dev-os-c"],
        places: [{ stacks: ["dev-os-a", "dev-os-b", "dev-os-c"], addresses: ["openstack_networking_secgroup_rule_v2.ssh_from_203_0_113_0_24"] }],
      },
    ]);
  });

  it("GIVEN a listener that stops terminating TLS and admits the world THEN both are flagged", () => {
    const listener = (protocol: string, cidrs: string[]) => ({ resource: { openstack_lb_listener_v2: { l: { protocol, protocol_port: 443, allowed_cidrs: cidrs } } } });
    expect(rows(listener("TERMINATED_HTTPS", ["10.0.0.0/8"]), listener("HTTP", ["0.0.0.0/0"])).map((r) => [r.subject, r.before, r.after, r.exposure, r.label])).toEqual([
      ["allowed_cidrs", "- 10.0.0.0/8", "+ 0.0.0.0/0", "wider", "opens to the internet"],
      ["protocol", "TERMINATED_HTTPS", "HTTP", "wider", "drops TLS"],
    ]);
  });

  it("GIVEN an AWS instance losing IMDSv2 THEN flagged; a new host with IMDSv2 and encryption THEN not listed", () => {
    const instance = (tokens: string, hosts: string[]) => ({
      resource: {
        aws_instance: Object.fromEntries(hosts.map((h) => [h, { ami: "ami-1", metadata_options: { http_tokens: tokens }, root_block_device: { encrypted: true } }])),
      },
    });
    expect(rows(instance("required", ["a"]), instance("optional", ["a"]))).toEqual([
      { stack: "s", address: "aws_instance.a", change: "changed", subject: "metadata_options.http_tokens", before: "required", after: "optional", exposure: "wider", label: "allows IMDSv1 (no session token)" },
    ]);
    expect(rows(instance("required", ["a"]), instance("required", ["a", "b"]))).toEqual([]);
  });
});

describe("markdown for a PR comment", () => {
  const hosts = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`w-${String(i + 1).padStart(4, "0")}`, { ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, az: "az1" }]));
  const diffOf = (a: TerraformJson, b: TerraformJson) => {
    const stack = diffStack("dev-os-a", a, b, catalog);
    return { base: "main", head: "branch", stacks: [stack], files: [], security: classifySecurity([stack]), notes: [] };
  };

  it("GIVEN thousands of new hosts THEN one counted entry per resource, well under GitHub's comment limit", () => {
    const md = renderMarkdown(diffOf(site(hosts(1)), site(hosts(3000))));
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).toContain("- `openstack_compute_instance_v2.web_fleet_instance`: 2999 instances");
    expect(md).toContain("… and 2969 more");
  });

  it("GIVEN a replacement of a whole fleet THEN the instance names collapse and the cause is named once", () => {
    const md = renderMarkdown(diffOf(site(hosts(500)), site(hosts(500), { image: "golden-2" })));
    expect(md).toContain("> - `dev-os-a`: `openstack_compute_instance_v2.web_fleet_instance` on 500 instances (forced by `block_device[0].uuid`)");
    expect(md).toContain("<details><summary>500 instances</summary>");
  });
});

describe("element-wise collections and Terraform's counts", () => {
  const listener = (cidrs: string[], groups: string[] = ["sg-1"]) => ({
    resource: { openstack_lb_listener_v2: { l: { protocol: "TCP", protocol_port: 5432, allowed_cidrs: cidrs } }, openstack_networking_port_v2: { p: { network_id: "n", security_group_ids: groups } } },
  });
  const real = loadCollectionCatalog();

  it("GIVEN one CIDR inserted in a list THEN one added element, aligned with its neighbours", () => {
    const [change] = diffStack("s", listener(["10.0.0.0/8", "192.0.2.0/24"]), listener(["10.0.0.0/8", "198.51.100.0/24", "192.0.2.0/24"]), catalog, new Set(), real).changes;
    expect(change.attributes).toEqual([
      {
        path: "allowed_cidrs",
        before: ["10.0.0.0/8", "192.0.2.0/24"],
        after: ["10.0.0.0/8", "198.51.100.0/24", "192.0.2.0/24"],
        forcesReplacement: false,
        collection: "list",
        elements: [
          { action: "no-op", value: "10.0.0.0/8" },
          { action: "create", value: "198.51.100.0/24" },
          { action: "no-op", value: "192.0.2.0/24" },
        ],
      },
    ]);
  });

  it("GIVEN a set (security_group_ids in the OpenStack schema) reordered THEN no change; an element swapped THEN added and removed", () => {
    expect(real.isSet("openstack_networking_port_v2", "security_group_ids")).toBe(true);
    expect(real.isSet("openstack_lb_listener_v2", "allowed_cidrs")).toBe(false);
    expect(diffStack("s", listener([], ["sg-1", "sg-2"]), listener([], ["sg-2", "sg-1"]), catalog, new Set(), real).changes).toEqual([]);
    const [change] = diffStack("s", listener([], ["sg-1", "sg-2"]), listener([], ["sg-3", "sg-1"]), catalog, new Set(), real).changes;
    expect(change.attributes[0]).toMatchObject({
      path: "security_group_ids",
      collection: "set",
      elements: [
        { action: "delete", value: "sg-2" },
        { action: "create", value: "sg-3" },
        { action: "no-op", value: "sg-1" },
      ],
    });
  });

  it("GIVEN a block added to a set of blocks (allowed_address_pairs) THEN that block is added, the others untouched", () => {
    const port = (pairs: { ip_address: string }[]) => ({ resource: { openstack_networking_port_v2: { p: { network_id: "n", allowed_address_pairs: pairs } } } });
    const [change] = diffStack("s", port([{ ip_address: "10.0.0.5" }]), port([{ ip_address: "10.0.0.4" }, { ip_address: "10.0.0.5" }]), catalog, new Set(), real).changes;
    expect(change.attributes).toMatchObject([
      {
        path: "allowed_address_pairs",
        collection: "set",
        elements: [
          { action: "create", value: { ip_address: "10.0.0.4" } },
          { action: "no-op", value: { ip_address: "10.0.0.5" } },
        ],
      },
    ]);
  });

  it("GIVEN a data source removed and an output changed THEN neither counts; for_each instances count one each", () => {
    const before: TerraformJson = { ...site(two), output: { a: { value: "1" } } };
    const after: TerraformJson = { ...site({ "w-001": two["w-001"] }), output: { a: { value: "2" } } };
    delete (after as { data?: unknown }).data;
    (after.resource!.openstack_compute_instance_v2.web_fleet_instance as Record<string, unknown>).block_device = [{ uuid: "fixed-image-id", source_type: "image" }];
    const stack = diffStack("s", before, after, catalog);
    expect(stack.changes.find((c) => c.address === "data.openstack_images_image_v2.web_fleet_image")?.action).toBe("forget");
    expect(countChanges(stack.changes)).toEqual({ import: 0, add: 1, change: 0, destroy: 3, forget: 0, replace: 1, read: 0 });
  });

  it("wraps a long line at a space or comma, continuing with deeper indentation", () => {
    expect(wrapLine(`    key: ${JSON.stringify(["aaaa", "bbbb", "cccc"])}`, 24)).toEqual(['    key: ["aaaa","bbbb",', '        "cccc"]']);
    expect(wrapLine("short", 24)).toEqual(["short"]);
  });
});
