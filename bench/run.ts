/**
 * `npm run bench`: synthesizes the S, M and L estates, each in a fresh process through the real CLI
 * (`node bin/estate.js synth`: policy checks, Terraform, inventories, monitoring targets and host export, written
 * atomically), and prints one JSON line per estate with the median of several runs; then builds M the naive way
 * (one cdktf construct per instance, same per-host resources, same inventories) and prints its line and the ratios.
 * Both run precompiled JavaScript (dist/, built once before timing).
 *
 * ESTATE_BENCH_RUNS sets the number of runs per estate (default 5).
 *
 * Both builds run without the calling shell's Node start-up settings: NODE_EXTRA_CA_CERTS makes every Node process
 * read and parse a certificate bundle before it runs any code (70–120 ms per start on the development machine,
 * where the sandbox sets it; neither build opens a TLS connection), and NODE_OPTIONS can preload anything.
 * ESTATE_BENCH_KEEP_ENV=1 measures with them kept; the README gives figures both ways.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadEnvironment } from "../model";
import { benchEnvironment, SIZES, type EstateSize } from "./estates";

const { build, ensureBuilt } = require("../scripts/build-js") as { build: () => void; ensureBuilt: (entry: string) => string };

const ROOT = resolve(__dirname, "..");
const WORK = join(ROOT, "bench", ".work");
const RUNS = Number(process.env.ESTATE_BENCH_RUNS ?? 5);
const STARTUP_SETTINGS = ["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS"];
const KEEP_ENV = process.env.ESTATE_BENCH_KEEP_ENV === "1";

/** The environment of a benchmarked process: the caller's, without Node start-up settings unless asked to keep them. */
function benchEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!KEEP_ENV) for (const name of STARTUP_SETTINGS) delete env[name];
  return env;
}

interface Sample {
  wall_s: number;
  peak_rss_mb: number;
  output_bytes: number;
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function runOnce(args: string[], env: Record<string, string>, outdir: string): Sample {
  const usage = join(WORK, "rusage.json");
  rmSync(outdir, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["-r", join(ROOT, "bench", "rusage.js"), ...args], {
    cwd: ROOT,
    env: benchEnv({ ...env, ESTATE_BENCH_RUSAGE: usage }),
    encoding: "utf8",
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`benchmark run failed (${args.join(" ")}):\n${run.stderr}`);
  const rss = JSON.parse(readFileSync(usage, "utf8")).maxRSS / 1024;
  return { wall_s: wall, peak_rss_mb: rss, output_bytes: treeBytes(outdir) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Job {
  estate: string;
  instances: number;
  args: string[];
  env: Record<string, string>;
  outdir: string;
}
type Line = Sample & { estate: string; instances: number; runs: number };

/**
 * Runs each job RUNS times, round-robin, so that jobs compared with each other (ours and naive at M) see the same
 * machine: a slow spell of this shared machine then slows both instead of skewing their ratio.
 */
function measureTogether(jobs: Job[]): Line[] {
  const samples = jobs.map(() => [] as Sample[]);
  for (let run = 0; run < RUNS; run++) jobs.forEach((job, i) => samples[i].push(runOnce(job.args, job.env, job.outdir)));
  return jobs.map((job, i) => summarize(job, samples[i]));
}

function summarize({ estate, instances }: Job, samples: Sample[]): Line {
  return {
    estate,
    instances,
    wall_s: round(median(samples.map((s) => s.wall_s))),
    peak_rss_mb: Math.round(median(samples.map((s) => s.peak_rss_mb))),
    output_bytes: samples[samples.length - 1].output_bytes,
    runs: RUNS,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function environmentFile(size: EstateSize): { file: string; instances: number } {
  const file = join(WORK, `${size.name}.yaml`);
  writeFileSync(file, benchEnvironment(size));
  return { file, instances: loadEnvironment(file).hosts.length };
}

mkdirSync(WORK, { recursive: true });
const dropped = KEEP_ENV ? [] : STARTUP_SETTINGS.filter((name) => process.env[name] !== undefined);
if (dropped.length > 0) process.stderr.write(`bench: measured processes run without ${dropped.join(", ")} (ESTATE_BENCH_KEEP_ENV=1 keeps them)\n`);
build();
const estates = new Map(SIZES.map((size) => [size.name, { ...environmentFile(size), outdir: join(WORK, `out-${size.name}`) }]));
const oursJob = (name: EstateSize["name"]): Job => {
  const { file, instances, outdir } = estates.get(name)!;
  return { estate: name, instances, args: ["bin/estate.js", "synth", "--env", file, "--out", outdir], env: {}, outdir };
};
const m = estates.get("M")!;
const naiveOut = join(WORK, "out-M-naive");
const naiveBundle = ensureBuilt("bench-naive");
const naiveJob = (estate: string, env: Record<string, string>): Job => ({ estate, instances: m.instances, args: [naiveBundle, m.file, naiveOut], env, outdir: naiveOut });

// One untimed run writes the CLI's code cache, as the first run after every build does (see scripts/build-js.js).
const warmUp = oursJob("S");
runOnce(warmUp.args, warmUp.env, warmUp.outdir);
// S and L alone; M in turn with both naive builds, which it is compared with.
const [lineS] = measureTogether([oursJob("S")]);
const [lineM, naive, tuned] = measureTogether([oursJob("M"), naiveJob("M-naive", {}), naiveJob("M-naive-tuned", { ESTATE_NAIVE_TUNED: "1" })]);
const [lineL] = measureTogether([oursJob("L")]);
for (const line of [lineS, lineM, lineL, naive, tuned]) process.stdout.write(`${JSON.stringify(line)}\n`);
process.stdout.write(
  `${JSON.stringify({
    naive_over_ours_at_M: round(naive.wall_s / lineM.wall_s),
    naive_tuned_over_ours_at_M: round(tuned.wall_s / lineM.wall_s),
    L_over_M: round(lineL.wall_s / lineM.wall_s),
  })}\n`,
);
