/**
 * `estate`: the toolkit's CLI for CI and code review. Commands are registered explicitly, one module each under
 * cli/commands/. Usage mistakes exit 2 with a hint to --help; invalid environment files and policy errors exit 1
 * with their message and no stack trace; anything else is a bug and says so (exit 70).
 */
import yargs, { type Argv, type CommandModule } from "yargs";
import { version } from "../package.json";
import { EnvironmentError } from "../model";
import * as cost from "./commands/cost";
import * as diff from "./commands/diff";
import * as drain from "./commands/drain";
import * as hosts from "./commands/hosts";
import * as list from "./commands/list";
import * as lock from "./commands/lock";
import * as planCheck from "./commands/plan-check";
import * as preflight from "./commands/preflight";
import * as restore from "./commands/restore";
import * as rollout from "./commands/rollout";
import * as routes from "./commands/routes";
import * as adopt from "./commands/adopt";
import * as synth from "./commands/synth";
import * as validate from "./commands/validate";
import { CommandError, EXIT_FAILURE, EXIT_INTERNAL, EXIT_USAGE, UsageError } from "./lib/errors";
import { formatFindings, PolicyError } from "./lib/policy";
import { guardStdio, printError, printErrorLines, setExitCode } from "./output";
import { tuneCdktfForSynthesis } from "../stacks/cdktf-tuning";

interface EstateCommand {
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv) => Argv<any>;
  /** A handler that returns a promise has its rejection reported like a thrown error. */
  readonly handler: (args: any) => void | Promise<void>;
  /** Exit code for every failure that is not a crash. @default - by kind of error */
  readonly failureExitCode?: number;
}

/** Thrown from the fail handler to end parsing; never escapes main(). */
const STOP = Symbol("estate-stop");

export const COMMANDS: readonly EstateCommand[] = [synth, list, diff, validate, hosts, drain, restore, rollout, lock, cost, routes, adopt, preflight, planCheck];

export function main(argv: readonly string[]): void {
  guardStdio();
  tuneCdktfForSynthesis();
  const commandName = (args: readonly string[]) => COMMANDS.find((c) => c.command.split(" ")[0] === args.find((a) => !a.startsWith("-")))?.command.split(" ")[0];
  const helpHint = (name?: string) => `Run \`estate ${name ? `${name} ` : ""}--help\` for usage.`;

  const cli = yargs([...argv])
    .scriptName("estate")
    .usage("$0 <command> [options]\n\nSynthesize, check, diff and steer the hybrid estate described in environments/*.yaml.")
    .strict()
    .recommendCommands()
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => c.command.split(" ")[0]).join(", ")}`)
    .help()
    .alias("h", "help")
    .version(version)
    .wrap(Math.min(120, yargs().terminalWidth()))
    .epilogue("Exit codes: 0 success, 1 policy errors / invalid environment / changes with diff --exit-code, 2 usage errors, 70 internal errors.")
    .fail((message, error) => {
      if (error) reportError(error, commandName(argv));
      else {
        const unknown = argv.find((a) => !a.startsWith("-"));
        printError(`estate: ${message.startsWith("Did you mean") && unknown ? `unknown command "${unknown}". ${message}` : message}`);
        printError(helpHint(commandName(argv)));
        setExitCode(EXIT_USAGE);
      }
      // yargs goes on to run the command after a custom fail handler returns: stop it here.
      throw STOP;
    });

  for (const module of COMMANDS) {
    const name = module.command.split(" ")[0];
    const registered: CommandModule = {
      command: module.command,
      describe: module.describe,
      builder: (y: Argv) => module.builder(y),
      handler: (args) => {
        try {
          const pending = module.handler(args);
          if (pending) pending.catch((err: unknown) => reportError(err, name, module.failureExitCode));
        } catch (err) {
          reportError(err, name, module.failureExitCode);
        }
      },
    };
    cli.command(registered);
  }
  try {
    cli.parse();
  } catch (err) {
    if (err !== STOP) throw err;
  }

  function reportError(err: unknown, name?: string, failureExitCode?: number): void {
    // Loaded only when needed: it pulls in cdktf, which --help should not wait for.
    const { DependencyLockError, SelectionError } = require("../stacks/synthesize") as typeof import("../stacks/synthesize");
    if (err instanceof UsageError || err instanceof SelectionError) {
      printError(`estate${name ? ` ${name}` : ""}: ${err.message}`);
      printError(helpHint(name));
      setExitCode(EXIT_USAGE);
    } else if (err instanceof PolicyError) {
      printErrorLines(formatFindings(err.findings));
      printError(`estate${name ? ` ${name}` : ""}: ${err.message}`);
      setExitCode(failureExitCode ?? EXIT_FAILURE);
    } else if (err instanceof EnvironmentError) {
      printError(err.message);
      setExitCode(failureExitCode ?? EXIT_FAILURE);
    } else if (err instanceof CommandError || err instanceof DependencyLockError) {
      printError(`estate${name ? ` ${name}` : ""}: ${err.message}`);
      setExitCode(failureExitCode ?? (err instanceof CommandError ? err.exitCode : EXIT_FAILURE));
    } else {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      printError(`estate${name ? ` ${name}` : ""}: internal error (a bug in the toolkit, please report it):\n${detail}`);
      setExitCode(EXIT_INTERNAL);
    }
  }
}

if (require.main === module) main(process.argv.slice(2));
