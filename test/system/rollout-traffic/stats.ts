/** Figures of one load run: requests, failures, latency percentiles. */
import type { Sample } from "./protocol";

/** The nearest-rank percentile `p` (0 < p ≤ 100) of `values`: the smallest value with at least p % of values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** Figures of a run; latencies (ms) over every request, failed ones included (a failure's latency is when it failed). */
export interface RunFigures {
  readonly requests: number;
  readonly failures: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Failed requests by error ("status 502", "ECONNRESET", "timeout"…). */
  readonly errors: Readonly<Record<string, number>>;
}

export function runFigures(samples: readonly Sample[]): RunFigures {
  const latencies = samples.map((s) => s.latencyMs);
  const failed = samples.filter((s) => s.error !== "");
  const errors: Record<string, number> = {};
  for (const s of failed) errors[s.error] = (errors[s.error] ?? 0) + 1;
  return {
    requests: samples.length,
    failures: failed.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    errors,
  };
}
