/**
 * Lists and sets of plain values compared element by element, the way `terraform plan` shows them: a list is
 * aligned on its longest common subsequence (jsdiff's `diffArrays`, Myers' algorithm) so one CIDR added to sixteen
 * reads as one added element; a set has no order, so only elements added and removed count and a reordered set is
 * no change. Which attributes are sets comes from the provider schemas kept under providers/<provider>/schema.json
 * (the shape of `terraform providers schema -json`); an attribute of a type without a schema is read as a list.
 */
import { diffArrays } from "diff";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ElementChange } from "./types";
import { PROJECT_ROOT } from "./force-new";

export interface CollectionCatalog {
  /** True when `path` (normalized: `allowed_address_pairs.ip_address`, no indexes) of `type` is a set. */
  isSet(type: string, path: string): boolean;
}

/** No schema: every collection is a list. */
export const LISTS_ONLY: CollectionCatalog = { isSet: () => false };

interface SchemaBlock {
  readonly attributes?: Record<string, { readonly type?: unknown }>;
  readonly block_types?: Record<string, { readonly nesting_mode?: string; readonly block?: SchemaBlock }>;
}

/** Set-typed paths of every resource and data source in the schema files under providers/. */
export function loadCollectionCatalog(root: string = PROJECT_ROOT): CollectionCatalog {
  const sets = new Map<string, Set<string>>();
  const dir = join(root, "providers");
  if (existsSync(dir)) {
    for (const provider of readdirSync(dir).sort()) {
      const file = join(dir, provider, "schema.json");
      if (!existsSync(file)) continue;
      const parsed = JSON.parse(readFileSync(file, "utf8")) as {
        provider_schemas?: Record<string, { resource_schemas?: Record<string, { block: SchemaBlock }>; data_source_schemas?: Record<string, { block: SchemaBlock }> }>;
      };
      for (const schema of Object.values(parsed.provider_schemas ?? {})) {
        for (const [type, s] of [...Object.entries(schema.resource_schemas ?? {}), ...Object.entries(schema.data_source_schemas ?? {})]) {
          const paths = sets.get(type) ?? new Set<string>();
          setPaths(s.block, "", paths);
          sets.set(type, paths);
        }
      }
    }
  }
  return { isSet: (type, path) => sets.get(type)?.has(path) ?? false };
}

function setPaths(block: SchemaBlock, prefix: string, out: Set<string>): void {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (Array.isArray(attribute.type) && attribute.type[0] === "set") out.add(`${prefix}${name}`);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    if (nested.nesting_mode === "set") out.add(`${prefix}${name}`);
    if (nested.block) setPaths(nested.block, `${prefix}${name}.`, out);
  }
}

/**
 * Element changes from `before` to `after` (either may be absent: every element is then added or removed), or
 * undefined when nothing changed (for a set: the same elements in another order).
 */
export function elementChanges(before: readonly unknown[] | undefined, after: readonly unknown[] | undefined, collection: "list" | "set"): ElementChange[] | undefined {
  const b = before ?? [];
  const a = after ?? [];
  if (collection === "set") {
    const remaining = [...a];
    const removed: unknown[] = [];
    const kept: unknown[] = [];
    for (const value of b) {
      const i = remaining.findIndex((v) => sameValue(v, value));
      if (i === -1) removed.push(value);
      else kept.push(...remaining.splice(i, 1));
    }
    if (removed.length === 0 && remaining.length === 0 && before !== undefined && after !== undefined) return undefined;
    return [
      ...removed.map((value) => ({ action: "delete" as const, value })),
      ...remaining.map((value) => ({ action: "create" as const, value })),
      ...kept.map((value) => ({ action: "no-op" as const, value })),
    ];
  }
  const parts = diffArrays([...b], [...a], { comparator: sameValue });
  const out: ElementChange[] = [];
  for (const part of parts) {
    const action = part.added ? "create" : part.removed ? "delete" : "no-op";
    for (const value of part.value) out.push({ action, value });
  }
  if (out.every((e) => e.action === "no-op") && before !== undefined && after !== undefined) return undefined;
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
