/**
 * Real `terraform validate` against the offline AWS provider mirror, for tests.
 *
 * The CLI config installs hashicorp/aws only from the filesystem mirror (never the network); `terraform init` links
 * the provider binary (~700 MB) from the mirror rather than copying it, into one data directory (TF_DATA_DIR)
 * shared by every run of a test file. Stacks are validated in copies of their synthesized directories.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Overrides the mirror search: a directory in the filesystem_mirror layout (`<host>/<namespace>/<type>/...`). */
export const PLUGIN_MIRROR_ENV = "ESTATE_TF_PLUGIN_MIRROR";
export const AWS_PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws";
export const AWS_PROVIDER_VERSION = "5.100.0";
/** Where offline provider mirrors usually live, in search order (after the environment variable). */
export const CANDIDATE_PLUGIN_MIRRORS: readonly string[] = [
  "/opt/tf-plugins",
  join(homedir(), ".terraform.d", "plugins"),
  join(homedir(), ".local", "share", "terraform", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
];

const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/** True when `dir` holds the pinned AWS provider for this platform, unpacked or as a zip. */
export function mirrorHasAwsProvider(dir: string): boolean {
  const base = join(dir, ...AWS_PROVIDER_SOURCE.split("/"));
  const unpacked = join(base, AWS_PROVIDER_VERSION, PLATFORM);
  if (isDir(unpacked) && readdirSync(unpacked).some((f) => f.startsWith("terraform-provider-aws"))) return true;
  return existsSync(join(base, `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${PLATFORM}.zip`));
}

/** The plugin mirror to use, with the reason when there is none. */
export function findPluginMirror(): { dir?: string; reason: string } {
  const override = process.env[PLUGIN_MIRROR_ENV];
  if (override) {
    const dir = resolve(override);
    return mirrorHasAwsProvider(dir)
      ? { dir, reason: `${PLUGIN_MIRROR_ENV}=${override}` }
      : { reason: `${PLUGIN_MIRROR_ENV}=${override} does not hold ${AWS_PROVIDER_SOURCE} ${AWS_PROVIDER_VERSION} for ${PLATFORM}` };
  }
  const dir = CANDIDATE_PLUGIN_MIRRORS.find(mirrorHasAwsProvider);
  return dir
    ? { dir, reason: `found in ${dir}` }
    : { reason: `no provider mirror with ${AWS_PROVIDER_SOURCE} ${AWS_PROVIDER_VERSION} (${PLATFORM}) in ${CANDIDATE_PLUGIN_MIRRORS.join(", ")}; set ${PLUGIN_MIRROR_ENV}` };
}

/** Whether terraform and the mirror are both there; `reason` says what is missing (or what was found). */
export function terraformAvailable(): { ok: boolean; reason: string } {
  const version = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: terraformEnv(), timeout: 30_000 });
  if (version.error || version.status !== 0) {
    return { ok: false, reason: `terraform is not runnable: ${version.error?.message ?? version.stderr.trim()}` };
  }
  const mirror = findPluginMirror();
  if (!mirror.dir) return { ok: false, reason: mirror.reason };
  const tf = JSON.parse(version.stdout) as { terraform_version: string };
  return { ok: true, reason: `terraform ${tf.terraform_version}, AWS provider ${mirror.reason}` };
}

/** A CLI config that installs the AWS provider only from the mirror and never from the network. */
export function cliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(AWS_PROVIDER_SOURCE)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export function writeCliConfig(dir: string, mirror: string): string {
  const file = join(dir, "terraformrc");
  writeFileSync(file, cliConfig(mirror));
  return file;
}

export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string };
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The raw output, for the failure message when terraform did not print JSON. */
  readonly output: string;
}

/** A synthesized stack directory (the one holding cdk.tf.json) to validate, under a label for the results. */
export interface StackDir {
  readonly label: string;
  readonly dir: string;
}

/**
 * Validates many synthesized stacks against the real provider schema while paying for the provider only once.
 *
 * Loading the AWS provider dominates: terraform hashes the ~700 MB binary against the lock file and asks it for
 * its schema on every run, several seconds each. So the stacks are copied side by side into one configuration
 * that calls each of them as a child module, initialised and validated once; each diagnostic is attributed to
 * its stack by file name (verified: errors in several stacks are all reported). A child module is validated
 * exactly like a root module, except that its backend block is ignored (terraform warns; that warning is dropped
 * here). A structural error in one stack (one terraform finds while loading the configuration, before any
 * schema check) stops it before it checks the others: that stack fails, so the run is red either way. `validateAsRoot` runs the plain per-stack
 * `terraform validate` in the copy, as `cdktf deploy` would see it, for the stacks where that fidelity matters.
 */
export class TerraformValidator {
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly stacks: readonly (StackDir & { readonly module: string })[];

  /** Copies the stacks into one configuration and runs `terraform init` there; throws with its output when it fails. */
  static async create(mirror: string, stacks: readonly StackDir[]): Promise<TerraformValidator> {
    const validator = new TerraformValidator(mkdtempSync(join(tmpdir(), "estate-tf-")), mirror, stacks);
    await validator.init();
    return validator;
  }

  private constructor(root: string, mirror: string, stacks: readonly StackDir[]) {
    this.root = root;
    this.env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(root, mirror), TF_DATA_DIR: join(root, "data") });
    this.stacks = stacks.map((s, i) => ({ ...s, module: `stack${i}` }));
  }

  private get configDir(): string {
    return join(this.root, "config");
  }

  private async init(): Promise<void> {
    const config = this.configDir;
    mkdirSync(config);
    const modules: Record<string, { source: string }> = {};
    for (const s of this.stacks) {
      const copy = join(config, s.module);
      cpSync(s.dir, copy, { recursive: true });
      rmSync(join(copy, ".terraform"), { recursive: true, force: true });
      modules[s.module] = { source: `./${s.module}` };
    }
    const required = { aws: { source: AWS_PROVIDER_SOURCE, version: AWS_PROVIDER_VERSION } };
    writeFileSync(join(config, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required }, module: modules }, null, 2));
    const res = await run(["init", "-backend=false", "-input=false", "-no-color"], config, this.env);
    if (res.code !== 0) throw new Error(`terraform init failed in ${config}:\n${res.stdout}\n${res.stderr}`);
  }

  /** One `terraform validate` over every stack; results by label. */
  async validateAll(): Promise<Map<string, ValidateResult>> {
    const res = await run(["validate", "-json", "-no-color"], this.configDir, this.env);
    const parsed = parseValidate(res);
    const results = new Map<string, ValidateResult>();
    for (const s of this.stacks) {
      const mine = parsed.diagnostics.filter((d) => !d.range || d.range.filename.startsWith(`${s.module}/`)).filter((d) => d.summary !== "Backend configuration ignored");
      const errors = mine.filter((d) => d.severity === "error").length;
      results.set(s.label, {
        valid: parsed.parsed && errors === 0,
        errorCount: parsed.parsed ? errors : 1,
        warningCount: mine.length - errors,
        diagnostics: mine,
        output: parsed.output,
      });
    }
    return results;
  }

  /** The plain `terraform validate` of one stack's copy as the root module, with the shared provider directory. */
  async validateAsRoot(label: string): Promise<ValidateResult> {
    const stack = this.stacks.find((s) => s.label === label);
    if (!stack) throw new Error(`no stack labelled "${label}"`);
    const dir = join(this.root, "roots", stack.module);
    cpSync(join(this.configDir, stack.module), dir, { recursive: true });
    copyFileSync(join(this.configDir, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
    const parsed = parseValidate(await run(["validate", "-json", "-no-color"], dir, this.env));
    const errors = parsed.diagnostics.filter((d) => d.severity === "error").length;
    return { valid: parsed.parsed && parsed.valid, errorCount: parsed.parsed ? errors : 1, warningCount: parsed.diagnostics.length - errors, diagnostics: parsed.diagnostics, output: parsed.output };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function parseValidate(res: { stdout: string; stderr: string }): { parsed: boolean; valid: boolean; diagnostics: Diagnostic[]; output: string } {
  const output = `${res.stdout}\n${res.stderr}`.trim();
  try {
    const out = JSON.parse(res.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
    return { parsed: true, valid: out.valid, diagnostics: out.diagnostics, output };
  } catch {
    return { parsed: false, valid: false, diagnostics: [], output };
  }
}

/** A readable summary of what terraform complained about, for assertion messages. */
export function describeDiagnostics(result: ValidateResult): string {
  if (result.diagnostics.length === 0) return result.output;
  return result.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.range ? ` [${d.range.filename}]` : ""}${d.address ? ` (${d.address})` : ""}${d.detail ? `: ${d.detail}` : ""}`).join("\n");
}

/** The process environment minus anything that would make terraform reach out or write to shared caches. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "TF_CLI_CONFIG_FILE", "TF_CLI_ARGS", "TF_CLI_ARGS_init", "TF_CLI_ARGS_validate"]) delete env[key];
  return { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
}

export function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn("terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
