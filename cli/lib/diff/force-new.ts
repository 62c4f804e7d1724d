/**
 * Which attribute changes make a provider replace a resource, from the maintained lists in
 * providers/<provider>/force-new.json (`{"resources": {"<type>": ["attr", "block.attr", ...]}}`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The project root (where package.json and providers/ live), from the sources or from the dist/ bundle. */
export const PROJECT_ROOT = projectRoot(__dirname);

function projectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "providers"))) return dir;
    if (dirname(dir) === dir) return resolve(start, "..", "..", "..");
  }
}

export interface ForceNewCatalog {
  /** True when the catalog knows the resource type (an empty list means: nothing forces replacement). */
  knows(type: string): boolean;
  /** True when changing `path` (e.g. `block_device[0].uuid`) from `before` to `after` replaces the resource. */
  forcesReplacement(type: string, path: string, before: unknown, after: unknown): boolean;
}

export function forceNewCatalog(resources: Readonly<Record<string, readonly string[]>>): ForceNewCatalog {
  const sets = new Map(Object.entries(resources).map(([type, attrs]) => [type, new Set(attrs)]));
  const listed = (set: Set<string>, normalized: string) => {
    const parts = normalized.split(".");
    for (let i = parts.length; i > 0; i--) if (set.has(parts.slice(0, i).join("."))) return true;
    return false;
  };
  return {
    knows: (type) => sets.has(type),
    forcesReplacement: (type, path, before, after) => {
      const set = sets.get(type);
      if (!set || set.size === 0) return false;
      const normalized = normalizePath(path);
      if (listed(set, normalized)) return true;
      // A whole nested block added, removed or rewritten: replaced if any attribute set inside it is.
      return [...leafPaths(before, normalized), ...leafPaths(after, normalized)].some((p) => listed(set, p));
    },
  };
}

/** Reads every providers/*\/force-new.json under the project root (missing files are skipped). */
export function loadForceNewCatalog(root: string = PROJECT_ROOT): ForceNewCatalog {
  const dir = join(root, "providers");
  const resources: Record<string, string[]> = {};
  if (existsSync(dir)) {
    for (const provider of readdirSync(dir).sort()) {
      const file = join(dir, provider, "force-new.json");
      if (!existsSync(file)) continue;
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { resources?: Record<string, string[]> };
      for (const [type, attrs] of Object.entries(parsed.resources ?? {})) resources[type] = [...(resources[type] ?? []), ...attrs];
    }
  }
  return forceNewCatalog(resources);
}

/** `block_device[0].uuid` → `block_device.uuid`; map keys are dropped (`tags["a"]` → `tags`). */
export function normalizePath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, "");
}

function leafPaths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => leafPaths(v, prefix));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, `${prefix}.${k}`));
  }
  return [prefix];
}
