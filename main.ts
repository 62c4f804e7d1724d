/**
 * cdktf app entry (cdktf.json "app", through bin/cdktf-app.js): `npx cdktf synth` and `cdktf deploy <stack>` run it.
 * Environments: ESTATE_ENV (comma-separated names or files), default every file in environments/.
 * Sites drained for this run only: ESTATE_DRAIN (comma-separated site names).
 */
import { tuneCdktfForSynthesis } from "./stacks/private/cdktf-tuning";

// Before anything else loads: module loading is cheaper with source maps off (see cdktf-tuning.ts).
tuneCdktfForSynthesis();

const { EnvironmentError } = require("./model") as typeof import("./model");
const { environmentFiles, loadEnvironments, SelectionError } = require("./stacks/environments") as typeof import("./stacks/environments");

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

try {
  // Environments first: a bad file is reported before cdktf loads.
  const models = loadEnvironments(environmentFiles(list(process.env.ESTATE_ENV)), list(process.env.ESTATE_DRAIN));
  const { synthesizeModels } = require("./stacks/synthesize") as typeof import("./stacks/synthesize");
  synthesizeModels(models, { outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
} catch (err) {
  if (err instanceof EnvironmentError || err instanceof SelectionError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err instanceof SelectionError ? 2 : 1);
  }
  if (process.env.ESTATE_DEBUG === "1") throw err;
  // Not a problem of the input (a full disk, a permission on the output directory, or a toolkit bug): say what
  // happened without a stack trace; ESTATE_DEBUG=1 shows one.
  process.stderr.write(`estate: synthesis failed: ${err instanceof Error ? err.message : String(err)}\n(set ESTATE_DEBUG=1 for a stack trace)\n`);
  process.exit(1);
}
