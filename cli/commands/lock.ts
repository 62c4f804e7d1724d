import type { Argv } from "yargs";
import { printJson, printLines } from "../output";

export const command = "lock";
export const describe = "Write the committed dependency lock file of each stack (dependency-locks/) with `terraform providers lock`";

export interface LockArgs {
  env?: string[];
  stack?: string[];
  platform?: string[];
  "fs-mirror"?: string;
  json: boolean;
}

export function builder(yargs: Argv): Argv<LockArgs> {
  return yargs
    .option("env", { type: "string", array: true, describe: "Environment name or file; repeatable. Default: every environment" })
    .option("stack", { type: "string", array: true, describe: "Only stacks whose name matches this glob; repeatable" })
    .option("platform", { type: "string", array: true, describe: "Platform to record checksums for (<os>_<arch>); repeatable. Default: linux_amd64" })
    .option("fs-mirror", { type: "string", describe: "Read providers from this filesystem mirror instead of their registries" })
    .option("json", { type: "boolean", default: false, describe: "Print JSON instead of text" })
    .example("$0 lock --env prod --platform linux_amd64 --platform darwin_arm64", "Lock every prod stack for CI runners and Apple-silicon laptops")
    .example("$0 lock --stack dev-aws --fs-mirror /opt/tf-plugins", "Lock one stack from a local provider mirror, offline") as Argv<LockArgs>;
}

export function handler(args: LockArgs): void {
  const { formatLockReport, runLock } = require("../lib/lock") as typeof import("../lib/lock");
  const locked = runLock({
    envs: args.env ?? [],
    stacks: args.stack ?? [],
    platforms: args.platform ?? [],
    ...(args["fs-mirror"] !== undefined ? { fsMirror: args["fs-mirror"] } : {}),
  });
  if (args.json) printJson(locked);
  else printLines(formatLockReport(locked));
}
