/**
 * `estate adopt` on committed dumps of a real site (test/fixtures/adopt/dumps/os-a, made by the README's script
 * against the local OpenStack by test/system/adopt.test.ts): no cloud needed. Expected ids are read from the raw
 * dumps by name, the way an operator would look them up.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estate, PROJECT, removeTempDirs, tempDir } from "./estate";

const FIXTURES = join(PROJECT, "test/fixtures/adopt");
const DUMPS = join(FIXTURES, "dumps", "os-a");
const raw = (file: string) => JSON.parse(readFileSync(join(DUMPS, file), "utf8")) as Record<string, unknown>[];

interface Report {
  imports: { address: string; importId: string; object: string; action: string; differences: { path: string; current: unknown; model: unknown; action: string; reason?: string }[] }[];
  toCreate: { address: string; type: string }[];
  leftAlone: { kind: string; id: string; label: string }[];
  replacements: string[];
  acceptedReplacements: string[];
  written: boolean;
  refused?: string;
}

/** A copy of the fixture environment (the adoption file is written next to it). */
function envCopy(): string {
  const file = join(tempDir("estate-adopt-"), "adopt.yaml");
  cpSync(join(FIXTURES, "adopt.yaml"), file);
  return file;
}

function adopt(env: string, extra: string[] = [], dumps = DUMPS): { status: number | null; stdout: string; stderr: string; report?: Report } {
  const r = estate(["adopt", "--env", env, "--site", "os-a", "--dumps", dumps, ...extra]);
  return { ...r, ...(extra.includes("--json") && r.stdout ? { report: JSON.parse(r.stdout) as Report } : {}) };
}

afterAll(() => removeTempDirs());

const SERVERS = ["api_fleet_instance[\"adopt-os-a-api-001\"]", "api_fleet_instance[\"adopt-os-a-api-002\"]", "web_fleet_instance[\"adopt-os-a-web-001\"]", "web_fleet_instance[\"adopt-os-a-web-002\"]", "web_fleet_instance[\"adopt-os-a-web-003\"]"].map(
  (s) => `openstack_compute_instance_v2.${s}`,
);

describe("estate adopt on dumps of a site built by hand", () => {
  let report: Report;

  beforeAll(() => {
    const r = adopt(envCopy(), ["--dry-run", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    report = r.report!;
  }, 120_000);

  it("imports every instance the stack describes that exists, with the provider's import id", () => {
    const ids = new Map(report.imports.map((i) => [i.address, i.importId]));
    const byName = (file: string, name: string, key = "Name", id = "ID") => raw(file).find((o) => o[key] === name)![id];
    expect(report.imports).toHaveLength(38);
    expect(ids.get("openstack_networking_network_v2.network_network")).toBe(byName("networks.json", "adopt-os-a"));
    expect(ids.get("openstack_networking_subnet_v2.network_subnet")).toBe(byName("subnets.json", "adopt-os-a"));
    expect(ids.get("openstack_networking_router_v2.network_router")).toBe(byName("routers.json", "adopt-os-a"));
    const routerId = byName("routers.json", "adopt-os-a");
    const iface = raw("ports.json").find((p) => p.device_owner === "network:router_interface" && p.device_id === routerId)!;
    expect(ids.get("openstack_networking_router_interface_v2.network_router_interface")).toBe(iface.id);
    expect(ids.get('openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-002"]')).toBe(byName("servers.json", "adopt-os-a-web-002", "name", "id"));
    expect(ids.get('openstack_networking_port_v2.api_fleet_port["adopt-os-a-api-001"]')).toBe(byName("ports.json", "adopt-os-a-api-001", "name", "id"));
    const pool = byName("pools.json", "adopt-os-a-web-80", "name", "id");
    const member = (raw("members.json").find((p) => p.pool_id === pool)!.members as { id: string; address: string }[]).find((m) => m.address === "10.10.1.3")!;
    expect(ids.get('openstack_lb_member_v2.web_load_balancer_port80_member["adopt-os-a-web-003"]')).toBe(`${pool}/${member.id}`);
    const fip = raw("floating-ips.json").find((f) => f["Floating IP Address"] === "198.51.100.51")!;
    expect(ids.get("openstack_networking_floatingip_v2.api_public_vip_floating_ip")).toBe(fip.ID);
    const web = raw("security-groups.json").find((g) => g.name === "adopt-os-a-web")!;
    const ssh = (web.rules as { id: string; port_range_min: number | null; direction: string }[]).find((r) => r.direction === "ingress" && r.port_range_min === 22)!;
    expect(ids.get("openstack_networking_secgroup_rule_v2.web_security_group_ssh_from192_0_2_0_26")).toBe(ssh.id);
  });

  it("lists what the model wants and does not exist as to be created", () => {
    expect(report.toCreate).toEqual([{ address: "openstack_networking_secgroup_rule_v2.api_security_group_node_exporter_from192_0_2_0_26", type: "openstack_networking_secgroup_rule_v2" }]);
  });

  it("lists what exists and the model does not describe as left alone", () => {
    expect(report.leftAlone.map((u) => u.label)).toEqual(
      expect.arrayContaining(["server adopt-os-a-legacy-db", "port adopt-os-a-legacy-db 10.10.3.1", "rule ingress IPv4 tcp/8443 from 203.0.113.0/24 in adopt-os-a-web"]),
    );
    expect(report.leftAlone.map((u) => u.kind).sort()).toEqual(["port", "security group rule", "server"]);
  });

  it("classifies differences: the image-booted server and the other key pair are replacements, with the reason", () => {
    const of = (address: string) => report.imports.find((i) => i.address === address)!;
    const api2 = of(SERVERS[1]);
    expect(api2.action).toBe("replace");
    expect(api2.differences.find((d) => d.path === "block_device")).toEqual({
      path: "block_device",
      current: [],
      model: [{ boot_index: 0, delete_on_termination: true, destination_type: "volume", source_type: "image", uuid: "image:debian12-golden-2026.11.1", volume_size: 20 }],
      action: "replace",
      reason: "the server boots from image debian12-golden-2026.11.1 on local disk; the stack boots it from a volume",
    });
    expect(of(SERVERS[4]).differences.find((d) => d.path === "key_pair")).toEqual({ path: "key_pair", current: "legacy-admin", model: "estate-admin", action: "replace" });
    // A server that matches the model still shows what the provider does not read back on import.
    const web1 = of(SERVERS[2]);
    expect(web1.differences.map((d) => [d.path, d.action])).toEqual([
      ["network[0].port", "replace"],
      ["scheduler_hints[0].group", "replace"],
    ]);
    expect(web1.differences[1].reason).toMatch(/^the server is in this server group; terraform-provider-openstack 3\.x does not read it back on import/);
    expect(report.replacements).toEqual(SERVERS);
    // Everything else imports unchanged.
    expect(report.imports.filter((i) => i.action !== "import").map((i) => i.address)).toEqual(SERVERS);
  });

  it("refuses to write while a predicted replacement is not accepted (exit 1, no file)", () => {
    const env = envCopy();
    const r = adopt(env, ["--accept-replace", "openstack_compute_instance_v2.web_fleet_instance*"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `estate adopt: 2 predicted replacement(s) not accepted, nothing written: ${SERVERS[0]}, ${SERVERS[1]}; fix the differences in the cloud or the environment file, or accept them with --accept-replace '<address glob>'`,
    );
    expect(existsSync(join(env, "..", "adopt.adopt", "os-a.json"))).toBe(false);
  }, 120_000);

  it("writes the adoption file when every replacement is accepted, and synthesis renders it as import blocks", () => {
    const env = envCopy();
    const r = adopt(env, ["--accept-replace", "openstack_compute_instance_v2.*"]);
    expect(r.status, r.stderr).toBe(0);
    const file = join(env, "..", "adopt.adopt", "os-a.json");
    const adoption = JSON.parse(readFileSync(file, "utf8")) as { site: string; imports: { to: string; id: string }[] };
    expect(adoption.site).toBe("os-a");
    expect(adoption.imports).toHaveLength(38);
    expect(adoption.imports.map((i) => i.to)).toEqual([...adoption.imports.map((i) => i.to)].sort());
    expect(r.stdout).toContain(`${file}: 38 imports written; synthesis renders them as import blocks in adopt-os-a`);
    expect(r.stdout).toContain("adopt-os-a: 38 to import, 0 to add, 0 to change, 0 to destroy");
    // Imported rules exist already: the security view of the diff shows none of them as added.
    expect(r.stdout).not.toContain("WIDER");
    const out = join(tempDir("estate-adopt-out-"), "out");
    expect(estate(["synth", "--env", env, "--stack", "adopt-os-a", "--out", out, "--no-policy"]).status).toBe(0);
    const stack = JSON.parse(readFileSync(join(out, "stacks", "adopt-os-a", "cdk.tf.json"), "utf8")) as { import: { to: string; id: string }[] };
    expect(stack.import).toEqual(adoption.imports);
  }, 120_000);
});

describe("estate adopt on bad dumps", () => {
  function brokenDumps(file: string, content: string | undefined): string {
    const dir = join(tempDir("estate-adopt-dumps-"), "os-a");
    mkdirSync(dir);
    cpSync(DUMPS, dir, { recursive: true });
    if (content === undefined) writeFileSync(join(dir, file), "");
    else writeFileSync(join(dir, file), content);
    return dir;
  }

  it("names a file that is not JSON with its line and column", () => {
    const dir = brokenDumps("servers.json", '[\n  {"id": "x",\n   "name": }\n]\n');
    const r = adopt(envCopy(), ["--dry-run"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^estate adopt: ${dir}/servers\\.json:3:12: not valid JSON \\(`));
  });

  it("names the file and the JSON path of a value of the wrong shape", () => {
    const ports = raw("ports.json");
    (ports[1] as { fixed_ips: unknown[] }).fixed_ips = [{ subnet_id: "s", ip_address: 10 }];
    const dir = brokenDumps("ports.json", JSON.stringify(ports));
    const r = adopt(envCopy(), ["--dry-run"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`estate adopt: ${dir}/ports.json: not the output of the command README gives for ports.json (1 problem)\n  ${dir}/ports.json: [1].fixed_ips[0].ip_address: Invalid input: expected string, received number`);
  });

  it("names a missing dump and the script that makes it", () => {
    const dir = join(tempDir("estate-adopt-dumps-"), "os-a");
    mkdirSync(dir);
    cpSync(DUMPS, dir, { recursive: true });
    const { rmSync } = require("node:fs") as typeof import("node:fs");
    rmSync(join(dir, "members.json"));
    const r = adopt(envCopy(), ["--dry-run"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`estate adopt: ${dir}/members.json: missing; make the dumps with the script in README ("Adopting a running site") and run again`);
  });

  it("refuses an unknown site as a usage error", () => {
    const r = estate(["adopt", "--env", envCopy(), "--site", "os-x", "--dumps", DUMPS]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no OpenStack site "os-x"');
  });
});
