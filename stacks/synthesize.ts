/**
 * The synthesis pipeline shared by `npm run synth`, the CLI and `cdktf synth` (main.ts): load every environment,
 * build the selected stacks, render inventories, and move the whole result into place only when all of it worked.
 */
import { App } from "cdktf";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { EnvironmentError, fileLocator, type EstateModel, type StackRef } from "../model";
import { renderAnsibleArtifacts } from "../render";
import { buildEstateStacks } from "./app";
import { EstateStack } from "./estate-stack";
import { loadEnvironments, SelectionError } from "./environments";

export { environmentFiles, ENVIRONMENTS_DIR, loadEnvironments, SelectionError } from "./environments";

export interface SynthesizeOptions {
  /** Environment files to synthesize. */
  readonly environmentFiles: readonly string[];
  /** Output directory, replaced as a whole on success. */
  readonly outdir: string;
  /** Which stacks to build. @default - every stack */
  readonly include?: (stack: StackRef & { readonly env: string }) => boolean;
  /** Sites drained for this run only, on top of the files. @default [] */
  readonly drain?: readonly string[];
  /**
   * Called after everything was rendered into the temporary directory, before it is moved into place, with each
   * stack's Terraform JSON as written. Throwing keeps the previous output.
   */
  readonly beforeCommit?: (tmpdir: string, stacks: ReadonlyMap<string, unknown>) => void;
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
}

export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  const models = loadEnvironments(options.environmentFiles, options.drain ?? []);
  return synthesizeModels(models, options);
}

export function synthesizeModels(models: readonly EstateModel[], options: Omit<SynthesizeOptions, "environmentFiles">): SynthesizeResult {
  const outdir = resolve(options.outdir);
  mkdirSync(dirname(outdir), { recursive: true });
  const tmp = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}.tmp-`));
  try {
    const app = new App({ outdir: tmp, stackTraces: false });
    const stacks: SynthesizedStack[] = [];
    for (const model of models) {
      const include = options.include ?? (() => true);
      for (const ref of buildStacksOf(app, model, (r) => include({ ...r, env: model.env }))) {
        stacks.push({ ...ref, env: model.env, path: `stacks/${ref.name}/cdk.tf.json` });
      }
    }
    if (stacks.length === 0) throw new SelectionError("the selection matches no stack; run `estate list` to see the stack names");
    app.synth();

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
    if (options.beforeCommit) {
      const written = new Map<string, unknown>();
      for (const child of app.node.children) if (child instanceof EstateStack) written.set(child.node.id, child.synthesized);
      options.beforeCommit(tmp, written);
    }
    replaceDirectory(tmp, outdir);
    return { models, stacks, files };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Constructs validate their props and throw with the construct path, the value and the fix: an estate the model
 * accepted but a construct refuses is still a problem of that environment file, reported like one.
 */
function buildStacksOf(app: App, model: EstateModel, include: (stack: StackRef) => boolean): StackRef[] {
  try {
    return buildEstateStacks(app, model, include);
  } catch (err) {
    if (!(err instanceof Error) || err instanceof EnvironmentError) throw err;
    const path = constructSource(model, err.message);
    throw new EnvironmentError(model.sourceFile, [{ path, message: `the estate cannot be built: ${err.message}`, ...fileLocator(model.sourceFile)(path) }]);
  }
}

/**
 * The entry of the environment file a construct refusal concerns, from the construct path its message starts with
 * (`<stack>/<service>/...`): the service, else the stack's site, else the traffic or bake section.
 */
function constructSource(model: EstateModel, message: string): (string | number)[] {
  const [stackName, child] = (/^([^\s:]+):/.exec(message)?.[1] ?? "").split("/");
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

/** Moves `fresh` to `target`; the previous content of `target` is removed only once the new one is in place. */
function replaceDirectory(fresh: string, target: string): void {
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
  if (moved) rmSync(old, { recursive: true, force: true });
}
