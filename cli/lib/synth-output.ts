/**
 * Reading a synth output directory (`cdktf.out` or a temporary one): its stacks' Terraform JSON and the other
 * artifacts written next to them.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { TerraformJson } from "../../terraform-json";
import { compareStrings } from "../../util";
import { UsageError } from "./errors";

export interface SynthOutput {
  readonly dir: string;
  /** Terraform JSON per stack name, in name order. */
  readonly stacks: ReadonlyMap<string, TerraformJson>;
  /** Every other artifact (inventories, monitoring targets, host exports): path relative to `dir` → content hash. */
  readonly files: ReadonlyMap<string, string>;
  /** Environments that have artifacts in the directory. */
  readonly envs: readonly string[];
}

/** An output with nothing in it: the base of a diff when there was nothing before. */
export function emptySynthOutput(dir = "(nothing)"): SynthOutput {
  return { dir, stacks: new Map(), files: new Map(), envs: [] };
}

/** Reads an output directory; `hashFiles: false` skips hashing the other artifacts (their paths are still listed). */
export function readSynthOutput(dir: string, hashFiles = true): SynthOutput {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`"${dir}" is not a directory`);
  const stacksDir = join(dir, "stacks");
  if (!existsSync(join(dir, "manifest.json")) && !existsSync(stacksDir)) {
    throw new UsageError(`"${dir}" is not a synth output directory: it has neither manifest.json nor stacks/ (run \`estate synth --out ${dir}\` first)`);
  }
  const stacks = new Map<string, TerraformJson>();
  const names = existsSync(stacksDir) ? readdirSync(stacksDir).sort(compareStrings) : [];
  for (const name of names) {
    const file = join(stacksDir, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    try {
      stacks.set(name, JSON.parse(readFileSync(file, "utf8")) as TerraformJson);
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
    }
  }
  const files = new Map<string, string>();
  for (const file of walk(dir)) {
    const rel = relative(dir, file).split(sep).join("/");
    if (rel === "manifest.json" || rel.startsWith("stacks/")) continue;
    files.set(rel, hashFiles ? createHash("sha256").update(readFileSync(file)).digest("hex") : "");
  }
  const envs = new Set<string>();
  for (const rel of files.keys()) {
    const m = /^(?:ansible|cmdb|monitoring)\/([^/]+)\//.exec(rel);
    if (m) envs.add(m[1]);
  }
  return { dir, stacks, files: new Map([...files].sort(([a], [b]) => compareStrings(a, b))), envs: [...envs].sort(compareStrings) };
}

/** Which environment a stack belongs to: the longest environment name that prefixes `<env>-`. */
export function envOfStack(stack: string, envs: readonly string[]): string | undefined {
  return [...envs].sort((a, b) => b.length - a.length).find((env) => stack.startsWith(`${env}-`));
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
