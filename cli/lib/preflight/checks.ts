/**
 * The checks of `estate preflight`, run against one cloud as the site's clouds.yaml user: read-only first (token and
 * roles, catalog, the objects the stacks look up, quota headroom), then the one trial that only trying can answer
 * (a floating IP at each public VIP address), created and deleted at once.
 */
import { cidrContains, ipToInt, parseCidr, type SiteLimits } from "../../../model";
import { CommandError } from "../errors";
import type { ServerDemand, SiteDemand } from "./demand";
import { errorMessage, type OpenstackSession } from "./openstack-api";
import { rolesSatisfy, type RuleUse } from "./policy-rules";

export type CheckStatus = "ok" | "missing" | "skipped";

export type CheckSection = "services" | "permissions" | "objects" | "quotas" | "floating IPs";

export interface CheckResult {
  readonly section: CheckSection;
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about a missing item. @default - nothing to do */
  readonly fix?: string;
  /** Terraform addresses of the resources that need a permission. @default - not a permission */
  readonly resources?: readonly string[];
}

/** Exit code after SIGINT / SIGTERM, as shells report a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130;

/** Description of the test floating IPs preflight creates, so a leftover one is recognisable. */
export const PROBE_DESCRIPTION = "estate preflight probe: created and deleted at once";

/** Catalog service types the stacks call, with the alternative type names clouds register them under. */
const SERVICE_TYPES: Readonly<Record<string, readonly string[]>> = {
  compute: ["compute"],
  network: ["network"],
  image: ["image"],
  volume: ["volumev3", "block-storage", "volume"],
  "load-balancer": ["load-balancer"],
  "key-manager": ["key-manager"],
};

interface Endpoints {
  compute?: string;
  network?: string;
  image?: string;
  volume?: string;
  "load-balancer"?: string;
}

interface Flavor {
  readonly name: string;
  readonly vcpus: number;
  readonly ram: number;
  readonly disk: number;
}

/** Everything the checks learned, for the ones that build on earlier answers. */
interface Context {
  readonly session: OpenstackSession;
  readonly declared: DeclaredLimits;
  readonly demand: SiteDemand;
  readonly rules: readonly RuleUse[];
  readonly endpoints: Endpoints;
  readonly flavors: Map<string, Flavor>;
  externalNetworkId?: string;
  readonly results: CheckResult[];
}

const ok = (section: CheckSection, check: string, detail: string): CheckResult => ({ section, check, status: "ok", detail });
const missing = (section: CheckSection, check: string, detail: string, fix: string): CheckResult => ({ section, check, status: "missing", detail, fix });
const skipped = (section: CheckSection, check: string, detail: string): CheckResult => ({ section, check, status: "skipped", detail });
const answer = (r: { status: number; body: unknown }): string => (r.status === 0 ? String(r.body) : `HTTP ${r.status} ${errorMessage(r.body)}`);

/** The site's `limits` as the environment file declares them, and where (`sites.openstack[<i>].limits`). */
export interface DeclaredLimits {
  readonly limits: SiteLimits;
  readonly path: string;
}

/** Runs every check; never throws for what the cloud answers (that is a result), only for bugs and SIGINT. */
export async function runChecks(session: OpenstackSession, demand: SiteDemand, rules: readonly RuleUse[], declared: DeclaredLimits): Promise<CheckResult[]> {
  const ctx: Context = { session, demand, rules, declared, endpoints: {}, flavors: new Map(), results: [] };
  checkServices(ctx);
  await checkObjects(ctx);
  await checkQuotas(ctx);
  const trials = await tryFloatingIps(ctx);
  checkPermissions(ctx, trials);
  const order: CheckSection[] = ["services", "permissions", "floating IPs", "objects", "quotas"];
  return [...ctx.results].sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
}

function checkServices(ctx: Context): void {
  const { session, demand, rules } = ctx;
  const needed = new Set<string>(["compute", "network", "image", ...rules.map((r) => r.service)]);
  if (demand.tlsContainers.length > 0) needed.add("key-manager");
  for (const service of ["compute", "network", "image", "volume", "load-balancer", "key-manager"].filter((s) => needed.has(s))) {
    const types = SERVICE_TYPES[service];
    const url = session.endpoint(...types);
    const name = `${types[0]} endpoint`;
    if (url) {
      if (service !== "key-manager") ctx.endpoints[service as keyof Endpoints] = url;
      ctx.results.push(ok("services", name, `${session.cloud.interface} ${url} (${session.region})`));
    } else {
      ctx.results.push(
        missing("services", name, `no ${session.cloud.interface} endpoint of type ${types.join(" or ")} in region ${session.region}`, `the stacks call ${service}: check region "${session.region}" of the site and interface "${session.cloud.interface}" in clouds.yaml`),
      );
    }
  }
}

function checkPermissions(ctx: Context, trials: TrialOutcome): void {
  const roles = ctx.session.token.roles;
  for (const use of ctx.rules) {
    const check = `${use.service}: ${use.rule}`;
    const result = (r: CheckResult): CheckResult => ({ ...r, resources: use.resources });
    const types = [...new Set(use.resources.map((a) => a.split(".")[0]))].join(", ");
    const where = `${use.because} (${use.resources.length} ${types})`;
    if (use.check === "try") {
      if (trials.allowed === true) ctx.results.push(result(ok("permissions", check, `allowed (tried: ${trials.evidence}); ${where}`)));
      else if (trials.allowed === false) ctx.results.push(result(missing("permissions", check, `refused: ${trials.evidence}; ${where}`, `the default policy gives it to admin only: grant the admin role in the project, or a policy.yaml rule for this user's role`)));
      else ctx.results.push(result(skipped("permissions", check, `not tried: ${trials.evidence}`)));
      continue;
    }
    if (rolesSatisfy(use.holder, roles)) ctx.results.push(result(ok("permissions", check, `role ${holderRole(use.holder, roles)}; ${where}`)));
    else ctx.results.push(result(missing("permissions", check, `needs role ${use.holder} (has ${roles.join(", ") || "none"}); ${where}`, `openstack role add --user ${ctx.session.token.user.name} --project ${ctx.session.token.project.name} ${use.holder}`)));
  }
}

function holderRole(holder: RuleUse["holder"], roles: readonly string[]): string {
  if (holder === "load-balancer_member") return ["load-balancer_member", "load-balancer_admin", "admin"].find((r) => roles.includes(r))!;
  if (holder === "member") return roles.includes("member") ? "member" : "admin";
  return "admin";
}

async function checkObjects(ctx: Context): Promise<void> {
  await checkExternalNetworks(ctx);
  await checkFlavors(ctx);
  await checkImages(ctx);
  await checkZones(ctx);
  await checkKeyPair(ctx);
}

async function checkExternalNetworks(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const base = ctx.endpoints.network;
  for (const name of demand.externalNetworks) {
    const check = `external network ${name}`;
    if (!base) {
      ctx.results.push(skipped("objects", check, "no network endpoint"));
      continue;
    }
    const r = await session.request("GET", base, `/v2.0/networks?name=${encodeURIComponent(name)}&router:external=true`);
    const nets = r.status === 200 ? (r.body.networks as { id: string }[]) : undefined;
    if (!nets) {
      ctx.results.push(missing("objects", check, `cannot list networks: ${answer(r)}`, "the user must be able to read networks (get_network)"));
      continue;
    }
    if (nets.length !== 1) {
      ctx.results.push(missing("objects", check, nets.length === 0 ? "no external network of that name is visible to the project" : `${nets.length} external networks have that name`, `name the site's external network in externalNetwork.name (router:external), visible to project ${session.token.project.name}`));
      continue;
    }
    ctx.externalNetworkId = nets[0].id;
    ctx.results.push(ok("objects", check, `id ${nets[0].id}`));
    const subnets = await session.request("GET", base, `/v2.0/subnets?network_id=${nets[0].id}`);
    const cidrs = subnets.status === 200 ? (subnets.body.subnets as { cidr: string; ip_version: number }[]).filter((s) => s.ip_version === 4).map((s) => s.cidr) : [];
    for (const fip of demand.floatingIps.filter((f) => f.pool === name)) {
      const vipCheck = `public VIP ${fip.address} on ${name}`;
      if (cidrs.length === 0) {
        ctx.results.push(skipped("objects", vipCheck, `the subnets of ${name} are not visible to this user (${answer(subnets)}); the floating IP trial tells`));
        continue;
      }
      const inside = cidrs.find((c) => cidrContains(parseCidr(c), ipToInt(fip.address)));
      if (inside) ctx.results.push(ok("objects", vipCheck, `inside subnet ${inside}`));
      else ctx.results.push(missing("objects", vipCheck, `outside every IPv4 subnet of ${name} (${cidrs.join(", ")})`, `pick the VIP inside the external network's subnets, or fix externalNetwork.cidr`));
    }
  }
}

async function checkFlavors(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const base = ctx.endpoints.compute;
  if (demand.flavors.length === 0) return;
  if (!base) {
    for (const f of demand.flavors) ctx.results.push(skipped("objects", `flavor ${f}`, "no compute endpoint"));
    return;
  }
  // is_public=None lists public flavors and the private ones the project was given (Nova API reference, List Flavors).
  const r = await session.request("GET", base, "/flavors/detail?is_public=None");
  const known = r.status === 200 ? (r.body.flavors as Flavor[]) : undefined;
  for (const name of demand.flavors) {
    const flavor = known?.find((f) => f.name === name);
    if (!known) ctx.results.push(missing("objects", `flavor ${name}`, `cannot list flavors: ${answer(r)}`, "the user must be able to list flavors"));
    else if (!flavor) ctx.results.push(missing("objects", `flavor ${name}`, "no flavor of that name is visible to the project", `create it, give the project access (openstack flavor set --project), or name an existing one in the service's flavor`));
    else {
      ctx.flavors.set(name, flavor);
      ctx.results.push(ok("objects", `flavor ${name}`, `${flavor.vcpus} vCPU, ${flavor.ram} MiB RAM, ${flavor.disk} GB disk`));
    }
  }
  // Servers booted from an image on a flavor without a root disk need an admin-only rule (Nova 26, servers.py).
  for (const server of demand.servers) {
    const flavor = ctx.flavors.get(server.flavor);
    if (flavor && flavor.disk === 0 && server.bootVolumeGiB === undefined && !session.token.roles.includes("admin")) {
      ctx.results.push(missing("objects", `flavor ${flavor.name} for ${server.name}`, "a 0 GB root disk with boot from image needs os_compute_api:servers:create:zero_disk_flavor (admin)", "use a flavor with a root disk, or boot from a volume"));
    }
  }
}

async function checkImages(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const base = ctx.endpoints.image;
  for (const image of demand.images) {
    const label = image.id ? `image ${image.id}` : `image ${image.name}`;
    if (!base) {
      ctx.results.push(skipped("objects", label, "no image endpoint"));
      continue;
    }
    const r = image.id ? await session.request("GET", base, `/v2/images/${encodeURIComponent(image.id)}`) : await session.request("GET", base, `/v2/images?name=${encodeURIComponent(image.name!)}`);
    const found = r.status === 200 ? (image.id ? [r.body] : (r.body.images as { id: string; status: string }[])) : r.status === 404 ? [] : undefined;
    if (!found) ctx.results.push(missing("objects", label, `cannot read images: ${answer(r)}`, "the user must be able to list images"));
    else {
      const active = found.filter((i: { status: string }) => i.status === "active");
      if (active.length > 0) ctx.results.push(ok("objects", label, `${active.length} active (used by ${image.usedBy.join(", ")})`));
      else ctx.results.push(missing("objects", label, found.length === 0 ? "not visible to the project" : `not active (${found.map((i: { status: string }) => i.status).join(", ")})`, `upload or share the image with project ${session.token.project.name} (public, shared or community), or bake and publish it first`));
    }
  }
}

async function checkZones(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const base = ctx.endpoints.compute;
  if (demand.availabilityZones.length === 0 || !base) return;
  const r = await session.request("GET", base, "/os-availability-zone");
  const zones = r.status === 200 ? (r.body.availabilityZoneInfo as { zoneName: string; zoneState: { available: boolean } }[]) : undefined;
  for (const name of demand.availabilityZones) {
    const zone = zones?.find((z) => z.zoneName === name);
    if (!zones) ctx.results.push(missing("objects", `availability zone ${name}`, `cannot list zones: ${answer(r)}`, "the user must be able to list availability zones"));
    else if (!zone) ctx.results.push(missing("objects", `availability zone ${name}`, `not a Nova zone (zones: ${zones.map((z) => z.zoneName).join(", ") || "none"})`, "name the cloud's zones in the site's availabilityZones"));
    else if (!zone.zoneState.available) ctx.results.push(missing("objects", `availability zone ${name}`, "exists but is not available", "ask the cloud's operators: no compute service of the zone is up"));
    else ctx.results.push(ok("objects", `availability zone ${name}`, "available"));
  }
}

async function checkKeyPair(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const key = demand.keyPair;
  const base = ctx.endpoints.compute;
  if (!key || !base) return;
  const check = `key pair ${key.name}`;
  const r = await session.request("GET", base, `/os-keypairs/${encodeURIComponent(key.name)}`);
  const sameKey = (a: unknown, b: string) => typeof a === "string" && a.trim().split(/\s+/).slice(0, 2).join(" ") === b.trim().split(/\s+/).slice(0, 2).join(" ");
  if (r.status === 200 && key.created && key.publicKey && !sameKey(r.body?.keypair?.public_key, key.publicKey)) {
    ctx.results.push(
      missing("objects", check, `user ${session.token.user.name} already has another key of that name; the stack's key pair would fail with 409 Conflict`, `delete the old key (openstack keypair delete ${key.name}), or change ssh.keyName`),
    );
  } else if (r.status === 200) ctx.results.push(ok("objects", check, key.created ? `present with the stack's public key (a deployed stack holds it)` : `belongs to user ${session.token.user.name}`));
  else if (r.status === 404 && key.created) ctx.results.push(ok("objects", check, "the stack registers it (ssh.publicKey)"));
  else if (r.status === 404) ctx.results.push(missing("objects", check, `user ${session.token.user.name} has no key pair of that name (key pairs belong to a user, not a project)`, `openstack keypair create --public-key <file> ${key.name} as this user, or set ssh.publicKey so the stack registers it`));
  else ctx.results.push(missing("objects", check, `cannot read key pairs: ${answer(r)}`, "the user must be able to read its key pairs"));
}

/** Names of the project's objects of one Neutron collection. */
async function neutronNames(ctx: Context, collection: string, key: string): Promise<Set<string> | undefined> {
  const base = ctx.endpoints.network;
  if (!base) return undefined;
  const r = await ctx.session.request("GET", base, `/v2.0/${collection}?project_id=${ctx.session.token.project.id}&fields=name`);
  return r.status === 200 ? new Set((r.body[key] as { name: string }[]).map((o) => o.name)) : undefined;
}

const countPresent = (names: readonly string[], present: Set<string> | undefined): number => (present ? names.filter((n) => present.has(n)).length : 0);

/** `openstack quota set` options of the Neutron quotas, by quota name (python-openstackclient 6.0). */
const NEUTRON_QUOTA_FLAGS = {
  network: "networks",
  subnet: "subnets",
  router: "routers",
  port: "ports",
  floatingip: "floating-ips",
  security_group: "secgroups",
  security_group_rule: "secgroup-rules",
} as const;

interface QuotaLine {
  readonly check: string;
  /** What the stacks hold in total. */
  readonly total: number;
  /** Of those, already in the project under the stacks' names. */
  readonly present: number;
  /** -1: unlimited. */
  readonly limit: number;
  readonly used: number;
  readonly unit?: string;
  readonly fix: string;
}

function quotaResult(q: QuotaLine): CheckResult {
  const unit = q.unit ? ` ${q.unit}` : "";
  const create = Math.max(0, q.total - q.present);
  const need = `needs ${create}${unit}${q.present > 0 ? ` more (${q.total} in all, ${q.present} present)` : ""}`;
  if (q.limit < 0) return ok("quotas", q.check, `${need}; unlimited`);
  const free = Math.max(0, q.limit - q.used);
  const detail = `${need}; quota ${q.limit}${unit}, used ${q.used}, free ${free}`;
  return create <= free ? ok("quotas", q.check, detail) : missing("quotas", q.check, `${detail}: short by ${create - free}${unit}`, q.fix);
}

/** The fix for a quota that is short: the `openstack quota set` option that raises it. */
function raiseQuota(ctx: Context, service: string, option: string): string {
  const project = ctx.session.token.project.name;
  return `raise the ${service} quota of project ${project} (openstack quota set --${option} <n> ${project}), or free some`;
}

async function checkQuotas(ctx: Context): Promise<void> {
  const { session, demand, endpoints } = ctx;
  const serverNames = endpoints.compute ? await serverNamesOfProject(session, endpoints.compute) : undefined;
  const newServers = demand.servers.filter((s) => !serverNames?.has(s.name));
  await checkComputeQuotas(ctx, newServers);
  await checkVolumeQuotas(ctx, newServers);
  await checkNetworkQuotas(ctx);
  await checkLoadBalancerQuotas(ctx);
}

/** Nova: /limits gives the limits and usage of the token's project to any project user. */
async function checkComputeQuotas(ctx: Context, newServers: readonly ServerDemand[]): Promise<void> {
  const { session, demand, endpoints } = ctx;
  const project = session.token.project;
  const raise = (service: string, option: string) => raiseQuota(ctx, service, option);
  if (endpoints.compute) {
    const r = await session.request("GET", endpoints.compute, "/limits");
    const abs = r.status === 200 ? r.body.limits.absolute : undefined;
    if (!abs) ctx.results.push(missing("quotas", "compute limits", `cannot read: ${answer(r)}`, "the user must be able to read the project's limits"));
    else {
      const present = demand.servers.length - newServers.length;
      ctx.results.push(quotaResult({ check: "compute instances", total: demand.servers.length, present, limit: abs.maxTotalInstances, used: abs.totalInstancesUsed, fix: raise("Nova", "instances") }));
      const unknown = [...new Set(newServers.map((s) => s.flavor).filter((f) => !ctx.flavors.has(f)))];
      if (unknown.length > 0) {
        ctx.results.push(skipped("quotas", "compute cores and RAM", `flavor ${unknown.join(", ")} not found`));
      } else {
        const cores = newServers.reduce((n, s) => n + ctx.flavors.get(s.flavor)!.vcpus, 0);
        const ram = newServers.reduce((n, s) => n + ctx.flavors.get(s.flavor)!.ram, 0);
        ctx.results.push(quotaResult({ check: "compute cores", total: cores, present: 0, limit: abs.maxTotalCores, used: abs.totalCoresUsed, fix: raise("Nova", "cores") }));
        ctx.results.push(quotaResult({ check: "compute RAM", total: ram, present: 0, limit: abs.maxTotalRAMSize, used: abs.totalRAMUsed, unit: "MiB", fix: raise("Nova", "ram") }));
      }
      const groups = await session.request("GET", endpoints.compute, "/os-server-groups");
      const groupNames = groups.status === 200 ? new Set((groups.body.server_groups as { name: string }[]).map((g) => g.name)) : undefined;
      const presentGroups = countPresent(demand.serverGroups.map((g) => g.name), groupNames);
      ctx.results.push(quotaResult({ check: "compute server groups", total: demand.serverGroups.length, present: presentGroups, limit: abs.maxServerGroups, used: abs.totalServerGroupsUsed, fix: raise("Nova", "server-groups") }));
      declaredLimit(ctx, "serverGroupMembers", abs.maxServerGroupMembers, "Nova quota server_group_members");
      declaredLimit(ctx, "serverGroups", abs.maxServerGroups, "Nova quota server_groups");
      const largest = demand.serverGroups.reduce((m, g) => (g.members > m.members ? g : m), { name: "", members: 0 });
      if (largest.members > 0) {
        const detail = `largest group ${largest.name} holds ${largest.members}; quota ${abs.maxServerGroupMembers} per group`;
        ctx.results.push(
          abs.maxServerGroupMembers < 0 || largest.members <= abs.maxServerGroupMembers
            ? ok("quotas", "compute server group members", detail)
            : missing("quotas", "compute server group members", detail, `raise server_group_members of project ${project.name} (openstack quota set --server-group-members <n>), or set the site's limits.serverGroupMembers to ${abs.maxServerGroupMembers} so the model splits fleets into more groups`),
        );
      }
    }
  }

}

/** Cinder: boot volumes of the servers still to create (delete_on_termination: they go with their server). */
async function checkVolumeQuotas(ctx: Context, newServers: readonly ServerDemand[]): Promise<void> {
  const { session, demand, endpoints } = ctx;
  const raise = (service: string, option: string) => raiseQuota(ctx, service, option);
  const volumes = newServers.filter((s) => s.bootVolumeGiB !== undefined);
  const allVolumes = demand.servers.filter((s) => s.bootVolumeGiB !== undefined);
  if (allVolumes.length > 0 && endpoints.volume) {
    const r = await session.request("GET", endpoints.volume, "/limits");
    const abs = r.status === 200 ? r.body.limits.absolute : undefined;
    if (!abs) ctx.results.push(missing("quotas", "volume limits", `cannot read: ${answer(r)}`, "the user must be able to read the project's volume limits"));
    else {
      ctx.results.push(quotaResult({ check: "volumes", total: volumes.length, present: 0, limit: abs.maxTotalVolumes, used: abs.totalVolumesUsed, fix: raise("Cinder", "volumes") }));
      const gib = volumes.reduce((n, s) => n + s.bootVolumeGiB!, 0);
      ctx.results.push(quotaResult({ check: "volume gigabytes", total: gib, present: 0, limit: abs.maxTotalVolumeGigabytes, used: abs.totalGigabytesUsed, unit: "GiB", fix: raise("Cinder", "gigabytes") }));
    }
  }

}

/** Neutron: limit, used and reserved per resource of the project (quota details extension). */
async function checkNetworkQuotas(ctx: Context): Promise<void> {
  const { session, demand, endpoints } = ctx;
  const project = session.token.project;
  const raise = (service: string, option: string) => raiseQuota(ctx, service, option);
  if (endpoints.network) {
    const r = await session.request("GET", endpoints.network, `/v2.0/quotas/${project.id}/details`);
    const quota = r.status === 200 ? (r.body.quota as Record<string, { limit: number; used: number; reserved: number }>) : undefined;
    if (!quota) ctx.results.push(missing("quotas", "network quotas", `cannot read: ${answer(r)}`, "the user must be able to read the project's quota (get_quota)"));
    else {
      const [networks, subnets, routers, ports, groups] = await Promise.all([
        neutronNames(ctx, "networks", "networks"),
        neutronNames(ctx, "subnets", "subnets"),
        neutronNames(ctx, "routers", "routers"),
        neutronNames(ctx, "ports", "ports"),
        neutronNames(ctx, "security-groups", "security_groups"),
      ]);
      const lbNames = await loadBalancerNames(ctx);
      const fipsPresent = await floatingIpsOfProject(ctx);
      const line = (name: keyof typeof NEUTRON_QUOTA_FLAGS, check: string, total: number, present: number) => {
        const q = quota[name];
        if (q) ctx.results.push(quotaResult({ check, total, present, limit: q.limit, used: q.used + (q.reserved ?? 0), fix: raise("Neutron", NEUTRON_QUOTA_FLAGS[name]) }));
      };
      declaredLimit(ctx, "securityGroups", quota.security_group?.limit, "Neutron quota security_group");
      declaredLimit(ctx, "securityGroupRules", quota.security_group_rule?.limit, "Neutron quota security_group_rule");
      const presentRouters = countPresent(demand.routers.names, routers);
      const presentGroups = countPresent(demand.securityGroups.names, groups);
      const presentLbs = countPresent(demand.loadBalancers.map((l) => l.name), lbNames);
      line("network", "networks", demand.networks.count, countPresent(demand.networks.names, networks));
      line("subnet", "subnets", demand.subnets.count, countPresent(demand.subnets.names, subnets));
      line("router", "routers", demand.routers.count, presentRouters);
      // Octavia creates each load balancer's VIP port in the project; a router interface is a port of the project too.
      const routerInterfaces = demand.ports.count - demand.ports.names.length;
      line("port", "ports", demand.ports.count + demand.loadBalancers.length, countPresent(demand.ports.names, ports) + (presentRouters > 0 ? routerInterfaces : 0) + presentLbs);
      line("floatingip", "floating IPs", demand.floatingIps.length, demand.floatingIps.filter((f) => fipsPresent.has(f.address)).length);
      line("security_group", "security groups", demand.securityGroups.count, presentGroups);
      const rulesPerGroup = demand.securityGroups.count === 0 ? 0 : demand.securityGroupRules / demand.securityGroups.count;
      line("security_group_rule", "security group rules", demand.securityGroupRules, Math.round(presentGroups * rulesPerGroup));
    }
  }
}

/** Names of the project's servers, every page of them (Nova pages by `limit` and `marker`, at most osapi_max_limit). */
async function serverNamesOfProject(session: OpenstackSession, base: string): Promise<Set<string> | undefined> {
  const names = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const r = await session.request("GET", base, `/servers?limit=1000${marker ? `&marker=${marker}` : ""}`);
    if (r.status !== 200) return undefined;
    const page = r.body.servers as { id: string; name: string }[];
    for (const s of page) names.add(s.name);
    if (page.length === 0 || !(r.body.servers_links as { rel: string }[] | undefined)?.some((l) => l.rel === "next")) return names;
    marker = page[page.length - 1].id;
  }
}

/**
 * The model splits fleets into server groups and the policy pack counts security groups and rules against the
 * site's declared `limits`: a cloud whose quota is lower than declared makes both wrong, so it is missing. A higher
 * quota only leaves room unused.
 */
function declaredLimit(ctx: Context, field: "serverGroupMembers" | "serverGroups" | "securityGroups" | "securityGroupRules", actual: number | undefined, what: string): void {
  if (actual === undefined) return;
  const declared = ctx.declared.limits[field];
  const check = `${ctx.declared.path}.${field}`;
  const detail = `declared ${declared}; the cloud's ${what} is ${actual < 0 ? "unlimited" : actual}`;
  if (actual < 0 || actual >= declared) ctx.results.push(ok("quotas", check, detail));
  else ctx.results.push(missing("quotas", check, detail, `set ${check} to ${actual} (the model and the policy pack plan with it), or raise the quota to ${declared}`));
}

async function loadBalancerNames(ctx: Context): Promise<Set<string> | undefined> {
  const base = ctx.endpoints["load-balancer"];
  if (!base) return undefined;
  const r = await ctx.session.request("GET", base, `/v2/lbaas/loadbalancers?project_id=${ctx.session.token.project.id}&fields=name`);
  return r.status === 200 ? new Set((r.body.loadbalancers as { name: string }[]).map((l) => l.name)) : undefined;
}

async function floatingIpsOfProject(ctx: Context): Promise<Set<string>> {
  const base = ctx.endpoints.network;
  if (!base || ctx.demand.floatingIps.length === 0) return new Set();
  const r = await ctx.session.request("GET", base, `/v2.0/floatingips?project_id=${ctx.session.token.project.id}&fields=floating_ip_address`);
  return r.status === 200 ? new Set((r.body.floatingips as { floating_ip_address: string }[]).map((f) => f.floating_ip_address)) : new Set();
}

async function checkLoadBalancerQuotas(ctx: Context): Promise<void> {
  const { session, demand } = ctx;
  const base = ctx.endpoints["load-balancer"];
  if (!base || demand.loadBalancers.length === 0) return;
  const project = session.token.project;
  const r = await session.request("GET", base, `/v2/lbaas/quotas/${project.id}`);
  if (r.status !== 200) {
    ctx.results.push(missing("quotas", "load-balancer quotas", `cannot read: ${answer(r)}`, "reading the project's Octavia quota needs load-balancer_member (or observer) in the project"));
    return;
  }
  const quota = r.body.quota as Record<string, number>;
  const names = await loadBalancerNames(ctx);
  const present = countPresent(demand.loadBalancers.map((l) => l.name), names);
  // A present load balancer counts with its listeners, pools, monitors and members (created with it by the stack).
  const share = demand.loadBalancers.length === 0 ? 0 : present / demand.loadBalancers.length;
  const lines: [string, string, number, string][] = [
    ["load_balancer", "load balancers", demand.loadBalancers.length, "loadbalancers"],
    ["listener", "listeners", demand.listeners, "listeners"],
    ["pool", "pools", demand.pools, "pools"],
    ["health_monitor", "health monitors", demand.healthMonitors, "healthmonitors"],
    ["member", "members", demand.members, ""],
  ];
  for (const [key, check, total, collection] of lines) {
    const limit = quota[key] ?? -1;
    let used = 0;
    if (limit >= 0) {
      const list = await session.request("GET", base, `/v2/lbaas/${collection || "pools"}?project_id=${project.id}`);
      const items = list.status === 200 ? (list.body[collection || "pools"] as { members?: unknown[] }[]) : [];
      used = collection ? items.length : items.reduce((n, p) => n + (p.members?.length ?? 0), 0);
    }
    ctx.results.push(quotaResult({ check: `load-balancer ${check}`, total, present: Math.round(total * share), limit, used, fix: `raise the Octavia quota of project ${project.name} (openstack loadbalancer quota set --${key.replace("_", "")} <n> ${project.name})` }));
  }
}

/** The project's floating IP at `address`, if it holds one. */
async function floatingIpAt(ctx: Context, base: string, address: string): Promise<{ description: string } | undefined> {
  const r = await ctx.session.request("GET", base, `/v2.0/floatingips?project_id=${ctx.session.token.project.id}&floating_ip_address=${address}`);
  return r.status === 200 ? (r.body.floatingips as { description: string }[])[0] : undefined;
}

/** What the floating-IP trials showed about `create_floatingip:floating_ip_address`. */
interface TrialOutcome {
  /** undefined: nothing could be tried. */
  readonly allowed?: boolean;
  readonly evidence: string;
}

/**
 * Tries a floating IP at each public VIP address, one at a time, deleting each before the next: Neutron checks the
 * policy on the request before it looks at the address (neutron/api/v2/base.py enforces policy in `_create` before
 * the plugin allocates), so 403 means the rule refuses this user, 409 IpAddressAlreadyAllocated that the rule
 * allowed it and the address is taken, 201 that both are fine. A created address is deleted at once; a failed
 * delete is reported with the command that removes it.
 */
async function tryFloatingIps(ctx: Context): Promise<TrialOutcome> {
  const { session, demand } = ctx;
  const base = ctx.endpoints.network;
  if (demand.floatingIps.length === 0) return { evidence: "the stacks create no floating IP at a fixed address" };
  if (!base || !ctx.externalNetworkId) {
    for (const f of demand.floatingIps) ctx.results.push(skipped("floating IPs", f.address, "external network not found: nothing to try"));
    return { evidence: "external network not found" };
  }
  let outcome: TrialOutcome | undefined;
  let interrupted = false;
  const onSignal = () => (interrupted = true);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for (const fip of demand.floatingIps) {
      if (interrupted) break;
      const check = `${fip.address} on ${fip.pool}`;
      const r = await session.request("POST", base, "/v2.0/floatingips", {
        floatingip: { floating_network_id: ctx.externalNetworkId, floating_ip_address: fip.address, description: PROBE_DESCRIPTION },
      });
      const type = r.body?.NeutronError?.type as string | undefined;
      if (r.status === 201) {
        const id = r.body.floatingip.id as string;
        const del = await session.request("DELETE", base, `/v2.0/floatingips/${id}`);
        if (del.status === 204 || del.status === 404) ctx.results.push(ok("floating IPs", check, "free: created a test floating IP at this address and deleted it"));
        else ctx.results.push(missing("floating IPs", check, `created a test floating IP ${id} but could not delete it: ${answer(del)}`, `delete it: openstack floating ip delete ${id}`));
        outcome ??= { allowed: true, evidence: `created and deleted a test floating IP at ${fip.address}` };
      } else if (r.status === 409 && type === "IpAddressAlreadyAllocated") {
        const holder = await floatingIpAt(ctx, base, fip.address);
        if (holder?.description === PROBE_DESCRIPTION) ctx.results.push(skipped("floating IPs", check, "held by another preflight's test floating IP right now; run again"));
        else if (holder) ctx.results.push(ok("floating IPs", check, `held by project ${session.token.project.name} (the deployed stack)`));
        else ctx.results.push(missing("floating IPs", check, "held by another project", `free the address, or choose another public VIP in the site's vips`));
        outcome ??= { allowed: true, evidence: `Neutron answered ${fip.address} is taken, after the policy check passed` };
      } else if (r.status === 403) {
        // The permission row reports the refusal; the addresses themselves stay unknown.
        outcome = { allowed: false, evidence: answer(r) };
        for (const rest of demand.floatingIps) ctx.results.push(skipped("floating IPs", `${rest.address} on ${rest.pool}`, "not known: the policy refuses a floating IP at a fixed address (see permissions)"));
        break;
      } else {
        ctx.results.push(missing("floating IPs", check, `Neutron refused the test floating IP: ${answer(r)}`, type === "OverQuota" ? "no floating IP quota left: see quotas" : "check the address against the external network's subnets and allocation pools"));
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (interrupted) throw new CommandError("interrupted during the floating IP trial; every test floating IP created so far was deleted", EXIT_INTERRUPTED);
  return outcome ?? { evidence: "every trial failed for another reason (see floating IPs)" };
}
