import type { Argv } from "yargs";
import { printJson, printLines } from "../output";
import { CommandError, EXIT_FAILURE, UsageError } from "../lib/errors";

export const command = "cost";
export const describe = "Monthly cost of an environment per stack and service, private against public, from the price tables in a cost file";

export interface CostArgs {
  env: string;
  costs?: string;
  json: boolean;
  strict: boolean;
  maxAgeDays?: number;
  move?: string[];
}

export function builder(yargs: Argv): Argv<CostArgs> {
  return yargs
    .option("env", { type: "string", demandOption: true, describe: "Environment name or file" })
    .option("costs", { type: "string", describe: "Price file (see \"Cost\" in README.md). Default: $ESTATE_COSTS, else costs/example.yaml" })
    .option("json", { type: "boolean", default: false, describe: "Print JSON instead of tables" })
    .option("strict", { type: "boolean", default: false, describe: "Exit 1 when any resource has no price" })
    .option("max-age-days", { type: "number", describe: "Report tables older than this many days as stale. Default: the file's maxAgeDays (90 unless set)" })
    .option("move", { type: "string", array: true, describe: "What-if: <service>:<from-site>:<to-site>, the service's hosts in one site moved to another; repeatable" })
    .example("$0 cost --env prod", "What prod costs per month, per stack and per service")
    .example("$0 cost --env prod --move www:os-a:aws", "... and what moving os-a's www hosts to AWS would change")
    .example("$0 cost --env dev --costs costs/example.yaml --strict --json", "For CI: JSON, exit 1 when anything is unpriced") as unknown as Argv<CostArgs>;
}

export function handler(args: CostArgs): void {
  if (Array.isArray(args.env)) throw new UsageError("--env names one environment; run estate cost once per environment");
  // yargs turns "abc" into NaN: without this check the staleness limit would silently disappear.
  if (args.maxAgeDays !== undefined && !(Number.isInteger(args.maxAgeDays) && args.maxAgeDays >= 1)) {
    throw new UsageError(`--max-age-days takes a whole number of days, 1 or more (got ${String(args.maxAgeDays)})`);
  }
  const { costResultJson, runCost, unpricedCount } = require("../lib/cost/run") as typeof import("../lib/cost/run");
  const { renderCostText } = require("../lib/cost/render") as typeof import("../lib/cost/render");
  const result = runCost({
    env: args.env,
    ...(args.costs !== undefined ? { costs: args.costs } : {}),
    ...(args.maxAgeDays !== undefined ? { maxAgeDays: args.maxAgeDays } : {}),
    moves: args.move ?? [],
  });
  if (args.json) printJson(costResultJson(result));
  else printLines(renderCostText(result));
  const unpriced = unpricedCount(result);
  if (args.strict && unpriced > 0) {
    throw new CommandError(`--strict: ${unpriced} ${unpriced === 1 ? "charge has" : "charges have"} no price (listed above); add them to ${result.costsFile}`, EXIT_FAILURE);
  }
}
