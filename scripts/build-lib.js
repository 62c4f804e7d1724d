// Compiles the library entry points (tsconfig.lib.json) into lib/, incrementally. Output whose source was moved or
// deleted since the last build is removed first: tsc leaves it behind, and `npm pack` would ship it.
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, readdirSync, rmSync } = require("node:fs");
const { join, relative } = require("node:path");

const ROOT = join(__dirname, "..");
const LIB = join(ROOT, "lib");

function removeOrphans(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removeOrphans(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const compiled = /^(.*)\.(js|d\.ts)$/.exec(relative(LIB, path));
    if (compiled && !existsSync(join(ROOT, `${compiled[1]}.ts`))) rmSync(path);
  }
}

removeOrphans(LIB);
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.lib.json")], { stdio: "inherit" });
process.exit(tsc.status ?? 1);
