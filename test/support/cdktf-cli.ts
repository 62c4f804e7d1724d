/**
 * The real cdktf CLI (the devDependency cdktf-cli) on a project of its own: a temporary directory with a cdktf.json
 * whose app is this repository's launcher, environment files, and a Terraform CLI config that installs the AWS
 * provider only from the offline mirror (every other provider goes to its registry, unreachable here).
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "./main-process";
import { terraformEnv, writeCliConfig } from "./terraform";

export const CDKTF_BIN = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

export interface CdktfProject {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** A cdktf project in `dir` running this repository's app over the given environment files. */
export function makeCdktfProject(dir: string, environmentFiles: readonly string[], mirror: string): CdktfProject {
  mkdirSync(join(dir, "environments"), { recursive: true });
  for (const file of environmentFiles) copyFileSync(file, join(dir, "environments", file.split("/").pop()!));
  const cdktfJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ ...cdktfJson, app: `node ${join(PROJECT_ROOT, "bin", "cdktf-app.js")}`, codeMakerOutput: join(PROJECT_ROOT, ".gen") }, null, 2));
  const env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(dir, mirror), AWS_EC2_METADATA_DISABLED: "true", CI: "1", FORCE_COLOR: "0", NO_COLOR: "1" });
  for (const name of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ESTATE_ENV", "ESTATE_DRAIN", "CDKTF_OUTDIR", "NODE_OPTIONS"]) delete env[name];
  return { dir, env };
}

export interface CdktfResult {
  readonly status: number | null;
  /** stdout and stderr together, terminal escapes removed. */
  readonly output: string;
}

/** Runs `cdktf <args>` in the project; killed after `timeoutMs`. */
export function runCdktf(project: CdktfProject, args: readonly string[], extraEnv: Record<string, string> = {}, timeoutMs = 240_000): Promise<CdktfResult> {
  return new Promise((done, fail) => {
    const child = spawn(CDKTF_BIN, [...args], { cwd: project.dir, env: { ...project.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", fail);
    // eslint-disable-next-line no-control-regex
    child.on("close", (status) => done({ status, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "") }));
  });
}
