/**
 * The contract between the roles and the synthesized inventory: every inventory variable a role or playbook reads
 * (estate_*, golden_image_*) is one render/inventory.ts writes, and every role declares its variables in
 * meta/argument_specs.yml (which Ansible checks before the role's first task).
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { loadEnvironment } from "../../model";
import { renderInventory } from "../../render";
import { scratchDirs } from "../support/tools";

const ANSIBLE_DIR = resolve("ansible");
const tempDir = scratchDirs();

/** Inventory variable names: what the renderer prefixes its variables with. */
const INVENTORY_VAR = /\b(?:estate|golden_image)_[a-z0-9_]+\b/g;
/** Group names that share the prefix (groups, not variables). */
const GROUP_NAMES = new Set(["golden_image_builders"]);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.(ya?ml|j2)$/.test(entry) ? [path] : [];
  });
}

/** Inventory variables read anywhere under `ansibleDir` (roles and playbooks), with the first file reading each. */
function inventoryVarsRead(ansibleDir: string): Map<string, string> {
  const read = new Map<string, string>();
  for (const file of yamlFiles(ansibleDir)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (/^\s*#/.test(line)) continue;
      for (const [name] of line.matchAll(INVENTORY_VAR)) {
        if (!GROUP_NAMES.has(name) && !read.has(name)) read.set(name, file.slice(ansibleDir.length + 1));
      }
    }
  }
  return read;
}

/** Every variable name an inventory sets, on groups and hosts, at any depth of `all`. */
function inventoryVarsWritten(inventoryYaml: string): Set<string> {
  const names = new Set<string>();
  const walk = (group: { vars?: object; hosts?: Record<string, object | null>; children?: Record<string, object | null> }) => {
    for (const name of Object.keys(group.vars ?? {})) names.add(name);
    for (const host of Object.values(group.hosts ?? {})) for (const name of Object.keys(host ?? {})) names.add(name);
    for (const child of Object.values(group.children ?? {})) if (child) walk(child);
  };
  walk(parse(inventoryYaml).all);
  return names;
}

/** The variables written for the bundled estates and the OpenStack test estate, bake on (builders' vars too). */
function writtenByRenderer(): Set<string> {
  const names = new Set<string>();
  for (const file of ["environments/dev.yaml", "environments/prod.yaml", "test/fixtures/openstack-local/local.yaml"]) {
    const env = parse(readFileSync(file, "utf8"));
    env.bake = { enabled: true, baseImage: "debian-12-genericcloud", flavor: "m1.small" };
    const dir = tempDir("estate-contract-");
    writeFileSync(join(dir, "env.yaml"), JSON.stringify(env));
    for (const name of inventoryVarsWritten(renderInventory(loadEnvironment(join(dir, "env.yaml"))))) names.add(name);
  }
  return names;
}

function notWritten(ansibleDir: string): string[] {
  const written = writtenByRenderer();
  return [...inventoryVarsRead(ansibleDir)].filter(([name]) => !written.has(name)).map(([name, file]) => `${name} (read in ${file})`);
}

describe("inventory variables the roles read", () => {
  it("finds the variables the day-2 roles depend on", () => {
    const read = [...inventoryVarsRead(ANSIBLE_DIR).keys()];
    expect(read).toEqual(expect.arrayContaining(["estate_cloud", "estate_region", "estate_lb_vip_address", "estate_openstack_image", "golden_image_publish_name"]));
  });

  it("are all written by the inventory renderer", () => {
    expect(notWritten(ANSIBLE_DIR)).toEqual([]);
  });

  it("catches a role reading a variable the renderer never writes", () => {
    const dir = tempDir("estate-contract-roles-");
    cpSync(ANSIBLE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, "roles", "octavia_member", "defaults", "extra.yml"), "---\noctavia_member_pool: \"{{ estate_lb_pool_name }}\"\n");
    expect(notWritten(dir)).toEqual(["estate_lb_pool_name (read in roles/octavia_member/defaults/extra.yml)"]);
  });
});

describe("role argument specs", () => {
  const roles = readdirSync(join(ANSIBLE_DIR, "roles")).sort();

  it.each(roles)("%s declares every default in meta/argument_specs.yml", (role) => {
    const dir = join(ANSIBLE_DIR, "roles", role);
    const defaults = Object.keys(parse(readFileSync(join(dir, "defaults", "main.yml"), "utf8")) ?? {}).sort();
    const spec = parse(readFileSync(join(dir, "meta", "argument_specs.yml"), "utf8"));
    const options = spec.argument_specs.main.options as Record<string, { description?: string; type?: string }>;
    expect(Object.keys(options).sort()).toEqual(defaults);
    for (const [name, option] of Object.entries(options)) {
      expect(option.description, `${role}: ${name} has no description`).toBeTruthy();
      expect(option.type, `${role}: ${name} has no type`).toBeTruthy();
    }
  });
});

describe("ansible/requirements.yml", () => {
  const requirements = parse(readFileSync(join(ANSIBLE_DIR, "requirements.yml"), "utf8")) as { collections: { name: string; version: string }[] };

  it("bounds every collection from above, so a new major release cannot slip in", () => {
    for (const c of requirements.collections) expect(c.version, c.name).toMatch(/^>=\d+\.\d+\.\d+,<\d+\.\d+\.\d+$/);
  });

  it("lists every collection the roles and playbooks call by FQCN, and only those", () => {
    const used = new Set<string>();
    for (const file of yamlFiles(ANSIBLE_DIR)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (/^\s*#/.test(line)) continue;
        for (const [, ns, coll] of line.matchAll(/\b([a-z_]+)\.([a-z_]+)\.[a-z_]+\b/g)) {
          if (ns !== "ansible" && ["community", "openstack"].includes(ns)) used.add(`${ns}.${coll}`);
        }
      }
    }
    expect(requirements.collections.map((c) => c.name).sort()).toEqual([...used].sort());
    expect([...used]).toEqual(["community.general"]);
  });
});
