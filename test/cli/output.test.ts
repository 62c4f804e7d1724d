import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchEnvironment } from "../../bench/estates";
import { ESTATE_BIN, estate, PROJECT, removeTempDirs, tempDir } from "./estate";

/** Linux's default pipe capacity: output larger than this cannot all sit in the pipe when the reader leaves. */
const PIPE_BUFFER = 64 * 1024;

interface Exit {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly firstChunk: string;
  readonly stderr: string;
}

/** Runs the CLI with stdout on a pipe whose reader goes away after the first line, like `| head -1`. */
function runUntilFirstLine(args: readonly string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ESTATE_BIN, ...args], { cwd: PROJECT, env: { ...process.env, NO_COLOR: "1" } });
    let firstChunk = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (firstChunk !== "") return;
      firstChunk = chunk.toString("utf8");
      child.stdout.destroy();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, firstChunk, stderr }));
  });
}

describe("estate output when the reader goes away", () => {
  let env: string;
  beforeAll(() => {
    // 4 sites × 1000 hosts: a host table of several hundred KiB.
    env = join(tempDir(), "benchm.yaml");
    writeFileSync(env, benchEnvironment({ name: "M", perSite: 1000 }));
  });

  it("GIVEN the estate THEN its host listings are larger than a pipe holds (else the tests below prove nothing)", () => {
    const table = estate(["hosts", "--env", env]);
    expect(table.status).toBe(0);
    expect(table.stdout.split("\n")).toHaveLength(1 + 4000 + 1);
    expect(Buffer.byteLength(table.stdout)).toBeGreaterThan(4 * PIPE_BUFFER);
    expect(Buffer.byteLength(estate(["hosts", "--env", env, "--json"]).stdout)).toBeGreaterThan(4 * PIPE_BUFFER);
  });

  it.each([[["hosts"]], [["hosts", "--json"]]])("GIVEN %j WHEN stdout closes after the first chunk THEN it stops quietly with exit 0", async (args) => {
    const r = await runUntilFirstLine([...args, "--env", env]);
    expect(r.firstChunk.length).toBeGreaterThan(0);
    expect(r.stderr).toBe("");
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });

  it("GIVEN `estate hosts | head -1` under pipefail THEN the header line, nothing on stderr, and the pipeline exits 0", () => {
    const r = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${ESTATE_BIN}" hosts --env "${env}" | head -1`], {
      cwd: PROJECT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stdout).toMatch(/^NAME\s+SITE\s+SERVICE\s+AZ\s+IP\s+IMAGE\s+VERSION\n$/);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("GIVEN stderr already closed WHEN a usage error is reported THEN the exit code is still the usage error's, not a crash", async () => {
    const status = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [ESTATE_BIN, "hosts", "--env", "nope"], { cwd: PROJECT, stdio: ["ignore", "ignore", "pipe"] });
      child.stderr.destroy();
      child.on("error", reject);
      child.on("close", resolve);
    });
    expect(status).toBe(2);
  });

  it("GIVEN stdout on a full device THEN the write error is reported in one line, exit 1", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [ESTATE_BIN, "list", "--env", "dev"], { cwd: PROJECT, encoding: "utf8", stdio: ["ignore", full, "pipe"] });
      expect(r.stderr).toBe("estate: cannot write to standard output: ENOSPC: no space left on device, write\n");
      expect(r.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });
});

afterAll(removeTempDirs);
