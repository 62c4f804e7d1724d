/**
 * `estate drain` / `estate restore`: set a site's traffic state in its environment file, refuse when the result
 * is not a valid estate (draining every site), and show what it does to the traffic stack.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { EnvironmentError, loadEnvironment, parseEnvironmentText, resolveEstate, type EstateModel } from "../../model";
import { CommandError } from "./errors";
import { diffStack } from "./diff/engine";
import { loadForceNewCatalog } from "./diff/force-new";
import { classifySecurity } from "./diff/security";
import type { EstateDiff, StackDiff } from "./diff/types";
import { selectEnvironmentFiles } from "./select";
import { readSynthOutput } from "./synth-output";
import { withTemporarySynth } from "./temp-synth";
import { setTrafficState, type TrafficState } from "./traffic-state";

export interface TrafficChangeRequest {
  /** Environment name or file. */
  readonly env: string;
  readonly site: string;
  readonly state: TrafficState;
}

export interface TrafficChangeReport {
  readonly file: string;
  readonly site: string;
  /** The state asked for, which the file holds now. */
  readonly state: TrafficState;
  /** The state the file held before. */
  readonly previous: TrafficState;
  readonly changed: boolean;
  /** Where the state lives in the file. */
  readonly path: string;
  /** The traffic stack before and after. @default - none (nothing changed, or the environment has no traffic stack) */
  readonly diff?: EstateDiff;
}

export function changeTrafficState(request: TrafficChangeRequest): TrafficChangeReport {
  const [file] = selectEnvironmentFiles([request.env]);
  const text = readFileSync(file, "utf8");
  const edit = setTrafficState(text, file, request.site, request.state);
  const base = { file, site: request.site, state: request.state, previous: edit.previous, path: edit.path };
  if (!edit.changed) return { ...base, changed: false };

  const before = loadEnvironment(file);
  // Validates the edited estate (draining every site is refused here) before the file is touched.
  let after: EstateModel;
  try {
    after = resolveEstate(parseEnvironmentText(edit.text, file), file);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    const verb = request.state === "drained" ? "drain" : "restore";
    throw new CommandError(`refusing to ${verb} ${request.site}: the environment would not be valid; ${file} is unchanged\n${err.message}`);
  }
  const stack = `${after.env}-traffic`;
  let diff: EstateDiff | undefined;
  if (after.stacks.some((s) => s.name === stack)) {
    const traffic = trafficStackDiff(before, after, stack);
    const label = (state: string) => `${stack} with ${request.site} ${state}`;
    diff = { base: label(edit.previous), head: label(request.state), stacks: [traffic], files: [], security: classifySecurity([traffic]), notes: [] };
  }
  const tmp = `${file}.estate-tmp`;
  writeFileSync(tmp, edit.text);
  renameSync(tmp, file);
  return { ...base, changed: true, ...(diff ? { diff } : {}) };
}

function trafficStackDiff(before: EstateModel, after: EstateModel, stack: string): StackDiff {
  const only = (ref: { name: string }) => ref.name === stack;
  const read = (model: EstateModel) => withTemporarySynth([model], (dir) => readSynthOutput(dir, false).stacks.get(stack), only);
  return diffStack(stack, read(before), read(after), loadForceNewCatalog());
}
