/**
 * One site of the traffic proof with real parts: hosts as network namespaces, each running the service
 * (`service.ts`) at some image version; HAProxy in the load balancer's namespace in front of them, configured and
 * reloaded as an Octavia amphora (`haproxy.ts`); and the client process (`client.ts`) that sends open-loop load to
 * the listener and talks to hosts directly for health and warm-up. `replay` walks a sequence of rollout steps
 * (`steps.ts`) under load and returns what the clients saw.
 *
 * How a step is carried out, in this order: member weights that change are applied by one HAProxy reload; a host
 * entering `replacing` waits until the load balancer counts no active connection to it (at most `drainBoundMs`,
 * then it goes ahead and the step report says so), has its process killed (SIGKILL: an instance being deleted
 * finishes nothing) and a process of the new version started, cold, and is done once the host answers its health
 * endpoint directly and HAProxy's own health check has passed since the start; a host entering `warming` gets
 * warm-up rounds until the gate is met (the replay fails if it never is). Then the step holds for `stepDwellMs`
 * under load.
 *
 * Every process runs with a lifetime bound, and `close` kills what the site started (by process id) and removes
 * its namespaces.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Haproxy, type ListenerSpec, type LoggedRequest, type Member } from "./haproxy";
import { createNetwork, inNetns, removeNamespaces, type Network } from "./netns";
import { sleep, untilTrue } from "./processes";
import type { ClientCommand, ClientReply, HealthReply, LoadReply, Sample, WarmReply } from "./protocol";
import { rolloutInvariantViolations } from "../../../model";
import { memberWeight, type HostState, type RolloutStep } from "./steps";

/** The service's cold cache: every request takes `baseMs`; the first `coldRequests` after a start `coldExtraMs` more. */
export interface ServiceTuning {
  readonly baseMs: number;
  readonly coldRequests: number;
  readonly coldExtraMs: number;
}

/** The warm-up gate: rounds of `perRound` concurrent requests over `paths` until a whole round answers within `gateMs`. */
export interface WarmUpGate {
  readonly paths: readonly string[];
  readonly perRound: number;
  readonly gateMs: number;
  readonly maxRounds: number;
}

export interface TrafficSiteOptions {
  /** Start of the namespace names (the process id follows); letters only, short: interface names are ≤ 15 bytes. */
  readonly prefix: string;
  /** Host names, one namespace each; they are also the HAProxy member names. */
  readonly hosts: readonly string[];
  /** Image version every host runs at the start. */
  readonly version: string;
  readonly service: ServiceTuning;
  readonly warmUp: WarmUpGate;
  /**
   * The load: open loop at `ratePerSec`, cycling through `paths`. A request without a complete response after
   * `timeoutMs` fails (warm-up requests too).
   */
  readonly load: { readonly ratePerSec: number; readonly paths: readonly string[]; readonly timeoutMs: number };
  readonly listener: ListenerSpec;
  /** Port the service listens on in every host. */
  readonly memberPort: number;
  /** Time every step holds under load once it is carried out (ms). */
  readonly stepDwellMs: number;
  /** The stated bound on waiting for a member's active connections to reach 0 before its process is killed (ms). */
  readonly drainBoundMs: number;
  /**
   * Scheduling priority (nice(1)) of every process the site starts. Below 0, the builds sharing a busy machine do not
   * decide the latency tail; steady state and rollouts run at the same priority, so comparing them stays fair.
   */
  readonly niceness: number;
  /** Lifetime bound of every process the site starts (s): they end by themselves if the harness dies. */
  readonly processBoundSec: number;
  /** Directory for the bundled scripts and HAProxy's files; the caller removes it. */
  readonly workDir: string;
}

/** What one step of a replay did: its label, how long carrying it out took, and what it waited for. */
export interface StepReport {
  readonly label: string;
  readonly applyMs: number;
  readonly notes: readonly string[];
}

/** What the clients saw during one run, and what HAProxy logged for it. */
export interface RunResult {
  readonly samples: readonly Sample[];
  readonly marks: LoadReply["marks"];
  readonly lag: LoadReply["lag"];
  readonly logged: readonly LoggedRequest[];
  readonly steps: readonly StepReport[];
  readonly durationMs: number;
}

interface HostProcess {
  readonly child: ChildProcess;
  readonly version: string;
  readonly startedAt: number;
}

/** The client process in the load balancer's namespace; one pending reply per key. */
class Client {
  private readonly waiting = new Map<string, (reply: ClientReply) => void>();
  private nextId = 1;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const reply = JSON.parse(line) as ClientReply;
      const key = reply.type === "load" ? "load" : `${reply.type}:${reply.id}`;
      this.waiting.get(key)?.(reply);
      this.waiting.delete(key);
    });
  }

  send(command: ClientCommand): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Send a command and wait for its reply, at most `boundMs`. */
  ask<R extends ClientReply>(make: (id: number) => ClientCommand, boundMs: number): Promise<R> {
    const id = this.nextId++;
    const command = make(id);
    const key = command.cmd === "stop" ? "load" : `${command.cmd}:${id}`;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`client: no reply to ${command.cmd} in ${boundMs} ms`));
      }, boundMs);
      this.waiting.set(key, (reply) => {
        clearTimeout(timer);
        resolve(reply as R);
      });
      this.send(command);
    });
  }
}

export class TrafficSite {
  private readonly processes = new Map<string, HostProcess>();
  private state: Record<string, HostState>;
  private client: Client | undefined;
  private haproxy: Haproxy | undefined;
  private network: Network | undefined;
  private readonly scripts: { service: string; client: string };

  private constructor(private readonly options: TrafficSiteOptions) {
    this.state = Object.fromEntries(options.hosts.map((h) => [h, { phase: "serving", version: options.version }]));
    this.scripts = { service: join(options.workDir, "service.js"), client: join(options.workDir, "client.js") };
  }

  /**
   * Build the site: namespaces and links, every host's service (warmed through the gate, so the site starts in
   * steady state), the client, and HAProxy with every member at weight 1. On failure, removes what it built.
   */
  static async start(options: TrafficSiteOptions): Promise<TrafficSite> {
    const site = new TrafficSite(options);
    try {
      await site.build();
      return site;
    } catch (e) {
      await site.close();
      throw e;
    }
  }

  /** Load the site as it is for `durationMs`. */
  async measure(label: string, durationMs: number): Promise<RunResult> {
    return this.underLoad(label, async () => {
      await sleep(durationMs);
      return [];
    });
  }

  /**
   * Replay `steps` under load. Refuses (throws) a sequence `rolloutInvariantViolations` finds unsafe for `batch`, or whose
   * first step is not the site's current state. Holds the first step `stepDwellMs`, then carries out and holds
   * every next one, then holds the last one `tailMs` more.
   */
  async replay(steps: readonly RolloutStep[], batch: number, tailMs: number): Promise<RunResult> {
    const problems = rolloutInvariantViolations(steps, batch);
    if (problems.length > 0) throw new Error(`refusing to replay an unsafe rollout:\n${problems.join("\n")}`);
    const mismatch = this.options.hosts.filter((h) => JSON.stringify(steps[0].hosts[h]) !== JSON.stringify(this.state[h]));
    if (mismatch.length > 0) {
      throw new Error(`the first step "${steps[0].label}" is not the site's state for ${mismatch.map((h) => `${h} (${JSON.stringify(this.state[h])})`).join(", ")}`);
    }
    return this.underLoad(steps[0].label, async () => {
      const reports: StepReport[] = [];
      await sleep(this.options.stepDwellMs);
      for (let i = 1; i < steps.length; i++) {
        this.client!.send({ cmd: "mark", label: steps[i].label });
        const started = Date.now();
        const notes = await this.apply(steps[i - 1], steps[i]);
        reports.push({ label: steps[i].label, applyMs: Date.now() - started, notes });
        await sleep(this.options.stepDwellMs);
      }
      await sleep(tailMs);
      return reports;
    });
  }

  /**
   * The control: under load, kill the processes of `hosts` while they serve (no drain) and hold `holdMs`. The site
   * is not replayed again afterwards: those hosts have no process left.
   */
  async killServing(hosts: readonly string[], holdMs: number): Promise<RunResult> {
    return this.underLoad("start", async () => {
      await sleep(this.options.stepDwellMs);
      this.client!.send({ cmd: "mark", label: `kill ${hosts.join(" ")} while serving` });
      await Promise.all(hosts.map((h) => this.kill(h)));
      await sleep(holdMs);
      return [{ label: `kill ${hosts.join(" ")} while serving`, applyMs: 0, notes: [] }];
    });
  }

  /** Kill every process the site started (by process id) and remove its namespaces; never throws. */
  async close(): Promise<void> {
    for (const host of [...this.processes.keys()]) await this.kill(host).catch(() => undefined);
    if (this.client !== undefined) {
      this.client.child.stdin!.end();
      await exited(this.client.child, 5_000).catch(() => this.client!.child.kill("SIGKILL"));
    }
    await this.haproxy?.stop().catch(() => undefined);
    if (this.network !== undefined) await removeNamespaces([this.network.lb, ...this.network.hosts.map((h) => h.netns)]);
  }

  private async build(): Promise<void> {
    const { options } = this;
    bundle(this.scripts);
    this.network = await createNetwork(options.prefix, options.hosts.length);
    const [command, args] = inNetns(this.network.lb, options.niceness, process.execPath, [this.scripts.client]);
    this.client = new Client(spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] }));
    await Promise.all(options.hosts.map((h) => this.startService(h, options.version)));
    await Promise.all(options.hosts.map((h) => this.warm(h)));
    const haproxyDir = join(options.workDir, "haproxy");
    mkdirSync(haproxyDir, { recursive: true });
    this.haproxy = new Haproxy(this.network.lb, haproxyDir, options.listener, options.processBoundSec, options.niceness);
    await this.haproxy.start(this.members(this.state));
  }

  private async underLoad(firstLabel: string, body: () => Promise<StepReport[]>): Promise<RunResult> {
    const { load, listener } = this.options;
    const client = this.client!;
    const loggedBefore = this.haproxy!.requestLog().length;
    const started = Date.now();
    client.send({
      cmd: "load",
      url: `http://${listener.vip}:${listener.port}`,
      paths: load.paths,
      ratePerSec: load.ratePerSec,
      maxMs: this.options.processBoundSec * 1000,
      timeoutMs: load.timeoutMs,
    });
    client.send({ cmd: "mark", label: firstLabel });
    let steps: StepReport[] = [];
    let failure: unknown;
    try {
      steps = await body();
    } catch (e) {
      failure = e;
    }
    // The load stops even when a step failed, so the client is ready for the next run.
    const reply = await client.ask<LoadReply>(() => ({ cmd: "stop" }), load.timeoutMs + 30_000);
    if (failure !== undefined) throw failure;
    const durationMs = Date.now() - started;
    // HAProxy logs a request when it ends; the client may have its response a moment before the line is written.
    await untilTrue("HAProxy's log of every request", 5_000, async () => this.haproxy!.requestLog().length - loggedBefore >= reply.samples.length).catch(
      () => undefined,
    );
    return { samples: reply.samples, marks: reply.marks, lag: reply.lag, logged: this.haproxy!.requestLog().slice(loggedBefore), steps, durationMs };
  }

  private async apply(before: RolloutStep, after: RolloutStep): Promise<string[]> {
    const notes: string[] = [];
    const hosts = this.options.hosts;
    if (hosts.some((h) => memberWeight(before.hosts[h].phase) !== memberWeight(after.hosts[h].phase))) {
      const reloadStarted = Date.now();
      await this.haproxy!.reload(this.members(after.hosts));
      notes.push(`reload ${Date.now() - reloadStarted} ms`);
    }
    const replaced = hosts.filter((h) => after.hosts[h].phase === "replacing" && (before.hosts[h].phase !== "replacing" || before.hosts[h].version !== after.hosts[h].version));
    notes.push(...(await Promise.all(replaced.map((h) => this.replace(h, after.hosts[h].version)))));
    const warmed = hosts.filter((h) => after.hosts[h].phase === "warming" && before.hosts[h].phase !== "warming");
    notes.push(...(await Promise.all(warmed.map((h) => this.warm(h)))));
    this.state = { ...after.hosts };
    return notes;
  }

  private async replace(host: string, version: string): Promise<string> {
    const haproxy = this.haproxy!;
    const drainMs = await untilTrue(`${host}: no active connection through the load balancer`, this.options.drainBoundMs, async () => (await haproxy.activeSessions(host)) === 0).catch(
      () => undefined,
    );
    await this.kill(host);
    await this.startService(host, version);
    const { address } = this.hostNetwork(host);
    const health = await this.client!.ask<HealthReply>((id) => ({ cmd: "health", id, url: `http://${address}:${this.options.memberPort}${this.options.listener.healthPath}`, deadlineMs: 15_000 }), 20_000);
    if (!health.ok) throw new Error(`${host}: the new ${version} process does not answer its health endpoint (${health.last}, ${health.attempts} attempts)`);
    // One whole check interval after the start, HAProxy has checked the new process; plain UP/DRAIN means it passed.
    const checkedAfter = this.processes.get(host)!.startedAt + this.options.listener.monitor.delaySec * 1000 + 200;
    await untilTrue(`${host}: HAProxy's health check passing on the new process`, 20_000, async () => {
      const status = (await haproxy.memberStats()).get(host)?.status ?? "";
      return Date.now() >= checkedAfter && (status === "UP" || status === "DRAIN");
    });
    return drainMs === undefined
      ? `${host}: still had active connections after the ${this.options.drainBoundMs} ms bound; replaced anyway`
      : `${host}: active connections 0 after ${drainMs} ms, replaced by ${version}`;
  }

  private async warm(host: string): Promise<string> {
    const { address } = this.hostNetwork(host);
    const gate = this.options.warmUp;
    const reply = await this.client!.ask<WarmReply>(
      (id) => ({ cmd: "warm", id, url: `http://${address}:${this.options.memberPort}`, paths: gate.paths, perRound: gate.perRound, gateMs: gate.gateMs, maxRounds: gate.maxRounds, timeoutMs: this.options.load.timeoutMs }),
      gate.maxRounds * (this.options.load.timeoutMs + 1_000),
    );
    if (!reply.met) throw new Error(`${host}: the warm-up gate (a round of ${gate.perRound} within ${gate.gateMs} ms) not met in ${gate.maxRounds} rounds`);
    return `${host}: warm after ${reply.rounds.length} rounds of ${gate.perRound}`;
  }

  private async startService(host: string, version: string): Promise<void> {
    const { service, memberPort, processBoundSec } = this.options;
    const { netns, address } = this.hostNetwork(host);
    const flags = {
      address,
      port: memberPort,
      host,
      version,
      "base-ms": service.baseMs,
      "cold-requests": service.coldRequests,
      "cold-extra-ms": service.coldExtraMs,
      "lifetime-ms": processBoundSec * 1000,
    };
    const [command, args] = inNetns(netns, this.options.niceness, process.execPath, [this.scripts.service, ...Object.entries(flags).map(([k, v]) => `--${k}=${v}`)]);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stderr!.on("data", (d) => (output += d));
    this.processes.set(host, { child, version, startedAt: Date.now() });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${host}: the ${version} service did not start in 15 s: ${output}`)), 15_000);
      child.stdout!.once("data", () => {
        clearTimeout(timer);
        resolve();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${host}: the ${version} service exited (${code}): ${output}`));
      });
    });
    this.processes.set(host, { child, version, startedAt: Date.now() });
  }

  private async kill(host: string): Promise<void> {
    const running = this.processes.get(host);
    if (running === undefined) return;
    this.processes.delete(host);
    running.child.kill("SIGKILL");
    await exited(running.child, 5_000);
  }

  private members(hosts: Readonly<Record<string, HostState>>): Member[] {
    return this.options.hosts.map((h) => ({ name: h, address: this.hostNetwork(h).address, port: this.options.memberPort, weight: memberWeight(hosts[h].phase) }));
  }

  private hostNetwork(host: string): { netns: string; address: string } {
    return this.network!.hosts[this.options.hosts.indexOf(host)];
  }
}

/** Resolves when `child` has exited; rejects after `boundMs`. */
function exited(child: ChildProcess, boundMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} still running after ${boundMs} ms`)), boundMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Bundle the service and the client to plain JavaScript for node (esbuild, a dev dependency of the project). */
function bundle(out: { service: string; client: string }): void {
  const esbuild = require("esbuild") as typeof import("esbuild");
  for (const [name, outfile] of Object.entries(out)) {
    esbuild.buildSync({ entryPoints: [join(__dirname, `${name}.ts`)], outfile, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "error" });
  }
}
