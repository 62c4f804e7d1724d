#!/usr/bin/env node
"use strict";
// The estate CLI. Runs the bundle in dist/ (rebuilt with esbuild when a source is newer, in a fraction of a second):
// loading precompiled JavaScript is several times cheaper than transpiling TypeScript on every start.
// ESTATE_DEBUG=1 runs the TypeScript sources through tsx instead, with source-mapped stack traces.
if (process.env.ESTATE_DEBUG === "1") {
  require("tsx/cjs");
  require("../cli/main.ts").main(process.argv.slice(2));
} else {
  require(require("../scripts/build-js").ensureBuilt("cli")).main(process.argv.slice(2));
}
