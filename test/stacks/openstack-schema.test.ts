import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "cdktf";
import {
  checkAgainstOpenstackSchema,
  loadOpenstackForceNew,
  loadOpenstackSchema,
  SchemaAttribute,
  SchemaBlock,
} from "../support/openstack-schema";
import {
  DEFAULT_OPENSTACK_OUT_DIR,
  generateOpenstackBindings,
  listFiles,
  loadOpenstackSchema as loadSnapshotForGenerator,
} from "../../scripts/gen-openstack";
import { estate, PROJECT, removeTempDirs, tempDir } from "../cli/estate";
import { OpenstackProvider } from "../../.gen/providers/openstack/provider";
import { ComputeInstanceV2 } from "../../.gen/providers/openstack/compute-instance-v2";
import { LbMembersV2 } from "../../.gen/providers/openstack/lb-members-v2";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { DataOpenstackImagesImageV2 } from "../../.gen/providers/openstack/data-openstack-images-image-v2";

const schema = loadOpenstackSchema();
const res = (type: string): SchemaBlock => schema.resource_schemas[type].block;
const data = (type: string): SchemaBlock => schema.data_source_schemas[type].block;

/** Minimal valid instance body; tests mutate copies of it. */
function instance(extra: Record<string, unknown> = {}): any {
  return {
    resource: {
      openstack_compute_instance_v2: {
        web: {
          name: "web-001",
          image_id: "${data.openstack_images_image_v2.ubuntu.id}",
          flavor_name: "m1.small",
          network: [{ uuid: "${openstack_networking_network_v2.net.id}", fixed_ip_v4: "10.0.0.10" }],
          ...extra,
        },
      },
    },
  };
}

describe("openstack schema conformance checker", () => {
  it("accepts a valid resource, data source and provider block", () => {
    const tf = {
      provider: { openstack: [{ cloud: "site-a", region: "RegionOne", max_retries: 3, alias: "a" }] },
      data: { openstack_images_image_v2: { ubuntu: { name: "ubuntu-24.04", most_recent: true } } },
      ...instance({ count: 2, depends_on: ["openstack_networking_port_v2.p"], "//": { metadata: {} } }),
    };
    expect(checkAgainstOpenstackSchema(tf)).toEqual([]);
  });

  it("flags a misspelled attribute and suggests the real name", () => {
    const problems = checkAgainstOpenstackSchema(instance({ flavour_name: "m1.small" }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('openstack_compute_instance_v2.web: unknown attribute or block "flavour_name"');
    expect(problems[0]).toContain('did you mean "flavor_name"');
  });

  it("flags a missing required attribute", () => {
    const tf = { resource: { openstack_lb_member_v2: { m: { pool_id: "p", protocol_port: 80 } } } };
    expect(checkAgainstOpenstackSchema(tf)).toEqual(['openstack_lb_member_v2.m: missing required attribute "address"']);
  });

  it("flags a computed-only attribute being set", () => {
    const problems = checkAgainstOpenstackSchema(instance({ access_ip_v4: "10.0.0.10" }));
    expect(problems).toEqual(['openstack_compute_instance_v2.web: attribute "access_ip_v4" is computed-only and cannot be set']);
    const nested = checkAgainstOpenstackSchema(instance({ network: [{ uuid: "n", mac: "fa:16:3e:00:00:01" }] }));
    expect(nested).toEqual(['openstack_compute_instance_v2.web.network[0]: attribute "mac" is computed-only and cannot be set']);
  });

  it("checks basic types but accepts Terraform expressions and implicit conversions", () => {
    const tf = {
      resource: {
        openstack_lb_member_v2: {
          bad: { pool_id: "p", address: "10.0.0.1", protocol_port: "http", admin_state_up: "yes", tags: "a" },
          ok: { pool_id: "p", address: "10.0.0.1", protocol_port: "${var.port}", admin_state_up: "true", weight: "5" },
        },
      },
    };
    expect(checkAgainstOpenstackSchema(tf)).toEqual([
      'openstack_lb_member_v2.bad.protocol_port: expected number, got string "http"',
      'openstack_lb_member_v2.bad.admin_state_up: expected bool, got string "yes"',
      "openstack_lb_member_v2.bad.tags: expected set(string), got string",
    ]);
  });

  it("recurses into nested blocks and enforces max_items", () => {
    const tf = {
      resource: {
        openstack_networking_port_v2: {
          p: {
            network_id: "n",
            binding: [{ vnic_type: "direct" }, { vnic_type: "normal" }],
            fixed_ip: [{ subnet_id: "s", ip_addres: "10.0.0.5" }],
            allowed_address_pairs: [{ mac_address: "fa:16:3e:00:00:01" }],
          },
        },
      },
    };
    expect(checkAgainstOpenstackSchema(tf)).toEqual([
      'openstack_networking_port_v2.p.fixed_ip[0]: unknown attribute or block "ip_addres" (did you mean "ip_address"?)',
      'openstack_networking_port_v2.p.allowed_address_pairs[0]: missing required attribute "ip_address"',
      'openstack_networking_port_v2.p: block "binding" allows at most 1 item(s), got 2',
    ]);
  });

  it("accepts a single object for single/max-1 blocks and validates dynamic blocks", () => {
    const tf = {
      resource: {
        openstack_compute_instance_v2: {
          web: {
            name: "web",
            vendor_options: { ignore_resize_confirmation: true },
            timeouts: { create: "20m", delete: "10m" },
            dynamic: { network: { for_each: "${var.nets}", content: { uuid: "${network.value}", fixed_ipv4: "x" } } },
          },
        },
      },
    };
    expect(checkAgainstOpenstackSchema(tf)).toEqual([
      'openstack_compute_instance_v2.web.dynamic.network.content: unknown attribute or block "fixed_ipv4" (did you mean "fixed_ip_v4"?)',
    ]);
    const badTimeout = { resource: { openstack_networking_secgroup_v2: { sg: { name: "sg", timeouts: { create: "5m" } } } } };
    expect(checkAgainstOpenstackSchema(badTimeout)).toEqual([
      'openstack_networking_secgroup_v2.sg.timeouts: unknown attribute or block "create"',
    ]);
  });

  it("flags unknown openstack types and ignores other providers", () => {
    const tf = {
      provider: { openstack: { use_octavia: true }, aws: [{ region: "eu-west-1" }] },
      resource: { openstack_compute_floatingip_v2: { f: { pool: "public" } }, aws_instance: { x: { bogus: 1 } } },
      data: { openstack_images_image_v3: { i: { name: "x" } } },
    };
    const problems = checkAgainstOpenstackSchema(tf);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('provider.openstack[0]: unknown attribute or block "use_octavia"');
    expect(problems[1]).toMatch(/^openstack_compute_floatingip_v2: unknown resource type/); // removed in v3
    expect(problems[2]).toBe('data.openstack_images_image_v3: unknown data source type (did you mean "openstack_images_image_v2"?)');
  });

  it("agrees with a stack synthesized through the generated bindings", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "conformance");
    new OpenstackProvider(stack, "os", { cloud: "site-a", region: "RegionOne" });
    const image = new DataOpenstackImagesImageV2(stack, "ubuntu", { name: "ubuntu-24.04", mostRecent: true });
    const port = new NetworkingPortV2(stack, "port", {
      networkId: "net-id",
      fixedIp: [{ subnetId: "subnet-id", ipAddress: "10.0.0.10" }],
      binding: { vnicType: "normal" },
    });
    new ComputeInstanceV2(stack, "web", {
      name: "web-001",
      imageId: image.id,
      flavorName: "m1.small",
      network: [{ port: port.id }],
      metadata: { role: "web" },
      timeouts: { create: "20m" },
    });
    new LbMembersV2(stack, "members", {
      poolId: "pool-id",
      member: [{ address: "10.0.0.10", protocolPort: 80 }],
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(checkAgainstOpenstackSchema(tf)).toEqual([]);
    expect(app).toBeInstanceOf(App);
  });
});

describe("openstack schema snapshot facts (verified in the provider's Go source)", () => {
  it("compute_instance_v2 has a network list block with uuid/name/port/fixed_ip_v4/access_network", () => {
    const network = res("openstack_compute_instance_v2").block_types!.network;
    expect(network.nesting_mode).toBe("list");
    for (const k of ["uuid", "name", "port", "fixed_ip_v4", "fixed_ip_v6"]) {
      expect(network.block.attributes![k]).toMatchObject({ type: "string", optional: true, computed: true });
    }
    expect(network.block.attributes!.access_network).toMatchObject({ type: "bool", optional: true });
    expect(network.block.attributes!.mac).toEqual({ type: "string", computed: true, description_kind: "plain" });
    const attrs = res("openstack_compute_instance_v2").attributes!;
    expect(attrs.name).toMatchObject({ type: "string", required: true });
    expect(attrs.admin_pass).toMatchObject({ sensitive: true, optional: true });
    expect(attrs.security_groups.type).toEqual(["set", "string"]);
    expect(attrs.floating_ip).toBeUndefined(); // removed in v3
    expect(attrs.id).toMatchObject({ type: "string", optional: true, computed: true });
    const blocks = res("openstack_compute_instance_v2").block_types!;
    expect(blocks.vendor_options).toMatchObject({ nesting_mode: "set", max_items: 1 });
    expect(blocks.vendor_options.min_items).toBeUndefined(); // Optional + MinItems is dropped by the SDK
    expect(blocks.block_device.block.attributes!.source_type).toMatchObject({ required: true });
    expect(Object.keys(blocks.timeouts.block.attributes!).sort()).toEqual(["create", "delete", "update"]);
  });

  it("lb_member_v2 requires address, protocol_port and pool_id", () => {
    const attrs = res("openstack_lb_member_v2").attributes!;
    expect(attrs.address).toMatchObject({ type: "string", required: true });
    expect(attrs.protocol_port).toMatchObject({ type: "number", required: true });
    expect(attrs.pool_id).toMatchObject({ type: "string", required: true });
  });

  it("lb_members_v2 has a set block `member` with required address and protocol_port", () => {
    const member = res("openstack_lb_members_v2").block_types!.member;
    expect(member.nesting_mode).toBe("set");
    expect(member.block.attributes!.address).toMatchObject({ required: true });
    expect(member.block.attributes!.protocol_port).toMatchObject({ type: "number", required: true });
    expect(member.block.attributes!.id).toMatchObject({ computed: true });
  });

  it("networking_subnet_v2 uses allocation_pool (set) and has no host_routes in v3", () => {
    const block = res("openstack_networking_subnet_v2");
    expect(block.attributes!.network_id).toMatchObject({ required: true });
    expect(block.block_types!.allocation_pool.nesting_mode).toBe("set");
    expect(block.attributes!.host_routes).toBeUndefined();
    expect(block.block_types!.host_routes).toBeUndefined();
    expect(block.attributes!.dns_nameservers.type).toEqual(["list", "string"]);
  });

  it("computed-only nested schemas are attributes, not blocks", () => {
    const vol = res("openstack_blockstorage_volume_v3");
    expect(vol.block_types!.attachment).toBeUndefined();
    expect(vol.attributes!.attachment).toMatchObject({
      computed: true,
      type: ["set", ["object", { device: "string", id: "string", instance_id: "string" }]],
    });
    expect(data("openstack_networking_subnet_v2").attributes!.host_routes.type[0]).toBe("list");
  });

  it("keypair private_key is sensitive and computed-only; port binding is a max-1 block", () => {
    expect(res("openstack_compute_keypair_v2").attributes!.private_key).toMatchObject({ computed: true, sensitive: true });
    expect(res("openstack_networking_port_v2").block_types!.binding).toMatchObject({ nesting_mode: "list", max_items: 1 });
    expect(res("openstack_networking_secgroup_v2").block_types!.timeouts.block.attributes).toHaveProperty("delete");
    expect(res("openstack_networking_secgroup_v2").block_types!.timeouts.block.attributes).not.toHaveProperty("create");
  });

  it("provider configuration matches v3 (no use_octavia, sensitive password)", () => {
    const attrs = schema.provider.block.attributes!;
    expect(attrs.use_octavia).toBeUndefined();
    expect(attrs.password).toMatchObject({ sensitive: true, optional: true });
    expect(attrs.endpoint_overrides.type).toEqual(["map", "string"]);
    expect(attrs.max_retries.type).toBe("number");
    for (const k of ["cloud", "region", "auth_url", "system_scope", "enable_logging", "insecure"]) expect(attrs).toHaveProperty(k);
  });

  it("force-new.json covers every resource and only names real attribute paths", () => {
    const fn = loadOpenstackForceNew();
    expect(Object.keys(fn.resources).sort()).toEqual(Object.keys(schema.resource_schemas).sort());
    for (const [type, paths] of Object.entries(fn.resources)) {
      expect([...paths].sort()).toEqual(paths);
      for (const p of paths) {
        let block: SchemaBlock = res(type);
        const parts = p.split(".");
        for (const part of parts.slice(0, -1)) block = block.block_types![part].block;
        const leaf = parts[parts.length - 1];
        expect(block.attributes?.[leaf] ?? block.block_types?.[leaf], `${type}: ${p}`).toBeDefined();
      }
    }
    const instance = fn.resources.openstack_compute_instance_v2;
    expect(instance).toContain("network.fixed_ip_v4");
    expect(instance).toContain("availability_zone");
    expect(instance).not.toContain("name");
    expect(instance).not.toContain("flavor_id");
    expect(fn.resources.openstack_lb_member_v2).toContain("address");
  });
});

/** An attribute without its `description_kind`, so `toEqual` pins the type and every flag (absent flags too). */
function flags(block: SchemaBlock, name: string): Record<string, unknown> | undefined {
  const a = block.attributes?.[name] as (SchemaAttribute & { description_kind?: string }) | undefined;
  if (!a) return undefined;
  return Object.fromEntries(Object.entries(a).filter(([key]) => key !== "description_kind" && key !== "description"));
}

// Literal facts read in the provider's Go schema (terraform-plugin-sdk/v2 `*schema.Schema` maps) of the v3 line
// (gophercloud/v2, `meta any`), in the cdktf bindings generated from the 3.0.0 schema, and in the Crossplane types
// generated from the 3.3.2 schema; providers/openstack/README.md names each source and the conversion rules.
describe("openstack schema snapshot pins (v3.3.2)", () => {
  it("data openstack_images_image_v2 filters with `sort`; sort_key/sort_direction are gone", () => {
    const block = data("openstack_images_image_v2");
    expect(flags(block, "sort_key")).toBeUndefined();
    expect(flags(block, "sort_direction")).toBeUndefined();
    expect(flags(block, "sort")).toEqual({ type: "string", optional: true });
    expect(flags(block, "name_regex")).toEqual({ type: "string", optional: true });
    expect(flags(block, "most_recent")).toEqual({ type: "bool", optional: true });
    expect(flags(block, "properties")).toEqual({ type: ["map", "string"], optional: true });
    expect(flags(block, "size_bytes")).toEqual({ type: "number", computed: true });
    expect(flags(block, "checksum")).toEqual({ type: "string", computed: true });
  });

  it("data openstack_networking_subnet_v2 returns dns_nameservers and service_types as sets", () => {
    const block = data("openstack_networking_subnet_v2");
    expect(flags(block, "dns_nameservers")).toEqual({ type: ["set", "string"], computed: true });
    expect(flags(block, "service_types")).toEqual({ type: ["set", "string"], computed: true });
    expect(flags(block, "all_tags")).toEqual({ type: ["set", "string"], computed: true });
    expect(flags(block, "tags")).toEqual({ type: ["set", "string"], optional: true });
    expect(flags(block, "dhcp_enabled")).toEqual({ type: "bool", optional: true });
    expect(flags(block, "enable_dhcp")).toEqual({ type: "bool", computed: true });
    expect(flags(block, "network_id")).toEqual({ type: "string", optional: true, computed: true });
    expect(flags(block, "segment_id")).toBeUndefined();
    expect(flags(block, "allocation_pools")).toEqual({
      type: ["list", ["object", { end: "string", start: "string" }]],
      computed: true,
    });
  });

  it("resource openstack_networking_subnet_v2 keeps DNS servers ordered (a list) and allocation pools as a set block", () => {
    const block = res("openstack_networking_subnet_v2");
    expect(flags(block, "dns_nameservers")).toEqual({ type: ["list", "string"], optional: true });
    expect(flags(block, "service_types")).toEqual({ type: ["list", "string"], optional: true, computed: true });
    expect(flags(block, "ip_version")).toEqual({ type: "number", optional: true });
    expect(flags(block, "enable_dhcp")).toEqual({ type: "bool", optional: true });
    expect(flags(block, "segment_id")).toEqual({ type: "string", optional: true });
    const pool = block.block_types!.allocation_pool;
    expect(pool.nesting_mode).toBe("set");
    expect(pool.min_items).toBeUndefined();
    expect(pool.max_items).toBeUndefined();
    expect(flags(pool.block, "start")).toEqual({ type: "string", required: true });
    expect(flags(pool.block, "end")).toEqual({ type: "string", required: true });
  });

  it("Octavia flags follow the Go schema: listener name is computed, client_authentication and monitor http_version are not", () => {
    const listener = res("openstack_lb_listener_v2");
    expect(flags(listener, "name")).toEqual({ type: "string", optional: true, computed: true });
    expect(flags(listener, "client_authentication")).toEqual({ type: "string", optional: true });
    expect(flags(listener, "allowed_cidrs")).toEqual({ type: ["list", "string"], optional: true });
    expect(flags(listener, "tls_versions")).toEqual({ type: ["set", "string"], optional: true, computed: true });
    const monitor = res("openstack_lb_monitor_v2");
    expect(flags(monitor, "http_version")).toEqual({ type: "string", optional: true });
    expect(flags(monitor, "domain_name")).toEqual({ type: "string", optional: true });
    expect(flags(monitor, "max_retries_down")).toEqual({ type: "number", optional: true, computed: true });
    expect(res("openstack_lb_pool_v2").block_types!.persistence).toMatchObject({ nesting_mode: "list", max_items: 1 });
    expect(res("openstack_lb_pool_v2").block_types!.persistence.min_items).toBeUndefined();
    expect(flags(res("openstack_lb_members_v2").block_types!.member.block, "weight")).toEqual({ type: "number", optional: true });
  });

  it("secgroup rule port ranges are plain optional numbers; the floating IP pool is required", () => {
    const rule = res("openstack_networking_secgroup_rule_v2");
    expect(flags(rule, "port_range_min")).toEqual({ type: "number", optional: true });
    expect(flags(rule, "port_range_max")).toEqual({ type: "number", optional: true });
    expect(flags(rule, "remote_ip_prefix")).toEqual({ type: "string", optional: true, computed: true });
    expect(Object.keys(rule.block_types!.timeouts.block.attributes!)).toEqual(["delete"]);
    // Required + EnvDefaultFunc("OS_POOL_NAME", nil): the SDK reports it required when the variable is unset.
    expect(flags(res("openstack_networking_floatingip_v2"), "pool")).toEqual({ type: "string", required: true });
  });

  it("max-1 blocks keep their nesting mode and drop MinItems when optional", () => {
    expect(res("openstack_networking_router_v2").block_types!.vendor_options).toMatchObject({ nesting_mode: "set", max_items: 1 });
    expect(res("openstack_networking_router_v2").block_types!.vendor_options.min_items).toBeUndefined();
    expect(res("openstack_compute_servergroup_v2").block_types!.rules).toMatchObject({ nesting_mode: "list", max_items: 1 });
    expect(flags(res("openstack_compute_servergroup_v2"), "policies")).toEqual({ type: ["list", "string"], optional: true });
    expect(flags(res("openstack_compute_keypair_v2"), "private_key")).toEqual({ type: "string", computed: true, sensitive: true });
  });

  it("a port's fixed_ip may name only an address: subnet_id is optional since v3", () => {
    const fixedIp = res("openstack_networking_port_v2").block_types!.fixed_ip;
    expect(fixedIp.nesting_mode).toBe("list");
    expect(flags(fixedIp.block, "subnet_id")).toEqual({ type: "string", optional: true });
    expect(flags(fixedIp.block, "ip_address")).toEqual({ type: "string", optional: true });
    expect(flags(res("openstack_networking_port_v2"), "security_group_ids")).toMatchObject({ type: ["set", "string"] });
  });
});

describe("bindings reproducibility", () => {
  it("regenerating from the snapshot reproduces .gen/providers/openstack byte-for-byte", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "openstack-bindings-"));
    try {
      const out = path.join(tmp, "openstack");
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, "stale-file.ts"), "// must be wiped\n");
      await generateOpenstackBindings(out);
      const expected = listFiles(DEFAULT_OPENSTACK_OUT_DIR);
      const actual = listFiles(out);
      expect(actual).toEqual(expected);
      expect(actual).not.toContain("stale-file.ts");
      for (const rel of expected) {
        const a = fs.readFileSync(path.join(DEFAULT_OPENSTACK_OUT_DIR, rel));
        const b = fs.readFileSync(path.join(out, rel));
        expect(b.equals(a), rel).toBe(true);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("provider version pins", () => {
  // The parser `cdktf diff|deploy` run on every stack before touching it (@cdktf/cli-core CdktfStack):
  // a `required_providers` entry without a `version` string fails it, and the CLI refuses the stack.
  const { terraformJsonSchema } = require("@cdktf/cli-core/src/lib/terraform-json");
  const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
  let stacksDir: string;

  beforeAll(() => {
    const out = path.join(tempDir("estate-pins-"), "out");
    const run = estate(["synth", "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    stacksDir = path.join(out, "stacks");
  });
  afterAll(removeTempDirs);

  const stackFiles = (): Array<[string, any]> =>
    fs
      .readdirSync(stacksDir)
      .sort()
      .map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacksDir, name, "cdk.tf.json"), "utf8"))]);

  it("synthesizes every stack of both bundled environments, OpenStack sites and bake stacks included", () => {
    const names = stackFiles().map(([name]) => name);
    for (const name of ["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic", "prod-os-a", "prod-os-a-bake", "prod-traffic"]) {
      expect(names).toContain(name);
    }
  });

  it("every provider a stack requires carries an exact version, and cdktf's own stack parser accepts it", () => {
    const problems: string[] = [];
    for (const [name, tf] of stackFiles()) {
      const required: Record<string, { source?: string; version?: unknown }> = tf.terraform?.required_providers ?? {};
      if (Object.keys(required).length === 0) problems.push(`${name}: no terraform.required_providers`);
      for (const [provider, entry] of Object.entries(required)) {
        if (typeof entry.version !== "string" || !EXACT_VERSION.test(entry.version)) {
          problems.push(`${name}: required_providers.${provider}.version is ${JSON.stringify(entry.version)}`);
        }
      }
      const parsed = terraformJsonSchema.safeParse(tf);
      if (!parsed.success) problems.push(`${name}: rejected by cdktf: ${JSON.stringify(parsed.error.issues)}`);
    }
    expect(problems).toEqual([]);
  });

  it("pins OpenStack to 3.3.2 in every OpenStack stack and AWS to 5.100.0 in every AWS stack", () => {
    let openstackStacks = 0;
    for (const [name, tf] of stackFiles()) {
      const required = tf.terraform.required_providers;
      if (tf.provider?.openstack) {
        openstackStacks++;
        expect(required.openstack, name).toEqual({
          source: "registry.terraform.io/terraform-provider-openstack/openstack",
          version: "3.3.2",
        });
      }
      if (tf.provider?.aws) expect(required.aws, name).toEqual({ source: "aws", version: "5.100.0" });
    }
    expect(openstackStacks).toBeGreaterThanOrEqual(9); // dev-os-a..c, prod-os-a..c and the prod bake stacks
  });

  it("the snapshot, force-new.json and cdktf.json name the same provider version", () => {
    const snapshot = loadSnapshotForGenerator();
    expect(snapshot.provider_versions).toEqual({ "registry.terraform.io/terraform-provider-openstack/openstack": "3.3.2" });
    expect(loadOpenstackForceNew().version).toBe("3.3.2");
    const cdktfJson = JSON.parse(fs.readFileSync(path.join(PROJECT, "cdktf.json"), "utf8"));
    expect(cdktfJson.terraformProviders).toContain("terraform-provider-openstack/openstack@3.3.2");
  });

  it("the generator refuses a snapshot without an exact provider version", () => {
    const dir = tempDir("estate-schema-");
    const base = JSON.parse(fs.readFileSync(path.join(PROJECT, "providers", "openstack", "schema.json"), "utf8"));
    for (const versions of [undefined, { "registry.terraform.io/terraform-provider-openstack/openstack": "~> 3.3" }]) {
      const file = path.join(dir, "schema.json");
      fs.writeFileSync(file, JSON.stringify({ ...base, provider_versions: versions }));
      expect(() => loadSnapshotForGenerator(file)).toThrow(
        `${file}: provider_versions["registry.terraform.io/terraform-provider-openstack/openstack"] must be the exact provider version (for example "3.3.2"), got ${JSON.stringify(versions?.["registry.terraform.io/terraform-provider-openstack/openstack"])}`,
      );
    }
  });
});
