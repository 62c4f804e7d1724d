/**
 * A real Terraform plan, as `terraform show -json <planfile>` prints it, turned into the same EstateDiff the
 * structural diff produces, so CI with read-only credentials renders the plan through the same review layout.
 *
 * Shape (Terraform's JSON output format, https://developer.hashicorp.com/terraform/internals/json-format):
 * `resource_changes[]` with `address`, `mode`, `type`, `index` and `change` {`actions`, `before`, `after`,
 * `after_unknown`, `before_sensitive`, `after_sensitive`, `replace_paths`, `importing`}; `output_changes` by name
 * with the same change fields. Values marked sensitive are replaced by "(sensitive value)" before anything reads
 * them, values unknown until apply by "(known after apply)"; the plan's `variables` and `planned_values` (which
 * hold sensitive values in the clear) are never read.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { TfConfig } from "../../../terraform-json";
import { compareStrings } from "../../../util";
import { UsageError } from "../errors";
import { diffAttributes, joinPath } from "./engine";
import { SENSITIVE_VALUE, UNKNOWN_VALUE } from "./render";
import { classifySecurity } from "./security";
import type { AttributeChange, ChangeAction, EstateDiff, ResourceChange, StackDiff } from "./types";

/** One `change` object of a plan. */
export interface PlanChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  readonly importing?: unknown;
}

/** One entry of `resource_changes`: a resource instance (or deposed object) and what the plan does to it. */
export interface PlanResourceChange {
  readonly address: string;
  /** The module the resource is in (`module.x`); absent in the root module, where every stack's resources are. */
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly index?: string | number;
  /** Set for a deposed object (a create_before_destroy replacement left over): its own delete. */
  readonly deposed?: string;
  readonly change: PlanChange;
}

/** The parts of `terraform show -json <planfile>` the toolkit reads. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly output_changes?: Readonly<Record<string, PlanChange>>;
  readonly errored?: boolean;
  readonly complete?: boolean;
}

/** Reads plan files (each a stack, named after the file: `dev-os-a.json` is `dev-os-a`) into one diff. */
export function diffPlanFiles(files: readonly string[]): EstateDiff {
  const notes: string[] = [];
  const stacks = files.map((file) => planStack(stackName(file), readPlan(file), notes));
  return { base: "prior state", head: files.join(", "), stacks, files: [], security: classifySecurity(stacks), notes };
}

function stackName(file: string): string {
  return basename(file).replace(/\.json$/, "");
}

export function readPlan(file: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --plan ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const plan = parsed as Partial<PlanJson> | undefined;
  if (!plan || typeof plan !== "object" || typeof plan.format_version !== "string" || !("resource_changes" in plan || "planned_values" in plan)) {
    throw new UsageError(`${file} is not a plan in JSON: expected the output of \`terraform show -json <planfile>\` (a plan file written by \`terraform plan -out <planfile>\`)`);
  }
  return plan as PlanJson;
}

/** The stack diff of one plan: every resource instance Terraform acts on, attribute by attribute, redacted. */
export function planStack(name: string, plan: PlanJson, notes: string[] = []): StackDiff {
  if (plan.errored) notes.push(`${name}: the plan errored; it shows only what Terraform planned before the error`);
  if (plan.complete === false) notes.push(`${name}: the plan is incomplete (deferred changes): another plan and apply will follow this one`);
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const importing = rc.change.importing !== undefined && rc.change.importing !== null;
    const action = actionOf(rc.change.actions, importing);
    if (!action) continue;
    const resource = rc.index === undefined ? rc.address : rc.address.slice(0, rc.address.lastIndexOf("["));
    const address = rc.deposed ? `${rc.address} (deposed object ${rc.deposed})` : rc.address;
    changes.push(resourceChange(name, { address, resource, mode: rc.mode, type: rc.type, key: rc.index, importing }, action, rc.change));
  }
  for (const [output, change] of Object.entries(plan.output_changes ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
    const action = actionOf(change.actions, false);
    if (!action) continue;
    const wrap = (v: unknown) => (v === undefined ? undefined : { value: v });
    const wrapped: PlanChange = {
      actions: change.actions,
      before: wrap(change.before),
      after: wrap(change.after),
      after_unknown: wrap(change.after_unknown),
      before_sensitive: wrap(change.before_sensitive),
      after_sensitive: wrap(change.after_sensitive),
    };
    changes.push(resourceChange(name, { address: `output.${output}`, resource: `output.${output}`, mode: "meta", type: "output", importing: false }, action, wrapped));
  }
  changes.sort((a, b) => compareStrings(a.address, b.address));
  return { name, status: changes.length > 0 ? "changed" : "unchanged", changes };
}

/** Terraform's action list as one action; undefined for a no-op. */
function actionOf(actions: readonly string[], importing: boolean): ChangeAction | undefined {
  const has = (a: string) => actions.includes(a);
  if (has("delete") && has("create")) return "replace";
  if (has("create")) return "create";
  if (has("delete")) return "delete";
  if (has("update")) return "update";
  if (has("read")) return "read";
  if (has("forget")) return "forget";
  return importing ? "import" : undefined;
}

interface Identity {
  readonly address: string;
  readonly resource: string;
  readonly mode: ResourceChange["mode"];
  readonly type: string;
  readonly key?: string | number;
  readonly importing: boolean;
}

function resourceChange(stack: string, id: Identity, action: ChangeAction, change: PlanChange): ResourceChange {
  // Sensitive values are compared by digest, so a changed secret still shows as changed, then the digests go.
  const marked = { before: redact(change.before, change.before_sensitive, undefined), after: redact(change.after, change.after_sensitive, change.after_unknown) };
  const before = unmark(marked.before);
  const after = unmark(marked.after);
  const replacePaths = (change.replace_paths ?? []).map((parts) => parts.reduce<string>((path, part) => (typeof part === "number" ? `${path}[${part}]` : joinPath(path, part)), ""));
  const attributes =
    action === "update" || action === "replace" || action === "read"
      ? diffAttributes(marked.before ?? {}, marked.after ?? {}, "").map((a) => placeholders(forces(unmarkChange(a), replacePaths, action)))
      : [];
  return {
    stack,
    address: id.address,
    resource: id.resource,
    mode: id.mode,
    type: id.type,
    ...(id.key !== undefined ? { key: id.key } : {}),
    action,
    ...(id.importing ? { importing: true } : {}),
    attributes,
    ...(isObject(before) ? { beforeAttributes: before as TfConfig } : {}),
    ...(isObject(after) ? { afterAttributes: after as TfConfig } : {}),
  };
}

/** Prefix of the digest that stands for a sensitive value until `unmark` replaces it with "(sensitive value)". */
const SENSITIVE_MARK = "\u0000sensitive:";

/**
 * The value with every sensitive part replaced by a digest of it (`unmark` turns those into "(sensitive value)")
 * and every unknown part by "(known after apply)".
 */
function redact(value: unknown, sensitive: unknown, unknown: unknown): unknown {
  if (sensitive === true) return `${SENSITIVE_MARK}${createHash("sha256").update(JSON.stringify(value ?? null)).digest("hex")}`;
  if (unknown === true) return UNKNOWN_VALUE;
  if (Array.isArray(value) || Array.isArray(unknown)) {
    const values = Array.isArray(value) ? value : [];
    const n = Math.max(values.length, Array.isArray(unknown) ? unknown.length : 0);
    return Array.from({ length: n }, (_, i) => redact(values[i], at(sensitive, i), at(unknown, i)));
  }
  if (isObject(value) || isObject(unknown)) {
    const object = isObject(value) ? value : {};
    const keys = [...new Set([...Object.keys(object), ...(isObject(unknown) ? Object.keys(unknown) : [])])];
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = redact(object[k], at(sensitive, k), at(unknown, k));
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return value;
}

function unmark(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(SENSITIVE_MARK) ? SENSITIVE_VALUE : value;
  if (Array.isArray(value)) return value.map(unmark);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmark(v)]));
  return value;
}

function unmarkChange(a: AttributeChange): AttributeChange {
  return {
    ...a,
    ...("before" in a ? { before: unmark(a.before) } : {}),
    ...("after" in a ? { after: unmark(a.after) } : {}),
    ...(a.elements ? { elements: a.elements.map((e) => ({ ...e, value: unmark(e.value) })) } : {}),
  };
}

/** A change whose value is wholly or partly redacted shows as values, not elements (their order would tell nothing). */
function placeholders(a: AttributeChange): AttributeChange {
  if (!a.elements || !a.elements.some((e) => e.value === SENSITIVE_VALUE || e.value === UNKNOWN_VALUE)) return a;
  const rest: { -readonly [K in keyof AttributeChange]?: AttributeChange[K] } = { ...a };
  delete rest.elements;
  delete rest.collection;
  return rest as AttributeChange;
}

function forces(a: AttributeChange, replacePaths: readonly string[], action: ChangeAction): AttributeChange {
  if (action !== "replace") return a;
  const hit = replacePaths.some((p) => p === a.path || a.path.startsWith(`${p}.`) || a.path.startsWith(`${p}[`) || p.startsWith(`${a.path}.`) || p.startsWith(`${a.path}[`));
  return hit ? { ...a, forcesReplacement: true } : a;
}

function at(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return (value as Record<string | number, unknown>)[key];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
