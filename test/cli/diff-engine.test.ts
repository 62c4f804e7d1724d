import type { TerraformJson } from "../../constructs/policy";
import { diffStack } from "../../cli/lib/diff/engine";
import { forceNewCatalog, loadForceNewCatalog } from "../../cli/lib/diff/force-new";
import { groupChanges } from "../../cli/lib/diff/group";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../cli/lib/diff/render";
import { classifySecurity } from "../../cli/lib/diff/security";

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
        risk: "widens 192.0.2.0/26 to 192.0.2.0/24",
      },
    ]);
  });

  it("GIVEN a rule opened to the world or to more ports THEN flagged", () => {
    expect(rows(rule("192.0.2.0/26"), rule("0.0.0.0/0"))[0].risk).toBe("opens to the internet");
    expect(rows(rule("192.0.2.0/26", 22), rule("192.0.2.0/26", 22, 1024))[0].risk).toBe("widens ports tcp/22 to tcp/22-1024");
  });

  it("GIVEN a rule narrowed THEN listed without a risk", () => {
    const [row] = rows(rule("192.0.2.0/24"), rule("192.0.2.0/26"));
    expect(row).toMatchObject({ change: "changed", before: "tcp/22 from 192.0.2.0/24", after: "tcp/22 from 192.0.2.0/26" });
    expect(row.risk).toBeUndefined();
  });

  it("GIVEN a listener that stops terminating TLS and admits the world THEN both are flagged", () => {
    const listener = (protocol: string, cidrs: string[]) => ({ resource: { openstack_lb_listener_v2: { l: { protocol, protocol_port: 443, allowed_cidrs: cidrs } } } });
    expect(rows(listener("TERMINATED_HTTPS", ["10.0.0.0/8"]), listener("HTTP", ["0.0.0.0/0"])).map((r) => [r.subject, r.risk])).toEqual([
      ["allowed_cidrs", "opens to the internet"],
      ["protocol", "drops TLS"],
    ]);
  });

  it("GIVEN an AWS instance losing IMDSv2 THEN flagged; a new host with IMDSv2 and encryption THEN not listed", () => {
    const instance = (tokens: string, hosts: string[]) => ({
      resource: {
        aws_instance: Object.fromEntries(hosts.map((h) => [h, { ami: "ami-1", metadata_options: { http_tokens: tokens }, root_block_device: { encrypted: true } }])),
      },
    });
    expect(rows(instance("required", ["a"]), instance("optional", ["a"]))).toEqual([
      { stack: "s", address: "aws_instance.a", change: "changed", subject: "metadata_options.http_tokens", before: "required", after: "optional", risk: "allows IMDSv1 (no session token)" },
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
