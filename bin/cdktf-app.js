#!/usr/bin/env node
"use strict";
// The cdktf app (cdktf.json "app"): what `cdktf synth` and `cdktf deploy` run. Same launcher as bin/estate.js.
if (process.env.ESTATE_DEBUG === "1") {
  require("tsx/cjs");
  require("../main.ts");
} else {
  require("../scripts/build-js").runBundle("app");
}
