/**
 * Reading per-host routing tables as operators collect them, one file per server, in any of four formats told
 * apart by their content:
 * - `ip-json`: `ip -j route` (or `ip -j -p route`), an array of objects with `dst`, `gateway`, `dev`, `type`,
 *   `nexthops` (iproute2 JSON output);
 * - `ip-route`: `ip route show` text, `[type] <dst> [via <gw>] [dev <if>] ...`, multipath next hops on indented
 *   `nexthop` lines;
 * - `route-n`: net-tools `route -n` (header `Destination Gateway Genmask Flags Metric Ref Use Iface`);
 * - `netstat-rn`: Linux net-tools `netstat -rn` (header `Destination Gateway Genmask Flags MSS Window irtt Iface`).
 * Every line that cannot be read is reported with its file and line number; nothing is guessed.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { addressProblem, toDestination } from "./cidr";

export type RoutingTableFormat = "ip-json" | "ip-route" | "route-n" | "netstat-rn";

/**
 * What the kernel does with a route: `unicast` forwards (through `nextHop`, or on-link without one), `multipath`
 * forwards through several next hops, the others drop or hand the packet to the host itself.
 */
export type RouteKind = "unicast" | "multipath" | "blackhole" | "unreachable" | "prohibit" | "throw" | "local" | "broadcast" | "multicast" | "anycast" | "nat";

export interface HostRoute {
  /** Canonical IPv4 CIDR; `default` is 0.0.0.0/0, a bare address /32. */
  readonly destination: string;
  /** Gateway address. @default - none (on-link, multipath, or a route that does not forward) */
  readonly nextHop?: string;
  readonly kind: RouteKind;
}

export interface RoutingTable {
  /** The server the table belongs to: the file name without a `.txt`/`.json`/`.out`/`.route(s)` extension. */
  readonly server: string;
  readonly file: string;
  readonly format: RoutingTableFormat;
  readonly routes: readonly HostRoute[];
}

export interface UnreadableLine {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly problem: string;
}

export interface ReadResult {
  readonly tables: readonly RoutingTable[];
  readonly unreadable: readonly UnreadableLine[];
}

const ROUTE_KINDS = new Set<string>(["unicast", "blackhole", "unreachable", "prohibit", "throw", "local", "broadcast", "multicast", "anycast", "nat"]);
const SERVER_EXTENSION = /\.(txt|json|out|route|routes)$/i;

/** Every regular file of `dir` (sorted by name, dot files skipped) read as one server's routing table. */
export function readRoutingTables(dir: string): ReadResult {
  const tables: RoutingTable[] = [];
  const unreadable: UnreadableLine[] = [];
  const files = readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort()
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
  const cache = new DestinationCache();
  const fileOfServer = new Map<string, string>();
  for (const file of files) {
    const result = parseRoutingTable(readFileSync(file, "utf8"), file, cache);
    unreadable.push(...result.unreadable);
    if (!result.table) continue;
    const twin = fileOfServer.get(result.table.server);
    if (twin) unreadable.push({ file, line: 1, problem: `${twin} is the routing table of server ${result.table.server} already: keep one file per server` });
    else fileOfServer.set(result.table.server, file);
    tables.push(result.table);
  }
  return { tables, unreadable };
}

/** Memoizes destination parsing: the same few thousand destinations recur on every server. */
export class DestinationCache {
  private readonly known = new Map<string, ReturnType<typeof toDestination>>();
  private readonly addresses = new Map<string, string | undefined>();
  destination(dst: string, mask?: string): ReturnType<typeof toDestination> {
    const key = mask === undefined ? dst : `${dst} ${mask}`;
    let hit = this.known.get(key);
    if (!hit) this.known.set(key, (hit = toDestination(dst, mask)));
    return hit;
  }
  addressProblem(address: string): string | undefined {
    if (!this.addresses.has(address)) this.addresses.set(address, addressProblem(address));
    return this.addresses.get(address);
  }
}

export function detectFormat(text: string): RoutingTableFormat | undefined {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return undefined;
  if (lines[0].startsWith("[")) return "ip-json";
  const header = lines.find((l) => l.startsWith("Destination"));
  if (lines[0] === "Kernel IP routing table" || header) {
    if (header && /\bMetric\b/.test(header)) return "route-n";
    if (header && /\bMSS\b/.test(header)) return "netstat-rn";
    return undefined;
  }
  const first = lines[0].split(/\s+/);
  const dst = ROUTE_KINDS.has(first[0]) ? first[1] : first[0];
  return dst === "default" || /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(dst ?? "") ? "ip-route" : undefined;
}

export function parseRoutingTable(text: string, file: string, cache = new DestinationCache()): { table?: RoutingTable; unreadable: UnreadableLine[] } {
  const format = detectFormat(text);
  if (!format) {
    const what = text.trim() === "" ? "the file is empty" : "not a routing table";
    return { unreadable: [{ file, line: 1, problem: `${what}: expected the output of \`ip -j route\`, \`ip route show\`, \`route -n\` or \`netstat -rn\`` }] };
  }
  const unreadable: UnreadableLine[] = [];
  const problem = (line: number, why: string) => unreadable.push({ file, line, problem: why });
  const routes = format === "ip-json" ? parseIpJson(text, cache, problem) : format === "ip-route" ? parseIpRoute(text, cache, problem) : parseNetTools(text, cache, problem);
  return { table: { server: basename(file).replace(SERVER_EXTENSION, ""), file, format, routes }, unreadable };
}

type Problem = (line: number, why: string) => void;

function parseIpRoute(text: string, cache: DestinationCache, problem: Problem): HostRoute[] {
  const routes: HostRoute[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    const tokens = raw.trim().split(/\s+/);
    if (/^\s/.test(raw) && tokens[0] === "nexthop") {
      const last = routes[routes.length - 1];
      if (!last || last.kind !== "multipath") problem(i + 1, `a "nexthop" line must follow a multipath route`);
      continue;
    }
    const kind = ROUTE_KINDS.has(tokens[0]) ? (tokens.shift() as RouteKind) : "unicast";
    const dst = tokens.shift();
    if (dst === undefined) {
      problem(i + 1, `route type "${kind}" without a destination`);
      continue;
    }
    const destination = cache.destination(dst);
    if ("problem" in destination) {
      problem(i + 1, destination.problem);
      continue;
    }
    const via = tokens.indexOf("via");
    const nextHop = via >= 0 ? tokens[via + 1] : undefined;
    if (via >= 0) {
      const why = nextHop === undefined ? `"via" without an address` : cache.addressProblem(nextHop);
      if (why) {
        problem(i + 1, `next hop ${why}`);
        continue;
      }
    }
    const multipath = via < 0 && kind === "unicast" && /^\s+nexthop\b/.test(lines[i + 1] ?? "");
    routes.push({ destination: destination.cidr, ...(nextHop ? { nextHop } : {}), kind: multipath ? "multipath" : kind });
  }
  return routes;
}

/** route -n and netstat -rn share their first four columns: Destination Gateway Genmask Flags. */
function parseNetTools(text: string, cache: DestinationCache, problem: Problem): HostRoute[] {
  const routes: HostRoute[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line === "Kernel IP routing table" || line.startsWith("Destination")) continue;
    const [dst, gateway, mask, flags] = line.split(/\s+/);
    if (flags === undefined) {
      problem(i + 1, `expected Destination Gateway Genmask Flags ..., got "${line}"`);
      continue;
    }
    const destination = cache.destination(dst === "default" ? "0.0.0.0" : dst, mask);
    if ("problem" in destination) {
      problem(i + 1, destination.problem);
      continue;
    }
    const onLink = gateway === "0.0.0.0" || gateway === "*" || gateway === "-";
    const why = onLink ? undefined : cache.addressProblem(gateway);
    if (why) {
      problem(i + 1, `gateway ${why}`);
      continue;
    }
    if (!onLink && !flags.includes("G")) {
      problem(i + 1, `gateway ${gateway} without the G flag (flags "${flags}")`);
      continue;
    }
    const kind: RouteKind = flags.includes("!") ? "unreachable" : "unicast";
    routes.push({ destination: destination.cidr, ...(onLink || kind !== "unicast" ? {} : { nextHop: gateway }), kind });
  }
  return routes;
}

interface IpJsonRoute {
  readonly dst?: unknown;
  readonly gateway?: unknown;
  readonly type?: unknown;
  readonly nexthops?: unknown;
}

function parseIpJson(text: string, cache: DestinationCache, problem: Problem): HostRoute[] {
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? lineOf(text, Number(at[1])) : 1;
    problem(line, `not valid JSON (${(err as Error).message.split("\n")[0]})`);
    return [];
  }
  if (!Array.isArray(entries)) {
    problem(1, "expected a JSON array of routes (the output of `ip -j route`)");
    return [];
  }
  // Element lines cost a scan of the file: only made when a problem needs one.
  let lines: number[] | undefined;
  const lineOfEntry = (i: number) => (lines ??= entryLines(text))[i] ?? 1;
  const routes: HostRoute[] = [];
  const problemAt = (i: number, why: string) => problem(lineOfEntry(i), why);
  entries.forEach((entry: IpJsonRoute, i) => {
    if (typeof entry !== "object" || entry === null || typeof entry.dst !== "string") {
      problemAt(i, `route [${i}] has no "dst" string`);
      return;
    }
    const type = entry.type === undefined ? "unicast" : entry.type;
    if (typeof type !== "string" || !ROUTE_KINDS.has(type)) {
      problemAt(i, `route [${i}] has an unknown "type" ${JSON.stringify(entry.type)}`);
      return;
    }
    const destination = cache.destination(entry.dst);
    if ("problem" in destination) {
      problemAt(i, `route [${i}] ${destination.problem}`);
      return;
    }
    if (entry.gateway !== undefined) {
      const why = typeof entry.gateway === "string" ? cache.addressProblem(entry.gateway) : `${JSON.stringify(entry.gateway)} is not an address`;
      if (why) {
        problemAt(i, `route [${i}] gateway ${why}`);
        return;
      }
    }
    const kind: RouteKind = Array.isArray(entry.nexthops) ? "multipath" : (type as RouteKind);
    routes.push({ destination: destination.cidr, ...(typeof entry.gateway === "string" ? { nextHop: entry.gateway } : {}), kind });
  });
  return routes;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line on which each element of the top-level JSON array starts (the first character after `[` or `,`). */
function entryLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (expectElement && !/\s/.test(c)) {
      starts.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 1) expectElement = true;
  }
  return starts;
}
