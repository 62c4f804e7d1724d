import type { Argv } from "yargs";
import { printJson, printLine, setExitCode } from "../output";
import { CommandError, EXIT_FAILURE, UsageError } from "../lib/errors";

export const command = "plan-check";
export const describe = "Refuse a Terraform plan that replaces or destroys a compute instance whose host is in service (run right before terraform apply)";

export interface PlanCheckArgs {
  plan: string | string[];
  allowInServiceReplacement?: string[];
  json: boolean;
}

export function builder(yargs: Argv): Argv<PlanCheckArgs> {
  return yargs
    .option("plan", { type: "string", demandOption: true, requiresArg: true, describe: "The output of `terraform show -json <planfile>` for one stack" })
    .option("allow-in-service-replacement", {
      type: "string",
      array: true,
      requiresArg: true,
      describe: "Let hosts in service whose name matches this glob be replaced anyway (their traffic is lost); repeatable",
    })
    .option("json", { type: "boolean", default: false, describe: "Print every destroyed instance and the memberships that show it in service as JSON" })
    .example("$0 plan-check --plan dev-os-a.json", "Check a plan (terraform plan -out tfplan; terraform show -json tfplan > dev-os-a.json) before applying it")
    .example("$0 plan-check --plan dev-os-a.json --allow-in-service-replacement 'dev-os-a-web-*'", "Accept losing the traffic of os-a's web hosts") as unknown as Argv<PlanCheckArgs>;
}

export function handler(args: PlanCheckArgs): void {
  if (Array.isArray(args.plan)) throw new UsageError("give one --plan: plan-check reads the plan of the one stack about to be applied");
  const { readPlan } = require("../lib/diff/plan") as typeof import("../lib/diff/plan");
  const { checkPlan, formatPlanCheckOk, formatPlanCheckRefusal } = require("../lib/plan-check") as typeof import("../lib/plan-check");
  const report = checkPlan(args.plan, readPlan(args.plan), args.allowInServiceReplacement ?? []);
  if (args.json) {
    printJson(report);
    if (!report.ok) setExitCode(EXIT_FAILURE);
    return;
  }
  if (!report.ok) throw new CommandError(formatPlanCheckRefusal(report).join("\n"));
  printLine(formatPlanCheckOk(report));
}
