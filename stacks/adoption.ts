/**
 * Adoption: existing cloud objects taken over by a site stack through Terraform `import` blocks.
 *
 * `estate adopt` writes one adoption file per site next to the environment file,
 * `environments/<env>.adopt/<site>.json`:
 *
 * ```json
 * { "site": "os-a", "imports": [{ "to": "openstack_networking_port_v2.web_fleet_port[\"dev-os-a-web-001\"]", "id": "…" }] }
 * ```
 *
 * Every synthesis of that site's stack reads it and writes each entry as a top-level `import` block (Terraform ≥ 1.5;
 * keyed addresses address one `for_each` instance, which cdktf 0.21's `importFrom` cannot). Once applied, an import
 * block whose address is already in the state is a no-op for Terraform, so the file may stay until the team removes
 * it; an entry whose address the stack no longer has stops synthesis (Terraform would refuse the plan with
 * "Configuration for import target does not exist").
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { TerraformResource, type TerraformStack } from "cdktf";
import { terraformLiteral } from "../constructs/terraform-literal";
import { EnvironmentError, type EstateModel, type OpenstackSiteModel } from "../model";

/** One `import` block: the resource instance address and the provider's import id. */
export interface AdoptionImport {
  /** `type.name` or `type.name["key"]`. */
  readonly to: string;
  readonly id: string;
}

export interface SiteAdoption {
  readonly site: string;
  /** Sorted by `to`. */
  readonly imports: readonly AdoptionImport[];
}

/** `environments/dev.yaml`, `os-a` → `environments/dev.adopt/os-a.json`. */
export function adoptionFilePath(environmentFile: string, site: string): string {
  const dir = join(dirname(environmentFile), `${basename(environmentFile, extname(environmentFile))}.adopt`);
  return join(dir, `${site}.json`);
}

/** `type.name` or `type.name["key"]`, split; undefined when `to` is neither. */
export function parseImportAddress(to: string): { type: string; name: string; key?: string } | undefined {
  const m = /^([a-z][a-z0-9_]*)\.([a-z_][a-z0-9_-]*)(?:\["((?:[^"\\]|\\.)*)"\])?$/.exec(to);
  if (!m) return undefined;
  return { type: m[1], name: m[2], ...(m[3] !== undefined ? { key: JSON.parse(`"${m[3]}"`) as string } : {}) };
}

/** The address of one resource instance as Terraform writes it: `type.name` or `type.name["key"]`. */
export function importAddress(type: string, name: string, key?: string): string {
  return key === undefined ? `${type}.${name}` : `${type}.${name}[${JSON.stringify(key)}]`;
}

/** The noun errors about an adoption file carry. */
const NOUN = "adoption file";

/**
 * Reads the adoption file of a site, or undefined when there is none.
 * @throws EnvironmentError naming the file and the JSON path of what is wrong
 */
export function readSiteAdoption(file: string, site: string): SiteAdoption | undefined {
  if (!existsSync(file)) return undefined;
  const fail = (path: (string | number)[], message: string) => new EnvironmentError(file, [{ path, message }], NOUN);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw fail([], `not valid JSON (${(err as Error).message}); write it again with estate adopt`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw fail([], 'must be an object {"site": ..., "imports": [...]}');
  const root = parsed as Record<string, unknown>;
  if (root.site !== site) throw fail(["site"], `must be "${site}" (this file is the adoption of site ${site}), got ${JSON.stringify(root.site)}`);
  if (!Array.isArray(root.imports)) throw fail(["imports"], "must be a list of {to, id}");
  const seen = new Set<string>();
  const imports = root.imports.map((entry: unknown, i): AdoptionImport => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw fail(["imports", i], "must be an object {to, id}");
    const e = entry as Record<string, unknown>;
    if (typeof e.to !== "string" || !parseImportAddress(e.to)) {
      throw fail(["imports", i, "to"], `must be a resource address like openstack_networking_port_v2.web_fleet_port["<host>"], got ${JSON.stringify(e.to)}`);
    }
    if (typeof e.id !== "string" || e.id.trim() === "") throw fail(["imports", i, "id"], `must be the provider's import id (a non-empty string), got ${JSON.stringify(e.id)}`);
    if (seen.has(e.to)) throw fail(["imports", i, "to"], `${e.to} is imported twice; Terraform imports one object per address`);
    seen.add(e.to);
    return { to: e.to, id: e.id };
  });
  return { site, imports };
}

/**
 * Writes the site's adoption (if any) into the stack as `import` blocks. Called once the stack holds its resources:
 * every address must be a resource of the stack, a keyed one a `for_each` resource and a host of the site.
 * @throws EnvironmentError listing every entry the stack cannot take
 */
export function addSiteAdoption(stack: TerraformStack, estate: EstateModel, site: OpenstackSiteModel): void {
  const file = adoptionFilePath(estate.sourceFile, site.name);
  const adoption = readSiteAdoption(file, site.name);
  if (!adoption || adoption.imports.length === 0) return;
  const resources = new Map<string, TerraformResource>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformResource) resources.set(`${c.terraformResourceType}.${c.friendlyUniqueId}`, c);
  }
  const hosts = new Set(site.services.flatMap((s) => s.hosts.map((h) => h.name)));
  const fix = "remove the entry (the model no longer has it) or run estate adopt again";
  const problems = adoption.imports.flatMap((imp, i) => {
    const a = parseImportAddress(imp.to)!;
    const resource = resources.get(`${a.type}.${a.name}`);
    const keyed = resource?.forEach !== undefined;
    const problem = !resource
      ? `stack ${stack.node.id} has no resource ${a.type}.${a.name}`
      : keyed && a.key === undefined
        ? `${a.type}.${a.name} has for_each: name one instance, ${a.type}.${a.name}["<host>"]`
        : !keyed && a.key !== undefined
          ? `${a.type}.${a.name} has no for_each: drop the key`
          : a.key !== undefined && !hosts.has(a.key)
            ? `"${a.key}" is not a host of site ${site.name}`
            : undefined;
    return problem ? [{ path: ["imports", i, "to"], message: `${imp.to}: ${problem}; ${fix}` }] : [];
  });
  if (problems.length > 0) throw new EnvironmentError(file, problems, NOUN);
  // `to` is an address Terraform parses, never a template; the id is text and is written as literal text.
  stack.addOverride(
    "import",
    adoption.imports.map((i) => ({ to: i.to, id: terraformLiteral(i.id) })),
  );
}
