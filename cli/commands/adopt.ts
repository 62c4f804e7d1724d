import type { Argv } from "yargs";
import { printJson, printLines, printText } from "../output";
import { CommandError } from "../lib/errors";

export const command = "adopt";
export const describe = "Take over what already runs in an OpenStack site: match the site's JSON dumps to the stack and write import blocks";

interface AdoptArgs {
  env: string;
  site: string;
  dumps: string;
  "accept-replace": string[];
  "dry-run": boolean;
  json: boolean;
}

export function builder(yargs: Argv): Argv<AdoptArgs> {
  return yargs
    .option("env", { type: "string", demandOption: true, describe: "Environment name (environments/<name>.yaml) or file" })
    .option("site", { type: "string", demandOption: true, describe: "OpenStack site the dumps were made in (sites.openstack[].name)" })
    .option("dumps", { type: "string", demandOption: true, describe: "Directory of the site's JSON dumps (README: Adopting a running site)" })
    .option("accept-replace", { type: "string", array: true, default: [], describe: "Address glob of a predicted replacement to accept (repeatable); any other predicted replacement refuses the write" })
    .option("dry-run", { type: "boolean", default: false, describe: "Report only; write no adoption file" })
    .option("json", { type: "boolean", default: false, describe: "Print the report (imports with ids and differences, to create, left alone) as JSON" })
    .example([
      ["$0 adopt --env dev --site os-a --dumps adopt-dumps/os-a", "Match, report, and write environments/dev.adopt/os-a.json"],
      ["$0 adopt --env dev --site os-a --dumps adopt-dumps/os-a --dry-run --json", "Only report, as JSON"],
    ]) as Argv<AdoptArgs>;
}

export function handler(args: AdoptArgs): void {
  const { adoptSite, formatAdoptionReport } = require("../lib/adopt/adopt") as typeof import("../lib/adopt/adopt");
  const report = adoptSite({ env: args.env, site: args.site, dumps: args.dumps, acceptReplace: args["accept-replace"], write: !args["dry-run"] });
  if (args.json) printJson(report);
  else {
    printLines(formatAdoptionReport(report));
    if (report.diff) {
      const { renderText } = require("../lib/diff/render") as typeof import("../lib/diff/render");
      const { classifySecurity } = require("../lib/diff/security") as typeof import("../lib/diff/security");
      const label = (when: string) => `${report.stack} ${when}`;
      printText(renderText({ base: label("before adoption"), head: label("with the imports"), stacks: [report.diff], files: [], security: classifySecurity([report.diff]), notes: [] }));
    }
  }
  if (report.refused) throw new CommandError(report.refused);
}
