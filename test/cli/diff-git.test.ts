import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ESTATE_BIN, PROJECT, removeTempDirs, tempDir } from "./estate";

const hasGit = spawnSync("git", ["--version"]).status === 0;
const SKIPPED = new Set(["node_modules", ".git", "cdktf.out", "terraform-state"]);

/**
 * `--base <git revision>`: GIVEN a throw-away repository holding a copy of this project with one commit, WHEN the
 * working tree adds a web host and the diff runs against HEAD, THEN the base is synthesized from HEAD in a
 * temporary worktree that is gone afterwards.
 */
describe.skipIf(!hasGit)("estate diff --base <git revision>", () => {
  const repo = join(tempDir("estate-git-"), "repo");
  const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=ci@example.net", "-c", "user.name=ci", ...args], { cwd: repo, encoding: "utf8" });

  beforeAll(() => {
    cpSync(PROJECT, repo, { recursive: true, filter: (src) => !SKIPPED.has(src.slice(PROJECT.length + 1).split("/")[0]) && !/\/\.estate-tmp/.test(src) });
    symlinkSync(join(PROJECT, "node_modules"), join(repo, "node_modules"), "dir");
    expect(git("init", "--quiet").status).toBe(0);
    expect(git("add", "--all").status).toBe(0);
    expect(git("commit", "--quiet", "--no-verify", "-m", "base").status).toBe(0);
    const env = join(repo, "environments", "dev.yaml");
    writeFileSync(env, readFileSync(env, "utf8").replace("instancesPerSite: 3", "instancesPerSite: 4"));
  });

  it("diffs the working tree against HEAD and removes the worktree", () => {
    const r = spawnSync(process.execPath, [ESTATE_BIN.replace(PROJECT, repo), "diff", "--base", "HEAD", "--env", "dev", "--stack", "dev-os-a", "--format", "json", "--exit-code"], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const diff = JSON.parse(r.stdout) as { base: string; stacks: { name: string; changes: { address: string; action: string }[] }[] };
    expect(diff.base).toBe("HEAD");
    expect(diff.stacks.map((s) => s.name)).toEqual(["dev-os-a"]);
    expect(diff.stacks[0].changes).toEqual([
      expect.objectContaining({ address: 'openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-004"]', action: "create" }),
      expect.objectContaining({ address: 'openstack_lb_member_v2.web_load_balancer_port80_member["dev-os-a-web-004"]', action: "create" }),
      expect.objectContaining({ address: 'openstack_networking_port_v2.web_fleet_port["dev-os-a-web-004"]', action: "create" }),
    ]);
    const worktrees = git("worktree", "list", "--porcelain").stdout.split("\n").filter((l) => l.startsWith("worktree "));
    expect(worktrees).toHaveLength(1);
  });

  it("GIVEN a revision that does not exist THEN exit 2", () => {
    const r = spawnSync(process.execPath, [ESTATE_BIN.replace(PROJECT, repo), "diff", "--base", "no-such-branch", "--env", "dev"], { cwd: repo, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--base "no-such-branch" is neither a directory nor a git revision of this repository');
  });
});

afterAll(removeTempDirs);
