#!/usr/bin/env node
"use strict";
// The estate CLI. Runs the bundle in dist/ (rebuilt with esbuild when a source is newer, in a fraction of a second)
// through V8's code cache: loading precompiled JavaScript is several times cheaper than transpiling TypeScript on
// every start. ESTATE_DEBUG=1 runs the TypeScript sources through tsx instead, with source-mapped stack traces.
if (process.env.ESTATE_DEBUG === "1") {
  require("tsx/cjs");
  require("../cli/main.ts").main(process.argv.slice(2));
} else {
  require("../scripts/build-js").runBundle("cli").main(process.argv.slice(2));
}
