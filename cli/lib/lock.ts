/**
 * `estate lock`: writes the committed dependency lock file of each selected stack
 * (`dependency-locks/<stack>.terraform.lock.hcl`) with `terraform providers lock`, which fetches every provider the
 * stack requires for each platform and records its checksums. Synthesis copies these files into the stack
 * directories; `terraform init -lockfile=readonly` then installs exactly the recorded packages or fails.
 * This is the one command that reaches a provider registry (or the mirror given with --fs-mirror).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { dependencyLockPath, lockedProviderVersions, TERRAFORM_LOCK_FILE } from "../../stacks/synthesize";
import { CommandError, UsageError } from "./errors";
import { loadSelectedModels, stackNames, stackSelection } from "./select";
import { withTemporarySynth } from "./temp-synth";

/** Terraform's platform names (`<os>_<arch>`), as `terraform providers lock -platform` takes them. */
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
/** The platform CI runners use; add the platforms of the team's workstations. */
export const DEFAULT_LOCK_PLATFORMS: readonly string[] = ["linux_amd64"];

export interface LockRequest {
  readonly envs?: readonly string[];
  readonly stacks?: readonly string[];
  /** @default DEFAULT_LOCK_PLATFORMS */
  readonly platforms?: readonly string[];
  /** Read providers from this filesystem mirror instead of their registries (`-fs-mirror`). */
  readonly fsMirror?: string;
  /** @default - the current working directory */
  readonly projectDir?: string;
}

export interface LockedStack {
  readonly stack: string;
  /** The lock file written, relative to the project directory. */
  readonly file: string;
  /** Provider source addresses the lock file records. */
  readonly providers: readonly string[];
}

export function runLock(request: LockRequest): LockedStack[] {
  const platforms = request.platforms && request.platforms.length > 0 ? request.platforms : DEFAULT_LOCK_PLATFORMS;
  const bad = platforms.filter((p) => !PLATFORM.test(p));
  if (bad.length > 0) throw new UsageError(`--platform: ${bad.map((p) => `"${p}"`).join(", ")} is not a Terraform platform name; write <os>_<arch>, e.g. linux_amd64 or darwin_arm64`);
  const projectDir = resolve(request.projectDir ?? process.cwd());
  const models = loadSelectedModels(request.envs);
  const selection = stackSelection(request.stacks);
  selection.assertEveryGlobMatches(stackNames(models));
  const args = ["providers", "lock", "-no-color", ...platforms.map((p) => `-platform=${p}`), ...(request.fsMirror ? [`-fs-mirror=${resolve(request.fsMirror)}`] : [])];

  return withTemporarySynth(
    models,
    (dir, result) => {
      // Every stack is locked before any committed file changes: a failure leaves dependency-locks/ as it was.
      const fresh = result.stacks.map((s) => {
        const stackDir = join(dir, "stacks", s.name);
        rmSync(join(stackDir, TERRAFORM_LOCK_FILE), { force: true });
        const res = spawnSync("terraform", args, { cwd: stackDir, encoding: "utf8", env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" } });
        if (res.error) throw new CommandError(`cannot run terraform (needed to lock providers): ${res.error.message}`);
        if (res.status !== 0) throw new CommandError(`terraform providers lock failed for ${s.name}; no lock file was changed:\n${(res.stderr || res.stdout).trim()}`);
        return { stack: s.name, content: readFileSync(join(stackDir, TERRAFORM_LOCK_FILE), "utf8") };
      });
      return fresh.map(({ stack, content }) => {
        const target = dependencyLockPath(projectDir, stack);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(`${target}.tmp`, content);
        renameSync(`${target}.tmp`, target);
        return { stack, file: relative(projectDir, target), providers: [...lockedProviderVersions(content).keys()] };
      });
    },
    (ref) => selection.matches(ref.name),
  );
}

export function formatLockReport(locked: readonly LockedStack[]): string[] {
  return locked.map((l) => `wrote ${l.file} (${l.providers.join(", ")})`);
}
