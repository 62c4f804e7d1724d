import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file under `dir`, relative and sorted, with forward slashes. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/** SHA-256 of every file under `dir`, keyed by relative path: two trees are byte-identical when these are equal. */
export function hashTree(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of listFiles(dir)) hashes[file] = createHash("sha256").update(readFileSync(join(dir, file))).digest("hex");
  return hashes;
}

/** Files whose bytes differ between two trees, plus files only in one of them. */
export function treeDifferences(a: string, b: string): string[] {
  const ha = hashTree(a);
  const hb = hashTree(b);
  const names = [...new Set([...Object.keys(ha), ...Object.keys(hb)])].sort();
  return names.filter((n) => ha[n] !== hb[n]).map((n) => (ha[n] === undefined ? `only in ${b}: ${n}` : hb[n] === undefined ? `only in ${a}: ${n}` : `differs: ${n}`));
}
