import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { loadEnvironment, type EstateModel } from "../../model";

export const DEV_ENV = "environments/dev.yaml";

/** The bundled dev environment as plain data, to mutate in a test. */
export function devEnvironment(): any {
  return parse(readFileSync(DEV_ENV, "utf8"));
}

/** Writes an environment object to a fresh temp file and returns its path. */
export function writeEnvironment(data: unknown, name = "env.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "estate-env-"));
  const file = join(dir, name);
  writeFileSync(file, typeof data === "string" ? data : stringify(data));
  return file;
}

/** Loads a mutated copy of the dev environment. */
export function devModel(mutate: (env: any) => void = () => {}, drain: string[] = []): EstateModel {
  const env = devEnvironment();
  mutate(env);
  return loadEnvironment(writeEnvironment(env), { drain });
}
