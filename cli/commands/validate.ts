import type { Argv } from "yargs";
import { printJson, printLines, setExitCode } from "../output";
import { EXIT_FAILURE } from "../lib/errors";

export const command = "validate";
export const describe = "Run the policy rules (policy/) over the model and the synthesized Terraform; errors exit 1";

export interface ValidateArgs {
  env?: string[];
  json: boolean;
}

export function builder(yargs: Argv): Argv<ValidateArgs> {
  return yargs
    .option("env", { type: "string", array: true, describe: "Environment name or file; repeatable. Default: every environment" })
    .option("json", { type: "boolean", default: false, describe: "Print every finding as JSON" })
    .example("$0 validate --env dev", "Check the dev estate against every policy rule") as Argv<ValidateArgs>;
}

export function handler(args: ValidateArgs): void {
  const { summarize } = require("../../policy") as typeof import("../../policy");
  const { findingJson, formatFindings } = require("../lib/policy") as typeof import("../lib/policy");
  const { runValidate } = require("../lib/validate") as typeof import("../lib/validate");
  const findings = runValidate(args.env ?? []);
  const summary = summarize(findings);
  if (args.json) printJson({ summary, findings: findings.filter((f) => f.status !== "not-applicable").map(findingJson) });
  else printLines(formatFindings(findings));
  if (summary.errors > 0) setExitCode(EXIT_FAILURE);
}
