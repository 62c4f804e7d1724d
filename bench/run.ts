/**
 * `npm run bench`: synthesizes the S, M and L estates, each in a fresh process through the real CLI
 * (`node bin/estate.js synth`: policy checks, Terraform, inventories, monitoring targets and host export, written
 * atomically), and prints one JSON line per estate with the median of several runs; then builds M the naive way
 * (one cdktf construct per instance, same per-host resources, same inventories) and prints its line and the ratios.
 * Both run precompiled JavaScript (dist/, built once before timing).
 *
 * ESTATE_BENCH_RUNS sets the number of runs per estate (default 5).
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
    env: { ...process.env, ...env, ESTATE_BENCH_RUSAGE: usage },
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

function measure(estate: string, instances: number, args: string[], env: Record<string, string>, outdir: string): Sample & { estate: string; instances: number; runs: number } {
  const samples = Array.from({ length: RUNS }, () => runOnce(args, env, outdir));
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
build();
const ours = new Map<string, number>();
for (const size of SIZES) {
  const { file, instances } = environmentFile(size);
  const outdir = join(WORK, `out-${size.name}`);
  const line = measure(size.name, instances, ["bin/estate.js", "synth", "--env", file, "--out", outdir], {}, outdir);
  ours.set(size.name, line.wall_s);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
const m = SIZES.find((s) => s.name === "M")!;
const { file, instances } = environmentFile(m);
const naiveOut = join(WORK, "out-M-naive");
const naive = measure("M-naive", instances, [ensureBuilt("bench-naive"), file, naiveOut], {}, naiveOut);
process.stdout.write(`${JSON.stringify(naive)}\n`);
const tuned = measure("M-naive-tuned", instances, [ensureBuilt("bench-naive"), file, naiveOut], { ESTATE_NAIVE_TUNED: "1" }, naiveOut);
process.stdout.write(`${JSON.stringify(tuned)}\n`);
process.stdout.write(
  `${JSON.stringify({
    naive_over_ours_at_M: round(naive.wall_s / ours.get("M")!),
    naive_tuned_over_ours_at_M: round(tuned.wall_s / ours.get("M")!),
    L_over_M: round(ours.get("L")! / ours.get("M")!),
  })}\n`,
);
