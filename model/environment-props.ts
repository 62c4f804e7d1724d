/**
 * The TypeScript front end of the model: an environment written as an object in code instead of a YAML file, held
 * to exactly the checks, messages and defaults of the file (`loadEnvironment`).
 *
 * The object is written out as the YAML document it stands for and read back by the file loader, so both front ends
 * go through one validator: unknown keys with their "did you mean", credentials refused, whole-estate checks,
 * address planning. Problems are reported by path (`sites.openstack[1].subnetCidr`); line numbers would point into
 * that generated text, so they are left out.
 */
import type { z } from "zod";
import { stringify } from "yaml";
import { EnvironmentError, type ConfigProblem } from "./errors";
import { parseEnvironmentText } from "./load";
import { resolveEstate, type ResolveOptions } from "./resolve";
import type { environmentSchema } from "./schema";
import type { EstateModel } from "./types";

/**
 * An environment as written in TypeScript: the keys of an environment file (README.md, "Environment file"), with
 * the same optional keys and defaults.
 */
export type EnvironmentProps = z.input<typeof environmentSchema>;

/** Names the props in messages and in `EstateModel.sourceFile` (policy findings say where a problem is from). */
export const DEFAULT_PROPS_SOURCE = "<environment props>";

/** Options of {@link validateEnvironment}. */
export interface ValidateEnvironmentOptions extends ResolveOptions {
  /**
   * What messages call the props, e.g. the file or function that builds them.
   * @default "<environment props>"
   */
  readonly source?: string;
}

/**
 * Checks an environment written in TypeScript and resolves it into the model the stacks are built from.
 *
 * @throws EnvironmentError listing every problem by path, with the same wording as for an environment file.
 */
export function validateEnvironment(props: EnvironmentProps, options: ValidateEnvironmentOptions = {}): EstateModel {
  const source = options.source ?? DEFAULT_PROPS_SOURCE;
  const fail = (problems: readonly ConfigProblem[]): never => {
    throw new EnvironmentError(source, problems, "environment props");
  };
  const foreign = nonDataValues(props, []);
  if (foreign.length > 0) fail(foreign);
  let text: string;
  try {
    text = stringify(props, { lineWidth: 0, aliasDuplicateObjects: false });
  } catch (err) {
    return fail([{ path: [], message: `cannot be written as an environment file (${err instanceof Error ? err.message : String(err)}); use plain objects, arrays, strings, numbers and booleans` }]);
  }
  try {
    return resolveEstate(parseEnvironmentText(text, source, options), source, options);
  } catch (err) {
    if (err instanceof EnvironmentError) fail(err.problems.map(({ path, message }) => ({ path, message })));
    throw err;
  }
}

/** Values an environment file cannot hold: functions, class instances (Date, Map), undefined in lists, NaN. */
function nonDataValues(value: unknown, path: (string | number)[]): ConfigProblem[] {
  if (value === null || typeof value === "string" || typeof value === "boolean") return [];
  if (typeof value === "number") return Number.isFinite(value) ? [] : [{ path, message: `${value} is not a number an environment can hold; write a finite number` }];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => (item === undefined ? [{ path: [...path, i], message: "a list item is undefined; remove it or give it a value" }] : nonDataValues(item, [...path, i])));
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : nonDataValues(item, [...path, key])));
  }
  const what = typeof value === "object" ? `a ${value.constructor?.name ?? "non-plain"} object` : `a ${typeof value}`;
  return [{ path, message: `is ${what}; an environment holds plain objects, arrays, strings, numbers and booleans` }];
}
