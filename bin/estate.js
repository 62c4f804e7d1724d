#!/usr/bin/env node
"use strict";
// The CLI is TypeScript run through tsx, so `npm link` / `npx estate` work without a build step.
require("tsx/cjs");
require("../cli/main.ts").main(process.argv.slice(2));
