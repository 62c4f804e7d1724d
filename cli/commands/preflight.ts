import type { Argv } from "yargs";
import { EXIT_FAILURE } from "../lib/errors";
import { printJson, printLines, setExitCode } from "../output";

export const command = "preflight";
export const describe =
  "Check a site's cloud before a deploy: the clouds.yaml user's token, roles and policy rights, the catalog, flavors, images, zones, external network and quota headroom for what the site's stacks create. The one command that talks to a cloud";

export interface PreflightArgs {
  env: string;
  site: string;
  cloud?: string;
  json: boolean;
}

export function builder(yargs: Argv): Argv<PreflightArgs> {
  return yargs
    .option("env", { type: "string", demandOption: true, describe: "Environment name (environments/<name>.yaml) or file" })
    .option("site", { type: "string", demandOption: true, describe: "OpenStack site to check" })
    .option("cloud", { type: "string", describe: "clouds.yaml entry to check instead of the site's cloud (like --os-cloud)" })
    .option("json", { type: "boolean", default: false, describe: "Print the report as JSON" })
    .example("$0 preflight --env dev --site os-a", "Check dev-os-a's cloud as its clouds.yaml user")
    .example("$0 preflight --env dev --site os-a --cloud ci-deployer --json", "Check another clouds.yaml entry, report as JSON")
    .epilogue(
      "Read-only, except for one trial: a test floating IP at each public VIP address, created and deleted at once (Neutron's policy for a fixed address can only be learnt by trying). Exit 0 when nothing is missing, 1 when something is (or the cloud cannot be reached), 2 on usage errors.",
    ) as Argv<PreflightArgs>;
}

export async function handler(args: PreflightArgs): Promise<void> {
  const { formatPreflight, preflight, preflightJson } = require("../lib/preflight/run") as typeof import("../lib/preflight/run");
  const report = await preflight({ env: args.env, site: args.site, ...(args.cloud !== undefined ? { cloud: args.cloud } : {}) });
  if (args.json) printJson(preflightJson(report));
  else printLines(formatPreflight(report));
  if (report.summary.missing > 0) setExitCode(EXIT_FAILURE);
}
