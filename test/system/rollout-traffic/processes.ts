/** Running commands and waiting for conditions in the traffic proof, every wait bounded. */
import { execFile } from "node:child_process";

/** Run a command to completion (at most 30 s); throws with its output when it exits non-zero. */
export function runChecked(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Poll `condition` every 50 ms until it is true (an error counts as false); throws naming `what` after `boundMs`. */
export async function untilTrue(what: string, boundMs: number, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  let lastError = "";
  for (;;) {
    try {
      if (await condition()) return Date.now() - started;
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (Date.now() - started >= boundMs) throw new Error(`waited ${boundMs} ms for ${what}${lastError ? ` (last error: ${lastError})` : ""}`);
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
