import type { Argv } from "yargs";
import { printTrafficChange, trafficBuilder, type TrafficArgs } from "./drain";

export const command = "restore <site>";
export const describe = "Restore a drained site: set its traffic state to active in the environment file and show the traffic stack diff";

export function builder(yargs: Argv): Argv<TrafficArgs> {
  return trafficBuilder(
    yargs,
    ["$0 restore os-b --env prod", "Put os-b back into DNS rotation in prod with its configured weight"],
    ["$0 restore os-b --env prod --json", "The same, reported as JSON"],
  );
}

export function handler(args: TrafficArgs): void {
  const { changeTrafficState } = require("../lib/drain") as typeof import("../lib/drain");
  printTrafficChange(changeTrafficState({ env: args.env, site: args.site, state: "active" }), args.json);
}
