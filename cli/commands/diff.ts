import type { Argv } from "yargs";
import { printText, setExitCode } from "../output";
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from "../lib/errors";
import { DIFF_FORMATS, type DiffFormat } from "../lib/diff/render";

export const command = "diff";
export const describe = "Structural diff of the synthesized stacks against a base (a synth output directory or a git revision), or a Terraform plan rendered for review";
/** Like diff(1): 1 means "changes" with --exit-code, so every error exits 2. */
export const failureExitCode = EXIT_USAGE;
const DEFAULT_DIFF_FORMAT: DiffFormat = "text";

export interface DiffArgs {
  base?: string;
  plan?: string[];
  env?: string[];
  stack?: string[];
  format?: DiffFormat;
  json?: boolean;
  exitCode: boolean;
  out?: string;
  head?: string;
}

export function builder(yargs: Argv): Argv<DiffArgs> {
  return yargs
    .option("base", { type: "string", describe: "Previous synth output directory, or a git revision synthesized in a temporary worktree" })
    .option("plan", {
      type: "string",
      array: true,
      describe: "Render a Terraform plan instead: the output of `terraform show -json <planfile>`, one file per stack, named <stack>.json; repeatable",
    })
    .conflicts("plan", ["base", "head", "out", "env", "stack"])
    .option("env", { type: "string", array: true, describe: "Environment name or file; repeatable. Default: every environment" })
    .option("stack", { type: "string", array: true, describe: "Only stacks whose name matches this glob; repeatable" })
    .option("format", { choices: DIFF_FORMATS, describe: `markdown for a PR comment, text for a terminal, json for tools. Default: ${DEFAULT_DIFF_FORMAT}` })
    .option("json", { type: "boolean", describe: "Same as --format json" })
    .option("exit-code", { type: "boolean", default: false, describe: "Exit 1 when there are changes, 0 when there are none" })
    .option("out", { type: "string", describe: "Keep the current synthesis in this directory. Default: a temporary directory" })
    .option("head", { type: "string", describe: "Compare this existing synth output directory instead of synthesizing" })
    .conflicts("head", "out")
    .conflicts("json", "format")
    .example("$0 diff --base origin/main --env dev --format markdown > diff.md", "What this branch changes in dev, as a PR comment")
    .example("$0 diff --base previous.out --stack 'dev-os-*' --exit-code", "Exit 1 if the dev OpenStack stacks differ from a saved output")
    .example("$0 diff --base previous.out --head cdktf.out --json", "Two saved outputs compared, as JSON for tools")
    .example("$0 diff --plan dev-os-a.json --format markdown", "A plan (terraform plan -lock=false -out plan; terraform show -json plan > dev-os-a.json) for a PR comment") as unknown as Argv<DiffArgs>;
}

export function handler(args: DiffArgs): void {
  const { renderDiff } = require("../lib/diff/render") as typeof import("../lib/diff/render");
  const { runDiff } = require("../lib/diff/run") as typeof import("../lib/diff/run");
  const { hasChanges } = require("../lib/diff/types") as typeof import("../lib/diff/types");
  const format: DiffFormat = args.json ? "json" : (args.format ?? DEFAULT_DIFF_FORMAT);
  if (args.plan !== undefined) {
    const { diffPlanFiles } = require("../lib/diff/plan") as typeof import("../lib/diff/plan");
    const diff = diffPlanFiles(args.plan);
    printText(renderDiff(diff, format));
    if (args.exitCode && hasChanges(diff)) setExitCode(EXIT_FAILURE);
    return;
  }
  if (args.base === undefined) throw new UsageError("give --base <directory or git revision> to diff a synthesis, or --plan <file> to render a plan");
  const diff = runDiff({
    base: args.base,
    envs: args.env ?? [],
    stacks: args.stack ?? [],
    ...(args.out !== undefined ? { out: args.out } : {}),
    ...(args.head !== undefined ? { head: args.head } : {}),
  });
  printText(renderDiff(diff, format));
  if (args.exitCode && hasChanges(diff)) setExitCode(EXIT_FAILURE);
}
