// Preloaded into a benchmarked process: on exit, writes its resource usage (peak RSS among it) as JSON to the
// file named by ESTATE_BENCH_RUSAGE. Plain JavaScript so that it loads before any TypeScript hook.
"use strict";
const { writeFileSync } = require("node:fs");
const target = process.env.ESTATE_BENCH_RUSAGE;
if (target) {
  process.on("exit", () => writeFileSync(target, JSON.stringify(process.resourceUsage())));
}
