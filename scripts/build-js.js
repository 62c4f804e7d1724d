// Compiles the TypeScript entry points into dist/ with esbuild and loads them with a V8 code cache.
// Plain JavaScript so that launchers can run it before any TypeScript hook exists.
//
// - Each entry becomes one self-contained bundle with its dependencies (cdktf, constructs, provider bindings, zod,
//   yaml, yargs): one file to read and compile instead of hundreds of modules to resolve. No type-check here
//   (`npm run build` type-checks). cdktf's `archiver` (only used for Terraform assets, which the estate never
//   creates) is loaded on first use instead of at start-up.
// - `runBundle` compiles a bundle with the code cache V8 wrote on an earlier run, so functions are not parsed and
//   compiled again on every start. The cache file is named after the bundle's size and modification time
//   (dist/<entry>.<size>-<mtime>.cache): V8 itself only checks a cache against its own version, its flags and the
//   source's length, so a cache must never outlive the exact bundle it was made from. A cache V8 rejects is
//   ignored and rewritten. The cache is written once per build, on exit, after the run has compiled what it used.
// - Bundles are rebuilt only when a source is newer; every file is written atomically, so parallel launches never
//   see half a file.
"use strict";
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { isAscii } = require("node:buffer");
const Module = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const ENTRIES = { cli: "cli/main.ts", app: "main.ts", "bench-naive": "bench/naive-main.ts" };
const SOURCES = ["cli", "constructs", "model", "routes", "render", "policy", "terraform-json", "util", "stacks", "bench", ".gen", "main.ts", "providers", "package.json", "package-lock.json", "tsconfig.json", "scripts/build-js.js", "scripts/lazy-archiver.js"];
// Resolved at run time, from the project's node_modules: the tsx CLI (the diff engine runs old checkouts through
// it) and the bundler itself.
const EXTERNAL = ["tsx", "esbuild"];

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== ".work" && entry !== "node_modules") visit(join(path, entry));
    } else if (/\.(ts|js|json)$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
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

function writeAtomically(target, data) {
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, target);
}

function build() {
  const esbuild = require("esbuild");
  mkdirSync(DIST, { recursive: true });
  for (const [name, source] of Object.entries(ENTRIES)) {
    const target = join(DIST, `${name}.js`);
    const result = esbuild.buildSync({
      entryPoints: [join(ROOT, source)],
      write: false,
      outfile: target,
      bundle: true,
      external: EXTERNAL,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: false,
      // No comments and no indentation: a third less to read at every start, and no stray non-ASCII character in
      // a comment that would make V8 hold the whole source as two-byte text. Names are kept, so stack traces
      // still say which function failed (ESTATE_DEBUG=1 gives source-mapped ones).
      minifyWhitespace: true,
      legalComments: "none",
      logLevel: "error",
      alias: { archiver: "./scripts/lazy-archiver.js" },
      absWorkingDir: ROOT,
      define: { "process.env.ESTATE_BUNDLED": '"1"' },
    });
    for (const stale of readdirSync(DIST)) if (stale.startsWith(`${name}.`) && stale.endsWith(".cache")) rmSync(join(DIST, stale), { force: true });
    writeAtomically(target, result.outputFiles[0].contents);
  }
}

/**
 * Loads an entry's bundle as a CommonJS module, compiled with its code cache when V8 accepts it; returns its
 * exports. Writes the cache when there was none (or V8 rejected it) as the process exits.
 */
function runBundle(entry) {
  const file = ensureBuilt(entry);
  const { size, mtimeMs } = statSync(file);
  const cacheFile = join(DIST, `${entry}.${size}-${Math.floor(mtimeMs)}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const bytes = readFileSync(file);
  // ASCII (what esbuild writes) decodes several times faster as latin1, to the same text.
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // A read-only checkout runs without the cache.
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { ensureBuilt, build, runBundle, DIST, ROOT };

if (require.main === module) build();
