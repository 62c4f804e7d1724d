/** `estate diff`: the current synthesis (or a given output directory) against a base directory or git revision. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compareStrings } from "../../../util";
import { synthesizeModels } from "../../../stacks/synthesize";
import { loadSelectedModels, stackNames, stackSelection } from "../select";
import { emptySynthOutput, envOfStack, readSynthOutput, type SynthOutput } from "../synth-output";
import { costChange } from "../cost/diff-section";
import { resolveBase } from "./base";
import { diffOutputs } from "./engine";
import { loadCollectionCatalog } from "./elements";
import { loadForceNewCatalog } from "./force-new";
import type { EstateDiff } from "./types";

export interface DiffRequest {
  /** Directory or git revision. */
  readonly base: string;
  readonly envs?: readonly string[];
  readonly stacks?: readonly string[];
  /** Compare this existing output directory instead of synthesizing. @default - synthesize the working tree */
  readonly head?: string;
  /** Keep the current synthesis in this directory. @default - a temporary directory, removed afterwards */
  readonly out?: string;
}

export function runDiff(request: DiffRequest): EstateDiff {
  const envs = request.envs ?? [];
  const selection = stackSelection(request.stacks);
  const tmp = request.head || request.out ? undefined : mkdtempSync(join(tmpdir(), "estate-head-"));
  try {
    let head: SynthOutput;
    let headLabel: string;
    // Only an explicit --env narrows the comparison: without it, stacks of environments deleted by this change show as removed.
    const models = envs.length > 0 || !request.head ? loadSelectedModels(envs) : [];
    const envNames = envs.length > 0 ? models.map((m) => m.env) : undefined;
    if (request.head) {
      head = readSynthOutput(resolve(request.head));
      headLabel = request.head;
    } else {
      const names = stackNames(models).filter((n) => selection.matches(n));
      const outdir = request.out ?? join(tmp!, "out");
      // A diff is a view: the policy gate applies only where it writes an output of the user's choosing.
      if (names.length > 0) synthesizeModels(models, { outdir, include: (ref) => selection.matches(ref.name), policy: request.out ? "enforce" : "skip" });
      head = names.length > 0 ? readSynthOutput(outdir) : emptySynthOutput(outdir);
      headLabel = request.out ?? "working tree";
    }
    const base = resolveBase({ base: request.base, envs });

    // With --env, stacks of other environments present in a base directory are not part of the comparison.
    const knownEnvs = [...new Set([...(envNames ?? []), ...head.envs, ...base.envs])];
    const inEnv = (stack: string) => {
      if (!envNames) return true;
      const env = envOfStack(stack, knownEnvs);
      return env !== undefined && envNames.includes(env);
    };
    const candidates = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].filter(inEnv).sort(compareStrings);
    selection.assertEveryGlobMatches(candidates);
    const onlyFilesOf = (path: string) => !envNames || envNames.some((e) => new RegExp(`^[^/]+/${escapeRegExp(e)}/`).test(path));
    const diff = diffOutputs(filterFiles(base, onlyFilesOf), filterFiles(head, onlyFilesOf), {
      forceNew: loadForceNewCatalog(),
      collections: loadCollectionCatalog(),
      includeStack: (name) => inEnv(name) && selection.matches(name),
      // Artifacts are per environment, not per stack: compare them only when every stack is selected.
      includeFiles: selection.globs.length === 0,
      baseLabel: request.base,
      headLabel,
    });
    return { ...diff, cost: costChange(base, head, diff.stacks.map((s) => s.name)) };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

function filterFiles(output: SynthOutput, keep: (path: string) => boolean): SynthOutput {
  return { ...output, files: new Map([...output.files].filter(([path]) => keep(path))) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
