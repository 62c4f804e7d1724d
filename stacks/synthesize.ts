/**
 * The synthesis pipeline shared by `npm run synth`, the CLI and `cdktf synth` (main.ts): load every environment,
 * build the selected stacks, run the policy gate, render inventories, and move the whole result into place only when
 * all of it worked. What Terraform keeps in a stack directory between runs (its working directory `.terraform/` and
 * the dependency lock file) survives re-synthesis; committed lock files are copied in.
 */
import { App } from "cdktf";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { evaluatePolicy, PolicyError, summarize, type Finding, type PolicyStack } from "../policy";
import type { TerraformJson } from "../terraform-json";
import { EnvironmentError, fileLocator, type EstateModel, type StackRef } from "../model";
import { renderAnsibleArtifacts } from "../render";
import { refuseSecretsInArtifacts } from "../render/secret-scan";
import { buildEstateStacks } from "./app";
import { EstateStack, LOCAL_STATE_MARKER } from "./estate-stack";
import { ValidationError } from "../constructs/core";
import { loadEnvironments, SelectionError } from "./environments";

export { environmentFiles, ENVIRONMENTS_DIR, loadEnvironments, SelectionError } from "./environments";

/**
 * Committed dependency lock files, one per stack: `<projectDir>/dependency-locks/<stack>.terraform.lock.hcl`, copied
 * to `<outdir>/stacks/<stack>/.terraform.lock.hcl` on every synthesis (`estate lock` writes them).
 */
export const DEPENDENCY_LOCKS_DIR = "dependency-locks";
/** Terraform's name for the dependency lock file of a working directory. */
export const TERRAFORM_LOCK_FILE = ".terraform.lock.hcl";
/** What Terraform keeps in a stack directory between runs, moved from the previous output into the new one. */
const TERRAFORM_WORKING_STATE = [".terraform", TERRAFORM_LOCK_FILE] as const;

/** The committed lock file of a stack. */
export function dependencyLockPath(projectDir: string, stack: string): string {
  return join(projectDir, DEPENDENCY_LOCKS_DIR, `${stack}${TERRAFORM_LOCK_FILE}`);
}

/**
 * - `enforce`: run the policy pack; any error keeps the previous output and throws a `PolicyError`.
 * - `report`: run it and return the findings (for `estate validate`).
 * - `skip`: do not run it (read-only syntheses: listings, the working tree of a diff).
 */
export type PolicyMode = "enforce" | "report" | "skip";

export interface SynthesizeOptions {
  /** Environment files to synthesize. */
  readonly environmentFiles: readonly string[];
  /** Output directory, replaced as a whole on success. */
  readonly outdir: string;
  /** Which stacks to build. @default - every stack */
  readonly include?: (stack: StackRef & { readonly env: string }) => boolean;
  /** Sites drained for this run only, on top of the files. @default [] */
  readonly drain?: readonly string[];
  /** The policy gate. @default "enforce" */
  readonly policy?: PolicyMode;
  /**
   * The project root: where committed lock files (`dependency-locks/`) are read and where local state lives.
   * @default - the current working directory
   */
  readonly projectDir?: string;
  /**
   * Leave an empty directory for every stack of the previous output that this synthesis removed. `cdktf synth`
   * lists the stack directories before it runs the app and deletes the ones missing from the new manifest
   * afterwards; without the placeholders it fails on directories the app already removed. @default false
   */
  readonly placeholdersForRemovedStacks?: boolean;
  /**
   * Called after everything was rendered into the temporary directory, before it is moved into place, with each
   * stack's Terraform JSON as written. Throwing keeps the previous output.
   */
  readonly beforeCommit?: (tmpdir: string, stacks: ReadonlyMap<string, TerraformJson>) => void;
}

/** Where cdktf writes a stack's Terraform JSON, relative to the output directory. */
export function stackJsonPath(stack: string): string {
  return `stacks/${stack}/cdk.tf.json`;
}

export interface SynthesizedStack extends StackRef {
  readonly env: string;
  /** Path of the stack's Terraform JSON, relative to the output directory. */
  readonly path: string;
}

export interface SynthesizeResult {
  readonly models: readonly EstateModel[];
  readonly stacks: readonly SynthesizedStack[];
  /** Every other artifact written (inventories, monitoring targets, host exports), relative to the output directory. */
  readonly files: readonly string[];
  /** Stacks of the previous output that are not in this one (a narrower selection, a removed site), by name. */
  readonly removedStacks: readonly string[];
  /** Stacks that got their committed dependency lock file. */
  readonly lockedStacks: readonly string[];
  /** Policy findings (empty with policy "skip"). */
  readonly findings: readonly Finding[];
}

export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  const models = loadEnvironments(options.environmentFiles, options.drain ?? []);
  return synthesizeModels(models, options);
}

export function synthesizeModels(models: readonly EstateModel[], options: Omit<SynthesizeOptions, "environmentFiles">): SynthesizeResult {
  const outdir = resolve(options.outdir);
  const projectDir = resolve(options.projectDir ?? process.cwd());
  refuseForeignOutput(outdir, projectDir);
  mkdirSync(dirname(outdir), { recursive: true });
  removeStaleTemporaries(outdir);
  const tmp = mkdtempSync(join(dirname(outdir), `${temporaryPrefix(outdir)}${process.pid}-`));
  try {
    const app = new App({ outdir: tmp, stackTraces: false });
    const stacks = buildSelectedStacks(app, models, options.include ?? (() => true));
    app.synth();
    const written = new Map<string, TerraformJson>();
    for (const child of app.node.children) if (child instanceof EstateStack) written.set(child.node.id, child.synthesized as TerraformJson);

    const findings = runPolicyGate(models, stacks, written, options.policy ?? "enforce");
    const files = renderArtifacts(tmp, models, stacks);
    refuseSecretsInArtifacts(tmp, models);
    const lockedStacks = copyCommittedLocks(tmp, projectDir, stacks, written);
    const removedStacks = stackDirectories(outdir).filter((name) => !written.has(name));
    if (options.placeholdersForRemovedStacks) for (const name of removedStacks) mkdirSync(join(tmp, "stacks", name), { recursive: true });
    options.beforeCommit?.(tmp, written);
    replaceOutput(tmp, outdir);
    markLocalStateDirectories(models, outdir, projectDir);
    return { models, stacks, files, removedStacks, lockedStacks, findings };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function buildSelectedStacks(app: App, models: readonly EstateModel[], include: NonNullable<SynthesizeOptions["include"]>): SynthesizedStack[] {
  const stacks: SynthesizedStack[] = [];
  for (const model of models) {
    for (const ref of buildStacksOf(app, model, (r) => include({ ...r, env: model.env }))) {
      stacks.push({ ...ref, env: model.env, path: stackJsonPath(ref.name) });
    }
  }
  if (stacks.length === 0) throw new SelectionError("the selection matches no stack; run `estate list` to see the stack names");
  return stacks;
}

/**
 * Constructs validate their props and throw with the construct path, the value and the fix: an estate the model
 * accepted but a construct refuses is still a problem of that environment file, reported like one.
 */
export function buildStacksOf(app: App, model: EstateModel, include: (stack: StackRef) => boolean): StackRef[] {
  try {
    return buildEstateStacks(app, model, include);
  } catch (err) {
    if (!(err instanceof Error) || err instanceof EnvironmentError) throw err;
    const path = err instanceof ValidationError ? constructSource(model, err.constructPath) : [];
    throw new EnvironmentError(model.sourceFile, [{ path, message: `the estate cannot be built: ${err.message}`, ...fileLocator(model.sourceFile)(path) }]);
  }
}

/**
 * The entry of the environment file a construct refusal concerns, from the path of the construct that refused
 * (`<stack>/<service>/...`): the service, else the stack's site, else the traffic or bake section.
 */
function constructSource(model: EstateModel, constructPath: string): (string | number)[] {
  const [stackName, child] = constructPath.split("/");
  const service = model.services.findIndex((s) => s.name === child);
  if (service >= 0) return ["services", service, "name"];
  const stack = model.stacks.find((s) => s.name === stackName);
  if (stack?.kind === "traffic") return ["traffic"];
  if (stack?.kind === "bake") return ["bake"];
  const site = model.openstackSites.findIndex((s) => s.name === stack?.site);
  if (site >= 0) return ["sites", "openstack", site, "name"];
  if (stack?.site !== undefined && stack.site === model.awsSite?.name) return ["sites", "aws", "name"];
  return [];
}

/** The one policy gate of every synthesis that writes a deployable output (`estate synth`, `cdktf synth|deploy`). */
export function runPolicyGate(models: readonly EstateModel[], stacks: readonly SynthesizedStack[], written: ReadonlyMap<string, TerraformJson>, mode: PolicyMode): Finding[] {
  if (mode === "skip") return [];
  const policyStacks: PolicyStack[] = stacks.flatMap((s) => {
    const tf = written.get(s.name);
    return tf ? [{ name: s.name, env: s.env, kind: s.kind, ...(s.site ? { site: s.site } : {}), tf }] : [];
  });
  const findings = evaluatePolicy({ models, stacks: policyStacks });
  if (mode === "enforce" && summarize(findings).errors > 0) throw new PolicyError(findings);
  return findings;
}

function renderArtifacts(tmp: string, models: readonly EstateModel[], stacks: readonly SynthesizedStack[]): string[] {
  const files: string[] = [];
  for (const model of models) {
    if (!stacks.some((s) => s.env === model.env)) continue;
    for (const artifact of renderAnsibleArtifacts(model)) {
      const target = join(tmp, artifact.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, artifact.content);
      files.push(artifact.path);
    }
  }
  return files;
}

/** Terraform's fully qualified provider address: `aws` and `hashicorp/aws` are `registry.terraform.io/hashicorp/aws`. */
function providerAddress(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  return parts.length === 2 ? `registry.terraform.io/${parts.join("/")}` : parts.join("/");
}

/** A committed lock file that does not lock what its stack requires; synthesis stops before anything is written. */
export class DependencyLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DependencyLockError";
  }
}

function copyCommittedLocks(tmp: string, projectDir: string, stacks: readonly SynthesizedStack[], written: ReadonlyMap<string, TerraformJson>): string[] {
  const locked: string[] = [];
  for (const stack of stacks) {
    const lock = dependencyLockPath(projectDir, stack.name);
    if (!existsSync(lock)) continue;
    checkLockMatches(relative(projectDir, lock), readFileSync(lock, "utf8"), written.get(stack.name), stack.name);
    copyFileSync(lock, join(tmp, "stacks", stack.name, TERRAFORM_LOCK_FILE));
    locked.push(stack.name);
  }
  return locked;
}

/** The providers a dependency lock file records: source address → locked version, in file order. */
export function lockedProviderVersions(content: string): Map<string, string> {
  return new Map([...content.matchAll(/^provider "([^"]+)" \{[^}]*?^\s*version\s*=\s*"([^"]+)"/gms)].map((m) => [m[1], m[2]]));
}

/**
 * A lock file must record, for every provider the stack pins to an exact version, that version: otherwise `terraform
 * init -lockfile=readonly` fails in CI, and cdktf's own init would silently upgrade the copy in the output.
 */
function checkLockMatches(file: string, content: string, tf: TerraformJson | undefined, stack: string): void {
  const lockedVersions = lockedProviderVersions(content);
  const required = (tf?.terraform as { required_providers?: Record<string, { source?: string; version?: string }> } | undefined)?.required_providers ?? {};
  for (const [name, { source, version }] of Object.entries(required)) {
    if (!version || !/^\d+\.\d+\.\d+$/.test(version)) continue;
    const address = providerAddress(source ?? name);
    const locked = lockedVersions.get(address);
    if (locked !== version) {
      throw new DependencyLockError(
        `${file}: ${locked ? `locks ${address} ${locked}` : `has no entry for ${address}`}, but ${stack} requires ${version}; run \`estate lock --stack ${stack}\` (with --platform for every platform that runs Terraform) and commit the file`,
      );
    }
  }
}

function stackDirectories(outdir: string): string[] {
  const dir = join(outdir, "stacks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * The output directory is replaced as a whole, so it must be one synthesis made (cdktf's `manifest.json` in it), an
 * empty directory or a new one: never the project, a directory above it, a file, or a directory of other files.
 */
function refuseForeignOutput(outdir: string, projectDir: string): void {
  const example = "name a new directory or a previous output, e.g. cdktf.out";
  if (projectDir === outdir || projectDir.startsWith(`${outdir}${sep}`)) {
    throw new SelectionError(`output directory ${outdir} holds the project (${projectDir}); synthesis replaces its output directory as a whole: ${example}`);
  }
  if (!existsSync(outdir)) return;
  if (!statSync(outdir).isDirectory()) throw new SelectionError(`output directory ${outdir} is a file; synthesis replaces its output directory as a whole: ${example}`);
  const entries = readdirSync(outdir);
  if (entries.length > 0 && !entries.includes("manifest.json")) {
    throw new SelectionError(
      `output directory ${outdir} holds other files (${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}) and no synthesis output (no manifest.json); synthesis replaces its output directory as a whole: ${example}`,
    );
  }
}

/** `.<outdir>.tmp-<pid>-…`: the pid lets a later run tell a live synthesis from the leftovers of a killed one. */
function temporaryPrefix(outdir: string): string {
  return `.${basename(outdir)}.tmp-`;
}

/**
 * Removes what a killed synthesis left next to the output directory: temporary directories whose process is gone
 * (and, from releases that did not name the process, ones older than an hour).
 */
function removeStaleTemporaries(outdir: string): void {
  const prefix = temporaryPrefix(outdir);
  for (const entry of readdirSync(dirname(outdir))) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(dirname(outdir), entry);
    const pid = /^(\d+)-/.exec(entry.slice(prefix.length))?.[1];
    const stale = pid ? !processIsAlive(Number(pid)) : Date.now() - statSync(path).mtimeMs > 3_600_000;
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves `fresh` to `target`. Terraform's working state of every stack that is in both (`.terraform/`, and the lock
 * file where no committed one was copied in) moves along; the previous output is removed only once the new one is in
 * place, and restored when the move fails.
 */
function replaceOutput(fresh: string, target: string): void {
  const old = `${fresh}.old`;
  let moved = false;
  try {
    renameSync(target, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  try {
    renameSync(fresh, target);
  } catch (err) {
    if (moved) renameSync(old, target);
    throw err;
  }
  if (!moved) return;
  for (const stack of stackDirectories(target)) {
    for (const name of TERRAFORM_WORKING_STATE) {
      const from = join(old, "stacks", stack, name);
      const to = join(target, "stacks", stack, name);
      if (existsSync(from) && !existsSync(to)) renameSync(from, to);
    }
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Puts the marker the stacks' local-state guard looks for into each local state directory, when the output is
 * synthesized at the project root (where the stacks' relative state paths lead into the project).
 */
function markLocalStateDirectories(models: readonly EstateModel[], outdir: string, projectDir: string): void {
  if (dirname(outdir) !== projectDir) return;
  for (const model of models) {
    if (model.backend.type !== "local") continue;
    const dir = join(projectDir, model.backend.directory);
    mkdirSync(dir, { recursive: true });
    const marker = join(dir, LOCAL_STATE_MARKER);
    if (!existsSync(marker)) writeFileSync(marker, "Local Terraform state of this project's stacks (see README: Stacks).\n");
  }
}
