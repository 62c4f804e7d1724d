/**
 * SLOW (TypeDoc type-checks the library: about a minute on a busy machine). The API reference (`npm run docs`) is
 * generated from the doc comments of what index.ts exports. TypeDoc's validation (typedoc.json, warnings as errors)
 * names every export without a comment, every type the reference mentions but does not include, and every broken
 * link: the reference is complete or the run fails.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";

const PROJECT = join(__dirname, "..", "..");

function typedoc(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("npx", ["typedoc", ...args], { cwd: PROJECT, encoding: "utf8", timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      // eslint-disable-next-line no-control-regex
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, "") });
    });
  });
}

describe("the API reference", () => {
  it("documents every export, includes every type it mentions and links only to what exists", async () => {
    // Source links need a git remote; a copy of the project without one is still checked whole.
    const { code, output } = await typedoc(["--emit", "none", "--disableSources"]);
    const problems = output.split("\n").filter((l) => /^\[(warning|error)\]/.test(l));
    expect(problems).toEqual([]);
    expect(code).toBe(0);
  }, 300_000);
});
