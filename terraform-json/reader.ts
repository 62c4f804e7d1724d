/**
 * Reading synthesized Terraform JSON (`cdk.tf.json`): its blocks, their `for_each` / `count` instances and the
 * references inside `${...}` expressions. Plain data in, plain data out: shared by the policy rules and the CLI diff.
 */

import { compareStrings } from "../util";

/** Attributes of one resource or data block, as synthesized. */
export type TfConfig = Readonly<Record<string, unknown>>;

/** The parts of a synthesized stack the toolkit reads. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, TfConfig>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, TfConfig>>>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly output?: Readonly<Record<string, unknown>>;
  readonly provider?: Readonly<Record<string, unknown>>;
  readonly variable?: Readonly<Record<string, unknown>>;
  readonly module?: Readonly<Record<string, unknown>>;
  readonly terraform?: Readonly<Record<string, unknown>>;
}

export type BlockMode = "managed" | "data";

/** One `resource` or `data` block. */
export interface TfBlock {
  readonly mode: BlockMode;
  readonly type: string;
  readonly name: string;
  /** `type.name`, or `data.type.name` for data sources. */
  readonly address: string;
  /** The block as synthesized, meta-arguments included. */
  readonly config: TfConfig;
}

/** One instance of a block: the block itself, or one `for_each` key / `count` index of it. */
export interface TfInstance {
  readonly block: TfBlock;
  /** The `for_each` key or `count` index. @default - a block without for_each or count */
  readonly key?: string | number;
  /** `type.name`, `type.name["key"]` or `type.name[0]`. */
  readonly address: string;
  /** Attributes with meta-arguments removed and `each.*` / `count.index` replaced by this instance's values. */
  readonly attributes: TfConfig;
}

/** Terraform meta-arguments: they say how to manage a block, they are not attributes of the remote object. */
export const META_ARGUMENTS: readonly string[] = ["for_each", "count", "depends_on", "lifecycle", "provider", "provisioner", "connection"];

/** Every resource and data block of a stack, sorted by address. */
export function blocksOf(tf: TerraformJson, mode?: BlockMode): TfBlock[] {
  const out: TfBlock[] = [];
  const add = (m: BlockMode, section: TerraformJson["resource"]) => {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, config] of Object.entries(byName ?? {})) {
        out.push({ mode: m, type, name, address: m === "data" ? `data.${type}.${name}` : `${type}.${name}`, config: config ?? {} });
      }
    }
  };
  if (mode !== "data") add("managed", tf.resource);
  if (mode !== "managed") add("data", tf.data);
  return out.sort((a, b) => compareStrings(a.address, b.address));
}

/** How many instances a block has, resolved from the stack's literal data. */
export type Multiplicity =
  | { readonly kind: "single" }
  | { readonly kind: "for_each"; readonly entries: readonly (readonly [string, unknown])[]; readonly local?: string }
  | { readonly kind: "count"; readonly count: number }
  /** An expression this reader cannot evaluate (it depends on other resources). */
  | { readonly kind: "unknown"; readonly expression: string };

export function multiplicityOf(block: TfBlock, tf: TerraformJson): Multiplicity {
  const forEach = block.config.for_each;
  if (forEach !== undefined) return forEachEntries(forEach, tf);
  const count = block.config.count;
  if (count === undefined) return { kind: "single" };
  const n = typeof count === "number" ? count : typeof count === "string" && /^\d+$/.test(count) ? Number(count) : undefined;
  return n === undefined ? { kind: "unknown", expression: String(count) } : { kind: "count", count: n };
}

/** Number of instances of a block (an expression that cannot be evaluated counts as one). */
export function instanceCount(block: TfBlock, tf: TerraformJson): number {
  const m = multiplicityOf(block, tf);
  switch (m.kind) {
    case "for_each":
      return m.entries.length;
    case "count":
      return m.count;
    default:
      return 1;
  }
}

/** Real instance count of a stack's managed resources: `for_each` and `count` resolved. */
export function resourceInstanceCount(tf: TerraformJson): number {
  return blocksOf(tf, "managed").reduce((sum, b) => sum + instanceCount(b, tf), 0);
}

export function instanceAddress(base: string, key?: string | number): string {
  if (key === undefined) return base;
  return typeof key === "number" ? `${base}[${key}]` : `${base}[${JSON.stringify(key)}]`;
}

/** The instances of a block, each with its own attributes (for_each keys in sorted order). */
export function instancesOf(block: TfBlock, tf: TerraformJson): TfInstance[] {
  const m = multiplicityOf(block, tf);
  const template = attributesOf(block.config);
  // Compiled once per block: instances share every part of the template that does not read each.* / count.index.
  const instantiate = compileSubstitution(template);
  const attributesFor = (ctx: EachContext) => (instantiate ? instantiate(ctx) : template) as TfConfig;
  switch (m.kind) {
    case "single":
    case "unknown":
      return [{ block, address: block.address, attributes: template }];
    case "count":
      return Array.from({ length: m.count }, (_, i) => ({
        block,
        key: i,
        address: instanceAddress(block.address, i),
        attributes: attributesFor({ countIndex: i }),
      }));
    case "for_each":
      return [...m.entries]
        .sort(([a], [b]) => compareStrings(a, b))
        .map(([key, value]) => ({
          block,
          key,
          address: instanceAddress(block.address, key),
          attributes: attributesFor({ eachKey: key, eachValue: value }),
        }));
  }
}

/**
 * True when the block's attributes (or only `attributes`, when given) differ between instances through
 * `each.value` or `count.index`, so one check of the template is not enough.
 */
export function usesEachValue(block: TfBlock, attributes?: readonly string[]): boolean {
  const all = attributesOf(block.config);
  const read = attributes ? Object.fromEntries(attributes.filter((a) => a in all).map((a) => [a, all[a]])) : all;
  return /\beach\.value\b|\bcount\.index\b/.test(JSON.stringify(read));
}

/** Block attributes without meta-arguments. */
export function attributesOf(config: TfConfig): TfConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!META_ARGUMENTS.includes(k) && k !== "//") out[k] = v;
  return out;
}

function forEachEntries(forEach: unknown, tf: TerraformJson): Multiplicity {
  const fromValue = (value: unknown, local?: string): Multiplicity | undefined => {
    if (Array.isArray(value)) {
      if (!value.every((v) => typeof v === "string")) return undefined;
      return { kind: "for_each", entries: (value as string[]).map((v) => [v, v] as const), ...(local ? { local } : {}) };
    }
    if (value !== null && typeof value === "object") {
      return { kind: "for_each", entries: Object.entries(value as Record<string, unknown>), ...(local ? { local } : {}) };
    }
    return undefined;
  };
  if (typeof forEach !== "string") return fromValue(forEach) ?? { kind: "unknown", expression: JSON.stringify(forEach) };
  const local = /^\$\{local\.([A-Za-z_][\w-]*)\}$/.exec(forEach);
  if (local) {
    const value = tf.locals?.[local[1]];
    if (typeof value !== "string") {
      const resolved = fromValue(value, local[1]);
      if (resolved) return resolved;
    }
  }
  const toset = /^\$\{toset\((\[[\s\S]*\])\)\}$/.exec(forEach);
  if (toset) {
    try {
      const resolved = fromValue(JSON.parse(toset[1]));
      if (resolved) return resolved;
    } catch {
      // Not a literal list: fall through to unknown.
    }
  }
  return { kind: "unknown", expression: forEach };
}

interface EachContext {
  readonly eachKey?: string;
  readonly eachValue?: unknown;
  readonly countIndex?: number;
}

const WHOLE_EACH = /^\$\{(each\.key|each\.value((?:\.[A-Za-z_][\w-]*|\["[^"]*"\])*)|count\.index)\}$/;
const EACH_IN_EXPR = /\beach\.key\b|\beach\.value((?:\.[A-Za-z_][\w-]*|\["[^"]*"\])*)|\bcount\.index\b/g;

/**
 * A function that replaces `each.key`, `each.value[.path]` and `count.index` in every string of a value, or
 * undefined when the value holds none. Subtrees without such references are shared, not copied, between instances:
 * a fleet of thousands of hosts then costs a few string substitutions per host.
 */
function compileSubstitution(value: unknown): ((ctx: EachContext) => unknown) | undefined {
  if (typeof value === "string") {
    return value.includes("each.") || value.includes("count.index") ? (ctx) => substituteString(value, ctx) : undefined;
  }
  if (Array.isArray(value)) {
    const parts = value.map(compileSubstitution);
    if (parts.every((p) => p === undefined)) return undefined;
    return (ctx) => value.map((v, i) => (parts[i] ? parts[i]!(ctx) : v));
  }
  if (value !== null && typeof value === "object") {
    const dynamic = Object.entries(value)
      .map(([k, v]) => [k, compileSubstitution(v)] as const)
      .filter((e): e is readonly [string, (ctx: EachContext) => unknown] => e[1] !== undefined);
    if (dynamic.length === 0) return undefined;
    return (ctx) => {
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, f] of dynamic) out[k] = f(ctx);
      return out;
    };
  }
  return undefined;
}

function substituteString(s: string, ctx: EachContext): unknown {
  if (!s.includes("each.") && !s.includes("count.index")) return s;
  const whole = WHOLE_EACH.exec(s);
  if (whole) {
    const resolved = resolveEach(whole[1], whole[2], ctx);
    if (resolved.found) return resolved.value;
  }
  // Inside a larger template or expression: splice literals in, keeping the expression readable and comparable.
  return s.replace(/\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g, (_interp: string, body: string) => {
    const replaced = body.replace(EACH_IN_EXPR, (m: string, path: string | undefined) => {
      const head = m.startsWith("each.key") ? "each.key" : m.startsWith("count.index") ? "count.index" : "each.value";
      const r = resolveEach(head === "each.value" ? `each.value${path ?? ""}` : head, path, ctx);
      return r.found && (typeof r.value === "string" || typeof r.value === "number" || typeof r.value === "boolean") ? JSON.stringify(r.value) : m;
    });
    // An interpolation that became a plain literal reads as that literal.
    if (/^"(?:[^"\\]|\\.)*"$/.test(replaced)) return JSON.parse(replaced) as string;
    if (/^(-?\d+(?:\.\d+)?|true|false)$/.test(replaced)) return replaced;
    return `\${${selectFromLiteralMap(replaced)}}`;
  });
}

const LITERAL_MAP_INDEX = /^\{((?:\s*"[^"]*"\s*=\s*[^,{}"]+,?)+)\s*\}\[(?:"([^"]*)"|(\d+))\]$/;

/**
 * `{"1" = a.id, "2" = b.id}[2]` reads as `b.id`: a literal map indexed by a key that substitution made literal (a
 * fleet's per-host server group) selects one value, so an instance compares by the reference it really gets.
 */
function selectFromLiteralMap(expr: string): string {
  const m = LITERAL_MAP_INDEX.exec(expr);
  if (!m) return expr;
  const key = m[2] ?? m[3];
  for (const entry of m[1].split(",")) {
    const eq = /^\s*"([^"]*)"\s*=\s*(.+?)\s*$/.exec(entry);
    if (eq && eq[1] === key) return eq[2];
  }
  return expr;
}

function resolveEach(ref: string, path: string | undefined, ctx: EachContext): { found: boolean; value?: unknown } {
  if (ref === "each.key") return ctx.eachKey === undefined ? { found: false } : { found: true, value: ctx.eachKey };
  if (ref === "count.index") return ctx.countIndex === undefined ? { found: false } : { found: true, value: ctx.countIndex };
  if (!("eachValue" in ctx)) return { found: false };
  let value: unknown = ctx.eachValue;
  for (const part of parsePath(path ?? "")) {
    if (value === null || typeof value !== "object") return { found: false };
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined ? { found: false } : { found: true, value };
}

function parsePath(path: string): string[] {
  const parts: string[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\["([^"]*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) parts.push(m[1] ?? m[2]);
  return parts;
}

/** A reference found in an expression: what it names and, for indexed references, the literal key. */
export interface TfReference {
  /** `local`, `var`, `module`, `data` or `managed`. */
  readonly kind: "local" | "var" | "module" | "data" | "managed";
  /** `local.name`, `data.type.name`, `type.name` ... */
  readonly address: string;
  readonly key?: string | number;
  /** The attribute read (`id` in `type.name.id`). @default - the whole object */
  readonly attribute?: string;
}

/** The `${...}` expressions in a string, in order (`$${` escapes are skipped). */
export function expressionsIn(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = s.indexOf("${", i)) !== -1) {
    if (i > 0 && s[i - 1] === "$") {
      i += 2;
      continue;
    }
    let depth = 1;
    let j = i + 2;
    let quote = false;
    for (; j < s.length && depth > 0; j++) {
      const c = s[j];
      if (quote) {
        if (c === "\\") j++;
        else if (c === '"') quote = false;
      } else if (c === '"') quote = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    out.push(s.slice(i + 2, j - 1));
    i = j;
  }
  return out;
}

const NAME = "[A-Za-z_][\\w-]*";
/** What a reference starts with: `data.type.name`, `local.name`, `var.name`, `module.name` or `type.name`. */
const REFERENCE_ROOT = `data\\.${NAME}\\.${NAME}|local\\.${NAME}|var\\.${NAME}|module\\.${NAME}|[a-z][a-z0-9]*_[a-z0-9_]+\\.${NAME}`;
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const REFERENCE = new RegExp(`${QUOTED}|(?<![\\w.\\]-])(${REFERENCE_ROOT})(?:\\[\\s*(${QUOTED}|\\d+)\\s*\\])?(?:\\.(${NAME}))?`, "g");

/** References made by one expression (string literals and for-expression variables are ignored). */
export function referencesInExpression(expr: string): TfReference[] {
  const loopVars = new Set<string>();
  for (const m of expr.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)) {
    loopVars.add(m[1]);
    if (m[2]) loopVars.add(m[2]);
  }
  const refs: TfReference[] = [];
  for (const m of expr.matchAll(REFERENCE)) {
    const target = m[1];
    if (!target) continue;
    const head = target.split(".")[0];
    if (loopVars.has(head)) continue;
    // `name(` is a function call, not a reference.
    if (expr[(m.index ?? 0) + target.length] === "(") continue;
    const kind = referenceKind(target);
    const rawKey = m[2];
    const key = rawKey === undefined ? undefined : indexKey(rawKey);
    refs.push({ kind, address: target, ...(key !== undefined ? { key } : {}), ...(m[3] !== undefined ? { attribute: m[3] } : {}) });
  }
  return refs;
}

function referenceKind(root: string): TfReference["kind"] {
  const head = root.split(".")[0];
  return head === "data" || head === "local" || head === "var" || head === "module" ? head : "managed";
}

/** `"key"` → `key`, `0` → `0`. */
function indexKey(raw: string): string | number {
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : Number(raw);
}

/** One step of a traversal: `.name` or an index, `["key"]` / `[0]`. */
export type TfStep = { readonly attribute: string } | { readonly index: string | number };

/** An expression that is one reference and nothing else: `local.amis["v1"]`, `data.type.name["k"].id`, `type.name.a[0].b`. */
export interface TfTraversal {
  readonly kind: TfReference["kind"];
  /** `local.name`, `data.type.name`, `type.name` ... */
  readonly address: string;
  /** What follows the address, in order. */
  readonly steps: readonly TfStep[];
}

const TRAVERSAL = new RegExp(`^\\s*(${REFERENCE_ROOT})((?:\\.${NAME}|\\[\\s*(?:${QUOTED}|\\d+)\\s*\\])*)\\s*$`);
const STEP = new RegExp(`\\.(${NAME})|\\[\\s*(${QUOTED}|\\d+)\\s*\\]`, "g");

/**
 * The traversal a string is made of alone (`"${local.amis["v1"]}"`), or undefined for a literal, a template, a
 * function call or any other expression. `each.*` and `count.index` are not references: substitute them first
 * (`instancesOf`).
 */
export function traversalOf(value: string): TfTraversal | undefined {
  const expressions = expressionsIn(value);
  if (expressions.length !== 1 || value !== `\${${expressions[0]}}`) return undefined;
  const m = TRAVERSAL.exec(expressions[0]);
  if (!m) return undefined;
  const steps: TfStep[] = [...m[2].matchAll(STEP)].map((s) => (s[1] !== undefined ? { attribute: s[1] } : { index: indexKey(s[2]) }));
  return { kind: referenceKind(m[1]), address: m[1], steps };
}

/** `.id`, `["k"]`, `[0]`: steps as Terraform writes them. */
export function stepsText(steps: readonly TfStep[]): string {
  return steps.map((s) => ("attribute" in s ? `.${s.attribute}` : `[${JSON.stringify(s.index)}]`)).join("");
}

/** Every reference made anywhere inside a value (strings in nested objects and lists included). */
export function referencesIn(value: unknown): TfReference[] {
  const refs: TfReference[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      for (const e of expressionsIn(v)) refs.push(...referencesInExpression(e));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return refs;
}

/** True when a string holds a `${...}` expression: its value is only known to Terraform. */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && expressionsIn(value).length > 0;
}

/** True when a value holds an expression anywhere (strings in nested objects and lists included). */
export function holdsExpression(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsExpression);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsExpression);
  return isExpression(value);
}
