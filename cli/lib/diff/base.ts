/**
 * The base of a diff: a previous synth output directory, or a git revision synthesized in a temporary
 * `git worktree` by that revision's own code (with this checkout's node_modules linked in). The worktree is
 * removed afterwards, also when synthesis fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CommandError, EXIT_USAGE, UsageError } from "../errors";
import { emptySynthOutput, readSynthOutput, type SynthOutput } from "../synth-output";
import { PROJECT_ROOT } from "./force-new";

/** Longest a base synthesis may take. */
const BASE_SYNTH_TIMEOUT_MS = 10 * 60 * 1000;

export interface BaseRequest {
  /** A directory or a git revision (`origin/main`, `HEAD~1`, a sha). */
  readonly base: string;
  /** Environment selection as given to --env (names or files). @default - every environment of the revision */
  readonly envs: readonly string[];
  /** Directory the command runs in (the project). @default process.cwd() */
  readonly cwd?: string;
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Reads or synthesizes the base. */
export function resolveBase(request: BaseRequest): SynthOutput {
  const cwd = request.cwd ?? process.cwd();
  const asPath = resolve(cwd, request.base);
  if (isDirectory(asPath)) return readSynthOutput(asPath);
  return synthesizeRevision(request.base, request.envs, cwd);
}

function git(args: readonly string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync("git", [...args], { cwd, encoding: "utf8" });
  return { ok: r.status === 0, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? "").trim() };
}

export function synthesizeRevision(revision: string, envs: readonly string[], cwd: string): SynthOutput {
  const top = git(["rev-parse", "--show-toplevel"], cwd);
  if (!top.ok) throw new UsageError(`--base "${revision}" is neither a directory nor a git revision (${cwd} is not in a git repository)`);
  const commit = git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], cwd);
  if (!commit.ok) throw new UsageError(`--base "${revision}" is neither a directory nor a git revision of this repository`);
  const repoRoot = top.stdout;

  const tmp = mkdtempSync(join(tmpdir(), "estate-base-"));
  const worktree = join(tmp, "worktree");
  const out = join(tmp, "out");
  const added = git(["worktree", "add", "--detach", "--quiet", worktree, commit.stdout], cwd);
  try {
    if (!added.ok) throw new CommandError(`cannot check out ${revision} in a temporary worktree: ${added.stderr}`, EXIT_USAGE);
    const project = join(worktree, relative(realpathSync(repoRoot), realpathSync(cwd)));
    const modules = join(project, "node_modules");
    if (!existsSync(modules)) symlinkSync(realpathSync(join(PROJECT_ROOT, "node_modules")), modules, "dir");

    const envArgs: string[] = [];
    for (const env of envs) {
      const mapped = envInRevision(env, cwd, project);
      if (mapped) envArgs.push(mapped);
    }
    // Environments added by this change do not exist in the base: nothing to compare them with.
    if (envs.length > 0 && envArgs.length === 0) return emptySynthOutput(revision);
    runRevisionSynth(revision, project, out, envArgs);
    const output = existsSync(out) ? readSynthOutput(out) : emptySynthOutput(revision);
    return { ...output, dir: revision };
  } finally {
    const removed = git(["worktree", "remove", "--force", worktree], cwd);
    if (!removed.ok) {
      rmSync(worktree, { recursive: true, force: true });
      git(["worktree", "prune"], cwd);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The --env value to use inside the revision's checkout, or undefined when the environment does not exist there. */
function envInRevision(env: string, cwd: string, project: string): string | undefined {
  if (!/[/\\]|\.ya?ml$/.test(env)) {
    return ["yaml", "yml"].some((ext) => existsSync(join(project, "environments", `${env}.${ext}`))) ? env : undefined;
  }
  const abs = resolve(cwd, env);
  const rel = relative(cwd, abs);
  // A file of the project: use the revision's version of it. Anything else is read as it is now.
  if (!rel.startsWith("..") && !isAbsolute(rel)) return existsSync(join(project, rel)) ? rel : undefined;
  return abs;
}

function runRevisionSynth(revision: string, project: string, out: string, envArgs: readonly string[]): void {
  const tsxCli = join(dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
  const run = (args: readonly string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(process.execPath, [tsxCli, ...args], { cwd: project, env, encoding: "utf8", timeout: BASE_SYNTH_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });

  let result;
  if (existsSync(join(project, "cli", "main.ts"))) {
    const envFlags = envArgs.flatMap((e) => ["--env", e]);
    // The base is compared, not judged: its policy findings are not this change's business.
    result = run(["cli/main.ts", "synth", "--out", out, "--no-policy", ...envFlags]);
    if (result.status === 2 && /Unknown argument/i.test(result.stderr ?? "")) result = run(["cli/main.ts", "synth", "--out", out, ...envFlags]);
  } else if (existsSync(join(project, "main.ts"))) {
    result = run(["main.ts"], { ...process.env, CDKTF_OUTDIR: out, ESTATE_ENV: envArgs.join(",") });
  } else {
    throw new CommandError(`cannot synthesize ${revision}: it has neither cli/main.ts nor main.ts`, EXIT_USAGE);
  }
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : (result.stderr || result.stdout || "").trim().split("\n").slice(-15).join("\n");
    throw new CommandError(`synthesizing the base ${revision} failed:\n${why}`, EXIT_USAGE);
  }
}
