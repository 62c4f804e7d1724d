/**
 * cdktf app entry (cdktf.json "app"): `npx cdktf synth` and `cdktf deploy <stack>` run this.
 * Environments: ESTATE_ENV (comma-separated names or files), default every file in environments/.
 * Sites drained for this run only: ESTATE_DRAIN (comma-separated site names).
 */
import { tuneCdktfForSynthesis } from "./stacks/private/cdktf-tuning";

// Before anything else loads: module loading is cheaper with source maps off (see cdktf-tuning.ts).
tuneCdktfForSynthesis();

const { EnvironmentError } = require("./model") as typeof import("./model");
const { environmentFiles, SelectionError, synthesize } = require("./stacks/synthesize") as typeof import("./stacks/synthesize");

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

try {
  synthesize({
    environmentFiles: environmentFiles(list(process.env.ESTATE_ENV)),
    outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out",
    drain: list(process.env.ESTATE_DRAIN),
  });
} catch (err) {
  if (err instanceof EnvironmentError || err instanceof SelectionError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(err instanceof SelectionError ? 2 : 1);
  }
  throw err;
}
