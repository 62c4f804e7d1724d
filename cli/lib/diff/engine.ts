/**
 * Structural diff of two synth outputs: per stack, resource instances added, removed and changed, attribute by
 * attribute. `for_each` resources are expanded into one entry per key from the stack's literal locals, so a host
 * added or changed shows under its own address. Changes that force replacement are marked from the force-new
 * catalog, and propagated: a value read from a data source whose query changed, or from a resource that is
 * replaced, is "known after apply" and may force replacement in turn.
 */
import {
  blocksOf,
  expressionsIn,
  holdsExpression,
  instanceAddress,
  instancesOf,
  isExpression,
  multiplicityOf,
  referenceReader,
  referencesIn,
  referencesInExpression,
  type ReferenceReader,
  type TerraformJson,
  type TfConfig,
  type TfReference,
} from "../../../terraform-json";
import { compareStrings } from "../../../util";
import type { SynthOutput } from "../synth-output";
import { elementChanges, LISTS_ONLY, type CollectionCatalog } from "./elements";
import { normalizePath, type ForceNewCatalog } from "./force-new";
import { classifySecurity } from "./security";
import type { AttributeChange, ChangeAction, EstateDiff, FileChange, ResourceChange, StackDiff } from "./types";

export interface DiffOptions {
  readonly forceNew: ForceNewCatalog;
  /** Which attributes are sets. @default - every collection is a list */
  readonly collections?: CollectionCatalog;
  /** Which stacks to compare. @default - every stack of both outputs */
  readonly includeStack?: (name: string) => boolean;
  /** Compare the other artifacts too. @default true */
  readonly includeFiles?: boolean;
  /** Labels for the two sides. */
  readonly baseLabel?: string;
  readonly headLabel?: string;
}

interface Entity {
  readonly mode: "managed" | "data" | "meta";
  readonly type: string;
  readonly resource: string;
  readonly key?: string | number;
  readonly address: string;
  readonly attributes: TfConfig;
}

export function diffOutputs(base: SynthOutput, head: SynthOutput, options: DiffOptions): EstateDiff {
  const include = options.includeStack ?? (() => true);
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].filter(include).sort(compareStrings);
  const notes = new Set<string>();
  const stacks: StackDiff[] = names.map((name) => diffStack(name, base.stacks.get(name), head.stacks.get(name), options.forceNew, notes, options.collections));
  const files: FileChange[] = options.includeFiles === false ? [] : diffFiles(base.files, head.files);
  return {
    base: options.baseLabel ?? base.dir,
    head: options.headLabel ?? head.dir,
    stacks,
    files,
    security: classifySecurity(stacks),
    notes: [...notes].sort(compareStrings),
  };
}

export function diffStack(
  name: string,
  baseTf: TerraformJson | undefined,
  headTf: TerraformJson | undefined,
  forceNew: ForceNewCatalog,
  notes: Set<string> = new Set(),
  collections: CollectionCatalog = LISTS_ONLY,
): StackDiff {
  const forEachLocals = new Set([...forEachSources(baseTf), ...forEachSources(headTf)]);
  const before = entitiesOf(baseTf, forEachLocals, notes, name);
  const after = entitiesOf(headTf, forEachLocals, notes, name);
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);

  const readers: Readers | undefined = baseTf && headTf ? { base: referenceReader(baseTf), head: referenceReader(headTf) } : undefined;

  const changes = new Map<string, { entity: Entity; action: ChangeAction; attributes: AttributeChange[]; before?: Entity; after?: Entity }>();
  for (const address of addresses) {
    const b = before.get(address);
    const a = after.get(address);
    // Terraform reads a data source during the plan and drops one that left the configuration: neither is a change to the estate.
    if (!b) changes.set(address, { entity: a!, action: a!.mode === "data" ? "read" : "create", attributes: [], after: a });
    else if (!a) changes.set(address, { entity: b, action: b.mode === "data" ? "forget" : "delete", attributes: [], before: b });
    else {
      const attributes = readingDifferences(b.attributes, a.attributes, readers!, (p) => collections.isSet(a.type, p)).map((c) => withForceNew(a.type, a.mode, c, forceNew));
      if (attributes.length > 0) changes.set(address, { entity: a, action: actionOf(a.mode, attributes), attributes, before: b, after: a });
    }
  }

  // Values read from data sources that re-read, or from resources that are replaced, change too.
  if (baseTf && headTf && readers) {
    let grew = true;
    while (grew) {
      grew = false;
      const volatile = volatileAddresses(changes, readers);
      for (const address of addresses) {
        const a = after.get(address);
        const b = before.get(address);
        if (!a || !b) continue;
        const existing = changes.get(address);
        if (existing && (existing.action === "replace" || existing.action === "create" || existing.action === "delete")) continue;
        const added: AttributeChange[] = [];
        for (const [path, value] of leaves(a.attributes)) {
          if (existing?.attributes.some((c) => c.path === path)) continue;
          // A value that only reads a data source was compared by its query above: the same query reads the same object.
          if (readers.head.read(value).source?.mode === "data") continue;
          const cause = volatileReference(value, headTf, volatile, before, after);
          if (!cause) continue;
          const beforeValue = valueAt(b.attributes, path);
          added.push(withForceNew(a.type, a.mode, { path, before: beforeValue, after: value, forcesReplacement: false, knownAfterApply: cause }, forceNew));
        }
        if (added.length === 0) continue;
        const attributes = [...(existing?.attributes ?? []), ...added].sort((x, y) => compareStrings(x.path, y.path));
        changes.set(address, { entity: a, action: actionOf(a.mode, attributes), attributes, before: b, after: a });
        grew = true;
      }
    }
    markUnknownReadings(changes, readers.head);
  }

  // Adoption: an address the head newly imports (an `import` block) is brought under management, not created.
  const imported = newImports(baseTf, headTf);
  for (const address of imported) {
    const a = after.get(address);
    const existing = changes.get(address);
    if (!a || a.mode !== "managed") continue;
    // The configuration is the same on both sides: nothing about the object changes, so the security view shows no row for it.
    if (!existing) changes.set(address, { entity: a, action: "import", attributes: [], before: before.get(address) ?? a, after: a });
    else if (existing.action === "create") changes.set(address, { ...existing, action: "import" });
  }

  const list: ResourceChange[] = [...changes.entries()]
    .sort(([x], [y]) => compareStrings(x, y))
    .map(([address, c]) => ({
      stack: name,
      address,
      resource: c.entity.resource,
      mode: c.entity.mode,
      type: c.entity.type,
      ...(c.entity.key !== undefined ? { key: c.entity.key } : {}),
      action: c.action,
      ...(imported.has(address) && c.entity.mode === "managed" ? { importing: true } : {}),
      attributes: c.attributes,
      ...(c.before ? { beforeAttributes: c.before.attributes } : {}),
      ...(c.after ? { afterAttributes: c.after.attributes } : {}),
    }));
  for (const c of list) {
    if (c.mode === "managed" && (c.action === "update" || c.action === "replace") && !forceNew.knows(c.type)) {
      notes.add(`no force-new data for ${c.type}: replacements of it are not detected (add it to providers/<provider>/force-new.json)`);
    }
  }
  const status = !baseTf ? "added" : !headTf ? "removed" : list.length > 0 ? "changed" : "unchanged";
  return { name, status, changes: list };
}

/** Addresses of the head's `import` blocks that the base does not import: what applying the head adopts. */
function newImports(baseTf: TerraformJson | undefined, headTf: TerraformJson | undefined): Set<string> {
  const targets = (tf: TerraformJson | undefined) => {
    const blocks = (tf as { import?: unknown } | undefined)?.import;
    return Array.isArray(blocks) ? blocks.map((b) => (b as { to?: unknown }).to).filter((t): t is string => typeof t === "string") : [];
  };
  const before = new Set(targets(baseTf));
  return new Set(targets(headTf).filter((t) => !before.has(t)));
}

function actionOf(mode: Entity["mode"], attributes: readonly AttributeChange[]): ChangeAction {
  if (mode === "data") return "read";
  return attributes.some((c) => c.forcesReplacement) ? "replace" : "update";
}

function withForceNew(type: string, mode: Entity["mode"], change: AttributeChange, forceNew: ForceNewCatalog): AttributeChange {
  const forces = mode === "managed" && forceNew.forcesReplacement(type, change.path, change.before, change.after);
  return { ...change, forcesReplacement: forces };
}

/** Locals that feed a for_each: their content shows as instances, not as a local of its own. */
function forEachSources(tf: TerraformJson | undefined): string[] {
  if (!tf) return [];
  return blocksOf(tf).flatMap((b) => {
    const m = multiplicityOf(b, tf);
    return m.kind === "for_each" && m.local ? [m.local] : [];
  });
}

function entitiesOf(tf: TerraformJson | undefined, forEachLocals: ReadonlySet<string>, notes: Set<string>, stack: string): Map<string, Entity> {
  const out = new Map<string, Entity>();
  if (!tf) return out;
  for (const block of blocksOf(tf)) {
    const m = multiplicityOf(block, tf);
    if (m.kind === "unknown") notes.add(`${stack}: ${block.address} has for_each/count "${m.expression}" that cannot be expanded; it is compared as one entry`);
    for (const instance of instancesOf(block, tf)) {
      out.set(instance.address, {
        mode: block.mode,
        type: block.type,
        resource: block.address,
        ...(instance.key !== undefined ? { key: instance.key } : {}),
        address: instance.address,
        attributes: instance.attributes,
      });
    }
  }
  const meta = (address: string, type: string, value: unknown) =>
    out.set(address, { mode: "meta", type, resource: address, address, attributes: { value: stripMetadata(value) } });
  for (const [name, value] of Object.entries(tf.provider ?? {})) meta(`provider.${name}`, "provider", value);
  const terraform = (tf.terraform ?? {}) as Record<string, unknown>;
  for (const [kind, value] of Object.entries((terraform.backend ?? {}) as Record<string, unknown>)) meta(`terraform.backend.${kind}`, "backend", value);
  if (terraform.required_providers !== undefined) meta("terraform.required_providers", "required_providers", terraform.required_providers);
  for (const [name, value] of Object.entries(tf.output ?? {})) meta(`output.${name}`, "output", value);
  for (const [name, value] of Object.entries(tf.locals ?? {})) if (!forEachLocals.has(name)) meta(`local.${name}`, "local", value);
  return out;
}

function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = stripMetadata(v);
    return out;
  }
  return value;
}

/**
 * Attribute-level differences, down to leaves of objects and nested blocks (a list of blocks by position); a list
 * of plain values, or a set of values or blocks, is one change carrying its element changes. `isSet` says which
 * paths (normalized) are sets.
 */
export function diffAttributes(before: unknown, after: unknown, path = "", isSet: (path: string) => boolean = () => false): AttributeChange[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
    return keys.flatMap((k) => diffAttributes(before[k], after[k], joinPath(path, k), isSet));
  }
  const collection = isSet(normalizePath(path)) ? "set" : "list";
  const blocks = Array.isArray(before) && Array.isArray(after) && before.every(isPlainObject) && after.every(isPlainObject) && (before.length > 0 || after.length > 0);
  // A set of nested blocks has no positions to compare: its blocks are added or removed whole.
  if (blocks && collection === "list") {
    const n = Math.max(before.length, after.length);
    const out: AttributeChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffAttributes(before[i], after[i], `${path}[${i}]`, isSet));
    return out;
  }
  const listBefore = Array.isArray(before) ? before : before === undefined || before === null ? undefined : false;
  const listAfter = Array.isArray(after) ? after : after === undefined || after === null ? undefined : false;
  const values = [...(listBefore || []), ...(listAfter || [])];
  if (listBefore !== false && listAfter !== false && (listBefore || listAfter) && (collection === "set" || !values.some(isPlainObject))) {
    const elements = elementChanges(listBefore, listAfter, collection);
    if (!elements) return [];
    return [
      {
        path: path || "(value)",
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
        forcesReplacement: false,
        elements,
        collection,
      },
    ];
  }
  return [
    {
      path: path || "(value)",
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      forcesReplacement: false,
    },
  ];
}

export function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Leaf values of attributes with their paths (lists of plain values are leaves). */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (isPlainObject(value)) return Object.keys(value).sort(compareStrings).flatMap((k) => leaves(value[k], joinPath(path, k)));
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  return [[path || "(value)", value]];
}

export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  const re = /([A-Za-z_][\w-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (value === null || typeof value !== "object") return undefined;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`));
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** The readers of both sides of a stack. */
interface Readers {
  readonly base: ReferenceReader;
  readonly head: ReferenceReader;
}

/**
 * Attribute differences by what the values read, not by their text: a textual difference whose two sides read the
 * same thing (a reference moved behind a local, a lookup moved to another address with the same query, a literal
 * moved into a local) is none, and a value written the same on both sides whose reading changed (a local's entry,
 * a lookup's query) is one. In the latter case the change shows the literals read when there are some, else the
 * expression, with the instance read as what makes it known after apply only.
 */
function readingDifferences(before: TfConfig, after: TfConfig, readers: Readers, isSet: (path: string) => boolean): AttributeChange[] {
  const same = (b: unknown, a: unknown) => readers.base.read(b).identity === readers.head.read(a).identity;
  const textual = diffAttributes(before, after, "", isSet).filter((c) => !same(c.before, c.after));
  const changedReadings: AttributeChange[] = [];
  for (const [path, value] of leaves(after)) {
    if (!holdsExpression(value) || !deepEqual(valueAt(before, path), value)) continue;
    const b = readers.base.read(value);
    const a = readers.head.read(value);
    if (b.identity === a.identity) continue;
    const known = "literal" in a;
    changedReadings.push({
      path,
      before: "literal" in b ? b.literal : value,
      after: known ? a.literal : value,
      forcesReplacement: false,
      ...(!known && a.source ? { knownAfterApply: a.source.address } : {}),
    });
  }
  if (changedReadings.length === 0) return textual;
  return [...textual, ...changedReadings].sort((x, y) => compareStrings(x.path, y.path));
}

/**
 * A value that now reads a data source (read during the plan, not known to this diff) or a resource instance
 * created or replaced is known after apply: named on the change, next to its expression.
 */
function markUnknownReadings(changes: Map<string, { entity: Entity; action: ChangeAction; attributes: AttributeChange[] }>, head: ReferenceReader): void {
  const comingIntoBeing = new Set([...changes].filter(([, c]) => c.action === "create" || c.action === "replace").map(([address]) => address));
  for (const [address, c] of changes) {
    // Locals are not read by Terraform as values of their own: their readers carry the mark.
    if (c.entity.mode === "meta" || c.attributes.every((a) => a.knownAfterApply !== undefined || a.after === undefined)) continue;
    const attributes = c.attributes.map((a) => {
      if (a.knownAfterApply !== undefined || a.after === undefined) return a;
      const source = head.read(a.after).source;
      const unknown = source && (source.mode === "data" || comingIntoBeing.has(source.address));
      return unknown ? { ...a, knownAfterApply: source.address } : a;
    });
    changes.set(address, { ...c, attributes });
  }
}

interface Volatile {
  /** Instance addresses whose attributes are unknown until apply. */
  readonly instances: ReadonlySet<string>;
  /** Block addresses with at least one such instance. */
  readonly blocks: ReadonlySet<string>;
}

/**
 * What changes under its readers: replaced resource instances, and data-source instances read with a query the
 * base did not send there (a lookup that only moved address, with the query the base read elsewhere, returns the
 * same object).
 */
function volatileAddresses(changes: ReadonlyMap<string, { entity: Entity; action: ChangeAction }>, readers: Readers): Volatile {
  const instances = new Set<string>();
  const blocks = new Set<string>();
  let baseQueries: ReadonlySet<string> | undefined;
  const newQuery = (address: string) => {
    const query = readers.head.dataQuery(address);
    const was = readers.base.dataQuery(address);
    if (query === undefined) return true;
    if (was !== undefined) return was !== query;
    baseQueries ??= readers.base.dataQueries();
    return !baseQueries.has(query);
  };
  for (const [address, c] of changes) {
    if (c.action === "replace" || (c.action === "read" && newQuery(address))) {
      instances.add(address);
      blocks.add(c.entity.resource);
    }
  }
  return { instances, blocks };
}

/** The first reference in a value whose target changes (locals are followed to what they hold). */
function volatileReference(
  value: unknown,
  headTf: TerraformJson,
  volatile: Volatile,
  before: ReadonlyMap<string, Entity>,
  after: ReadonlyMap<string, Entity>,
): string | undefined {
  if (volatile.instances.size === 0) return undefined;
  const strings = typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  for (const s of strings) {
    for (const expr of expressionsIn(s)) {
      for (const ref of resolveLocals(referencesInExpression(expr), headTf, 0)) {
        if (ref.kind !== "managed" && ref.kind !== "data") continue;
        const hit = ref.key !== undefined ? volatile.instances.has(instanceAddress(ref.address, ref.key)) : volatile.blocks.has(ref.address);
        if (!hit) continue;
        if (ref.attribute && stableAttribute(ref, before, after)) continue;
        return ref.key !== undefined ? instanceAddress(ref.address, ref.key) : ref.address;
      }
    }
  }
  return undefined;
}

/** A referenced attribute written literally, and identically, in both configurations keeps its value through a replacement. */
function stableAttribute(ref: TfReference, before: ReadonlyMap<string, Entity>, after: ReadonlyMap<string, Entity>): boolean {
  const address = ref.key !== undefined ? instanceAddress(ref.address, ref.key) : ref.address;
  const a = after.get(address)?.attributes[ref.attribute!];
  const b = before.get(address)?.attributes[ref.attribute!];
  return a !== undefined && !isExpression(a) && deepEqual(a, b);
}

function resolveLocals(refs: readonly TfReference[], tf: TerraformJson, depth: number): TfReference[] {
  if (depth > 8) return [...refs];
  return refs.flatMap((ref) => {
    if (ref.kind !== "local") return [ref];
    const name = ref.address.slice("local.".length);
    let value: unknown = tf.locals?.[name];
    if (ref.key !== undefined && value !== null && typeof value === "object") value = (value as Record<string, unknown>)[String(ref.key)];
    return resolveLocals(referencesIn(value), tf, depth + 1);
  });
}

function diffFiles(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): FileChange[] {
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort(compareStrings);
  const out: FileChange[] = [];
  for (const path of paths) {
    const b = base.get(path);
    const h = head.get(path);
    if (b === undefined) out.push({ path, change: "added" });
    else if (h === undefined) out.push({ path, change: "removed" });
    else if (b !== h) out.push({ path, change: "changed" });
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
