/** Runs the real `estate` CLI as a separate process, the way CI and people run it. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const PROJECT = resolve(__dirname, "..", "..");
export const ESTATE_BIN = join(PROJECT, "bin", "estate.js");
export const DEV_ENV_FILE = join(PROJECT, "environments", "dev.yaml");

export interface EstateRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` adds to (or overrides) this process's environment for the run. */
export function estate(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): EstateRun {
  const r = spawnSync(process.execPath, [ESTATE_BIN, ...args], {
    cwd: options.cwd ?? PROJECT,
    encoding: "utf8",
    env: { ...process.env, ...options.env, NO_COLOR: "1" },
    timeout: 120_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const created: string[] = [];

export function tempDir(prefix = "estate-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory tempDir() made in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of environments/dev.yaml in a fresh temp directory (named dev.yaml, so the environment is still "dev"). */
export function devCopy(): string {
  const file = join(tempDir("estate-cli-env-"), "dev.yaml");
  copyFileSync(DEV_ENV_FILE, file);
  return file;
}
