/**
 * A scanner for credentials in synthesized artifacts (Terraform JSON, Ansible inventories, file_sd targets, host
 * exports, the cdktf manifest), and the whitelist of what a provider or backend block may carry.
 *
 * Keys are split into words (snake_case, kebab-case, camelCase, dotted) so that `http_tokens` (the EC2 metadata
 * option) or `private_ip` are not mistaken for `token` or `private_key`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { listFiles } from "./tree";

export interface Finding {
  readonly file: string;
  /** Where in the document, e.g. `provider.aws[0].access_key`. */
  readonly where: string;
  readonly what: string;
}

const SECRET_WORDS = new Set(["password", "passwd", "passphrase", "secret", "secrets", "token", "credential", "credentials"]);
const SECRET_PAIRS: readonly [string, string][] = [
  ["private", "key"],
  ["access", "key"],
  ["secret", "key"],
  ["auth", "url"],
  ["api", "key"],
  ["session", "token"],
  ["application", "credential"],
];

const SECRET_VALUES: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, "a GitHub token"],
  [/\bgAAAAA[A-Za-z0-9_-]{40,}/, "a Keystone token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:[^/\s@"']+@/i, "a URL with a user name and password"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, "a JSON web token"],
];

/** Provider arguments that may appear in synthesized JSON: where to find credentials, never the credentials. */
export const ALLOWED_PROVIDER_KEYS: Readonly<Record<string, readonly string[]>> = {
  openstack: ["alias", "cloud", "region"],
  aws: ["alias", "region", "profile", "assume_role", "default_tags", "allowed_account_ids"],
};
const ALLOWED_NESTED_PROVIDER_KEYS: Readonly<Record<string, readonly string[]>> = {
  assume_role: ["role_arn", "session_name", "external_id", "duration"],
  default_tags: ["tags"],
};
/** Backend arguments: where the state lives, never how to log in to it. */
export const ALLOWED_BACKEND_KEYS: Readonly<Record<string, readonly string[]>> = {
  local: ["path"],
  s3: ["bucket", "key", "region", "encrypt", "dynamodb_table", "use_lockfile", "endpoints", "skip_credentials_validation", "skip_region_validation", "skip_requesting_account_id", "use_path_style", "workspace_key_prefix", "kms_key_id", "profile", "assume_role"],
};

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return SECRET_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
}

export function secretInValue(value: string): string | undefined {
  return SECRET_VALUES.find(([re]) => re.test(value))?.[1];
}

/** Credential-looking keys and values anywhere in a parsed document. */
export function scanValue(file: string, value: unknown, where = ""): Finding[] {
  const found: Finding[] = [];
  const walk = (v: unknown, at: string) => {
    if (typeof v === "string") {
      const what = secretInValue(v);
      if (what) found.push({ file, where: at || "(document)", what: `value looks like ${what}` });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${at}[${i}]`));
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        const path = at ? `${at}.${k}` : k;
        if (isSecretKey(k)) found.push({ file, where: path, what: `credential-looking key "${k}"` });
        walk(item, path);
      }
    }
  };
  walk(value, where);
  return found;
}

/** Provider and backend blocks of one stack that carry anything but cloud names, regions, profiles, roles and tags. */
export function checkProviderBlocks(file: string, tf: any): Finding[] {
  const found: Finding[] = [];
  for (const [type, blocks] of Object.entries<any>(tf.provider ?? {})) {
    const allowed = ALLOWED_PROVIDER_KEYS[type];
    if (!allowed) {
      found.push({ file, where: `provider.${type}`, what: `provider type "${type}" is not on the whitelist` });
      continue;
    }
    (Array.isArray(blocks) ? blocks : [blocks]).forEach((block: Record<string, unknown>, i: number) => {
      for (const [key, value] of Object.entries(block)) {
        const where = `provider.${type}[${i}].${key}`;
        if (!allowed.includes(key)) {
          found.push({ file, where, what: `provider argument "${key}" is not on the ${type} whitelist (${allowed.join(", ")})` });
          continue;
        }
        const nested = ALLOWED_NESTED_PROVIDER_KEYS[key];
        if (!nested) continue;
        for (const [j, entry] of (Array.isArray(value) ? value : [value]).entries()) {
          for (const sub of Object.keys(entry ?? {})) {
            if (!nested.includes(sub)) found.push({ file, where: `${where}[${j}].${sub}`, what: `"${sub}" is not allowed in ${key} (${nested.join(", ")})` });
          }
        }
      }
    });
  }
  for (const [type, block] of Object.entries<any>(tf.terraform?.backend ?? {})) {
    const allowed = ALLOWED_BACKEND_KEYS[type] ?? [];
    for (const key of Object.keys(block ?? {})) {
      if (!allowed.includes(key)) found.push({ file, where: `terraform.backend.${type}.${key}`, what: `backend argument "${key}" is not on the ${type} whitelist` });
    }
  }
  return found;
}

/** Scans one artifact by its kind: JSON and YAML are parsed and walked, every file's raw text is scanned too. */
export function scanArtifact(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const [re, what] of SECRET_VALUES) {
    if (re.test(text)) found.push({ file, where: "(raw text)", what: `text contains ${what}` });
  }
  if (file.endsWith(".json")) {
    const data = JSON.parse(text);
    found.push(...scanValue(file, data));
    if (file.endsWith("cdk.tf.json")) found.push(...checkProviderBlocks(file, data));
  } else if (/\.ya?ml$/.test(file)) {
    found.push(...scanValue(file, parse(text)));
  }
  return found;
}

/** Every finding in every file of a synthesized output directory. */
export function scanOutput(outdir: string): Finding[] {
  return listFiles(outdir).flatMap((file) => scanArtifact(file, readFileSync(join(outdir, file), "utf8")));
}
