import type { Argv } from "yargs";
import { printJson, printLines, printText } from "../output";
import { CommandError } from "../lib/errors";

export const command = "routes <tables>";
export const describe = "Consolidate per-server routing tables into a site's central routes, written into the environment file";

interface RoutesArgs {
  tables: string;
  env: string;
  site: string;
  print: boolean;
  json: boolean;
  "max-routes"?: number;
}

export function builder(yargs: Argv): Argv<RoutesArgs> {
  return yargs
    .positional("tables", { type: "string", demandOption: true, describe: "Directory with one routing table per server (ip -j route, ip route show, route -n or netstat -rn output)" })
    .option("env", { type: "string", demandOption: true, describe: "Environment name (environments/<name>.yaml) or file" })
    .option("site", { type: "string", demandOption: true, describe: "OpenStack site the servers live in (sites.openstack[].name)" })
    .option("print", { type: "boolean", default: false, describe: "Print the routes as YAML instead of writing them into the environment file" })
    .option("json", { type: "boolean", default: false, describe: "Print the report (central, site-provided, host-specific, covered routes, conflicts) as JSON" })
    .example([
      ["$0 routes examples/legacy-routes --env dev --site os-a", "Write the central routes of os-a into environments/dev.yaml and show the os-a stack diff"],
      ["$0 routes examples/legacy-routes --env dev --site os-a --print", "Only print them as YAML"],
    ]) as Argv<RoutesArgs>;
}

export function handler(args: RoutesArgs): void {
  const { consolidateSiteRoutes, formatRoutesReport } = require("../lib/routes") as typeof import("../lib/routes");
  const result = consolidateSiteRoutes({ env: args.env, site: args.site, tables: args.tables, write: !args.print });
  const refuse = () => {
    if (result.refused) throw new CommandError(result.refused);
  };
  if (args.json) {
    printJson({ file: result.file, written: result.changed, ...(result.path ? { path: result.path } : {}), ...(result.refused ? { refused: result.refused } : {}), ...result.consolidation });
    return refuse();
  }
  if (args.print) {
    const { routesBlock } = require("../lib/site-routes") as typeof import("../lib/site-routes");
    printText(`${routesBlock(result.consolidation.central)}\n`);
    return;
  }
  printLines(formatRoutesReport(result.consolidation));
  refuse();
  if (!result.changed) {
    printLines(["", `${result.file}: ${result.path} already holds these routes; nothing to do`]);
    return;
  }
  printLines(["", `${result.file}: ${result.path} set to ${result.consolidation.central.length} routes`]);
  if (!result.diff) return;
  const { renderText } = require("../lib/diff/render") as typeof import("../lib/diff/render");
  const { classifySecurity } = require("../lib/diff/security") as typeof import("../lib/diff/security");
  const label = (when: string) => `${result.diff!.name} with the routes ${when}`;
  printText(renderText({ base: label("before"), head: label("consolidated"), stacks: [result.diff], files: [], security: classifySecurity([result.diff]), notes: [] }));
}
