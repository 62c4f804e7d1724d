import type { Argv } from "yargs";
import { printJson, printLines } from "../output";

export const command = "list";
export const describe = "List the stacks: environment, site, kind, provider, region or cloud, state backend and resource instance count";

export interface ListArgs {
  env?: string[];
  json: boolean;
}

export function builder(yargs: Argv): Argv<ListArgs> {
  return yargs
    .option("env", { type: "string", array: true, describe: "Environment name or file; repeatable. Default: every environment" })
    .option("json", { type: "boolean", default: false, describe: "Print JSON instead of a table" })
    .example("$0 list --env dev", "The stacks of the dev environment with their backends and resource counts") as Argv<ListArgs>;
}

export function handler(args: ListArgs): void {
  const { formatStackTable, listStacks } = require("../lib/list") as typeof import("../lib/list");
  const rows = listStacks(args.env ?? []);
  if (args.json) printJson(rows);
  else printLines(formatStackTable(rows));
}
