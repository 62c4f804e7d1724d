/**
 * The last look before synthesized artifacts are committed: every file of the output (Terraform JSON with its
 * provider and backend blocks, Ansible inventories, monitoring targets, host exports, the cdktf manifest) is scanned
 * for credentials with the same detector the loader runs on environment files (model/secret-scan.ts). A finding
 * stops the commit, so nothing is written and the previous output stays as it was.
 *
 * A quick pass over each file's raw text finds the files that may hold one; only those are parsed (JSON, YAML) and
 * walked string by string, to say where and to leave out what the toolkit builds itself (Terraform references,
 * cdktf metadata). Scanning the 20,000-host benchmark estate this way costs a fraction of a second.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { EnvironmentError, formatPath, type EstateModel } from "../model";
import { mayHoldSecret, SECRET_PATTERNS, secretsInDocument } from "../model/secret-scan";

/**
 * Throws an EnvironmentError naming every artifact under `dir` that holds what looks like a credential, against the
 * environment file that produced it.
 */
export function refuseSecretsInArtifacts(dir: string, models: readonly EstateModel[]): void {
  const findings = listFiles(dir).flatMap((file) => secretsInArtifact(relative(dir, file), readFileSync(file, "utf8")));
  if (findings.length === 0) return;
  const byFile = new Map<string, string[]>();
  for (const f of findings) {
    const source = sourceOf(f.artifact, models);
    byFile.set(source, [...(byFile.get(source) ?? []), `the synthesized ${f.artifact} would hold what looks like ${f.what} at ${f.where}; nothing was written: find the value in this file (or in what it names) and remove the credential`]);
  }
  const [file, messages] = [...byFile.entries()][0];
  throw new EnvironmentError(file, messages.map((message) => ({ path: [], message })));
}

interface ArtifactFinding {
  readonly artifact: string;
  readonly where: string;
  readonly what: string;
}

function secretsInArtifact(artifact: string, text: string): ArtifactFinding[] {
  if (!mayHoldSecret(text)) return [];
  let data: unknown;
  try {
    data = artifact.endsWith(".json") ? JSON.parse(text) : /\.ya?ml$/.test(artifact) ? parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (data !== undefined) return secretsInDocument(data).map((s) => ({ artifact, where: formatPath(s.path), what: s.what }));
  return SECRET_PATTERNS.filter(([re]) => re.test(text)).map(([, what]) => ({ artifact, where: "its text", what }));
}

/** The environment file an artifact came from: its stack's or its environment's. */
function sourceOf(artifact: string, models: readonly EstateModel[]): string {
  const parts = artifact.split(/[\\/]/);
  const model = models.find((m) => m.stacks.some((s) => parts.includes(s.name)) || parts.includes(m.env)) ?? models[0];
  return model?.sourceFile ?? artifact;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}
