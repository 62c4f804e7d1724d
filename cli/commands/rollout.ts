import type { Argv } from "yargs";
import { AMI_ID_PATTERN } from "../../model";
import { printJson, printLines, printText } from "../output";

export const command = "rollout <action>";
export const describe = "Roll a golden image out batch by batch (drain, replace, restore) by editing the environment file; show each step's diff";

export const ROLLOUT_ACTIONS = ["start", "next", "status", "abort", "rollback"] as const;

export interface RolloutArgs {
  action: (typeof ROLLOUT_ACTIONS)[number];
  env: string;
  image?: string;
  to?: string;
  batch?: string;
  order?: string[];
  ref?: string[];
  ami?: string;
  json: boolean;
}

export function builder(yargs: Argv): Argv<RolloutArgs> {
  return yargs
    .positional("action", { choices: ROLLOUT_ACTIONS, demandOption: true, describe: "start a rollout, take its next step, show where it stands, abort it (every host serving), or roll it back" })
    .option("env", { type: "string", demandOption: true, describe: "Environment name (environments/<name>.yaml) or file" })
    .option("image", { type: "string", describe: "Golden image (images[].name). Default: the only image (start) or the only one with a rollout" })
    .option("to", { type: "string", describe: "start: the image version rolled out (images[].rollout.version)" })
    .option("batch", { type: "string", describe: "start: hosts of one site out of service at once (a whole number, 1 or more)" })
    .option("order", { type: "string", array: true, describe: "start: sites in rollout order, space- or comma-separated. Default: every site running the image, in file order" })
    .option("ref", { type: "string", array: true, describe: "start: <site>=<Glance image name or id> of the new version. Default: the current name with the version replaced" })
    .option("ami", { type: "string", describe: "start: AMI id of the new version. Default: the current amiName with the version replaced" })
    .option("json", { type: "boolean", default: false, describe: "Print the change (positions, hosts, capacity, site stacks diff) as JSON" })
    .example([
      ["$0 rollout start --env dev --to 2026.12.1 --batch 2", "Start rolling debian12 2026.12.1 out, two hosts of a site at a time"],
      ["$0 rollout next --env dev", "Take the next step (drain, replace or restore a batch), then deploy the site stack"],
      ["$0 rollout status --env dev", "Hosts per version, per site and service"],
      ["$0 rollout abort --env dev", "Stop: every host back in service on the version it runs"],
      ["$0 rollout rollback --env dev", "Return the replaced hosts to the old version, batch by batch"],
    ]) as Argv<RolloutArgs>;
}

/** Options that only `start` takes, and what `start` needs: a usage error (exit 2) otherwise. */
function checkOptions(args: RolloutArgs): void {
  const { UsageError } = require("../lib/errors") as typeof import("../lib/errors");
  // Read as text: yargs turns "abc" into NaN and "" into 0, which would hide what was typed.
  if (args.batch !== undefined && !/^[1-9][0-9]*$/.test(args.batch)) throw new UsageError(`--batch must be a whole number of hosts, 1 or more; got ${JSON.stringify(args.batch)}`);
  if (args.ami !== undefined && !AMI_ID_PATTERN.test(args.ami)) throw new UsageError(`--ami must be an AMI id (ami- and 8 or 17 hex digits, e.g. ami-0123456789abcdef0); got ${JSON.stringify(args.ami)}`);
  if (args.action !== "start" && [args.to, args.batch, args.order, args.ref, args.ami].some((v) => v !== undefined)) {
    throw new UsageError(`--to, --batch, --order, --ref and --ami are options of estate rollout start, not of ${args.action}`);
  }
}

export function handler(args: RolloutArgs): void {
  checkOptions(args);
  const lib = require("../lib/rollout") as typeof import("../lib/rollout");
  const report = require("../lib/rollout-report") as typeof import("../lib/rollout-report");
  const target = { env: args.env, ...(args.image !== undefined ? { image: args.image } : {}) };
  if (args.action === "status") {
    const status = lib.rolloutStatus(target);
    if (args.json) printJson(status);
    else printLines(report.formatRolloutStatus(status));
    return;
  }
  const change =
    args.action === "start"
      ? lib.startRollout({ ...target, ...(args.to !== undefined ? { version: args.to } : {}), ...(args.batch !== undefined ? { batch: Number(args.batch) } : {}), ...(args.order ? { order: args.order.flatMap((o) => o.split(",")).filter((o) => o !== "") } : {}), ...(args.ref ? { refs: args.ref } : {}), ...(args.ami ? { ami: args.ami } : {}) })
      : args.action === "next"
        ? lib.nextRolloutStep(target)
        : args.action === "abort"
          ? lib.abortRollout(target)
          : lib.rollbackRollout(target);
  if (args.json) printJson(report.rolloutChangeJson(change));
  else printText(report.formatRolloutChange(change));
}
