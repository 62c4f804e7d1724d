/**
 * Which environment files to read, and reading them: no cdktf here, so that a bad file is reported before the
 * synthesis machinery even loads.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironment, type EstateModel } from "../model";

/** A selection that matched nothing, or environments that clash. The CLI reports it as a usage error. */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

export function loadEnvironments(files: readonly string[], drain: readonly string[] = []): EstateModel[] {
  const models = files.map((file) => loadEnvironment(file, { drain: drain.filter((d) => d !== "") }));
  const seen = new Map<string, string>();
  for (const m of models) {
    const other = seen.get(m.env);
    if (other) throw new SelectionError(`environment "${m.env}" is defined twice: in ${other} and in ${m.sourceFile}`);
    seen.set(m.env, m.sourceFile);
  }
  return models;
}

export const ENVIRONMENTS_DIR = "environments";

/** Environment files to use: by name (`dev` → environments/dev.yaml) or by path; every file in environments/ when none is given. */
export function environmentFiles(selection: readonly string[] = [], dir: string = ENVIRONMENTS_DIR): string[] {
  if (selection.length === 0) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      throw new SelectionError(`no environments directory "${dir}"; run from the project root or pass --env <file>`);
    }
    const files = entries.filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
    if (files.length === 0) throw new SelectionError(`no environment files (*.yaml) in "${dir}"`);
    return files;
  }
  return selection.map((sel) => {
    if (/[/\\]|\.ya?ml$/.test(sel)) {
      if (!existsSync(sel)) throw new SelectionError(`environment file "${sel}" does not exist`);
      return sel;
    }
    for (const ext of [".yaml", ".yml"]) {
      const candidate = join(dir, `${sel}${ext}`);
      if (existsSync(candidate)) return candidate;
    }
    const known = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, "")).sort() : [];
    throw new SelectionError(`unknown environment "${sel}": no ${join(dir, `${sel}.yaml`)} (known: ${known.join(", ") || "none"})`);
  });
}
