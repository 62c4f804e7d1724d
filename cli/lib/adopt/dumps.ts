/**
 * The JSON dumps an operator makes of one OpenStack site with read-only credentials (README, "Adopting a running
 * site"), read into plain records. Each file is checked against the shape the openstack client (python3-
 * openstackclient 6.0 with python3-octaviaclient 3.1) prints; anything else is refused with the file and the JSON
 * path of the value (`servers.json: [3].volumes_attached[0].id: expected string`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CommandError } from "../errors";

/** The files of a dump directory and the command each comes from (README lists the script that makes them). */
export const DUMP_FILES = {
  networks: "networks.json",
  subnets: "subnets.json",
  routers: "routers.json",
  ports: "ports.json",
  securityGroups: "security-groups.json",
  serverGroups: "server-groups.json",
  servers: "servers.json",
  volumes: "volumes.json",
  floatingIps: "floating-ips.json",
  loadBalancers: "load-balancers.json",
  listeners: "listeners.json",
  pools: "pools.json",
  members: "members.json",
  healthMonitors: "health-monitors.json",
} as const;

export interface Network { id: string; name: string; external: boolean; adminStateUp: boolean }
export interface Subnet { id: string; name: string; networkId: string; cidr: string; gatewayIp: string | null; enableDhcp: boolean; dnsNameservers: string[]; allocationPools: { start: string; end: string }[]; ipVersion: number }
export interface Router { id: string; name: string; adminStateUp: boolean; externalNetworkId: string | null; routes: { destination: string; nexthop: string }[] }
export interface Port { id: string; name: string; networkId: string; fixedIps: { subnetId: string; ipAddress: string }[]; securityGroupIds: string[]; deviceOwner: string; deviceId: string; adminStateUp: boolean }
export interface SecurityGroupRule { id: string; securityGroupId: string; direction: string; ethertype: string; protocol: string | null; portRangeMin: number | null; portRangeMax: number | null; remoteIpPrefix: string | null; remoteGroupId: string | null; description: string }
export interface SecurityGroup { id: string; name: string; description: string; rules: SecurityGroupRule[] }
export interface ServerGroup { id: string; name: string; policy: string; members: string[] }
export interface Server { id: string; name: string; status: string; availabilityZone: string; flavorName: string; keyName: string | null; bootedFromVolume: boolean; imageName: string | null; volumeIds: string[]; metadata: Record<string, string> }
export interface Volume { id: string; size: number; bootable: boolean; imageName: string | null; serverIds: string[] }
export interface FloatingIp { id: string; address: string; portId: string | null; networkId: string; description: string }
export interface LoadBalancer { id: string; name: string; vipAddress: string; vipSubnetId: string; vipPortId: string; adminStateUp: boolean }
export interface Listener { id: string; name: string; loadBalancerIds: string[]; protocol: string; protocolPort: number; allowedCidrs: string[]; defaultTlsContainerRef: string | null; adminStateUp: boolean }
export interface Pool { id: string; name: string; listenerIds: string[]; protocol: string; lbMethod: string }
export interface Member { id: string; poolId: string; name: string; address: string; protocolPort: number; weight: number }
export interface HealthMonitor { id: string; name: string; poolIds: string[]; type: string; delay: number; timeout: number; maxRetries: number; maxRetriesDown: number; urlPath: string | null; httpMethod: string | null; expectedCodes: string | null }

export interface SiteDumps {
  readonly dir: string;
  readonly networks: Network[];
  readonly subnets: Subnet[];
  readonly routers: Router[];
  readonly ports: Port[];
  readonly securityGroups: SecurityGroup[];
  readonly serverGroups: ServerGroup[];
  readonly servers: Server[];
  readonly volumes: Volume[];
  readonly floatingIps: FloatingIp[];
  readonly loadBalancers: LoadBalancer[];
  readonly listeners: Listener[];
  readonly pools: Pool[];
  readonly members: Member[];
  readonly healthMonitors: HealthMonitor[];
}

const str = z.string();
const nstr = z.string().nullable().optional().transform((v) => v ?? null);
/** octaviaclient prints a list of ids or CIDRs as one newline-separated string ("" for none). */
const idList = z.union([z.string(), z.array(z.string()), z.null()]).transform((v) => (v === null ? [] : Array.isArray(v) ? v : v.split(/\s+/).filter((s) => s !== "")));
const bool = z.union([z.boolean(), z.enum(["UP", "DOWN", "true", "false", "True", "False"])]).transform((v) => v === true || v === "UP" || v === "true" || v === "True");

const networks = z.array(
  z.object({ ID: str, Name: str, "Router Type": z.boolean(), State: bool }).transform((n): Network => ({ id: n.ID, name: n.Name, external: n["Router Type"], adminStateUp: n.State })),
);
const subnets = z.array(
  z
    .object({
      ID: str,
      Name: str,
      Network: str,
      Subnet: str,
      Gateway: nstr,
      DHCP: z.boolean(),
      "Name Servers": z.array(str),
      "Allocation Pools": z.array(z.object({ start: str, end: str })),
      "IP Version": z.number(),
    })
    .transform((s): Subnet => ({ id: s.ID, name: s.Name, networkId: s.Network, cidr: s.Subnet, gatewayIp: s.Gateway, enableDhcp: s.DHCP, dnsNameservers: s["Name Servers"], allocationPools: s["Allocation Pools"], ipVersion: s["IP Version"] })),
);
const routers = z.array(
  z
    .object({
      ID: str,
      Name: str,
      State: bool,
      Routes: z.array(z.object({ destination: str, nexthop: str })),
      "External gateway info": z.object({ network_id: str }).nullable(),
    })
    .transform((r): Router => ({ id: r.ID, name: r.Name, adminStateUp: r.State, externalNetworkId: r["External gateway info"]?.network_id ?? null, routes: r.Routes })),
);
const ports = z.array(
  z
    .object({
      id: str,
      name: str,
      network_id: str,
      fixed_ips: z.array(z.object({ subnet_id: str, ip_address: str })),
      security_group_ids: z.array(str).nullable(),
      device_owner: nstr,
      device_id: nstr,
      admin_state_up: bool,
    })
    .transform(
      (p): Port => ({
        id: p.id,
        name: p.name,
        networkId: p.network_id,
        fixedIps: p.fixed_ips.map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address })),
        securityGroupIds: p.security_group_ids ?? [],
        deviceOwner: p.device_owner ?? "",
        deviceId: p.device_id ?? "",
        adminStateUp: p.admin_state_up,
      }),
    ),
);
const rule = z
  .object({
    id: str,
    security_group_id: str,
    direction: str,
    ethertype: str,
    protocol: nstr,
    port_range_min: z.number().nullable(),
    port_range_max: z.number().nullable(),
    remote_ip_prefix: nstr,
    remote_group_id: nstr,
    description: nstr,
  })
  .transform(
    (r): SecurityGroupRule => ({
      id: r.id,
      securityGroupId: r.security_group_id,
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol,
      portRangeMin: r.port_range_min,
      portRangeMax: r.port_range_max,
      remoteIpPrefix: r.remote_ip_prefix,
      remoteGroupId: r.remote_group_id,
      description: r.description ?? "",
    }),
  );
const securityGroups = z.array(
  z.object({ id: str, name: str, description: nstr, rules: z.array(rule) }).transform((g): SecurityGroup => ({ id: g.id, name: g.name, description: g.description ?? "", rules: g.rules })),
);
const serverGroups = z.array(
  z.object({ ID: str, Name: str, Policy: str, Members: z.array(str) }).transform((g): ServerGroup => ({ id: g.ID, name: g.Name, policy: g.Policy, members: g.Members })),
);
/** `openstack server show` prints `image` as "name (id)", or "N/A (booted from volume)"; `flavor` as "name (id)". */
const BOOTED_FROM_VOLUME = "N/A (booted from volume)";
const servers = z.array(
  z
    .object({
      id: str,
      name: str,
      status: str,
      "OS-EXT-AZ:availability_zone": str,
      flavor: str,
      image: str,
      key_name: nstr,
      volumes_attached: z.array(z.object({ id: str })),
      properties: z.record(str, str),
    })
    .transform(
      (s): Server => ({
        id: s.id,
        name: s.name,
        status: s.status,
        availabilityZone: s["OS-EXT-AZ:availability_zone"],
        flavorName: s.flavor.replace(/ \([^)]*\)$/, ""),
        keyName: s.key_name,
        bootedFromVolume: s.image === BOOTED_FROM_VOLUME || s.image === "",
        imageName: s.image === BOOTED_FROM_VOLUME || s.image === "" ? null : s.image.replace(/ \([^)]*\)$/, ""),
        volumeIds: s.volumes_attached.map((v) => v.id),
        metadata: s.properties,
      }),
    ),
);
const volumes = z.array(
  z
    .object({
      id: str,
      size: z.number(),
      bootable: bool,
      volume_image_metadata: z.object({ image_name: str.optional() }).passthrough().nullable().optional(),
      attachments: z.array(z.object({ server_id: str })),
    })
    .transform((v): Volume => ({ id: v.id, size: v.size, bootable: v.bootable, imageName: v.volume_image_metadata?.image_name ?? null, serverIds: v.attachments.map((a) => a.server_id) })),
);
const floatingIps = z.array(
  z
    .object({ ID: str, "Floating IP Address": str, Port: nstr, "Floating Network": str, Description: nstr })
    .transform((f): FloatingIp => ({ id: f.ID, address: f["Floating IP Address"], portId: f.Port, networkId: f["Floating Network"], description: f.Description ?? "" })),
);
const loadBalancers = z.array(
  z
    .object({ id: str, name: str, vip_address: str, vip_subnet_id: str, vip_port_id: str, admin_state_up: bool })
    .transform((l): LoadBalancer => ({ id: l.id, name: l.name, vipAddress: l.vip_address, vipSubnetId: l.vip_subnet_id, vipPortId: l.vip_port_id, adminStateUp: l.admin_state_up })),
);
const listeners = z.array(
  z
    .object({ id: str, name: str, loadbalancers: idList, protocol: str, protocol_port: z.number(), allowed_cidrs: idList, default_tls_container_ref: nstr, admin_state_up: bool })
    .transform(
      (l): Listener => ({
        id: l.id,
        name: l.name,
        loadBalancerIds: l.loadbalancers,
        protocol: l.protocol,
        protocolPort: l.protocol_port,
        allowedCidrs: l.allowed_cidrs,
        defaultTlsContainerRef: l.default_tls_container_ref,
        adminStateUp: l.admin_state_up,
      }),
    ),
);
const pools = z.array(
  z.object({ id: str, name: str, listeners: idList, protocol: str, lb_algorithm: str }).transform((p): Pool => ({ id: p.id, name: p.name, listenerIds: p.listeners, protocol: p.protocol, lbMethod: p.lb_algorithm })),
);
const members = z.array(
  z
    .object({ pool_id: str, members: z.array(z.object({ id: str, name: str, address: str, protocol_port: z.number(), weight: z.number() })) })
    .transform((p): Member[] => p.members.map((m) => ({ id: m.id, poolId: p.pool_id, name: m.name, address: m.address, protocolPort: m.protocol_port, weight: m.weight }))),
);
const healthMonitors = z.array(
  z
    .object({
      id: str,
      name: str,
      pools: idList,
      type: str,
      delay: z.number(),
      timeout: z.number(),
      max_retries: z.number(),
      max_retries_down: z.number(),
      url_path: nstr,
      http_method: nstr,
      expected_codes: nstr,
    })
    .transform(
      (h): HealthMonitor => ({
        id: h.id,
        name: h.name,
        poolIds: h.pools,
        type: h.type,
        delay: h.delay,
        timeout: h.timeout,
        maxRetries: h.max_retries,
        maxRetriesDown: h.max_retries_down,
        urlPath: h.url_path,
        httpMethod: h.http_method,
        expectedCodes: h.expected_codes,
      }),
    ),
);

/** The most problems one file's error lists. */
const LISTED_PROBLEMS = 20;

function readDump<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new CommandError(`${path}: missing; make the dumps with the script in README ("Adopting a running site") and run again`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new CommandError(`${path}: cannot read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CommandError(`${path}${jsonErrorLocation(text)}: not valid JSON (${(err as Error).message}); make it again with \`-f json\``);
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const lines = issues.slice(0, LISTED_PROBLEMS).map((i) => `  ${path}: ${jsonPath(i.path)}: ${i.message}`);
  if (issues.length > LISTED_PROBLEMS) lines.push(`  … and ${issues.length - LISTED_PROBLEMS} more`);
  throw new CommandError([`${path}: not the output of the command README gives for ${file} (${issues.length} problem${issues.length === 1 ? "" : "s"})`, ...lines].join("\n"));
}

/**
 * `:line:column` of the first place `text` stops being JSON (RFC 8259), found by a small scanner: V8's JSON.parse
 * messages carry no position for most mistakes.
 */
function jsonErrorLocation(text: string): string {
  const offset = firstJsonError(text);
  if (offset === undefined) return "";
  const before = text.slice(0, offset);
  return `:${before.split("\n").length}:${offset - before.lastIndexOf("\n")}`;
}

function firstJsonError(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return (i++, true);
      for (;;) {
        if (c === "{") {
          ws();
          if (text[i] !== '"' || !string()) return false;
          ws();
          if (text[i] !== ":") return false;
          i++;
        }
        if (!value()) return false;
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) return (i++, true);
        else return false;
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const string = (): boolean => {
    // Control characters (U+0000 to U+001F) must be escaped inside JSON strings.
    // eslint-disable-next-line no-control-regex -- the JSON grammar forbids exactly these characters
    const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  if (!value()) return i;
  ws();
  return i < text.length ? i : undefined;
}

/** `[3].fixed_ips[0].ip_address`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join("").replace(/^\./, "");
}

/** Reads every dump of a directory; the first file that is missing or has the wrong shape stops it. */
export function readSiteDumps(dir: string): SiteDumps {
  if (!existsSync(dir)) throw new CommandError(`${dir}: no such directory; make the dumps with the script in README ("Adopting a running site")`);
  return {
    dir,
    networks: readDump(dir, DUMP_FILES.networks, networks),
    subnets: readDump(dir, DUMP_FILES.subnets, subnets),
    routers: readDump(dir, DUMP_FILES.routers, routers),
    ports: readDump(dir, DUMP_FILES.ports, ports),
    securityGroups: readDump(dir, DUMP_FILES.securityGroups, securityGroups),
    serverGroups: readDump(dir, DUMP_FILES.serverGroups, serverGroups),
    servers: readDump(dir, DUMP_FILES.servers, servers),
    volumes: readDump(dir, DUMP_FILES.volumes, volumes),
    floatingIps: readDump(dir, DUMP_FILES.floatingIps, floatingIps),
    loadBalancers: readDump(dir, DUMP_FILES.loadBalancers, loadBalancers),
    listeners: readDump(dir, DUMP_FILES.listeners, listeners),
    pools: readDump(dir, DUMP_FILES.pools, pools),
    members: readDump(dir, DUMP_FILES.members, members).flat(),
    healthMonitors: readDump(dir, DUMP_FILES.healthMonitors, healthMonitors),
  };
}
