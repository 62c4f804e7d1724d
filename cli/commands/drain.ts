import type { Argv } from "yargs";
import { printJson, printLines, printText } from "../output";
import type { TrafficChangeReport } from "../lib/drain";

export const command = "drain <site>";
export const describe = "Drain a site: set its traffic state to drained in the environment file and show the traffic stack diff";

export interface TrafficArgs {
  site: string;
  env: string;
  json: boolean;
}

export function trafficBuilder(yargs: Argv, ...examples: [string, string][]): Argv<TrafficArgs> {
  return yargs
    .positional("site", { type: "string", demandOption: true, describe: "Site name (sites.openstack[].name or sites.aws.name)" })
    .option("env", { type: "string", demandOption: true, describe: "Environment name (environments/<name>.yaml) or file" })
    .option("json", { type: "boolean", default: false, describe: "Print the change (file, site, state before and after, traffic stack diff) as JSON" })
    .example(examples) as Argv<TrafficArgs>;
}

export function builder(yargs: Argv): Argv<TrafficArgs> {
  return trafficBuilder(
    yargs,
    ["$0 drain os-b --env prod", "Take os-b out of DNS rotation in prod (weight 0), then deploy the prod-traffic stack"],
    ["$0 drain os-b --env prod --json", "The same, reported as JSON"],
  );
}

export function handler(args: TrafficArgs): void {
  const { changeTrafficState } = require("../lib/drain") as typeof import("../lib/drain");
  printTrafficChange(changeTrafficState({ env: args.env, site: args.site, state: "drained" }), args.json);
}

/** Shared with restore: what changed in the file, the traffic stack diff, then the redundancy of every service; or all of it as JSON. */
export function printTrafficChange(report: TrafficChangeReport, json: boolean): void {
  if (json) {
    const { trafficChangeJson } = require("../lib/traffic-report") as typeof import("../lib/traffic-report");
    printJson(trafficChangeJson(report));
    return;
  }
  const { formatRedundancy } = require("../lib/drain") as typeof import("../lib/drain");
  if (!report.changed) {
    printLines([`${report.site} is already ${report.state} in ${report.file}; nothing to do`, "", ...formatRedundancy(report.redundancy)]);
    return;
  }
  printLines([`${report.file}: ${report.path} set to ${report.state}`]);
  const { renderText } = require("../lib/diff/render") as typeof import("../lib/diff/render");
  if (report.diff) printText(renderText(report.diff));
  else printLines(["(this environment has no traffic stack: nothing else changes)"]);
  printLines(["", ...formatRedundancy(report.redundancy)]);
}
