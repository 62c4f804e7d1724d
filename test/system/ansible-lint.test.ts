/**
 * The Ansible content under ansible/ as the real tools see it: `ansible-playbook --syntax-check` against a
 * synthesized inventory, `ansible-lint` at the production profile, `yamllint`, plus the house habits of STYLE.md
 * (13-15) that no linter checks: role-prefixed defaults, main.yml that only includes, prechecks first, names.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { loadEnvironment } from "../../model";
import { renderInventory } from "../../render";
import { hasCommand, scratchDirs } from "../support/tools";

const ANSIBLE_DIR = resolve("ansible");
const ROLES_DIR = join(ANSIBLE_DIR, "roles");
const PLAYBOOKS_DIR = join(ANSIBLE_DIR, "playbooks");
const TOOL_TIMEOUT_MS = 300_000;

const missing = (cmd: string, pkg: string) => (hasCommand(cmd) ? "" : ` (skipped: ${cmd} is not installed; apt-get install ${pkg})`);

function run(cmd: string, args: string[], cwd = ANSIBLE_DIR): { status: number | null; output: string } {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: TOOL_TIMEOUT_MS,
    env: { ...process.env, ANSIBLE_CONFIG: join(cwd, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", NO_COLOR: "1", ANSIBLE_FORCE_COLOR: "0", PY_COLORS: "0", TERM: "dumb" },
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

const tempDir = scratchDirs();

const playbooks = readdirSync(PLAYBOOKS_DIR).filter((f) => f.endsWith(".yml")).sort();
const roles = readdirSync(ROLES_DIR).filter((d) => statSync(join(ROLES_DIR, d)).isDirectory()).sort();

describe.skipIf(!hasCommand("ansible-playbook"))(`ansible-playbook --syntax-check${missing("ansible-playbook", "ansible")}`, () => {
  let inventory: string;

  beforeAll(() => {
    // Bake enabled, so golden_image_builders has hosts for the golden-image playbook to match.
    const env = parse(readFileSync("environments/dev.yaml", "utf8"));
    env.bake = { enabled: true, baseImage: "debian-12-genericcloud", flavor: "m1.small" };
    const dir = tempDir("estate-syntax-");
    writeFileSync(join(dir, "env.yaml"), stringify(env));
    inventory = join(dir, "inventory.yml");
    writeFileSync(inventory, renderInventory(loadEnvironment(join(dir, "env.yaml"))));
  });

  it("finds the playbooks the toolkit ships", () => {
    expect(playbooks).toEqual(expect.arrayContaining(["golden-image.yml", "rolling-update.yml"]));
  });

  it.each(playbooks)("%s passes with the synthesized inventory", (playbook) => {
    const result = run("ansible-playbook", ["-i", inventory, "--syntax-check", join("playbooks", playbook)]);
    expect(result.output).toContain(`playbook: playbooks/${playbook}`);
    expect(result.output).not.toMatch(/ERROR!/);
    expect(result.status, result.output).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it("rejects a broken playbook (the check can fail)", () => {
    const dir = tempDir("estate-syntax-bad-");
    cpSync(ANSIBLE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, "playbooks", "broken.yml"), "- name: Broken\n  hosts: all\n  roles:\n    - role: no_such_role\n");
    const result = run("ansible-playbook", ["-i", inventory, "--syntax-check", "playbooks/broken.yml"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/no_such_role/);
  }, TOOL_TIMEOUT_MS);
});

describe.skipIf(!hasCommand("ansible-lint"))(`ansible-lint${missing("ansible-lint", "ansible-lint")}`, () => {
  const config = parse(readFileSync(join(ANSIBLE_DIR, ".ansible-lint"), "utf8"));

  it("runs at the production profile, strict, offline", () => {
    expect(config).toMatchObject({ profile: "production", strict: true, offline: true });
  });

  it("passes on ansible/ with zero violations", () => {
    const result = run("ansible-lint", ["--nocolor"]);
    expect(result.output).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
    expect(result.status, result.output).toBe(0);
  }, TOOL_TIMEOUT_MS);

  it("fails on a task that breaks the house rules (the lint gate can fail)", () => {
    const dir = tempDir("estate-lint-bad-");
    cpSync(ANSIBLE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, "playbooks", "sloppy.yml"), "---\n- name: Sloppy\n  hosts: all\n  tasks:\n    - command: ls /\n");
    const result = run("ansible-lint", ["--nocolor"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/fqcn/);
    expect(result.output).toMatch(/no-changed-when/);
    expect(result.output).toMatch(/name\[missing\]/);
  }, TOOL_TIMEOUT_MS);

  it("carries a written reason for every skip, in the config and inline", () => {
    const lines = readFileSync(join(ANSIBLE_DIR, ".ansible-lint"), "utf8").split("\n");
    for (const key of ["skip_list", "warn_list"]) {
      const entries: string[] = config[key] ?? [];
      for (const rule of entries) {
        const line = lines.find((l) => l.trim().startsWith(`- ${rule}`));
        expect(line, `${key} ${rule}`).toMatch(/#\s*\S.{10,}/);
      }
    }
    for (const file of yamlFiles(ANSIBLE_DIR)) {
      const text = readFileSync(file, "utf8").split("\n");
      text.forEach((line, i) => {
        if (!line.includes("# noqa")) return;
        // The line above explains the exception in words.
        expect(text[i - 1] ?? "", `${file}:${i + 1}`).toMatch(/^\s*#\s*\S.{20,}/);
      });
    }
  });
});

describe.skipIf(!hasCommand("yamllint"))(`yamllint${missing("yamllint", "yamllint")}`, () => {
  it("passes on ansible/ in strict mode", () => {
    const result = run("yamllint", ["--strict", "--format", "parsable", "."]);
    expect(result.output).toBe("");
    expect(result.status, result.output).toBe(0);
  });

  it("fails on badly formatted YAML with the same config (the check can fail)", () => {
    const dir = tempDir("estate-yamllint-bad-");
    writeFileSync(join(dir, "bad.yml"), "---\nkey: value   \nother:   yes\n");
    const result = run("yamllint", ["--strict", "--format", "parsable", "-c", join(ANSIBLE_DIR, ".yamllint"), "bad.yml"], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/trailing-spaces/);
    expect(result.output).toMatch(/truthy/);
  });
});

describe("roles follow the house habits (STYLE.md 13-15)", () => {
  const TASK_KEYWORDS = new Set([
    "name", "when", "loop", "loop_control", "register", "vars", "tags", "notify", "become", "become_user", "delegate_to", "run_once",
    "changed_when", "failed_when", "check_mode", "until", "retries", "delay", "timeout", "no_log", "environment", "listen", "ignore_errors",
    "with_items", "block", "rescue", "always", "args", "any_errors_fatal", "throttle", "ignore_unreachable",
  ]);
  const moduleOf = (task: Record<string, unknown>): string => {
    const keys = Object.keys(task).filter((k) => !TASK_KEYWORDS.has(k));
    expect(keys, JSON.stringify(task)).toHaveLength(1);
    return keys[0];
  };
  const tasksIn = (file: string): Record<string, any>[] => parse(readFileSync(file, "utf8")) ?? [];
  const taskFiles = (role: string, dir: string): string[] => {
    const path = join(ROLES_DIR, role, dir);
    return existsSync(path) ? readdirSync(path).filter((f) => f.endsWith(".yml")).map((f) => join(path, f)) : [];
  };

  it("ships the roles the playbooks use", () => {
    expect(roles).toEqual(expect.arrayContaining(["base_os", "monitoring_agents", "image_cleanup", "image_publish", "octavia_member", "rolling_update", "rolling_update_queue"]));
  });

  it.each(roles)("%s has defaults, tasks and meta with galaxy_info", (role) => {
    for (const file of ["defaults/main.yml", "tasks/main.yml", "tasks/precheck.yml", "meta/main.yml"]) expect(existsSync(join(ROLES_DIR, role, file)), `${role}/${file}`).toBe(true);
    const meta = parse(readFileSync(join(ROLES_DIR, role, "meta/main.yml"), "utf8"));
    expect(meta.galaxy_info).toMatchObject({ role_name: role, license: "Apache-2.0", min_ansible_version: expect.any(String) });
    expect(meta.galaxy_info.author.length).toBeGreaterThan(0);
    expect(meta.galaxy_info.description.length).toBeGreaterThan(20);
    expect(meta.galaxy_info.platforms).toEqual([{ name: "Debian", versions: ["bookworm"] }]);
  });

  it.each(roles)("%s prefixes every default with the role name", (role) => {
    const defaults = parse(readFileSync(join(ROLES_DIR, role, "defaults/main.yml"), "utf8")) ?? {};
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    for (const key of Object.keys(defaults)) expect(key).toMatch(new RegExp(`^${role}_[a-z0-9_]+$`));
    for (const file of taskFiles(role, "vars")) {
      for (const key of Object.keys(parse(readFileSync(file, "utf8")) ?? {})) expect(key, file).toMatch(new RegExp(`^${role}_[a-z0-9_]+$`));
    }
  });

  it.each(roles)("%s: tasks/main.yml only includes, prechecks first, and precheck.yml only asserts", (role) => {
    const main = tasksIn(join(ROLES_DIR, role, "tasks/main.yml"));
    for (const task of main) expect(moduleOf(task)).toMatch(/^ansible\.builtin\.(import_tasks|include_tasks|include_vars|include_role|import_role)$/);
    expect(main[0]["ansible.builtin.import_tasks"]).toBe("precheck.yml");
    const prechecks = tasksIn(join(ROLES_DIR, role, "tasks/precheck.yml"));
    expect(prechecks.length).toBeGreaterThan(0);
    for (const task of prechecks) expect(moduleOf(task)).toBe("ansible.builtin.assert");
    // OS-specific values live in vars/<os family>.yml, loaded from main.yml.
    if (main.some((t) => t["ansible.builtin.include_vars"])) expect(existsSync(join(ROLES_DIR, role, "vars/Debian.yml"))).toBe(true);
  });

  it.each(roles)("%s: FQCN modules, `Topic | Task` names, quoted modes, changed_when on commands, Restart handlers", (role) => {
    for (const file of taskFiles(role, "tasks")) {
      for (const task of tasksIn(file)) {
        const module = moduleOf(task);
        const where = `${role}/tasks/${file.split("/").pop()}: ${task.name}`;
        // A module the role ships in its library/ belongs to no collection: ansible-lint's canonical name for it
        // is the short one (fqcn[canonical]).
        if (!existsSync(join(ROLES_DIR, role, "library", `${module}.py`))) expect(module, where).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/);
        expect(task.name, where).toMatch(/^[A-Z][A-Za-z -]* \| [A-Za-z]/);
        if (/\.(command|shell|raw|script)$/.test(module)) expect(task, where).toHaveProperty("changed_when");
        const args = task[module];
        const createsFile =
          /\.(template|copy)$/.test(module) || (module === "ansible.builtin.file" && ["directory", "touch", "file"].includes(args?.state));
        if (createsFile) expect(args.mode, where).toMatch(/^0[0-7]{3}$/);
      }
    }
    for (const file of taskFiles(role, "handlers")) {
      for (const handler of tasksIn(file)) expect(handler.name).toMatch(/^Restart [a-z0-9-]+$/);
    }
  });

  it("keeps playbooks thin: every play is hosts + roles", () => {
    for (const playbook of playbooks) {
      for (const play of parse(readFileSync(join(PLAYBOOKS_DIR, playbook), "utf8"))) {
        expect(play.name, playbook).toMatch(/^[A-Z][A-Za-z -]* \| /);
        expect(play.hosts, playbook).toEqual(expect.any(String));
        expect(play.roles?.length, playbook).toBeGreaterThan(0);
        expect(play.tasks, playbook).toBeUndefined();
      }
    }
  });
});

function yamlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry)) found.push(path);
  }
  return found;
}
