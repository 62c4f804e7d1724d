import type { Argv } from "yargs";
import { printErrorLines, printJson, printLines } from "../output";
import { DEFAULT_OUTDIR } from "../lib/defaults";

export const command = "synth";
export const describe = "Synthesize Terraform JSON per stack plus inventories, monitoring targets and host exports (policy-checked first)";

export interface SynthArgs {
  env?: string[];
  stack?: string[];
  out: string;
  drain?: string[];
  policy: boolean;
  cdktfApp?: boolean;
  json: boolean;
}

export function builder(yargs: Argv): Argv<SynthArgs> {
  return yargs
    .option("env", { type: "string", array: true, describe: "Environment name (environments/<name>.yaml) or file; repeatable. Default: every file in environments/" })
    .option("stack", { type: "string", array: true, describe: "Only stacks whose name matches this glob; repeatable" })
    .option("out", { type: "string", default: DEFAULT_OUTDIR, describe: "Output directory, replaced as a whole on success" })
    .option("drain", { type: "string", array: true, describe: "Drain this site for this run only (weight 0 in the traffic stack); repeatable" })
    .option("policy", { type: "boolean", default: true, describe: "Run the policy pack before writing (--no-policy skips it)" })
    // main.ts (cdktf's app) runs `estate synth` with this: cdktf deletes the stack directories the app removed itself.
    .option("cdktf-app", { type: "boolean", hidden: true, default: false })
    .option("json", { type: "boolean", default: false, describe: "Print what was written (stacks, files, policy findings) as JSON" })
    .example("$0 synth --env dev --stack 'dev-os-*'", "Synthesize the OpenStack sites of the dev environment into cdktf.out")
    .example("$0 synth --env prod --drain os-b --out /tmp/prod-drained", "What prod looks like with os-b drained")
    .example("$0 synth --env dev --json", "The same report as JSON, for tools") as Argv<SynthArgs>;
}

export function handler(args: SynthArgs): void {
  // Loaded on use, so that --help and usage errors answer without loading cdktf.
  const { formatSynthReport, runSynth, synthReportJson } = require("../lib/synth") as typeof import("../lib/synth");
  const { formatFindings } = require("../lib/policy") as typeof import("../lib/policy");
  const report = runSynth({ envs: args.env ?? [], stacks: args.stack ?? [], outdir: args.out, drain: args.drain ?? [], policy: args.policy, placeholdersForRemovedStacks: args.cdktfApp === true });
  if (args.json) {
    printJson(synthReportJson(report, args.policy));
    return;
  }
  printLines(formatSynthReport(report));
  if (report.findings.some((f) => f.status === "non-compliant")) printErrorLines(formatFindings(report.findings));
}
