import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The project root: main.ts and tsx resolve from here whatever the child's working directory. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");
export const MAIN_TS = resolve(PROJECT_ROOT, "main.ts");

export interface ProcessResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real cdktf app entry, `node --import tsx main.ts`, as `cdktf synth` does, with the given environment
 * variables on top of a clean copy of this process's environment.
 */
export function runMain(env: Record<string, string>, cwd: string = PROJECT_ROOT, timeoutMs = 120_000): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(require.resolve("tsx")).href, MAIN_TS], {
      cwd,
      env: { ...cleanEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", fail);
    child.on("close", (status, signal) => done({ status, signal, stdout, stderr }));
  });
}

/** This process's environment without the variables that steer synthesis, so each run states its own. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["ESTATE_ENV", "ESTATE_DRAIN", "CDKTF_OUTDIR", "NODE_OPTIONS", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID"]) delete env[name];
  return env;
}

/** Maps `items` through `work` with at most `limit` running at once, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
