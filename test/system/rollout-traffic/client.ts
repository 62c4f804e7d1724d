/**
 * The client side of the traffic proof, its own process in the load balancer's network namespace (bundled to
 * JavaScript by the harness): an open-loop load generator towards the listener, and the health and warm-up client
 * that talks to hosts directly. Commands and replies: `protocol.ts`, one JSON object per line on stdin/stdout.
 *
 * Open loop: request i is due at i × 1000/rate ms after the start whatever happened to earlier ones, every request
 * on its own connection, and its latency counts from when it was due. A stalled load balancer or client shows as
 * latency of every request that should have gone out meanwhile (a closed-loop generator, which waits for a
 * response before the next request, would send fewer requests instead and hide the stall).
 *
 * Exits when stdin closes (the harness went away).
 */
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import type { ClientCommand, ClientReply, HealthCommand, LoadCommand, Sample, WarmCommand } from "./protocol";
import { SERVED_BY_HEADER, VERSION_HEADER } from "./protocol";

const LAG_TICK_MS = 10;

interface Outcome {
  readonly error: string;
  readonly host: string;
  readonly version: string;
}

const reply = (message: ClientReply): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

/** One GET on a fresh connection; resolves (never rejects) once the whole body arrived or it failed. */
function get(url: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(url, { agent: false }, (res) => {
      const host = String(res.headers[SERVED_BY_HEADER] ?? "");
      const version = String(res.headers[VERSION_HEADER] ?? "");
      res.resume();
      res.on("end", () => settle({ error: res.statusCode === 200 ? "" : `status ${res.statusCode}`, host, version }));
      res.on("error", (e: NodeJS.ErrnoException) => settle({ error: e.code ?? e.message, host, version }));
      res.on("aborted", () => settle({ error: "aborted", host, version }));
    });
    const timer = setTimeout(() => {
      settle({ error: "timeout", host: "", version: "" });
      req.destroy();
    }, timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => settle({ error: e.code ?? e.message, host: "", version: "" }));
    req.end();
  });
}

class Load {
  private readonly start = performance.now();
  private readonly samples: Sample[] = [];
  private readonly marks: { label: string; atMs: number }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private next = 0;
  private stopped = false;
  private truncated = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly lags: number[] = [];
  private readonly lagTicker: NodeJS.Timeout;

  constructor(private readonly command: LoadCommand) {
    this.tick();
    let expected = performance.now() + LAG_TICK_MS;
    this.lagTicker = setInterval(() => {
      const now = performance.now();
      this.lags.push(Math.max(0, now - expected));
      expected = now + LAG_TICK_MS;
    }, LAG_TICK_MS);
  }

  mark(label: string): void {
    this.marks.push({ label, atMs: performance.now() - this.start });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.lagTicker);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    const lags = [...this.lags].sort((a, b) => a - b);
    const lag = { p99Ms: lags[Math.ceil(lags.length * 0.99) - 1] ?? 0, maxMs: lags[lags.length - 1] ?? 0 };
    reply({ type: "load", samples: this.samples, marks: this.marks, lag, truncated: this.truncated });
  }

  private tick(): void {
    const interval = 1000 / this.command.ratePerSec;
    const now = performance.now();
    while (!this.stopped && this.next * interval <= now - this.start) {
      if (this.next * interval > this.command.maxMs) {
        this.stopped = true;
        this.truncated = true;
        return;
      }
      this.send(this.next * interval);
      this.next += 1;
    }
    if (!this.stopped) this.timer = setTimeout(() => this.tick(), Math.max(0, this.start + this.next * interval - performance.now()));
  }

  private send(dueMs: number): void {
    const { url, paths, timeoutMs } = this.command;
    const path = paths[this.next % paths.length];
    const done = get(`${url}${path}`, timeoutMs).then((outcome) => {
      this.samples.push({ sentAtMs: dueMs, latencyMs: performance.now() - this.start - dueMs, ...outcome });
      this.inFlight.delete(done);
    });
    this.inFlight.add(done);
  }
}

async function health(command: HealthCommand): Promise<void> {
  const deadline = performance.now() + command.deadlineMs;
  let attempts = 0;
  let last = "";
  for (;;) {
    attempts += 1;
    const outcome = await get(command.url, 2_000);
    last = outcome.error === "" ? "200" : outcome.error;
    if (outcome.error === "" || performance.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  reply({ type: "health", id: command.id, ok: last === "200", attempts, last });
}

async function warm(command: WarmCommand): Promise<void> {
  const rounds: (number | null)[][] = [];
  let met = false;
  while (!met && rounds.length < command.maxRounds) {
    const latencies = await Promise.all(
      Array.from({ length: command.perRound }, async (_, i) => {
        const started = performance.now();
        const outcome = await get(`${command.url}${command.paths[i % command.paths.length]}`, command.timeoutMs);
        return outcome.error === "" ? performance.now() - started : null;
      }),
    );
    rounds.push(latencies);
    met = latencies.every((ms) => ms !== null && ms <= command.gateMs);
  }
  reply({ type: "warm", id: command.id, met, rounds });
}

let load: Load | undefined;
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = JSON.parse(line) as ClientCommand;
  switch (command.cmd) {
    case "load":
      load = new Load(command);
      break;
    case "mark":
      load?.mark(command.label);
      break;
    case "stop":
      void load?.stop();
      load = undefined;
      break;
    case "health":
      void health(command);
      break;
    case "warm":
      void warm(command);
      break;
  }
});
lines.on("close", () => process.exit(0));
