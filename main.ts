/**
 * cdktf app entry (cdktf.json "app", through bin/cdktf-app.js): `npx cdktf synth` and `cdktf deploy <stack>` run it.
 * It is `estate synth` into cdktf's output directory: the same environments, policy gate, messages and exit codes.
 * Environments: ESTATE_ENV (comma-separated names or files), default every file in environments/.
 * Sites drained for this run only: ESTATE_DRAIN (comma-separated site names).
 */
import { main } from "./cli/main";

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

main([
  "synth",
  "--cdktf-app",
  "--out",
  process.env.CDKTF_OUTDIR ?? "cdktf.out",
  ...list(process.env.ESTATE_ENV).flatMap((env) => ["--env", env]),
  ...list(process.env.ESTATE_DRAIN).flatMap((site) => ["--drain", site]),
]);
