/**
 * The one place the CLI writes to the terminal. Everything else returns data or lines of text; handlers pass
 * them here. Colors only on a terminal (and never with NO_COLOR), so piped output and tests see plain text.
 */
import { createColors } from "picocolors";
import { EXIT_FAILURE } from "./lib/errors";

export const colors = createColors(Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env));

/** Streams that failed; what is still written to them is dropped. */
const failed = new Set<NodeJS.WritableStream>();
let guarded = false;

/**
 * Handles write errors on stdout and stderr, for every command and for yargs' own help text.
 *
 * - The reader went away (EPIPE: `estate hosts | head -1`): the rest of the output is dropped without a word and
 *   the command ends with the exit code it chose, 0 on success. Unlike tools killed by SIGPIPE (status 141), a
 *   `| head` then passes under `set -o pipefail`, which GitHub Actions' bash steps set by default.
 * - Any other write error (`> /dev/full`, a full disk): reported on stderr, exit 1 (unless the command already
 *   failed with its own code), nothing more is written there.
 *
 * Node raises both as an `'error'` event on the stream, after the write returned; without a listener the process
 * crashes with a stack trace. Call once, before anything is printed.
 */
export function guardStdio(): void {
  if (guarded) return;
  guarded = true;
  for (const [stream, name] of [
    [process.stdout, "standard output"],
    [process.stderr, "standard error"],
  ] as const) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (failed.has(stream)) return;
      failed.add(stream);
      if (err.code === "EPIPE") return;
      printError(`estate: cannot write to ${name}: ${err.message}`);
      // A command that already failed keeps its own code.
      if (!process.exitCode) setExitCode(EXIT_FAILURE);
    });
  }
}

function write(stream: NodeJS.WritableStream, text: string): void {
  if (!failed.has(stream)) stream.write(text);
}

export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) write(process.stdout, `${lines.join("\n")}\n`);
}

export function printLine(line = ""): void {
  write(process.stdout, `${line}\n`);
}

/** One JSON document, two-space indented: under --json it is all a command writes to stdout. */
export function printJson(value: unknown): void {
  write(process.stdout, `${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  write(process.stdout, text.endsWith("\n") ? text : `${text}\n`);
}

export function printError(message: string): void {
  write(process.stderr, `${message.replace(/\n+$/, "")}\n`);
}

export function printErrorLines(lines: readonly string[]): void {
  if (lines.length > 0) write(process.stderr, `${lines.join("\n")}\n`);
}

/** The process exits with this code once output is flushed. */
export function setExitCode(code: number): void {
  process.exitCode = code;
}
