#!/usr/bin/env node
"use strict";
// `estate` as npm links it. In a checkout this is bin/estate.js, which rebuilds dist/ from the sources when they are
// newer. An installed package carries no sources, only the CLI bundle `npm pack` built (prepack), which runs as is.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

if (existsSync(join(__dirname, "..", "cli", "main.ts"))) require("./estate.js");
else require("../dist/cli.js").main(process.argv.slice(2));
