/**
 * Checks that strings from an environment file reach Terraform and Ansible as literal text.
 *
 * Terraform: every string of the synthesized JSON that carries one of the file's strings is evaluated by Terraform
 * itself, in a configuration that holds nothing but `locals` (no provider needed, so OpenStack stacks are covered
 * too), with `terraform console`. Ansible: the inventory is read with `ansible-inventory --list` and its variables
 * are templated on the controller with an ad-hoc `debug` task, the way a playbook would use them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Every string leaf of a JSON value, with its path. */
export function stringLeaves(value: unknown, path = ""): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, `${path}.${k}`));
  return [];
}

/** What Terraform's template syntax turns `$${` and `%%{` into, to find where a literal landed. */
function unescapeTemplate(s: string): string {
  return s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

export interface TerraformLanding {
  readonly original: string;
  readonly path: string;
  readonly written: string;
}

/** The JSON strings of a stack that carry one of `originals`, read literally or as an escaped template. */
export function landings(tf: unknown, originals: readonly string[], stack: string): TerraformLanding[] {
  const out: TerraformLanding[] = [];
  for (const leaf of stringLeaves(tf)) {
    for (const original of originals) {
      if (leaf.value.includes(original) || unescapeTemplate(leaf.value).includes(original)) out.push({ original, path: `${stack}${leaf.path}`, written: leaf.value });
    }
  }
  return out;
}

/**
 * Evaluates JSON strings with `terraform console` in a locals-only configuration: one local per string, read back
 * with jsonencode. Throws with Terraform's diagnostics when any of them is not a valid literal template.
 */
export function evaluateWithTerraform(strings: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "estate-tf-console-"));
  try {
    const locals: Record<string, string> = {};
    strings.forEach((s, i) => (locals[`v${i}`] = s));
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ locals }));
    writeFileSync(join(dir, "terraformrc"), "");
    const expr = `jsonencode([${strings.map((_, i) => `local.v${i}`).join(", ")}])`;
    const res = spawnSync("terraform", ["console"], {
      cwd: dir,
      input: `${expr}\n`,
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, "terraformrc"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", NO_COLOR: "1" },
      timeout: 60_000,
    });
    const line = res.stdout.trim().split("\n").pop() ?? "";
    if (res.status !== 0 || !line.startsWith('"')) throw new Error(`terraform console refused the strings:\n${res.stdout}\n${res.stderr}`);
    return JSON.parse(JSON.parse(line) as string) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ANSIBLE_ENV = { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCALHOST_WARNING: "0", ANSIBLE_INVENTORY_UNPARSED_WARNING: "0" };

/**
 * Host variables of every host as `ansible-inventory --list` reads them. Its JSON writes a string tagged `!unsafe` as
 * `{"__ansible_unsafe": "<text>"}`; such strings are returned as their text.
 */
export function inventoryHostVars(inventoryFile: string): Record<string, Record<string, unknown>> {
  const list = JSON.parse(execFileSync("ansible-inventory", ["-i", inventoryFile, "--list"], { encoding: "utf8", env: ANSIBLE_ENV }), (_key, value: unknown) =>
    value !== null && typeof value === "object" && "__ansible_unsafe" in value ? (value as { __ansible_unsafe: string }).__ansible_unsafe : value,
  ) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  return list._meta.hostvars;
}

/**
 * Variables of one host after Ansible templated them on the controller, as a play would see them
 * (`ansible.builtin.debug` runs on the controller: the host is never contacted).
 */
export function templatedHostVars(inventoryFile: string, host: string, names: readonly string[]): Record<string, unknown> {
  const msg = `{{ {${names.map((n) => `'${n}': ${n}`).join(", ")}} | to_json }}`;
  const out = execFileSync("ansible", [host, "-i", inventoryFile, "-m", "ansible.builtin.debug", "-a", `msg="${msg}"`], {
    encoding: "utf8",
    env: { ...ANSIBLE_ENV, ANSIBLE_LOAD_CALLBACK_PLUGINS: "1", ANSIBLE_STDOUT_CALLBACK: "json" },
  });
  const result = JSON.parse(out) as { plays: { tasks: { hosts: Record<string, { msg: string }> }[] }[] };
  const msgOut = result.plays[0].tasks[0].hosts[host].msg;
  return (typeof msgOut === "string" ? JSON.parse(msgOut) : msgOut) as Record<string, unknown>;
}

export const readJsonFile = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
