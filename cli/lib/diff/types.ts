/** The structural diff of two synth outputs, as data; renderers turn it into markdown, text or JSON. */
import type { TfConfig } from "../../../constructs/policy";
import type { CostChange } from "../cost/diff-section";

/**
 * What Terraform will do to one resource instance: `read` is a data source whose query changed (its results,
 * and what depends on them, may change).
 */
export type ChangeAction = "create" | "delete" | "update" | "replace" | "read";

export interface AttributeChange {
  /** `flavor_name`, `block_device[0].uuid`, `tags["estate:version"]`. */
  readonly path: string;
  /** Absent when the attribute is added. */
  readonly before?: unknown;
  /** Absent when the attribute is removed. */
  readonly after?: unknown;
  /** The provider destroys and re-creates the resource for this change. */
  readonly forcesReplacement: boolean;
  /** Set when the text is unchanged but the value comes from something that changes (a re-read data source, a replaced resource). */
  readonly knownAfterApply?: string;
}

export interface ResourceChange {
  readonly stack: string;
  /** Instance address: `type.name`, `type.name["key"]`, `data.type.name`, `provider.aws`, `output.x`. */
  readonly address: string;
  /** Address of the block (without the instance key). */
  readonly resource: string;
  /** `meta` for providers, backends, outputs and locals. */
  readonly mode: "managed" | "data" | "meta";
  readonly type: string;
  readonly key?: string | number;
  readonly action: ChangeAction;
  /** Attribute-level changes (empty for create and delete). */
  readonly attributes: readonly AttributeChange[];
  /** Attributes before and after, for security classification; not rendered. */
  readonly beforeAttributes?: TfConfig;
  readonly afterAttributes?: TfConfig;
}

export interface StackDiff {
  readonly name: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  /** Changes in address order. */
  readonly changes: readonly ResourceChange[];
}

export interface FileChange {
  readonly path: string;
  readonly change: "added" | "removed" | "changed";
}

/** A change that widens or narrows who can reach what, or weakens or strengthens protection. */
export interface SecurityChange {
  readonly stack: string;
  readonly address: string;
  readonly change: "added" | "removed" | "changed";
  /** What the row is about: `ingress tcp/22`, `allowed_cidrs`, `metadata_options.http_tokens`. */
  readonly subject: string;
  readonly before?: string;
  readonly after?: string;
  /** Why a reviewer should look twice; absent when the change tightens or is neutral. */
  readonly risk?: string;
}

export interface EstateDiff {
  /** How the base was given (`origin/main`, a directory). */
  readonly base: string;
  readonly head: string;
  readonly stacks: readonly StackDiff[];
  readonly files: readonly FileChange[];
  readonly security: readonly SecurityChange[];
  /** Limits of this diff worth knowing (resource types without force-new data, for_each that could not be expanded). */
  readonly notes: readonly string[];
  /** Monthly cost change of the compared stacks (cli/lib/cost). @default - not priced */
  readonly cost?: CostChange;
}

export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly read: number;
}

export function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, read: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

export function hasChanges(diff: EstateDiff): boolean {
  return diff.stacks.some((s) => s.changes.length > 0) || diff.files.length > 0;
}
