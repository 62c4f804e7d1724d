/**
 * `estate preflight` without a cloud: what it derives from the synthesized site stacks (policy rules, objects,
 * quantities), how it finds clouds.yaml, and its errors on bad input. The checks against a real cloud are in
 * test/system/preflight.test.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { findCloud } from "../../cli/lib/preflight/clouds-yaml";
import { policyRulesOf } from "../../cli/lib/preflight/policy-rules";
import { selectSite, siteRequirements } from "../../cli/lib/preflight/run";
import { loadSelectedModels } from "../../cli/lib/select";
import type { TerraformJson } from "../../terraform-json";
import { estate, removeTempDirs, tempDir } from "./estate";

const LOCAL = "test/fixtures/openstack-local/local.yaml";

afterAll(removeTempDirs);

/** A local TCP port nothing listens on: one the kernel just handed out and that was closed again. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

describe("preflight requirements of the local fixture's site os-a", () => {
  const { model, site } = selectSite(LOCAL, "os-a");
  const { demand, rules } = siteRequirements(model, site);

  it("GIVEN the site and bake stacks WHEN reading them THEN every policy rule they exercise, with who holds it by default", () => {
    expect(demand.stacks).toEqual(["local-os-a", "local-os-a-bake"]);
    expect(rules.map((r) => [r.service, r.rule, r.holder, r.check])).toEqual([
      ["network", "add_router_interface", "member", "role"],
      ["network", "create_floatingip", "member", "role"],
      ["network", "create_floatingip:floating_ip_address", "admin", "try"],
      ["network", "create_network", "member", "role"],
      ["network", "create_port", "member", "role"],
      ["network", "create_port:fixed_ips", "member", "role"],
      ["network", "create_port:fixed_ips:ip_address", "member", "role"],
      ["network", "create_port:fixed_ips:subnet_id", "member", "role"],
      ["network", "create_router", "member", "role"],
      ["network", "create_router:external_gateway_info", "member", "role"],
      ["network", "create_router:external_gateway_info:network_id", "member", "role"],
      ["network", "create_security_group", "member", "role"],
      ["network", "create_security_group_rule", "member", "role"],
      ["network", "create_subnet", "member", "role"],
      ["compute", "os_compute_api:os-server-groups:create", "member", "role"],
      ["compute", "os_compute_api:servers:create", "member", "role"],
      ["compute", "os_compute_api:servers:create:attach_network", "member", "role"],
      ["compute", "os_compute_api:servers:create:attach_volume", "member", "role"],
      ["volume", "volume:create", "member", "role"],
      ["volume", "volume:create_from_image", "member", "role"],
      ["load-balancer", "os_load-balancer_api:healthmonitor:post", "load-balancer_member", "role"],
      ["load-balancer", "os_load-balancer_api:listener:post", "load-balancer_member", "role"],
      ["load-balancer", "os_load-balancer_api:loadbalancer:post", "load-balancer_member", "role"],
      ["load-balancer", "os_load-balancer_api:member:post", "load-balancer_member", "role"],
      ["load-balancer", "os_load-balancer_api:pool:post", "load-balancer_member", "role"],
    ]);
    expect(rules.find((r) => r.rule === "create_floatingip:floating_ip_address")!.resources).toEqual([
      "openstack_networking_floatingip_v2.api_public_vip_floating_ip",
      "openstack_networking_floatingip_v2.web_public_vip_floating_ip",
    ]);
  });

  it("THEN the objects and quantities the stacks create and look up", () => {
    expect(demand.servers.map((s) => [s.name, s.flavor, s.availabilityZone, s.bootVolumeGiB])).toEqual([
      ["local-os-a-api-001", "m1.medium", "az1", 20],
      ["local-os-a-api-002", "m1.medium", "az2", 20],
      ["local-os-a-web-001", "m1.small", "az1", 20],
      ["local-os-a-web-002", "m1.small", "az2", 20],
      ["local-os-a-web-003", "m1.small", "az3", 20],
      ["local-os-a-builder", "m1.small", "az1", undefined],
    ]);
    expect(demand.networks).toEqual({ count: 1, names: ["local-os-a"] });
    expect(demand.routers).toEqual({ count: 1, names: ["local-os-a"] });
    // Six fleet ports and the builder's, plus the router interface.
    expect(demand.ports.count).toBe(7);
    expect(demand.securityGroups).toEqual({ count: 3, names: ["local-os-a-api", "local-os-a-builder", "local-os-a-web"] });
    // 7 rules written (SSH and node_exporter per service, the service port per service, SSH of the builder) + 2 egress per group.
    expect(demand.securityGroupRules).toBe(13);
    expect(demand.serverGroups).toEqual([
      { name: "local-os-a-web", members: 3 },
      { name: "local-os-a-api", members: 2 },
    ]);
    expect(demand.floatingIps).toEqual([
      { address: "198.51.100.11", pool: "public" },
      { address: "198.51.100.10", pool: "public" },
    ]);
    expect(demand.loadBalancers).toEqual([
      { name: "local-os-a-api", vipAddress: expect.stringMatching(/^10\.10\./) },
      { name: "local-os-a-web", vipAddress: expect.stringMatching(/^10\.10\./) },
    ]);
    expect([demand.listeners, demand.pools, demand.healthMonitors, demand.members]).toEqual([2, 2, 2, 5]);
    expect(demand.flavors).toEqual(["m1.medium", "m1.small"]);
    expect(demand.images.map((i) => i.name)).toEqual(["debian12-golden-2026.11.1", "debian-12-genericcloud"]);
    expect(demand.availabilityZones).toEqual(["az1", "az2", "az3"]);
    expect(demand.externalNetworks).toEqual(["public"]);
    expect(demand.keyPair).toEqual({ name: "estate-admin", created: false });
  });

  it("THEN no admin-only router rule: the stack sets no fixed address on the router's gateway", () => {
    expect(rules.some((r) => r.rule.includes("external_fixed_ips"))).toBe(false);
  });
});

describe("preflight requirements of every OpenStack site of the bundled environments", () => {
  it.each(["dev", "prod"])("GIVEN %s THEN every resource its site stacks emit has its policy rules (none unknown)", (env) => {
    const [model] = loadSelectedModels([env]);
    for (const site of model.openstackSites) {
      const { rules } = siteRequirements(model, site);
      expect(rules.map((r) => r.rule)).toContain("create_floatingip:floating_ip_address");
    }
  });

  it("GIVEN dev, whose stacks register the key pair (ssh.publicKey) THEN the key the servers name is the one registered, and its rule", () => {
    const [model] = loadSelectedModels(["dev"]);
    const { demand, rules } = siteRequirements(model, model.openstackSites[0]);
    expect(demand.keyPair).toEqual({ name: "estate-admin", created: true, publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbIKWOqYlU8XoX4Zw4n4u6nJYpX2m3t5r7n1a9e0dev estate-admin@dev" });
    expect(rules.find((r) => r.rule === "os_compute_api:os-keypairs:create")?.resources).toEqual(["openstack_compute_keypair_v2.key_pair"]);
    // dev's central routes are written by updating the router.
    expect(rules.find((r) => r.rule === "update_router")?.resources[0]).toMatch(/^openstack_networking_router_route_v2\./);
  });
});

describe("policyRulesOf", () => {
  it("GIVEN a router with fixed addresses on its gateway THEN the admin-only external_fixed_ips rule", () => {
    const tf: TerraformJson = {
      resource: { openstack_networking_router_v2: { r: { name: "r", external_network_id: "x", external_fixed_ip: [{ subnet_id: "s", ip_address: "203.0.113.5" }] } } },
    };
    const rules = policyRulesOf([tf]);
    expect(rules.map((r) => [r.rule, r.holder])).toEqual([
      ["create_router", "member"],
      ["create_router:external_gateway_info", "member"],
      ["create_router:external_gateway_info:external_fixed_ips", "admin"],
      ["create_router:external_gateway_info:network_id", "member"],
    ]);
  });

  it("GIVEN a resource type it does not know THEN it refuses rather than pass a stack it never looked at", () => {
    const tf: TerraformJson = { resource: { openstack_dns_zone_v2: { z: { name: "example.org." } } } };
    expect(() => policyRulesOf([tf])).toThrow("preflight knows no policy rules for openstack_dns_zone_v2 (openstack_dns_zone_v2.z); add it to cli/lib/preflight/policy-rules.ts");
  });
});

describe("clouds.yaml search", () => {
  const entry = (user: string) => `clouds:\n  site:\n    auth: {auth_url: "http://127.0.0.1:5000/v3", username: ${user}, project_name: p}\n    region_name: R1\n`;

  it("GIVEN OS_CLIENT_CONFIG_FILE and a clouds.yaml in the working directory THEN the variable's file wins", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clouds.yaml"), entry("from-cwd"));
    writeFileSync(join(dir, "named.yaml"), entry("from-env"));
    expect(findCloud("site", { OS_CLIENT_CONFIG_FILE: join(dir, "named.yaml") }, dir).auth.username).toBe("from-env");
    expect(findCloud("site", {}, dir).auth.username).toBe("from-cwd");
  });

  it("GIVEN a secure.yaml next to it THEN its password is merged into the entry", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clouds.yaml"), entry("u"));
    writeFileSync(join(dir, "secure.yaml"), "clouds:\n  site:\n    auth: {password: from-secure}\n");
    const cloud = findCloud("site", {}, dir);
    expect(cloud.auth.password).toBe("from-secure");
    expect(cloud.auth.username).toBe("u");
    expect(cloud.regionName).toBe("R1");
  });

  it("GIVEN a cloud the file does not have THEN an error naming the file and the clouds it has", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clouds.yaml"), entry("u"));
    expect(() => findCloud("other", {}, dir)).toThrow(`cloud "other" is not in ${join(dir, "clouds.yaml")} (clouds: site); add it, or name another with --cloud`);
  });
});

describe("estate preflight on bad input", () => {
  const withClouds = (file: string, args: readonly string[]) => estate(args, { env: { OS_CLIENT_CONFIG_FILE: file } });
  const cloudsFile = (body: string): string => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "clouds.yaml");
    writeFileSync(file, body);
    return file;
  };

  it("GIVEN an unknown environment THEN exit 2 naming it", () => {
    const r = estate(["preflight", "--env", "nope", "--site", "os-a"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nope");
    expect(r.stdout).toBe("");
  });

  it("GIVEN an unknown site THEN exit 2 listing the sites", () => {
    const r = estate(["preflight", "--env", LOCAL, "--site", "os-z"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('estate preflight: --site: environment "local" has no site "os-z" (sites: os-a, os-b, os-c)');
  });

  it("GIVEN the AWS site THEN exit 2: preflight checks OpenStack sites", () => {
    const r = estate(["preflight", "--env", "dev", "--site", "aws"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--site: "aws" is the AWS site; preflight checks OpenStack sites (sites: os-a, os-b, os-c)');
  });

  it("GIVEN no --site THEN exit 2", () => {
    const r = estate(["preflight", "--env", LOCAL]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Missing required argument: site");
  });

  it("GIVEN a clouds.yaml without the site's cloud THEN exit 1 naming the file and its clouds", () => {
    const file = cloudsFile('clouds:\n  elsewhere:\n    auth: {auth_url: "http://127.0.0.1:9/v3"}\n');
    const r = withClouds(file, ["preflight", "--env", LOCAL, "--site", "os-a"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`estate preflight: cloud "local-os-a" is not in ${file} (clouds: elsewhere); add it, or name another with --cloud\n`);
    expect(r.stdout).toBe("");
  });

  it("GIVEN OS_CLIENT_CONFIG_FILE naming a missing file THEN exit 1 saying so", () => {
    const r = withClouds("/nonexistent/clouds.yaml", ["preflight", "--env", LOCAL, "--site", "os-a"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("estate preflight: OS_CLIENT_CONFIG_FILE names /nonexistent/clouds.yaml, which does not exist\n");
  });

  it("GIVEN a Keystone nothing answers on THEN exit 1 naming the URL and the reason, never the password", async () => {
    const port = await closedPort();
    const file = cloudsFile(`clouds:\n  local-os-a:\n    auth: {auth_url: "http://127.0.0.1:${port}/v3", username: u, password: s3cret-value, project_name: p}\n`);
    const r = withClouds(file, ["preflight", "--env", LOCAL, "--site", "os-a"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`estate preflight: cannot reach Keystone of cloud "local-os-a" at http://127.0.0.1:${port}/v3/auth/tokens: ECONNREFUSED\n`);
    expect(r.stderr).not.toContain("s3cret-value");
  });

  it("GIVEN an auth type it does not speak THEN exit 1 saying which it speaks", () => {
    const file = cloudsFile('clouds:\n  local-os-a:\n    auth_type: token\n    auth: {auth_url: "http://127.0.0.1:9/v3", token: t}\n');
    const r = withClouds(file, ["preflight", "--env", LOCAL, "--site", "os-a"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`estate preflight: ${file}: cloud "local-os-a" has auth_type "token"; estate preflight speaks password and v3applicationcredential\n`);
  });
});
