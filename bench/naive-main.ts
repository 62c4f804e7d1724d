/**
 * Benchmark child: builds one environment the naive way (one construct per instance) and synthesizes it.
 * ESTATE_NAIVE_TUNED=1 applies the same cdktf tuning as the toolkit, to separate its share of the speed-up.
 */
import { tuneCdktfForSynthesis } from "../stacks/cdktf-tuning";

if (process.env.ESTATE_NAIVE_TUNED === "1") tuneCdktfForSynthesis();

import { App } from "cdktf";
import { loadEnvironment } from "../model";
import { renderAnsibleArtifacts } from "../render";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildNaiveStacks } from "./naive";

const [file, outdir] = process.argv.slice(2);
const model = loadEnvironment(file);
const app = new App({ outdir, stackTraces: false });
buildNaiveStacks(app, model);
app.synth();
for (const artifact of renderAnsibleArtifacts(model)) {
  mkdirSync(dirname(join(outdir, artifact.path)), { recursive: true });
  writeFileSync(join(outdir, artifact.path), artifact.content);
}
