/**
 * Proof with real traffic that a golden-image rollout, in the sequence of states the rollout model gives for a site
 * (`siteRolloutSteps`: per batch drain → replace → warm → restore, checked by `rolloutInvariantViolations`), fails no request and keeps p99 at its steady level, and that the warm-up gate is what keeps it there.
 * Real parts: hosts as network namespaces running a service whose first requests after a start are slow, HAProxy
 * configured and reloaded as an Octavia amphora, an open-loop load generator (test/system/rollout-traffic/).
 *
 * Site os-a of the bundled dev estate with 4 web and 3 api hosts per site: 7 hosts of debian12, batch 2, started with the real
 * `estate rollout start`. In this order: steady state (every host warm on 2026.11.1); the model's rollout to
 * 2026.12.1; the model's next rollout (to 2027.01.1) without its warm-up steps; a control that kills 2 serving
 * hosts without draining them.
 *
 * Why the margins hold on a busy 2-core machine (other tests run meanwhile; measured here at load average 15-21,
 * with stalls of the whole machine of up to 1 s that even the client's own timer sees):
 * - Every request costs 2000 ms of waiting in the service, not computing, so CPU contention and stalls add only
 *   their own tail, alike in steady state and during the rollout; with 2 of 7 hosts out, the 5 others take 20
 *   instead of 14 requests/s, which a waiting service absorbs without queueing. p99 ≤ 1.5 × steady p99 (≥ 3000 ms)
 *   leaves ≥ 1000 ms for the rollout's own work (reloads, process starts, warm-up requests) and for a stall that
 *   hits the rollout but missed the steady state. All processes under test run at nice -10, so the builds sharing
 *   the machine are not what decides the tail.
 * - A cold host answers its first 20 requests in ≥ 8000 ms. Without the gate every replaced host takes those 20
 *   from live traffic: 140 slow requests, more than 1 % of the run while it has fewer than 14000 requests
 *   (2 minutes 20 s at 100 requests/s; it takes about 35 s), so its p99 is ≥ 8000 ms. The ≥ 2× assertion can only fail
 *   if the gated p99 exceeds 4000 ms, which fails the 1.5× assertion first unless the steady p99 was ≥ 2667 ms.
 * - Zero failures is deterministic, not statistical: a host is killed only after HAProxy counts no active
 *   connection to it, and the control shows that the same kill without the drain does fail requests.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parseEnvironmentText, rolloutInvariantViolations, siteRolloutSteps, type EnvironmentFile } from "../../model";
import { TrafficSite, type RunResult, type TrafficSiteOptions } from "./rollout-traffic/site";
import { withoutWarmUp, type RolloutStep } from "./rollout-traffic/steps";
import { percentile, runFigures, type RunFigures } from "./rollout-traffic/stats";
import { hasCommand, scratchDirs } from "../support/tools";
import { DEV_ENV_FILE, estate } from "../cli/estate";

const BATCH = 2;
const NETNS_PREFIX = "rt";
const IMAGE = "debian12";
const SITE = "os-a";
const [V1, V2, V3, V4] = ["2026.11.1", "2026.12.1", "2027.01.1", "2027.02.1"];
const scratch = scratchDirs();

/**
 * The estate of the proof: environments/dev.yaml with 4 web and 3 api hosts per site (both run debian12, so os-a
 * runs 7 hosts of it), and a rollout of debian12 to 2026.12.1 in batches of 2 started by the real `estate rollout start`.
 */
function proofEstate(): EnvironmentFile {
  const file = join(scratch("estate-rollout-proof-"), "dev.yaml");
  const doc = parseDocument(readFileSync(DEV_ENV_FILE, "utf8"));
  const services = doc.get("services") as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
  services.items.find((s) => s.get("name") === "web")!.set("instancesPerSite", 4);
  // Three api hosts: a batch of 2 then never empties a site's api pool (refused while the site takes traffic).
  services.items.find((s) => s.get("name") === "api")!.set("instancesPerSite", 3);
  writeFileSync(file, doc.toString());
  const started = estate(["rollout", "start", "--env", file, "--to", V2, "--batch", String(BATCH)]);
  if (started.status !== 0) throw new Error(`estate rollout start failed: ${started.stderr}`);
  return parseEnvironmentText(readFileSync(file, "utf8"), file);
}

/** The same estate one rollout later: the image runs `from` and rolls out to `to` (the model's steps only). */
function rolledOn(env: EnvironmentFile, from: string, to: string): EnvironmentFile {
  return { ...env, images: env.images.map((i) => (i.name === IMAGE ? { ...i, version: from, rollout: { ...i.rollout!, version: to } } : i)) };
}

const ESTATE = proofEstate();
const GATED = siteRolloutSteps(ESTATE, IMAGE, SITE);
const UNGATED = withoutWarmUp(siteRolloutSteps(rolledOn(ESTATE, V2, V3), IMAGE, SITE));
const HOSTS = Object.keys(GATED[0].hosts);

describe("the sequences the proof replays, from the rollout model", () => {
  it("GIVEN os-a's 7 debian12 hosts, batch 2 THEN the model drains, replaces, warms and restores 4 batches, within the invariant", () => {
    expect(GATED.map((s) => s.label)).toEqual([
      "os-a: every host serving 2026.11.1",
      ...[
        ["1/4", "dev-os-a-web-001, dev-os-a-web-002"],
        ["2/4", "dev-os-a-web-003, dev-os-a-web-004"],
        ["3/4", "dev-os-a-api-001, dev-os-a-api-002"],
        ["4/4", "dev-os-a-api-003"],
      ].flatMap(([n, hosts]) => ["drain", "replace", "warm", "restore"].map((verb) => `os-a batch ${n}: ${verb} ${hosts}`)),
    ]);
    expect(GATED[GATED.length - 1].hosts["dev-os-a-api-003"]).toEqual({ phase: "serving", version: V2 });
    expect(rolloutInvariantViolations(GATED, BATCH)).toEqual([]);
  });

  it("GIVEN the next rollout without its warm-up steps THEN 13 steps remain, still within the invariant", () => {
    expect(UNGATED).toHaveLength(13);
    expect(UNGATED[0].hosts["dev-os-a-web-001"]).toEqual({ phase: "serving", version: V2 });
    expect(UNGATED.map((s) => s.label).filter((l) => l.includes("warm"))).toEqual([]);
    expect(rolloutInvariantViolations(UNGATED, BATCH)).toEqual([]);
  });
});

describe("percentile", () => {
  it("GIVEN 1..200 THEN the nearest-rank p50, p99 and p100 are 100, 198 and 200", () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).toEqual([100, 198, 200]);
  });
});

/** Why the traffic proof cannot run here, or undefined when it can. */
function trafficProofUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root for network namespaces";
  const missing = ["ip", "haproxy", "timeout"].filter((tool) => !hasCommand(tool));
  if (missing.length > 0) return `${missing.join(", ")} not installed (Debian: apt-get install iproute2 haproxy coreutils)`;
  const probe = `${NETNS_PREFIX}${process.pid}-probe`;
  const add = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (add.status !== 0) return `ip netns add fails here: ${add.stderr.trim()}`;
  spawnSync("ip", ["netns", "del", probe]);
  return undefined;
}

const unavailable = trafficProofUnavailable();
const title = `rollout under real traffic: ${HOSTS.length} hosts behind HAProxy, batch ${BATCH}${unavailable ? ` (skipped: ${unavailable})` : ""}`;

describe.skipIf(unavailable !== undefined)(title, () => {
  const RATE = 100;
  const STEADY_MS = 10_000;
  const TAIL_MS = 2_000;
  const options = (workDir: string): TrafficSiteOptions => ({
    prefix: NETNS_PREFIX,
    hosts: HOSTS,
    version: V1,
    service: { baseMs: 2_000, coldRequests: 20, coldExtraMs: 6_000 },
    warmUp: { paths: ["/", "/static/app.js"], perRound: 20, gateMs: 3_000, maxRounds: 10 },
    load: { ratePerSec: RATE, paths: ["/", "/static/app.js"], timeoutMs: 30_000 },
    listener: { vip: "127.0.0.1", port: 8080, healthPath: "/healthz", monitor: { delaySec: 1, timeoutSec: 1, rise: 2, fall: 3 } },
    memberPort: 8080,
    stepDwellMs: 500,
    drainBoundMs: 10_000,
    niceness: -10,
    processBoundSec: 600,
    workDir,
  });
  const figures: Record<string, RunFigures> = {};
  let site: TrafficSite | undefined;

  beforeAll(async () => {
    const o = options(scratch("estate-rollout-traffic-"));
    console.log(
      `traffic proof: ${o.hosts.length} hosts, batch ${BATCH}, ${o.load.ratePerSec} requests/s open loop, service time ${o.service.baseMs} ms, ` +
        `first ${o.service.coldRequests} requests after a start +${o.service.coldExtraMs} ms, warm-up gate: a round of ${o.warmUp.perRound} within ${o.warmUp.gateMs} ms`,
    );
    site = await TrafficSite.start(o);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    const rows = Object.entries(figures).map(
      ([name, f]) => `${name.padEnd(44)} ${String(f.requests).padStart(8)} ${String(f.failures).padStart(8)} ${[f.p50Ms, f.p99Ms, f.maxMs].map((ms) => ms.toFixed(0).padStart(7)).join(" ")}`,
    );
    if (rows.length > 0) console.log([`${"run".padEnd(44)} requests failures  p50 ms  p99 ms  max ms`, ...rows].join("\n"));
  }, 60_000);

  /** Print a run's figures and per-step lines; keep its figures for the comparisons. */
  function report(name: string, run: RunResult): RunFigures {
    const f = runFigures(run.samples);
    figures[name] = f;
    const retried = run.logged.filter((l) => l.retries > 0).length;
    const haproxyP99 = run.logged.length > 0 ? percentile(run.logged.map((l) => l.activeMs), 99).toFixed(0) : "-";
    const lines = [
      `${name}: ${f.requests} requests in ${(run.durationMs / 1000).toFixed(1)} s, ${f.failures} failed${f.failures ? ` ${JSON.stringify(f.errors)}` : ""}, ` +
        `p50 ${f.p50Ms.toFixed(0)} ms, p99 ${f.p99Ms.toFixed(0)} ms, max ${f.maxMs.toFixed(0)} ms`,
      `  HAProxy: ${run.logged.length} requests logged, ${retried} retried on another member, p99 ${haproxyP99} ms of its own; ` +
        `client timer lag p99 ${run.lag.p99Ms.toFixed(0)} ms, max ${run.lag.maxMs.toFixed(0)} ms`,
    ];
    run.marks.forEach((mark, i) => {
      const begin = i === 0 ? 0 : mark.atMs;
      const end = run.marks[i + 1]?.atMs ?? Infinity;
      const inStep = run.samples.filter((s) => s.sentAtMs >= begin && s.sentAtMs < end);
      if (inStep.length === 0 || run.marks.length === 1) return;
      const sf = runFigures(inStep);
      const notes = run.steps.find((s) => s.label === mark.label)?.notes.join("; ") ?? "";
      lines.push(`  ${mark.label.padEnd(30)} ${String(sf.requests).padStart(5)} req ${String(sf.failures).padStart(3)} failed  p99 ${sf.p99Ms.toFixed(0).padStart(5)} ms  ${notes}`);
    });
    console.log(lines.join("\n"));
    return f;
  }

  const versionsAfter = (run: RunResult, atMs: number) => new Set(run.samples.filter((s) => s.sentAtMs >= atMs).map((s) => s.version));

  it("GIVEN every host warm on the old version WHEN loaded at a fixed rate THEN no request fails (steady state)", async () => {
    const run = await site!.measure(`steady state ${V1}`, STEADY_MS);
    const f = report("steady state", run);
    expect(f.requests).toBeGreaterThanOrEqual((RATE * STEADY_MS) / 1000 - 1);
    expect(f.failures, JSON.stringify(f.errors)).toBe(0);
  }, 60_000);

  it("GIVEN the model's rollout WHEN replayed under load THEN no request fails and p99 stays within 1.5× steady state", async () => {
    const run = await site!.replay(GATED, BATCH, TAIL_MS);
    const f = report(`gated rollout ${V1} → ${V2}`, run);
    expect(f.failures, JSON.stringify(f.errors)).toBe(0);
    // HAProxy's own log backs the two checks below; it may miss a line (one run here logged 2224 of 2225 requests).
    expect(run.logged.length, "requests HAProxy logged").toBeGreaterThanOrEqual(0.99 * f.requests);
    expect(run.logged.filter((l) => l.retries > 0), "requests HAProxy had to retry on another member").toEqual([]);
    expect(run.logged.filter((l) => l.status !== "200" || l.termination !== "----"), "requests HAProxy did not end normally").toEqual([]);
    expect(f.p99Ms).toBeLessThanOrEqual(1.5 * figures["steady state"].p99Ms);
    const last = run.marks[run.marks.length - 1];
    expect([...versionsAfter(run, last.atMs)]).toEqual([V2]);
    expect(new Set(run.samples.filter((s) => s.sentAtMs >= last.atMs).map((s) => s.host))).toEqual(new Set(HOSTS));
    expect(new Set(run.samples.map((s) => s.version))).toEqual(new Set([V1, V2]));
  }, 180_000);

  it("GIVEN the model's next rollout without the warm-up steps WHEN replayed THEN its p99 is at least 2× the gated one", async () => {
    const run = await site!.replay(UNGATED, BATCH, TAIL_MS);
    const f = report(`ungated rollout ${V2} → ${V3}`, run);
    expect(f.failures, JSON.stringify(f.errors)).toBe(0);
    expect(f.p99Ms).toBeGreaterThanOrEqual(2 * figures[`gated rollout ${V1} → ${V2}`].p99Ms);
  }, 180_000);

  it("GIVEN a sequence that replaces a serving host WHEN replayed THEN the harness refuses it before touching the site", async () => {
    const [start] = siteRolloutSteps(rolledOn(ESTATE, V3, V4), IMAGE, SITE);
    const unsafe: RolloutStep = { label: "replace web-001 at once", hosts: { ...start.hosts, "dev-os-a-web-001": { phase: "replacing", version: V4 } } };
    await expect(site!.replay([start, unsafe], BATCH, 0)).rejects.toThrow(
      'refusing to replay an unsafe rollout:\nstep 1 "replace web-001 at once": host dev-os-a-web-001 is replaced while in service at step 0 "os-a: every host serving 2027.01.1"; drain it in a step before',
    );
  });

  it("GIVEN 2 serving hosts WHEN killed without a drain (control) THEN requests fail", async () => {
    const run = await site!.killServing(HOSTS.slice(0, 2), 3_000);
    const f = report(`control: ${HOSTS.slice(0, 2).join(" ")} killed while serving`, run);
    expect(f.failures).toBeGreaterThan(0);
  }, 60_000);
});
