/**
 * What every job of the YAML loader shares: the kind of document it reads, the shape of a problem before it is
 * given a line and column, and the words messages are built from.
 */
import type { z } from "zod";
import type { ConfigProblem } from "./errors";

/** A path inside a document: mapping keys and list indexes. */
export type Path = (string | number)[];

/** A problem placed by its path; the loader adds its line and column. */
export type Problem = Omit<ConfigProblem, "line" | "column">;

/** A problem placed by its offset in the text, for what has no path of its own (syntax errors, comments). */
export interface OffsetProblem {
  readonly path: Path;
  readonly message: string;
  readonly offset: number;
}

/**
 * A kind of YAML document the toolkit reads (environment files, cost tables). Reading, YAML checks, schema
 * messages and locations are the same for every kind; only these words and the schema differ.
 */
export interface DocumentKind<T> {
  /** What the file is called in messages: `environment file`, `cost file`. */
  readonly noun: string;
  readonly schema: z.ZodType<T>;
  /** The file a person starts from, e.g. `environments/dev.yaml`. */
  readonly example: string;
  /** Some of the top-level keys, as a hint for a file that is not a mapping: `name:, sites:, services: ...`. */
  readonly topLevelKeys: string;
  /** Where the keys are documented: `"Environment file" in README.md`. */
  readonly reference: string;
}

/** "a cost file", "an environment file". */
export function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The first line of a message: parsers and runtimes add detail nobody reading a file report needs. */
export function firstLine(message: string): string {
  return message.split("\n")[0];
}
