/** Turning --env, --stack and --drain arguments into environment files, models and stack filters. */
import picomatch from "picomatch";
import type { EstateModel } from "../../model";
import { compareStrings } from "../../util";
import { environmentFiles, loadEnvironments } from "../../stacks/synthesize";
import { UsageError } from "./errors";

/** Environment files for --env (names or paths); every file in environments/ when none is given. */
export function selectEnvironmentFiles(envs: readonly string[] = []): string[] {
  return environmentFiles(envs.filter((e) => e !== ""));
}

/**
 * Loads the selected environments; `drain` names sites to drain for this run only. Unknown drain sites are a
 * usage error naming the sites that exist.
 */
export function loadSelectedModels(envs: readonly string[] = [], drain: readonly string[] = []): EstateModel[] {
  const files = selectEnvironmentFiles(envs);
  const models = loadEnvironments(files);
  const wanted = drain.filter((d) => d !== "");
  if (wanted.length === 0) return models;
  for (const model of models) {
    const sites = siteNames(model);
    const unknown = wanted.filter((d) => !sites.includes(d));
    if (unknown.length > 0) {
      throw new UsageError(`--drain: environment "${model.env}" has no site ${unknown.map((u) => `"${u}"`).join(", ")} (sites: ${sites.join(", ")})`);
    }
  }
  return loadEnvironments(files, wanted);
}

export function siteNames(model: EstateModel): string[] {
  return [...model.openstackSites.map((s) => s.name), ...(model.awsSite ? [model.awsSite.name] : [])];
}

/** A filter on stack names from --stack globs (picomatch); no globs selects every stack. */
export interface StackSelection {
  readonly globs: readonly string[];
  matches(stack: string): boolean;
  /** Throws a usage error for any glob that matches none of `stacks`. */
  assertEveryGlobMatches(stacks: readonly string[]): void;
}

export function stackSelection(globs: readonly string[] = []): StackSelection {
  const list = globs.filter((g) => g !== "");
  const matchers = list.map((g) => ({ glob: g, isMatch: picomatch(g) }));
  return {
    globs: list,
    matches: (stack) => matchers.length === 0 || matchers.some((m) => m.isMatch(stack)),
    assertEveryGlobMatches: (stacks) => {
      for (const m of matchers) {
        if (!stacks.some((s) => m.isMatch(s))) {
          const known = [...stacks].sort(compareStrings);
          throw new UsageError(`--stack "${m.glob}" matches no stack (stacks: ${known.join(", ") || "none"})`);
        }
      }
    },
  };
}

/** Every stack name of the models, in model order. */
export function stackNames(models: readonly EstateModel[]): string[] {
  return models.flatMap((m) => m.stacks.map((s) => s.name));
}
