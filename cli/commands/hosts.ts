import type { Argv } from "yargs";
import { printJson, printLines } from "../output";

export const command = "hosts";
export const describe = "Every host of the model (CMDB view): name, site, service, availability zone, IP, image and version";

export interface HostsArgs {
  env?: string[];
  site?: string;
  service?: string;
  json: boolean;
}

export function builder(yargs: Argv): Argv<HostsArgs> {
  return yargs
    .option("env", { type: "string", array: true, describe: "Environment name or file; repeatable. Default: every environment" })
    .option("site", { type: "string", describe: "Only hosts of this site" })
    .option("service", { type: "string", describe: "Only hosts of this service" })
    .option("json", { type: "boolean", default: false, describe: "Print JSON instead of a table" })
    .example("$0 hosts --env dev --site os-b --service web", "The web hosts of site os-b in dev") as Argv<HostsArgs>;
}

export function handler(args: HostsArgs): void {
  const { formatHostTable, listHosts } = require("../lib/hosts") as typeof import("../lib/hosts");
  const rows = listHosts(args.env ?? [], { ...(args.site !== undefined ? { site: args.site } : {}), ...(args.service !== undefined ? { service: args.service } : {}) });
  if (args.json) printJson(rows);
  else printLines(formatHostTable(rows));
}
