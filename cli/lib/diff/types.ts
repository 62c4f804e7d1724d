/** The structural diff of two synth outputs, as data; renderers turn it into markdown, text or JSON. */
import type { TfConfig } from "../../../terraform-json";
import type { CostChange } from "../cost/diff-section";

/**
 * What Terraform will do to one resource instance: `read` is a data source read with a new query (its results,
 * and what depends on them, may change); `forget` leaves the state without touching the cloud (a data source no
 * longer in the configuration, or a managed resource under a `removed { lifecycle { destroy = false } }` block).
 * `import` brings an existing object under management without changing it (a plan's `import` block). Terraform
 * counts none of these in "to add / to change / to destroy".
 */
export type ChangeAction = "create" | "delete" | "update" | "replace" | "read" | "forget" | "import";

/** One element of a list or set attribute, as `terraform plan` marks it. */
export interface ElementChange {
  readonly action: "create" | "delete" | "no-op";
  readonly value: unknown;
}

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
  /**
   * For a list or set of plain values changed in place: every element, in order for a list (aligned on the longest
   * common subsequence, as `terraform plan` aligns them), added and removed elements first for a set.
   */
  readonly elements?: readonly ElementChange[];
  /** Whether `elements` is an ordered list or a set (a set has no unchanged neighbours to show). */
  readonly collection?: "list" | "set";
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
  /** A plan imports this instance (`import` block) before acting on it. */
  readonly importing?: boolean;
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

/**
 * Which way a change moves exposure: `wider` lets more in (a new source network, a wider CIDR, more ports, a
 * public address, weaker protection), `narrower` lets less in, `other` changes it without a direction to read.
 */
export type Exposure = "wider" | "narrower" | "other";

/** A change that widens or narrows who can reach what, or weakens or strengthens protection. */
export interface SecurityChange {
  readonly stack: string;
  readonly address: string;
  readonly change: "added" | "removed" | "changed";
  /** What the row is about: `ingress tcp/22`, `allowed_cidrs`, `metadata_options.http_tokens`. */
  readonly subject: string;
  readonly before?: string;
  readonly after?: string;
  readonly exposure: Exposure;
  /** What the change lets in or shuts out: `admits 203.0.113.0/24 (public range) on tcp/22`. */
  readonly label: string;
}

/** Identical security changes across stacks and resources: one row for a change made in every site. */
export interface SecurityGroup {
  readonly change: SecurityChange["change"];
  readonly subject: string;
  readonly before?: string;
  readonly after?: string;
  readonly exposure: Exposure;
  readonly label: string;
  /** Stacks the change is made in, sorted. */
  readonly stacks: readonly string[];
  /** Where, by the stacks that hold each address: `[{stacks: [os-a, os-b], addresses: [...]}]`. */
  readonly places: readonly { readonly stacks: readonly string[]; readonly addresses: readonly string[] }[];
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

/**
 * A stack's changes counted as `terraform plan` counts them in "Plan: N to add, N to change, N to destroy": managed
 * resource instances only (each for_each / count instance once), a replacement both added and destroyed; data
 * sources, outputs, providers and locals are not counted there.
 */
export interface ChangeCounts {
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly forget: number;
  /** Replacements, already inside `add` and `destroy`. */
  readonly replace: number;
  /** Data sources read with a new query. */
  readonly read: number;
}

export function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
  const counts = { import: 0, add: 0, change: 0, destroy: 0, forget: 0, replace: 0, read: 0 };
  for (const c of changes) {
    if (c.mode === "data") {
      if (c.action === "read") counts.read++;
      continue;
    }
    if (c.mode !== "managed") continue;
    if (c.importing) counts.import++;
    if (c.action === "create" || c.action === "replace") counts.add++;
    if (c.action === "delete" || c.action === "replace") counts.destroy++;
    if (c.action === "replace") counts.replace++;
    if (c.action === "update") counts.change++;
    if (c.action === "forget") counts.forget++;
  }
  return counts;
}

export function hasChanges(diff: EstateDiff): boolean {
  return diff.stacks.some((s) => s.changes.length > 0) || diff.files.length > 0;
}
