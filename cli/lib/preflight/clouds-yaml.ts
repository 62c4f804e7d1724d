/**
 * Finding a cloud's entry in clouds.yaml the way openstacksdk and the openstack CLI do, so `estate preflight`
 * reads the same credentials Terraform's OpenStack provider and the Ansible roles use.
 *
 * Search order (openstacksdk 0.101 `openstack/config/loader.py`, CONFIG_SEARCH_PATH and CONFIG_FILES on Linux): the
 * file named by `OS_CLIENT_CONFIG_FILE`, then `clouds.yaml`, `clouds.yml`, `clouds.json` in the working directory,
 * `~/.config/openstack/`, `/etc/xdg/openstack/` and `/etc/openstack/`; the first file that exists is used, and only
 * that one. `secure.yaml` (same names and directories, or `OS_CLIENT_SECURE_FILE`) is merged over it, key by key, so
 * passwords can live apart. Unlike openstacksdk, an `OS_CLIENT_CONFIG_FILE` that does not exist is an error rather
 * than silently skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { CommandError } from "../errors";

/** The auth section of a cloud entry, in clouds.yaml's own keys. */
export interface CloudAuth {
  readonly auth_url?: string;
  readonly username?: string;
  readonly user_id?: string;
  readonly password?: string;
  readonly project_name?: string;
  readonly project_id?: string;
  readonly user_domain_name?: string;
  readonly user_domain_id?: string;
  readonly project_domain_name?: string;
  readonly project_domain_id?: string;
  readonly domain_name?: string;
  readonly domain_id?: string;
  readonly application_credential_id?: string;
  readonly application_credential_name?: string;
  readonly application_credential_secret?: string;
}

export interface CloudEntry {
  /** The entry's name in clouds.yaml. */
  readonly name: string;
  /** The clouds.yaml it came from. */
  readonly file: string;
  /** `password` (the default) or `v3applicationcredential`; the `v3` prefix is optional, as in keystoneauth. */
  readonly authType: "password" | "v3applicationcredential";
  readonly auth: CloudAuth;
  /** `interface` / `endpoint_type` of the entry. @default "public" */
  readonly interface: "public" | "internal" | "admin";
  readonly regionName?: string;
  /** `cacert` of the entry: Node reads extra CAs from NODE_EXTRA_CA_CERTS only, checked by the caller. */
  readonly cacert?: string;
  /** `verify: false` in the entry. */
  readonly insecure: boolean;
}

/** The clouds.yaml paths openstacksdk tries, in order. */
export function cloudsYamlCandidates(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  return [...(env.OS_CLIENT_CONFIG_FILE ? [resolve(cwd, env.OS_CLIENT_CONFIG_FILE)] : []), ...searchPath("clouds", cwd)];
}

function secureYamlCandidates(env: NodeJS.ProcessEnv, cwd: string): string[] {
  return [...(env.OS_CLIENT_SECURE_FILE ? [resolve(cwd, env.OS_CLIENT_SECURE_FILE)] : []), ...searchPath("secure", cwd)];
}

function searchPath(base: string, cwd: string): string[] {
  const dirs = [cwd, join(homedir(), ".config", "openstack"), "/etc/xdg/openstack", "/etc/openstack"];
  return dirs.flatMap((d) => [".yaml", ".yml", ".json"].map((suffix) => join(d, `${base}${suffix}`)));
}

function readYaml(file: string): Record<string, any> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CommandError(`${file}: not readable as YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new CommandError(`${file}: expected a mapping with a "clouds" key`);
  return doc as Record<string, any>;
}

function merge(base: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" ? merge(out[k], v) : v;
  }
  return out;
}

/**
 * The entry `name` of the first clouds.yaml found. Errors (no file, no such cloud, an auth type this reader does not
 * speak) name the files searched and what to write instead; they never echo a secret.
 */
export function findCloud(name: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CloudEntry {
  const candidates = cloudsYamlCandidates(env, cwd);
  if (env.OS_CLIENT_CONFIG_FILE && !existsSync(candidates[0])) {
    throw new CommandError(`OS_CLIENT_CONFIG_FILE names ${candidates[0]}, which does not exist`);
  }
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new CommandError(`no clouds.yaml found for cloud "${name}" (searched ${candidates.join(", ")}); write one there or set OS_CLIENT_CONFIG_FILE`);
  const clouds = readYaml(file).clouds;
  if (!clouds || typeof clouds !== "object" || Array.isArray(clouds)) throw new CommandError(`${file}: no "clouds" mapping`);
  if (!Object.hasOwn(clouds, name)) {
    const known = Object.keys(clouds).sort();
    throw new CommandError(`cloud "${name}" is not in ${file} (clouds: ${known.join(", ") || "none"}); add it, or name another with --cloud`);
  }
  let entry = (clouds[name] ?? {}) as Record<string, any>;
  const secure = secureYamlCandidates(env, cwd).find((f) => existsSync(f));
  const secureEntry = secure ? readYaml(secure).clouds?.[name] : undefined;
  if (secureEntry && typeof secureEntry === "object") entry = merge(entry, secureEntry);
  if (entry.profile || entry.cloud) throw new CommandError(`${file}: cloud "${name}" uses a vendor profile ("profile:"), which estate preflight does not read; write auth_url and region_name into the entry`);

  const rawType = String(entry.auth_type ?? "password").replace(/^v3/, "");
  const authType = rawType === "password" ? "password" : rawType === "applicationcredential" ? "v3applicationcredential" : undefined;
  if (!authType) throw new CommandError(`${file}: cloud "${name}" has auth_type "${entry.auth_type}"; estate preflight speaks password and v3applicationcredential`);
  const auth = (entry.auth ?? {}) as CloudAuth;
  if (!auth.auth_url) throw new CommandError(`${file}: cloud "${name}" has no auth.auth_url`);
  const iface = String(entry.interface ?? entry.endpoint_type ?? "public").replace(/URL$/, "");
  if (iface !== "public" && iface !== "internal" && iface !== "admin") throw new CommandError(`${file}: cloud "${name}" has interface "${iface}"; write public, internal or admin`);
  return {
    name,
    file,
    authType,
    auth,
    interface: iface,
    ...(entry.region_name ? { regionName: String(entry.region_name) } : {}),
    ...(entry.cacert ? { cacert: String(entry.cacert) } : {}),
    insecure: entry.verify === false,
  };
}
