/**
 * `estate adopt` on a site built by hand: os-a of test/fixtures/adopt/adopt.yaml is created with the openstack
 * client on the local OpenStack of test/system/openstack/setup.sh (not by Terraform), in a project of its own, the
 * way a team's running site looks before adoption: everything the stack describes, except one security-group rule;
 * plus what it does not describe (a legacy server with its port, an extra rule). Two hosts differ from the model:
 * adopt-os-a-api-002 boots from its image instead of a volume, adopt-os-a-web-003 has another key pair.
 *
 * The dumps are made by the script in README ("Adopting a running site"), run as written by bash with a user that
 * has only the reader and load-balancer_observer roles. ESTATE_ADOPT_FIXTURE_OUT=<dir> copies them there (how
 * test/fixtures/adopt/dumps/os-a was made).
 */
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironment, type OpenstackSiteModel } from "../../model";
import { estate, PROJECT } from "../cli/estate";
import { HOW_TO_START, openstack, openstackJson, openstackRaw, openstackRequired, openstackUnavailable } from "../support/openstack";
import { scratchDirs } from "../support/tools";

const unavailable = openstackUnavailable();
const skipped = unavailable !== undefined && !openstackRequired();
const title = `estate adopt on a site built with the openstack client${skipped ? ` (skipped: ${unavailable}; ${HOW_TO_START})` : ""}`;

const ENV_FILE = join(PROJECT, "test/fixtures/adopt/adopt.yaml");
const model = loadEnvironment(ENV_FILE);
const site = model.openstackSites.find((s) => s.name === "os-a") as OpenstackSiteModel;
const PROJECT_NAME = "estate-adopt-test";
const MEMBER = "estate-adopt-member";
const READER = "estate-adopt-reader";
const LEGACY_SERVER = `${site.stackName}-legacy-db`;
const LEGACY_IP = "10.10.3.1";
/** Building the site and dumping it take 20 to 40 minutes on a loaded 2-core machine. */
const SETUP_TIMEOUT_MS = 3_600_000;

const tempDir = scratchDirs();
let clouds = "";
let projectId = "";

/** The openstack CLI as the project's member (builds) or reader (dumps). */
async function os(args: readonly string[], cloud: "member" | "reader" = "member"): Promise<string> {
  const r = await openstackRaw(args, cloud, clouds);
  if (r.status !== 0) throw new Error(`openstack ${args.join(" ")} (as ${cloud}): ${r.stderr}`);
  return r.stdout;
}
const osJson = async <T = Record<string, unknown>>(args: readonly string[]): Promise<T> => JSON.parse(await os([...args, "-f", "json"])) as T;

function cloudEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OS_CLIENT_CONFIG_FILE: clouds };
  for (const key of Object.keys(env)) if (key.startsWith("OS_") && key !== "OS_CLIENT_CONFIG_FILE") delete env[key];
  return env;
}

/** A project with a member (builds the site) and a read-only user (makes the dumps), fresh passwords each run. */
async function createProject(dir: string): Promise<void> {
  const projects = await openstackJson<{ ID: string; Name: string }[]>(["project", "list"]);
  projectId = projects.find((p) => p.Name === PROJECT_NAME)?.ID ?? (await openstackJson<{ id: string }>(["project", "create", PROJECT_NAME])).id;
  const users = await openstackJson<{ Name: string }[]>(["user", "list"]);
  const entries: string[] = [];
  for (const [user, cloud, roles] of [
    [MEMBER, "member", ["member", "load-balancer_member"]],
    [READER, "reader", ["reader", "load-balancer_observer"]],
  ] as const) {
    const password = randomBytes(16).toString("hex");
    if (users.some((u) => u.Name === user)) await openstack(["user", "set", "--password", password, user]);
    else await openstack(["user", "create", "--project", PROJECT_NAME, "--password", password, user]);
    for (const role of roles) await openstack(["role", "add", "--project", PROJECT_NAME, "--user", user, role]);
    entries.push(
      `  ${cloud}:\n    auth: {auth_url: "http://127.0.0.1:5000/v3", username: ${user}, password: "${password}", project_name: ${PROJECT_NAME}, user_domain_name: Default, project_domain_name: Default}\n    region_name: RegionOne\n    identity_api_version: 3\n`,
    );
  }
  clouds = join(dir, "clouds.yaml");
  writeFileSync(clouds, `clouds:\n${entries.join("")}`, { mode: 0o600 });
}

/** Everything in the project, as its member sees it; floating IPs as admin (they were made by admin). */
async function cleanUp(): Promise<void> {
  for (const lb of await osJson<{ id: string }[]>(["loadbalancer", "list"])) await os(["loadbalancer", "delete", "--cascade", "--wait", lb.id]);
  for (const f of await openstackJson<{ ID: string }[]>(["floating", "ip", "list", "--project", projectId])) await openstack(["floating", "ip", "delete", f.ID]);
  const servers = (await osJson<{ ID: string }[]>(["server", "list"])).map((s) => s.ID);
  if (servers.length > 0) await os(["server", "delete", "--wait", ...servers]);
  // `server create --boot-from-volume` keeps the volume (delete_on_termination false), and with Nova's fake driver its
  // attachment outlives the server: the attachments are deleted first (Cinder API 3.27).
  const attachments = await osJson<{ ID: string }[]>(["--os-volume-api-version", "3.27", "volume", "attachment", "list"]);
  for (const a of attachments) await os(["--os-volume-api-version", "3.27", "volume", "attachment", "delete", a.ID]);
  for (const v of await osJson<{ ID: string }[]>(["volume", "list"])) {
    for (let i = 0; i < 30 && (await os(["volume", "show", v.ID, "-f", "value", "-c", "status"])).trim() !== "available"; i++) await new Promise((r) => setTimeout(r, 5000));
    await os(["volume", "delete", v.ID]);
  }
  for (const r of await osJson<{ ID: string }[]>(["router", "list"])) {
    const ports = await osJson<{ ID: string; "Device Owner": string; "Fixed IP Addresses": { subnet_id: string }[] }[]>(["port", "list", "--long", "--router", r.ID]);
    for (const p of ports.filter((x) => x["Device Owner"] === "network:router_interface")) await os(["router", "remove", "port", r.ID, p.ID]);
    await os(["router", "delete", r.ID]);
  }
  for (const p of await osJson<{ ID: string; "Device Owner": string }[]>(["port", "list", "--long"])) if (!p["Device Owner"].startsWith("network:")) await os(["port", "delete", p.ID]);
  for (const n of await osJson<{ ID: string; Name: string }[]>(["network", "list"])) if (n.Name === site.stackName) await os(["network", "delete", n.ID]);
  for (const g of await osJson<{ ID: string; Name: string }[]>(["security", "group", "list"])) if (g.Name !== "default") await os(["security", "group", "delete", g.ID]);
  for (const g of await osJson<{ ID: string }[]>(["server", "group", "list"])) await os(["server", "group", "delete", g.ID]);
  for (const k of await osJson<{ Name: string }[]>(["keypair", "list"])) await os(["keypair", "delete", k.Name]);
}

/** os-a as a team built it by hand, close to what the stack describes. */
async function buildSite(dir: string): Promise<void> {
  const name = site.stackName;
  await os(["network", "create", name]);
  await os([
    "subnet", "create", name, "--network", name, "--subnet-range", site.subnetCidr, "--gateway", site.gatewayIp, "--dhcp",
    "--allocation-pool", `start=${site.allocationPool.start},end=${site.allocationPool.end}`, ...site.dnsServers.flatMap((d) => ["--dns-nameserver", d]),
  ]);
  await os(["router", "create", name, "--external-gateway", site.externalNetwork.name]);
  await os(["router", "add", "subnet", name, name]);
  for (const key of [model.ssh.keyName, "legacy-admin"]) {
    await os(["keypair", "create", "--public-key", sshKey(dir, key), key]);
  }
  const lbCidr = site.loadBalancerSourceCidr;
  // The services, and the hosts of each, are built side by side: every client call costs seconds here.
  const buildService = async (placed: OpenstackSiteModel["services"][number]) => {
    const service = placed.service;
    const group = `${name}-${service.name}`;
    await os(["security", "group", "create", group, "--description", `Instances of ${group}`]);
    const rule = (port: number, cidr: string, description: string) =>
      os(["security", "group", "rule", "create", group, "--ingress", "--ethertype", "IPv4", "--protocol", "tcp", "--dst-port", String(port), "--remote-ip", cidr, "--description", description]);
    const backend = service.listeners[0].backendPort;
    await rule(backend, lbCidr, `tcp/${backend} from the load balancer`);
    await rule(22, model.adminCidrs[0], "SSH from admin networks");
    // api is missing its node_exporter rule (to be created); web has one rule the model does not describe.
    if (service.name === "web") {
      await rule(model.monitoring.nodeExporterPort, model.monitoring.scrapeCidrs[0], "node_exporter from monitoring");
      await rule(8443, "203.0.113.0/24", "legacy partner access");
    }
    const serverGroup = (await osJson<{ id: string }>(["server", "group", "create", "--policy", service.placement, placed.serverGroups[0]])).id;
    const buildHost = async (host: OpenstackSiteModel["services"][number]["hosts"][number]) => {
      await os(["port", "create", "--network", name, "--fixed-ip", `subnet=${name},ip-address=${host.ip}`, "--security-group", group, host.name]);
      const imageBooted = host.name === `${name}-api-002`;
      const key = host.name === `${name}-web-003` ? "legacy-admin" : model.ssh.keyName;
      await os([
        "server", "create", "--flavor", service.flavor, "--image", site.images[service.image].name!,
        ...(imageBooted ? [] : ["--boot-from-volume", String(service.volumeSizeGiB)]),
        "--availability-zone", host.availabilityZone, "--port", host.name, "--key-name", key, "--hint", `group=${serverGroup}`,
        ...Object.entries({ estate_env: model.env, estate_site: site.name, estate_service: service.name, estate_image: service.image, estate_image_version: service.imageVersion }).flatMap(([k, v]) => ["--property", `${k}=${v}`]),
        "--wait", host.name,
      ]);
    };
    await Promise.all([...placed.hosts.map(buildHost), buildLoadBalancer(group, placed, service)]);
  };
  const legacy = async () => {
    await os(["port", "create", "--network", name, "--fixed-ip", `subnet=${name},ip-address=${LEGACY_IP}`, LEGACY_SERVER]);
    await os(["server", "create", "--flavor", "m1.small", "--image", site.images.debian12.name!, "--availability-zone", "az1", "--port", LEGACY_SERVER, "--wait", LEGACY_SERVER]);
  };
  await Promise.all([...site.services.map(buildService), legacy()]);
}

async function buildLoadBalancer(name: string, placed: OpenstackSiteModel["services"][number], service: (typeof model.services)[number]): Promise<void> {
  const listener = service.listeners[0];
  const hc = service.healthCheck;
  const pool = `${name}-${listener.port}`;
  const lb = await osJson<{ id: string; vip_port_id: string }>(["loadbalancer", "create", "--name", name, "--vip-subnet-id", site.stackName, "--vip-address", placed.lbVipAddress, "--wait"]);
  await os(["loadbalancer", "listener", "create", "--name", pool, "--protocol", listener.protocol, "--protocol-port", String(listener.port), ...service.allowedCidrs.flatMap((c) => ["--allowed-cidr", c]), "--wait", name]);
  await os(["loadbalancer", "pool", "create", "--name", pool, "--listener", pool, "--protocol", listener.protocol, "--lb-algorithm", "ROUND_ROBIN", "--wait"]);
  await os([
    "loadbalancer", "healthmonitor", "create", "--name", pool, "--type", hc.protocol, "--delay", String(hc.intervalSec), "--timeout", String(hc.timeoutSec),
    "--max-retries", String(hc.healthyThreshold), "--max-retries-down", String(hc.unhealthyThreshold),
    ...(hc.protocol === "HTTP" ? ["--url-path", hc.path!, "--expected-codes", hc.expectedCodes, "--http-method", "GET"] : []), "--wait", pool,
  ]);
  for (const host of placed.hosts) {
    await os(["loadbalancer", "member", "create", "--name", host.name, "--address", host.ip, "--protocol-port", String(listener.backendPort), "--subnet-id", site.stackName, "--wait", pool]);
  }
  // Creating a floating IP with a fixed address needs admin under Neutron's default policy.
  if (placed.publicVip) {
    await openstack(["floating", "ip", "create", "--project", projectId, "--floating-ip-address", placed.publicVip, "--port", lb.vip_port_id, "--description", `Public VIP of ${name}`, site.externalNetwork.name]);
  }
}

function sshKey(dir: string, name: string): string {
  const file = join(dir, name);
  const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return `${file}.pub`;
}

/** The README's dump script, as written. */
function readmeDumpScript(): string {
  const readme = readFileSync(join(PROJECT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Adopting a running site"));
  const m = /```sh\n([\s\S]*?shows\(\)[\s\S]*?)```/.exec(section);
  if (!m) throw new Error("README has no dump script under 'Adopting a running site'");
  return m[1];
}

function runBash(script: string, cwd: string): Promise<{ status: number; output: string }> {
  return new Promise((done) => {
    execFile("bash", ["-c", script], { cwd, env: { ...cloudEnv(), OS_CLOUD: "reader" }, timeout: 1_200_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe.skipIf(skipped)(title, () => {
  let dumps = "";
  let envFile = "";

  beforeAll(async () => {
    if (unavailable) throw new Error(`ESTATE_OPENSTACK_REQUIRED=1 but the local OpenStack is not usable: ${unavailable}; ${HOW_TO_START}`);
    const dir = tempDir("estate-adopt-");
    await createProject(dir);
    await cleanUp();
    await buildSite(dir);
    const dumped = await runBash(readmeDumpScript(), dir);
    if (dumped.status !== 0) throw new Error(`the README's dump script failed:\n${dumped.output}`);
    dumps = join(dir, "adopt-dumps", "os-a");
    if (process.env.ESTATE_ADOPT_FIXTURE_OUT) cpSync(dumps, process.env.ESTATE_ADOPT_FIXTURE_OUT, { recursive: true });
    envFile = join(dir, "adopt.yaml");
    cpSync(ENV_FILE, envFile);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (unavailable || !clouds) return;
    await cleanUp();
    for (const user of [MEMBER, READER]) await openstack(["user", "delete", user]);
    await openstack(["project", "delete", PROJECT_NAME]);
  }, SETUP_TIMEOUT_MS);

  it("matches every object the model describes to its address, with the id Terraform imports", async () => {
    const run = estate(["adopt", "--env", envFile, "--site", "os-a", "--dumps", dumps, "--dry-run", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { imports: { address: string; importId: string; action: string }[]; toCreate: { address: string }[]; leftAlone: { label: string }[] };
    const ids = new Map(report.imports.map((i) => [i.address, i.importId]));
    const id = async (args: string[]) => (await os([...args, "-f", "value", "-c", "id"])).trim();
    const name = site.stackName;
    expect(ids.get("openstack_networking_network_v2.network_network")).toBe(await id(["network", "show", name]));
    expect(ids.get("openstack_networking_subnet_v2.network_subnet")).toBe(await id(["subnet", "show", name]));
    const routerId = await id(["router", "show", name]);
    expect(ids.get("openstack_networking_router_v2.network_router")).toBe(routerId);
    const iface = await osJson<{ ID: string }[]>(["port", "list", "--router", routerId, "--device-owner", "network:router_interface"]);
    expect(ids.get("openstack_networking_router_interface_v2.network_router_interface")).toBe(iface[0].ID);
    for (const placed of site.services) {
      const svc = placed.service.name;
      expect(ids.get(`openstack_networking_secgroup_v2.${svc}_security_group_group`)).toBe(await id(["security", "group", "show", `${name}-${svc}`]));
      expect(ids.get(`openstack_compute_servergroup_v2.${svc}_server_group_group`)).toBe(await id(["server", "group", "show", placed.serverGroups[0]]));
      const lbId = await id(["loadbalancer", "show", `${name}-${svc}`]);
      expect(ids.get(`openstack_lb_loadbalancer_v2.${svc}_load_balancer_load_balancer`)).toBe(lbId);
      const port = placed.service.listeners[0].port;
      const poolId = await id(["loadbalancer", "pool", "show", `${name}-${svc}-${port}`]);
      expect(ids.get(`openstack_lb_pool_v2.${svc}_load_balancer_port${port}_pool`)).toBe(poolId);
      expect(ids.get(`openstack_lb_listener_v2.${svc}_load_balancer_port${port}_listener`)).toBe(await id(["loadbalancer", "listener", "show", `${name}-${svc}-${port}`]));
      expect(ids.get(`openstack_lb_monitor_v2.${svc}_load_balancer_port${port}_monitor`)).toBe(await id(["loadbalancer", "healthmonitor", "show", `${name}-${svc}-${port}`]));
      const members = await osJson<{ id: string; address: string }[]>(["loadbalancer", "member", "list", poolId]);
      for (const host of placed.hosts) {
        expect(ids.get(`openstack_compute_instance_v2.${svc}_fleet_instance["${host.name}"]`)).toBe(await id(["server", "show", host.name]));
        expect(ids.get(`openstack_networking_port_v2.${svc}_fleet_port["${host.name}"]`)).toBe(await id(["port", "show", host.name]));
        expect(ids.get(`openstack_lb_member_v2.${svc}_load_balancer_port${port}_member["${host.name}"]`)).toBe(`${poolId}/${members.find((m) => m.address === host.ip)!.id}`);
      }
      const fip = await openstackJson<{ ID: string; "Floating IP Address": string }[]>(["floating", "ip", "list", "--project", projectId]);
      expect(ids.get(`openstack_networking_floatingip_v2.${svc}_public_vip_floating_ip`)).toBe(fip.find((f) => f["Floating IP Address"] === placed.publicVip)!.ID);
    }
    // The stack's 39 resource instances: all imported but the one rule that does not exist.
    expect(report.toCreate.map((c) => c.address)).toEqual(["openstack_networking_secgroup_rule_v2.api_security_group_node_exporter_from192_0_2_0_26"]);
    expect(report.imports).toHaveLength(38);
    expect(report.leftAlone.map((u) => u.label)).toEqual(
      expect.arrayContaining([`server ${LEGACY_SERVER}`, `port ${LEGACY_SERVER} ${LEGACY_IP}`, `rule ingress IPv4 tcp/8443 from 203.0.113.0/24 in ${name}-web`]),
    );
  }, SETUP_TIMEOUT_MS);

  it("predicts the image-booted server and the other key pair as replacements, and refuses to write them", () => {
    const run = estate(["adopt", "--env", envFile, "--site", "os-a", "--dumps", dumps, "--json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { written: boolean; refused: string; imports: { address: string; action: string; differences: { path: string; action: string; current: unknown }[] }[] };
    expect(report.written).toBe(false);
    const byAddress = new Map(report.imports.map((i) => [i.address, i]));
    const api2 = byAddress.get(`openstack_compute_instance_v2.api_fleet_instance["${site.stackName}-api-002"]`)!;
    expect(api2.differences.find((d) => d.path === "block_device")).toMatchObject({ action: "replace", current: [] });
    const web3 = byAddress.get(`openstack_compute_instance_v2.web_fleet_instance["${site.stackName}-web-003"]`)!;
    expect(web3.differences.find((d) => d.path === "key_pair")).toEqual({ path: "key_pair", current: "legacy-admin", model: model.ssh.keyName, action: "replace" });
    const web1 = byAddress.get(`openstack_compute_instance_v2.web_fleet_instance["${site.stackName}-web-001"]`)!;
    expect(web1.differences.map((d) => d.path)).toEqual(["network[0].port", "scheduler_hints[0].group"]);
    expect(existsSync(join(envFile, "..", "adopt.adopt", "os-a.json"))).toBe(false);
  }, SETUP_TIMEOUT_MS);
});
