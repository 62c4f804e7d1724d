/** Exit codes of the `estate` CLI. */
export const EXIT_OK = 0;
/** Policy errors, invalid environment files, changes found by `diff --exit-code`. */
export const EXIT_FAILURE = 1;
/** Bad arguments: unknown command, option, environment, site or a glob that matches nothing. */
export const EXIT_USAGE = 2;
/** A bug in the toolkit (sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/** A mistake in how the command was called; reported with a hint to --help, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure the command explains itself (message already complete), with its exit code. */
export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = "CommandError";
    this.exitCode = exitCode;
  }
}
