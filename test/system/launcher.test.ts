/**
 * The launcher (bin/estate.js → scripts/build-js.js): it runs the dist/ bundle, rebuilds it when a source is newer,
 * and loads it with V8's code cache, which must never make the CLI fail or run stale code.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const DIST = join(ROOT, "dist");

const estate = (...args: string[]) => spawnSync(process.execPath, ["bin/estate.js", ...args], { cwd: ROOT, encoding: "utf8" });

function cliCaches(): string[] {
  return readdirSync(DIST).filter((f) => /^cli\..*\.cache$/.test(f));
}

describe("the estate launcher", () => {
  it("rebuilds the bundle when a source is newer than it", () => {
    expect(estate("list", "--env", "environments/dev.yaml").status).toBe(0);
    const built = statSync(join(DIST, "cli.js")).mtimeMs;
    const edited = new Date(built + 1);
    utimesSync(join(ROOT, "model", "index.ts"), edited, edited);
    const run = estate("list", "--env", "environments/dev.yaml");
    expect(run.status).toBe(0);
    expect(statSync(join(DIST, "cli.js")).mtimeMs).toBeGreaterThanOrEqual(edited.getTime());
  });

  it("names the code cache after the exact bundle it was made from", () => {
    expect(estate("list", "--env", "environments/dev.yaml").status).toBe(0);
    const { size, mtimeMs } = statSync(join(DIST, "cli.js"));
    expect(cliCaches()).toContain(`cli.${size}-${Math.floor(mtimeMs)}.cache`);
  });

  it("ignores and replaces a damaged code cache, with the same output", () => {
    const reference = estate("hosts", "--env", "environments/dev.yaml", "--site", "os-a");
    expect(reference.status).toBe(0);
    const { size, mtimeMs } = statSync(join(DIST, "cli.js"));
    const cache = join(DIST, `cli.${size}-${Math.floor(mtimeMs)}.cache`);
    const garbage = Buffer.alloc(statSync(cache).size, 0x5a);
    writeFileSync(cache, garbage);

    const run = estate("hosts", "--env", "environments/dev.yaml", "--site", "os-a");
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: reference.stdout, stderr: reference.stderr });
    expect(readFileSync(cache).equals(garbage)).toBe(false);
  });
});
