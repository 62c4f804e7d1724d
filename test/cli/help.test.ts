import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estate, PROJECT } from "./estate";

const COMMANDS: readonly [string, string][] = [
  ["synth", "estate synth --env dev --stack 'dev-os-*'"],
  ["list", "estate list --env dev"],
  ["diff", "estate diff --base origin/main --env dev --format markdown > diff.md"],
  ["validate", "estate validate --env dev"],
  ["hosts", "estate hosts --env dev --site os-b --service web"],
  ["drain", "estate drain os-b --env prod"],
  ["restore", "estate restore os-b --env prod"],
  ["routes", "estate routes examples/legacy-routes --env dev --site os-a --print"],
  ["preflight", "estate preflight --env dev --site os-a"],
  ["plan-check", "estate plan-check --plan dev-os-a.json"],
];

describe("estate --help", () => {
  it.each(COMMANDS)("GIVEN %s --help WHEN run THEN it shows a real example and exits 0", (command, example) => {
    const r = estate([command, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain(example);
  });

  it("lists every command at the top level", () => {
    const r = estate(["--help"]);
    expect(r.status).toBe(0);
    for (const [command] of COMMANDS) expect(r.stdout).toContain(`estate ${command}`);
  });
});

describe("estate --version", () => {
  const packageVersion = (JSON.parse(readFileSync(join(PROJECT, "package.json"), "utf8")) as { version: string }).version;

  it("GIVEN --version THEN the version from package.json alone on stdout, exit 0", () => {
    expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    const r = estate(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${packageVersion}\n`);
    expect(r.stderr).toBe("");
  });

  it("is listed in the top-level help", () => {
    expect(estate(["--help"]).stdout).toMatch(/--version\s+Show version number/);
  });
});

describe("estate usage errors", () => {
  it("GIVEN no command THEN exit 2 with the commands to choose from", () => {
    const r = estate([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("name a command: synth, list, diff, validate, hosts, drain, restore");
    expect(r.stderr).toContain("estate --help");
  });

  it("GIVEN a misspelt command THEN exit 2 and a suggestion", () => {
    const r = estate(["sinth"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "sinth". Did you mean synth?');
  });

  it("GIVEN an unknown option THEN exit 2 before anything runs, with a hint to the command's help", () => {
    const r = estate(["synth", "--bogus", "--out", "/nonexistent/never-written"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown argument: bogus");
    expect(r.stderr).toContain("estate synth --help");
    expect(r.stdout).toBe("");
  });

  it("GIVEN a missing required option THEN exit 2", () => {
    const r = estate(["diff"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("give --base <directory or git revision> to diff a synthesis, or --plan <file> to render a plan");
  });
});
