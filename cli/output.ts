/**
 * The one place the CLI writes to the terminal. Everything else returns data or lines of text; handlers pass
 * them here. Colors only on a terminal (and never with NO_COLOR), so piped output and tests see plain text.
 */
import { createColors } from "picocolors";

export const colors = createColors(Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env));

export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printError(message: string): void {
  process.stderr.write(`${message.replace(/\n+$/, "")}\n`);
}

export function printErrorLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stderr.write(`${lines.join("\n")}\n`);
}

/** The process exits with this code once output is flushed. */
export function setExitCode(code: number): void {
  process.exitCode = code;
}
