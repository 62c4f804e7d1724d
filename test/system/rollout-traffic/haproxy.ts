/**
 * HAProxy as an Octavia amphora runs it, for the traffic proof: the configuration an amphora renders for one HTTP
 * listener with one ROUND_ROBIN pool and an HTTP health monitor, and a weight change applied the way the amphora
 * driver applies it: rewrite the configuration, check it, reload HAProxy.
 *
 * Mirrored from openstack/octavia, `octavia/common/jinja/haproxy/combined_listeners/templates/`:
 * - `base.j2`, `defaults`: `retries 3`, `option redispatch`, `option splice-request`, `option splice-response`,
 *   `option http-keep-alive` (so a connection refused by a member is retried on another one, as in Octavia);
 * - `macros.j2`, frontend: `maxconn`, `bind <vip>:<port>`, `mode http`, `default_backend`, `timeout client`
 *   (listener `timeout_client_data`, default 50000 ms);
 * - `macros.j2`, backend: `mode http`, `balance roundrobin`, `timeout check <timeout>s`, `option httpchk GET <path>`,
 *   `http-check expect rstatus <codes>`, `fullconn`, `option allbackups`, `timeout connect` / `timeout server`
 *   (listener `timeout_member_connect` 5000 ms, `timeout_member_data` 50000 ms), and per member
 *   `server <id> <address>:<port> weight <weight> check inter <delay>s fall <max_retries_down> rise <max_retries>`.
 * The amphora's systemd unit (`octavia/amphorae/backends/agent/api_server/templates/systemd.conf.j2`) runs
 * `haproxy -Ws` (master-worker) and reloads with `haproxy -c -f <cfg>` then `kill -USR2 $MAINPID`; here the same
 * check runs, then the master CLI's `reload` command, which the HAProxy management guide documents as the same as
 * SIGUSR2 to the master. On reload the master starts a new worker with `-sf <old> -x sockpair@…` (the listening
 * sockets pass to it, nothing is re-bound); the old worker stops accepting, finishes what it has in flight and exits.
 *
 * Not from Octavia: member names are host names (Octavia uses member ids); `maxconn` is 4096 (an amphora's larger
 * limits need the file-descriptor limit its unit raises with LimitNOFILE); requests are logged to stdout, kept in a
 * file, with a format the harness parses (`REQ_LOG_PREFIX`); and the master CLI listens on a unix socket (`-S`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { inNetns } from "./netns";
import { runChecked, untilTrue } from "./processes";

/**
 * Every logged request starts with this word, then: status, retries (`+` prefix when redispatched), termination
 * state, server, and the time HAProxy spent on it from the first byte of the request to the last of the response.
 */
export const REQ_LOG_PREFIX = "REQ";

/** One pool member as the amphora renders it. */
export interface Member {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** 0..256; 0 takes the member out of load balancing (requests in flight finish). */
  readonly weight: number;
}

/** The listener, pool and health monitor of the proof. */
export interface ListenerSpec {
  readonly vip: string;
  readonly port: number;
  readonly healthPath: string;
  /** Health monitor `delay` (s), `timeout` (s), `max_retries` (rise) and `max_retries_down` (fall). */
  readonly monitor: { readonly delaySec: number; readonly timeoutSec: number; readonly rise: number; readonly fall: number };
}

/** Octavia's listener defaults (ms): `timeout_client_data`, `timeout_member_connect`, `timeout_member_data`. */
const LISTENER_TIMEOUTS_MS = { client: 50_000, memberConnect: 5_000, memberData: 50_000 } as const;
const MAX_CONN = 4096;

/** The configuration an amphora renders for `listener` with `members` (see the file comment for each line's source). */
export function renderHaproxyConfig(listener: ListenerSpec, members: readonly Member[], statsSocket: string): string {
  const { monitor } = listener;
  return [
    "global",
    `    maxconn ${MAX_CONN}`,
    `    stats socket ${statsSocket} mode 0600 level user`,
    "    log stdout format raw local0",
    "",
    "defaults",
    "    log global",
    "    retries 3",
    "    option redispatch",
    "    option splice-request",
    "    option splice-response",
    "    option http-keep-alive",
    "",
    "frontend listener",
    `    maxconn ${MAX_CONN}`,
    `    bind ${listener.vip}:${listener.port}`,
    "    mode http",
    "    default_backend pool",
    `    timeout client ${LISTENER_TIMEOUTS_MS.client}`,
    `    log-format "${REQ_LOG_PREFIX} %ST %rc %tsc %s %Ta"`,
    "",
    "backend pool",
    "    mode http",
    "    balance roundrobin",
    `    timeout check ${monitor.timeoutSec}s`,
    `    option httpchk GET ${listener.healthPath}`,
    "    http-check expect rstatus 200",
    `    fullconn ${MAX_CONN}`,
    "    option allbackups",
    `    timeout connect ${LISTENER_TIMEOUTS_MS.memberConnect}`,
    `    timeout server ${LISTENER_TIMEOUTS_MS.memberData}`,
    ...members.map(
      (m) => `    server ${m.name} ${m.address}:${m.port} weight ${m.weight} check inter ${monitor.delaySec}s fall ${monitor.fall} rise ${monitor.rise}`,
    ),
    "",
  ].join("\n");
}

/** One line of HAProxy's stats CSV for a pool member, as the current worker sees it. */
export interface MemberStat {
  /** Current sessions (requests being served through the member). */
  readonly scur: number;
  /** UP, DOWN, DRAIN (weight 0), NOLB, MAINT, or a transition like "UP 1/3". */
  readonly status: string;
  readonly weight: number;
}

/** A request as HAProxy logged it. */
export interface LoggedRequest {
  readonly status: string;
  /** Connection retries ("+1" when the retry went to another member): more than 0 means a member refused or failed a connection. */
  readonly retries: number;
  /** Termination state (`%tsc`): "----" for a request that ended normally. */
  readonly termination: string;
  readonly server: string;
  /** HAProxy's `%Ta` (ms): its own view of the request's latency, without the client's share. */
  readonly activeMs: number;
}

/** HAProxy in master-worker mode inside a network namespace, with the master CLI on a unix socket. */
export class Haproxy {
  private readonly configPath: string;
  private readonly masterSocket: string;
  private readonly statsSocket: string;
  private readonly logPath: string;
  private process: ChildProcess | undefined;

  constructor(
    private readonly netns: string,
    dir: string,
    private readonly listener: ListenerSpec,
    private readonly boundSec: number,
    private readonly niceness: number,
  ) {
    this.configPath = join(dir, "haproxy.cfg");
    this.masterSocket = join(dir, "master.sock");
    this.statsSocket = join(dir, "stats.sock");
    this.logPath = join(dir, "haproxy.log");
  }

  /** Start with `members`; resolves once the worker serves the configuration (weights checked). */
  async start(members: readonly Member[]): Promise<void> {
    await this.writeConfig(members);
    // Output goes to a file, not a pipe: a busy reader must never hold HAProxy up.
    const log = openSync(this.logPath, "a");
    // `timeout` bounds a run whose harness died; it passes SIGTERM on to HAProxy's master.
    const [command, args] = inNetns(this.netns, this.niceness, "timeout", [String(this.boundSec), "haproxy", "-W", "-S", this.masterSocket, "-f", this.configPath]);
    this.process = spawn(command, args, { stdio: ["ignore", log, log] });
    closeSync(log);
    await untilTrue("HAProxy serving its first configuration", 15_000, async () => this.weightsAre(members)).catch((e: Error) => {
      throw new Error(`${e.message}; its output:\n${readFileSync(this.logPath, "utf8").slice(-4000)}`);
    });
  }

  /** Every request HAProxy logged since it started, in the order they ended. */
  requestLog(): LoggedRequest[] {
    return readFileSync(this.logPath, "utf8")
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[0] === REQ_LOG_PREFIX)
      .map(([, status, retries, termination, server, activeMs]) => ({
        status,
        retries: Number(retries),
        termination,
        server,
        activeMs: Number(activeMs),
      }));
  }

  /** Apply new member weights as the amphora driver does: rewrite, check, reload; resolves once the new worker serves them. */
  async reload(members: readonly Member[]): Promise<void> {
    const before = await this.masterReloads();
    await this.writeConfig(members);
    // The master re-executes itself on `reload` and may drop this connection without an answer.
    await this.master("reload").catch(() => "");
    await untilTrue(`HAProxy reloaded with weights ${members.map((m) => `${m.name}=${m.weight}`).join(" ")}`, 15_000, async () => {
      return (await this.masterReloads()) > before && (await this.weightsAre(members));
    });
  }

  /**
   * Requests being served through `member` by every HAProxy worker: the current one and any older one still
   * finishing after a reload (what Octavia reports as a member's active connections).
   */
  async activeSessions(member: string): Promise<number> {
    let total = 0;
    for (const pid of await this.workerPids()) {
      const stat = parseStats(await this.master(`@!${pid} show stat`)).get(member);
      total += stat?.scur ?? 0;
    }
    return total;
  }

  /** The current worker's view of every member. */
  async memberStats(): Promise<Map<string, MemberStat>> {
    return parseStats(await this.master("@1 show stat"));
  }

  /** Stop HAProxy (SIGTERM through `timeout`) and wait for it to exit, at most 10 s. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }

  private async writeConfig(members: readonly Member[]): Promise<void> {
    const next = `${this.configPath}.next`;
    writeFileSync(next, renderHaproxyConfig(this.listener, members, this.statsSocket));
    await runChecked("haproxy", ["-c", "-q", "-f", next]);
    renameSync(next, this.configPath);
  }

  private async weightsAre(members: readonly Member[]): Promise<boolean> {
    const stats = await this.memberStats().catch(() => undefined);
    return stats !== undefined && members.every((m) => stats.get(m.name)?.weight === m.weight);
  }

  private async masterReloads(): Promise<number> {
    const master = (await this.master("show proc")).split("\n").find((l) => /\bmaster\b/.test(l));
    return Number(master?.trim().split(/\s+/)[2] ?? -1);
  }

  private async workerPids(): Promise<number[]> {
    return (await this.master("show proc"))
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1] === "worker")
      .map((f) => Number(f[0]));
  }

  /** One master CLI command; its whole answer. */
  private master(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.masterSocket);
      let answer = "";
      socket.setTimeout(5_000, () => socket.destroy(new Error(`HAProxy master CLI: no answer to "${command}" in 5 s`)));
      socket.on("data", (d) => (answer += d));
      socket.on("end", () => resolve(answer));
      socket.on("close", () => resolve(answer));
      socket.on("error", reject);
      socket.end(`${command}\n`);
    });
  }
}

/** Members of `pool` by name, from `show stat` CSV (columns named by its header line). */
function parseStats(csv: string): Map<string, MemberStat> {
  const lines = csv.split("\n").filter((l) => l.trim() !== "");
  const header = lines.find((l) => l.startsWith("# "));
  if (header === undefined) throw new Error(`HAProxy stats: no header line in ${JSON.stringify(csv.slice(0, 200))}`);
  const columns = header.slice(2).split(",");
  const at = (name: string): number => columns.indexOf(name);
  const stats = new Map<string, MemberStat>();
  for (const line of lines.filter((l) => !l.startsWith("#"))) {
    const f = line.split(",");
    if (f[at("pxname")] !== "pool" || f[at("svname")] === "BACKEND") continue;
    stats.set(f[at("svname")], { scur: Number(f[at("scur")]), status: f[at("status")], weight: Number(f[at("weight")]) });
  }
  return stats;
}
