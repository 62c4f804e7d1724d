// Compiles the TypeScript entry points into dist/ with esbuild (bundled, dependencies external, no type-check:
// `npm run build` type-checks). Plain JavaScript so that launchers can run it before any TypeScript hook exists.
// Rebuilds only when a source is newer than the bundle; writes atomically so parallel launches never see half a file.
"use strict";
const { existsSync, mkdirSync, readdirSync, renameSync, statSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const ENTRIES = { cli: "cli/main.ts", app: "main.ts", "bench-naive": "bench/naive-main.ts" };
const SOURCES = ["cli", "constructs", "model", "render", "stacks", "bench", ".gen", "main.ts", "providers", "package.json", "tsconfig.json"];

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== ".work" && entry !== "node_modules") visit(join(path, entry));
    } else if (/\.(ts|json)$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const s of SOURCES) if (existsSync(join(ROOT, s))) visit(join(ROOT, s));
  return newest;
}

function isFresh() {
  const outputs = Object.keys(ENTRIES).map((name) => join(DIST, `${name}.js`));
  if (!outputs.every(existsSync)) return false;
  const oldest = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return oldest >= newestSource();
}

/** Builds dist/ when it is missing or stale; returns the path of an entry's bundle. */
function ensureBuilt(entry) {
  if (!isFresh()) build();
  return join(DIST, `${entry}.js`);
}

function build() {
  const esbuild = require("esbuild");
  mkdirSync(DIST, { recursive: true });
  for (const [name, source] of Object.entries(ENTRIES)) {
    const target = join(DIST, `${name}.js`);
    const tmp = `${target}.${process.pid}.tmp`;
    esbuild.buildSync({
      entryPoints: [join(ROOT, source)],
      outfile: tmp,
      bundle: true,
      packages: "external",
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: false,
      legalComments: "none",
      logLevel: "error",
      define: { "process.env.ESTATE_BUNDLED": '"1"' },
    });
    renameSync(tmp, target);
  }
}

module.exports = { ensureBuilt, build, DIST, ROOT };

if (require.main === module) build();
