// Conformance checker: validates the openstack parts of a synthesized cdk.tf.json against the
// provider schema snapshot in providers/openstack/schema.json (terraform-provider-openstack v3.3.2).
//
// It reports what `terraform plan` would reject: unknown attribute/block names, missing required
// attributes/blocks, computed-only attributes being set, values of the wrong basic type, and nested
// block counts outside min_items/max_items. Strings containing a Terraform expression (`${...}`) are
// accepted for any type, as Terraform only knows their type at plan time.
import * as fs from "node:fs";
import * as path from "node:path";

export const OPENSTACK_PROVIDER_ADDRESS = "registry.terraform.io/terraform-provider-openstack/openstack";
export const OPENSTACK_SCHEMA_FILE = path.resolve(__dirname, "..", "..", "providers", "openstack", "schema.json");
export const OPENSTACK_FORCE_NEW_FILE = path.resolve(__dirname, "..", "..", "providers", "openstack", "force-new.json");

export type CtyType = string | [string, any];

export interface SchemaAttribute {
  type: CtyType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  description?: string;
}

export interface SchemaBlockType {
  nesting_mode: "single" | "list" | "set" | "map" | "group";
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}

export interface OpenstackSchema {
  provider: { version: number; block: SchemaBlock };
  resource_schemas: Record<string, { version: number; block: SchemaBlock }>;
  data_source_schemas: Record<string, { version: number; block: SchemaBlock }>;
}

let cached: OpenstackSchema | undefined;

/** The openstack provider entry of providers/openstack/schema.json (cached). */
export function loadOpenstackSchema(): OpenstackSchema {
  if (!cached) {
    const raw = JSON.parse(fs.readFileSync(OPENSTACK_SCHEMA_FILE, "utf8"));
    const entry = raw?.provider_schemas?.[OPENSTACK_PROVIDER_ADDRESS];
    if (!entry) throw new Error(`${OPENSTACK_SCHEMA_FILE}: missing ${OPENSTACK_PROVIDER_ADDRESS}`);
    cached = entry as OpenstackSchema;
  }
  return cached;
}

/** providers/openstack/force-new.json: attribute paths whose change forces replacement, per resource type. */
export function loadOpenstackForceNew(): { provider: string; version: string; resources: Record<string, string[]> } {
  return JSON.parse(fs.readFileSync(OPENSTACK_FORCE_NEW_FILE, "utf8"));
}

// Terraform meta-arguments valid on resource/data blocks; never part of the provider schema.
const RESOURCE_META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "connection", "provisioner", "//"]);
// Meta-arguments of provider configuration blocks.
const PROVIDER_META = new Set(["alias", "version", "//"]);

function isExpression(v: unknown): boolean {
  return typeof v === "string" && v.includes("${");
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "object";
  return typeof v;
}

function typeName(t: CtyType): string {
  if (typeof t === "string") return t;
  const [kind, inner] = t;
  if (kind === "object") return "object";
  return `${kind}(${typeName(inner)})`;
}

/** Checks `value` against a cty type the way Terraform's implicit conversions would. */
function typeProblems(value: unknown, type: CtyType, where: string): string[] {
  if (value === null || value === undefined || isExpression(value)) return [];
  if (typeof type === "string") {
    switch (type) {
      case "string":
        // numbers and bools convert to strings implicitly; lists/maps do not.
        return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? []
          : [`${where}: expected string, got ${describeValue(value)}`];
      case "number":
        if (typeof value === "number") return [];
        if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return [];
        return [`${where}: expected number, got ${describeValue(value)}${typeof value === "string" ? ` "${value}"` : ""}`];
      case "bool":
        if (typeof value === "boolean" || value === "true" || value === "false") return [];
        return [`${where}: expected bool, got ${describeValue(value)}${typeof value === "string" ? ` "${value}"` : ""}`];
      case "dynamic":
        return [];
      default:
        return [];
    }
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) return [`${where}: expected ${typeName(type)}, got ${describeValue(value)}`];
    return value.flatMap((el, i) => typeProblems(el, inner, `${where}[${i}]`));
  }
  if (kind === "map") {
    if (!isPlainObject(value)) return [`${where}: expected ${typeName(type)}, got ${describeValue(value)}`];
    return Object.entries(value).flatMap(([k, v]) => typeProblems(v, inner, `${where}["${k}"]`));
  }
  if (kind === "object") {
    if (!isPlainObject(value)) return [`${where}: expected object, got ${describeValue(value)}`];
    const fields = inner as Record<string, CtyType>;
    const out: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (!(k in fields)) out.push(`${where}: unknown object attribute "${k}"`);
      else out.push(...typeProblems(v, fields[k], `${where}.${k}`));
    }
    return out;
  }
  return [];
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length][b.length];
}

function suggestion(name: string, candidates: string[]): string {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = levenshtein(name, c);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

/** Validates one block body (a resource, data source, provider config or nested block item). */
function checkBlock(body: unknown, block: SchemaBlock, where: string, meta: Set<string>): string[] {
  if (!isPlainObject(body)) return [`${where}: expected an object, got ${describeValue(body)}`];
  const attrs = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  const known = [...Object.keys(attrs), ...Object.keys(blocks)];
  const problems: string[] = [];
  const seenBlocks = new Map<string, number>();

  for (const [key, value] of Object.entries(body)) {
    if (meta.has(key)) continue;
    if (key === "dynamic") {
      problems.push(...checkDynamic(value, blocks, where, seenBlocks));
      continue;
    }
    const attr = attrs[key];
    if (attr) {
      if (attr.computed && !attr.optional && !attr.required) {
        problems.push(`${where}: attribute "${key}" is computed-only and cannot be set`);
        continue;
      }
      problems.push(...typeProblems(value, attr.type, `${where}.${key}`));
      continue;
    }
    const bt = blocks[key];
    if (bt) {
      const items = blockItems(value, bt, `${where}.${key}`, problems);
      seenBlocks.set(key, (seenBlocks.get(key) ?? 0) + items.length);
      items.forEach(([item, itemWhere]) => problems.push(...checkBlock(item, bt.block, itemWhere, new Set(["//"]))));
      continue;
    }
    problems.push(`${where}: unknown attribute or block "${key}"${suggestion(key, known)}`);
  }

  for (const [name, attr] of Object.entries(attrs)) {
    if (attr.required && (body[name] === undefined || body[name] === null)) {
      problems.push(`${where}: missing required attribute "${name}"`);
    }
  }
  for (const [name, bt] of Object.entries(blocks)) {
    const count = seenBlocks.get(name) ?? 0;
    if (bt.min_items && count < bt.min_items && !seenBlocks.has(`dynamic:${name}`)) {
      problems.push(`${where}: block "${name}" needs at least ${bt.min_items} item(s), got ${count}`);
    }
    if (bt.max_items && count > bt.max_items) {
      problems.push(`${where}: block "${name}" allows at most ${bt.max_items} item(s), got ${count}`);
    }
  }
  return problems;
}

/** cdktf renders nested blocks as arrays of objects, or as a single object for single/max-1 blocks. */
function blockItems(value: unknown, bt: SchemaBlockType, where: string, problems: string[]): Array<[unknown, string]> {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((item, i) => [item, `${where}[${i}]`]);
  if (isPlainObject(value)) return [[value, bt.nesting_mode === "single" ? where : `${where}[0]`]];
  if (isExpression(value)) {
    problems.push(`${where}: a nested block cannot be an expression; use a dynamic block`);
    return [];
  }
  problems.push(`${where}: expected a block (object or list of objects), got ${describeValue(value)}`);
  return [];
}

/** Terraform JSON `"dynamic": { "<block>": { "for_each": ..., "iterator"?: ..., "content": {...} } }`. */
function checkDynamic(
  value: unknown,
  blocks: Record<string, SchemaBlockType>,
  where: string,
  seen: Map<string, number>,
): string[] {
  if (!isPlainObject(value)) return [`${where}.dynamic: expected an object, got ${describeValue(value)}`];
  const problems: string[] = [];
  for (const [name, specs] of Object.entries(value)) {
    const bt = blocks[name];
    if (!bt) {
      problems.push(`${where}: unknown dynamic block "${name}"${suggestion(name, Object.keys(blocks))}`);
      continue;
    }
    seen.set(`dynamic:${name}`, 1);
    const list = Array.isArray(specs) ? specs : [specs];
    list.forEach((spec, i) => {
      const at = `${where}.dynamic.${name}${Array.isArray(specs) ? `[${i}]` : ""}`;
      if (!isPlainObject(spec)) {
        problems.push(`${at}: expected an object, got ${describeValue(spec)}`);
        return;
      }
      if (spec.content !== undefined) problems.push(...checkBlock(spec.content, bt.block, `${at}.content`, new Set(["//"])));
    });
  }
  return problems;
}

/**
 * Walks every `openstack_*` resource and data source and every `provider.openstack` block of a
 * synthesized cdk.tf.json object and returns human-readable problems (empty when conformant).
 */
export function checkAgainstOpenstackSchema(tfJson: any): string[] {
  const schema = loadOpenstackSchema();
  const problems: string[] = [];

  const providers = tfJson?.provider?.openstack;
  if (providers !== undefined) {
    const list = Array.isArray(providers) ? providers : [providers];
    list.forEach((p, i) => problems.push(...checkBlock(p, schema.provider.block, `provider.openstack[${i}]`, PROVIDER_META)));
  }

  const sections: Array<["resource" | "data", Record<string, { block: SchemaBlock }>, string]> = [
    ["resource", schema.resource_schemas, ""],
    ["data", schema.data_source_schemas, "data."],
  ];
  for (const [section, schemas, prefix] of sections) {
    const byType = tfJson?.[section];
    if (!isPlainObject(byType)) continue;
    for (const [type, instances] of Object.entries(byType)) {
      if (!type.startsWith("openstack_")) continue;
      const entry = schemas[type];
      if (!entry) {
        const kind = section === "data" ? "data source" : "resource";
        problems.push(`${prefix}${type}: unknown ${kind} type${suggestion(type, Object.keys(schemas))}`);
        continue;
      }
      if (!isPlainObject(instances)) {
        problems.push(`${prefix}${type}: expected an object of named instances`);
        continue;
      }
      for (const [name, body] of Object.entries(instances)) {
        problems.push(...checkBlock(body, entry.block, `${prefix}${type}.${name}`, RESOURCE_META));
      }
    }
  }
  return problems;
}
