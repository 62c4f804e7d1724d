/**
 * The CI workflows under .github/workflows as GitHub reads them, and the properties a deploy pipeline for a
 * production estate must keep: GitHub's own workflow parser accepts them; every action is pinned to a commit;
 * permissions are least-privilege; the deploy matrix comes from `estate list`; Terraform never changes the committed
 * provider lock files; PR comments are one sticky comment posted from a trusted workflow. The step scripts that
 * decide something (the deploy matrix, the comment) run here for real with bash; shellcheck and actionlint check every
 * script where they are installed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { parse } from "yaml";
import { hasCommand, scratchDirs } from "../support/tools";

const PROJECT = resolve(__dirname, "..", "..");
const WORKFLOWS_DIR = join(PROJECT, ".github", "workflows");
const ESTATE = "estate.yml";
const COMMENT = "estate-comment.yml";
const ROLLOUT = "estate-rollout.yml";
const PLAN_CHECK = "estate plan-check (no host in service replaced)";
const tempDir = scratchDirs();

interface Step {
  readonly id?: string;
  readonly if?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string> | string;
  readonly strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix?: unknown };
  readonly steps: Step[];
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; "cancel-in-progress": unknown };
  readonly defaults?: { run?: { shell?: string } };
  readonly jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(WORKFLOWS_DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;

function step(file: string, job: string, name: string): Step {
  const found = workflow(file).jobs[job]?.steps.find((s) => s.name === name || s.id === name);
  if (!found) throw new Error(`${file}: job ${job} has no step "${name}"`);
  return found;
}

function allSteps(file: string): { job: string; step: Step }[] {
  return Object.entries(workflow(file).jobs).flatMap(([job, j]) => j.steps.map((s) => ({ job, step: s })));
}

/** Runs a step's `run:` script the way the runner does (`shell: bash` is `bash -eo pipefail`). */
function runScript(script: string, env: Record<string, string>, cwd = PROJECT) {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/**
 * GitHub's workflow parser (@actions/workflow-parser) and expression evaluator (@actions/expressions), both from
 * actions/languageservices, the engine of GitHub's own editor tooling. The parser's modules import their JSON schema
 * without an import attribute, which Node refuses, so both are bundled once with esbuild (already the project's
 * bundler) and loaded from the bundle.
 */
interface GitHubTools {
  readonly parser: typeof import("@actions/workflow-parser");
  readonly expressions: typeof import("@actions/expressions");
}
function loadGitHubTools(): GitHubTools {
  const outfile = join(tempDir("workflow-parser-"), "github-tools.cjs");
  buildSync({
    stdin: { contents: 'export * as parser from "@actions/workflow-parser";\nexport * as expressions from "@actions/expressions";\n', resolveDir: PROJECT },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile,
    logLevel: "error",
  });
  return createRequire(__filename)(outfile) as GitHubTools;
}
const { parser, expressions } = loadGitHubTools();

/** Evaluates a `${{ }}` value the way the runner does, with the given contexts (plain JSON). */
function evaluate(value: unknown, contexts: Record<string, unknown>): string {
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(String(value).trim());
  if (!m) throw new Error(`not a single expression: ${String(value)}`);
  const lexed = new expressions.Lexer(m[1]).lex();
  const expr = new expressions.Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const data = JSON.parse(JSON.stringify(contexts), expressions.data.reviver) as import("@actions/expressions").data.Dictionary;
  return new expressions.Evaluator(expr, data).evaluate().coerceString();
}

describe("workflow files", () => {
  async function githubErrors(name: string, content: string): Promise<string[]> {
    const parsed = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    if (parsed.value) {
      const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
      errors.push(...(template.errors ?? []).map((e) => e.Message));
    }
    return [...new Set(errors)];
  }

  it("GIVEN the repository THEN the review/deploy workflow, its comment follow-up and the rollout loop are the workflows", () => {
    expect(files).toEqual([COMMENT, ROLLOUT, ESTATE]);
  });

  it.each(files)("GIVEN %s WHEN GitHub's workflow parser reads it THEN it reports no error", async (file) => {
    expect(await githubErrors(file, text(file))).toEqual([]);
  });

  it("GIVEN a misspelt permission scope and an unknown context THEN the same parser reports both (it is not blind)", async () => {
    const broken = text(COMMENT).replace("pull-requests: write", "pull-request: write").replace("github.event.workflow_run.head_sha", "gihtub.event.workflow_run.head_sha");
    const errors = await githubErrors(COMMENT, broken);
    expect(errors.some((e) => e.includes("'pull-request'"))).toBe(true);
    expect(errors.some((e) => e.includes("Unrecognized named-value: 'gihtub'"))).toBe(true);
  });
});

describe("action pins", () => {
  const uses = files.flatMap((file) =>
    text(file)
      .split("\n")
      .map((line, i) => ({ file, line: i + 1, m: /^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$/.exec(line) }))
      .filter((u) => u.m)
      .map((u) => ({ at: `${u.file}:${u.line}`, ref: u.m![1], comment: u.m![2] })),
  );

  it("GIVEN every `uses:` THEN it names a release by its full commit SHA with the version in a comment", () => {
    expect(uses.length).toBeGreaterThanOrEqual(10);
    const bad = uses.filter((u) => !/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/.test(u.ref) || !/^# v\d+\.\d+\.\d+$/.test(u.comment));
    expect(bad).toEqual([]);
  });

  it("GIVEN an action used several times THEN every use is the same release", () => {
    const pins = new Map<string, Set<string>>();
    for (const u of uses) {
      const [action, sha] = u.ref.split("@");
      pins.set(action, (pins.get(action) ?? new Set()).add(`${sha} ${u.comment}`));
    }
    expect([...pins].filter(([, releases]) => releases.size > 1)).toEqual([]);
    expect([...pins.keys()].sort()).toEqual([
      "actions/checkout",
      "actions/download-artifact",
      "actions/setup-node",
      "actions/upload-artifact",
      "aws-actions/configure-aws-credentials",
      "hashicorp/setup-terraform",
    ]);
  });
});

describe("permissions and triggers", () => {
  it("GIVEN both workflows THEN the token is read-only by default", () => {
    for (const file of files) expect(workflow(file).permissions, file).toEqual({ contents: "read" });
  });

  it("GIVEN every job THEN only the comment and rollout jobs may write pull requests, only deploy and rollout mint an OIDC token, only rollout pushes (a branch)", () => {
    const widened = files.flatMap((file) =>
      Object.entries(workflow(file).jobs).flatMap(([job, j]) => {
        if (j.permissions === undefined) return [];
        if (typeof j.permissions === "string") return [`${file} ${job}: ${j.permissions}`];
        return Object.entries(j.permissions).filter(([, level]) => level !== "read" && level !== "none").map(([scope, level]) => `${file} ${job}: ${scope}: ${level}`);
      }),
    );
    expect(widened.sort()).toEqual([
      `${COMMENT} comment: pull-requests: write`,
      `${ROLLOUT} rollout: contents: write`,
      `${ROLLOUT} rollout: id-token: write`,
      `${ROLLOUT} rollout: pull-requests: write`,
      `${ESTATE} deploy: id-token: write`,
    ]);
  });

  it("GIVEN both workflows THEN nothing runs pull-request code with a write token: no pull_request_target, no --edit-last", () => {
    for (const file of files) {
      expect(Object.keys(workflow(file).on), file).not.toContain("pull_request_target");
      expect(text(file), file).not.toMatch(/pull_request_target|--edit-last/);
    }
  });

  it("GIVEN every `run:` script THEN no ${{ }} expression is pasted into it: values arrive through env", () => {
    const pasted = files.flatMap((file) => allSteps(file).filter(({ step: s }) => s.run?.includes("${{")).map(({ job, step: s }) => `${file} ${job}: ${s.name ?? s.run}`));
    expect(pasted).toEqual([]);
  });

  it("GIVEN every checkout THEN it leaves no token in the git config", () => {
    const checkouts = files.flatMap((file) => allSteps(file).filter(({ step: s }) => s.uses?.startsWith("actions/checkout@")));
    expect(checkouts.length).toBe(4);
    for (const { step: s } of checkouts) expect(s.with?.["persist-credentials"]).toBe(false);
  });

  it.each([
    ["pull request #42", { github: { event_name: "pull_request", ref: "refs/pull/42/merge", event: { pull_request: { number: 42 } } }, inputs: {} }, "estate-pr-42", "true"],
    ["a push to main", { github: { event_name: "push", ref: "refs/heads/main", event: {} }, inputs: {} }, "estate-deploy-refs/heads/main-prod", "false"],
    ["a dev deploy by hand", { github: { event_name: "workflow_dispatch", ref: "refs/heads/main", event: {} }, inputs: { environment: "dev" } }, "estate-deploy-refs/heads/main-dev", "false"],
  ])("GIVEN %s THEN runs queue in group %j, cancelling the older run: %s", (_, contexts, group, cancel) => {
    const c = workflow(ESTATE).concurrency!;
    expect(evaluate(c.group, contexts)).toBe(group);
    expect(evaluate(c["cancel-in-progress"], contexts)).toBe(cancel);
  });

  it.each([
    ["pull_request", "success", "true"],
    ["pull_request", "failure", "true"],
    ["pull_request", "cancelled", "false"],
    ["push", "success", "false"],
  ])("GIVEN an estate run for %s that ended in %s THEN the comment job runs: %s", (event, conclusion, runs) => {
    const condition = `\${{ ${workflow(COMMENT).jobs.comment.if!} }}`;
    expect(evaluate(condition, { github: { event: { workflow_run: { event, conclusion } } } })).toBe(runs);
  });
});

describe("deploy", () => {
  const deploy = workflow(ESTATE).jobs.deploy;
  const listStep = step(ESTATE, "stacks", "list");

  it("GIVEN the deploy job THEN its matrix is the stacks job's output, one stack at a time, stopping at the first failure", () => {
    expect(deploy.needs).toBe("stacks");
    expect(deploy.strategy).toEqual({ "max-parallel": 1, "fail-fast": true, matrix: "${{ fromJSON(needs.stacks.outputs.matrix) }}" });
    expect(workflow(ESTATE).jobs.stacks.if).toBe("github.event_name != 'pull_request' && github.ref == 'refs/heads/main'");
    expect(listStep.run).toContain('node bin/estate.js list --env "$ESTATE_ENV" --json');
    // No site of the bundled estates is named in the workflows: the estate decides its sites.
    for (const file of files) expect(text(file), file).not.toMatch(/\bos-[abc]\b/);
  });

  it("GIVEN every `terraform init` THEN the committed lock file is read-only, and no cdktf command changes it", () => {
    // The rollout workflow's step loop lives in scripts/rollout-steps.sh.
    const runs = [...files.flatMap((file) => allSteps(file).map(({ step: s }) => s.run ?? "")), readFileSync(join(PROJECT, "scripts", "rollout-steps.sh"), "utf8")];
    const inits = runs.flatMap((run) => run.split("\n").filter((l) => /\bterraform\b.*\binit\b/.test(l)));
    expect(inits.length).toBe(3);
    for (const line of inits) expect(line).toContain("-lockfile=readonly");
    const cdktfCommands = files.flatMap((file) => allSteps(file).filter(({ step: s }) => /(^|[\s;&|])(npx\s+)?cdktf\s/m.test(s.run ?? "")));
    expect(cdktfCommands).toEqual([]);
  });

  it("GIVEN the deploy steps THEN the saved plan is what gets applied, after plan-check passed on it", () => {
    expect(step(ESTATE, "deploy", "terraform plan").run).toContain("-out=tfplan");
    expect(step(ESTATE, "deploy", "terraform apply (the saved plan)").run).toMatch(/apply -input=false -lock-timeout=\S+ tfplan$/m);
    const names = deploy.steps.map((s) => s.name);
    const [plan, check, apply] = ["terraform plan", PLAN_CHECK, "terraform apply (the saved plan)"].map((n) => names.indexOf(n));
    expect(check).toBe(plan + 1);
    expect(apply).toBe(check + 1);
    expect(step(ESTATE, "deploy", PLAN_CHECK).if).toBeUndefined();
  });

  describe("the plan-check step, run with a terraform stand-in whose `show -json` prints a committed plan", () => {
    function checkStep(plan: string, env: NodeJS.ProcessEnv = {}) {
      const dir = tempDir("workflow-plan-check-");
      const bin = join(dir, "bin");
      mkdirSync(bin);
      mkdirSync(join(dir, "stack"));
      writeFileSync(join(bin, "terraform"), `#!/usr/bin/env bash\n[ "$2 $3 $4" = "show -json tfplan" ] || { echo "unexpected: $*" >&2; exit 9; }\ncat "${plan}"\n`);
      chmodSync(join(bin, "terraform"), 0o755);
      return runScript(step(ESTATE, "deploy", PLAN_CHECK).run!, { PATH: `${bin}:${process.env.PATH ?? ""}`, STACK_DIR: join(dir, "stack"), RUNNER_TEMP: dir, ...env });
    }
    const fixture = (name: string) => join(PROJECT, "test", "fixtures", "plan-check", name);

    it("GIVEN a plan replacing only drained hosts THEN the step passes", () => {
      const r = checkStep(fixture("replace-drained.json"));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("OK, 2 instances replaced or destroyed, all out of service");
    });

    it("GIVEN a plan replacing hosts in service THEN the step fails, so the apply never runs", () => {
      const r = checkStep(fixture("replace-serving.json"));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("tfplan.json would destroy 2 hosts in service:");
    });

    it("GIVEN the same plan and a deploy run by hand accepting dev-os-a-web-* THEN the step passes and names the hosts let through", () => {
      const r = checkStep(fixture("replace-serving.json"), { ALLOW_IN_SERVICE_REPLACEMENT: "dev-os-a-web-* dev-os-b-*" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("2 in service let through by --allow-in-service-replacement (dev-os-a-web-001, dev-os-a-web-002)");
      const other = checkStep(fixture("replace-serving.json"), { ALLOW_IN_SERVICE_REPLACEMENT: "dev-os-b-*" });
      expect(other.status).toBe(1);
    });
  });

  it("GIVEN the OpenStack credentials step THEN clouds.yaml comes from a secret into an owner-only file outside the workspace", () => {
    const s = step(ESTATE, "deploy", "OpenStack clouds.yaml (from a secret, outside the workspace, owner-only)");
    expect(s.env).toEqual({ CLOUDS_YAML: "${{ secrets.ESTATE_OPENSTACK_CLOUDS_YAML }}" });
    expect(s.run).toContain("install -d -m 700 ~/.config/openstack");
    expect(s.run!.indexOf("umask 077")).toBeLessThan(s.run!.indexOf("> ~/.config/openstack/clouds.yaml"));
  });

  describe.skipIf(!hasCommand("jq"))(`the stacks job's matrix${hasCommand("jq") ? "" : " (skipped: jq is not installed; apt-get install jq)"}`, () => {
    function listMatrix(envFile: string) {
      const output = join(tempDir("workflow-matrix-"), "github-output");
      writeFileSync(output, "");
      const r = runScript(listStep.run!, { ESTATE_ENV: envFile, GITHUB_OUTPUT: output });
      const line = readFileSync(output, "utf8").trim();
      return { ...r, matrix: line ? (JSON.parse(line.replace(/^matrix=/, "")) as unknown) : undefined };
    }

    it("GIVEN prod (bake enabled) THEN the OpenStack sites, AWS, traffic, then the builders, with their kinds", () => {
      const r = listMatrix("prod");
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("Deploy order: prod-os-a, prod-os-b, prod-os-c, prod-aws, prod-traffic, prod-os-a-bake, prod-os-b-bake, prod-os-c-bake");
      expect(r.matrix).toEqual({
        include: [
          { stack: "prod-os-a", kind: "openstack" },
          { stack: "prod-os-b", kind: "openstack" },
          { stack: "prod-os-c", kind: "openstack" },
          { stack: "prod-aws", kind: "aws" },
          { stack: "prod-traffic", kind: "traffic" },
          { stack: "prod-os-a-bake", kind: "bake" },
          { stack: "prod-os-b-bake", kind: "bake" },
          { stack: "prod-os-c-bake", kind: "bake" },
        ],
      });
    });

    it("GIVEN an estate whose sites have other names and bake disabled THEN the matrix holds those sites and no builder", () => {
      const file = join(tempDir("workflow-estate-"), "prod.yaml");
      const renamed = readFileSync(join(PROJECT, "environments", "prod.yaml"), "utf8")
        .replace(/os-a/g, "fra1")
        .replace(/os-b/g, "ams2")
        .replace(/os-c/g, "lon3")
        .replace(/bake:\n {2}enabled: true/, "bake:\n  enabled: false");
      writeFileSync(file, renamed);
      const r = listMatrix(file);
      expect(r.status, r.stderr).toBe(0);
      expect(r.matrix).toEqual({
        include: [
          { stack: "prod-fra1", kind: "openstack" },
          { stack: "prod-ams2", kind: "openstack" },
          { stack: "prod-lon3", kind: "openstack" },
          { stack: "prod-aws", kind: "aws" },
          { stack: "prod-traffic", kind: "traffic" },
        ],
      });
    });

    it("GIVEN dev (state on local disk) THEN the job fails naming every such stack, and outputs no matrix", () => {
      const r = listMatrix("dev");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        "::error::dev keeps Terraform state on local disk for: dev-os-a, dev-os-b, dev-os-c, dev-aws, dev-traffic. Configure an s3 backend in the environment file before deploying it from CI.",
      );
      expect(r.matrix).toBeUndefined();
    });
  });
});

describe("rollout", () => {
  const rollout = workflow(ROLLOUT);
  const loop = step(ROLLOUT, "rollout", "loop").run!;
  const record = step(ROLLOUT, "rollout", "Record the state reached (branch estate-rollout/<env> and its pull request)");

  it.each([["prod", {}], ["dev", { environment: "dev" }]])("GIVEN a %s rollout by hand THEN it queues in the deploys' group of that environment and is never cancelled", (env, inputs) => {
    const contexts = { github: { event_name: "workflow_dispatch", ref: "refs/heads/main", event: {} }, inputs };
    expect(evaluate(rollout.concurrency!.group, contexts)).toBe(`estate-deploy-refs/heads/main-${env}`);
    expect(evaluate(workflow(ESTATE).concurrency!.group, contexts)).toBe(`estate-deploy-refs/heads/main-${env}`);
    expect(rollout.concurrency!["cancel-in-progress"]).toBe(false);
  });

  it("GIVEN the rollout workflow THEN it only runs by hand from main, in the environment's GitHub environment (approvals)", () => {
    expect(Object.keys(rollout.on)).toEqual(["workflow_dispatch"]);
    expect(rollout.jobs.rollout.if).toBe("github.ref == 'refs/heads/main'");
    expect((rollout.jobs.rollout as unknown as { environment: string }).environment).toBe("${{ inputs.environment || 'prod' }}");
  });

  it("GIVEN the step loop THEN it runs scripts/rollout-steps.sh with the run's inputs through the environment, never pasted into the script", () => {
    // What the script does step by step is driven for real in test/system/rollout-steps.test.ts.
    expect(loop).toBe('scripts/rollout-steps.sh --env "$ESTATE_ENV" --image "$ESTATE_IMAGE" --action "$ROLLOUT_ACTION" --max-steps "$MAX_STEPS" --max-minutes 300');
    expect((rollout.jobs.rollout as unknown as { "timeout-minutes": number })["timeout-minutes"]).toBeGreaterThanOrEqual(300 + 30);
    expect((rollout.jobs.rollout as unknown as { env: Record<string, string> }).env).toMatchObject({ MAX_STEPS: "${{ inputs.steps }}", ROLLOUT_ACTION: "${{ inputs.action || 'next' }}" });
    expect((rollout.on as { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } }).workflow_dispatch.inputs.action.options).toEqual(["next", "abort", "rollback"]);
    // bash -eo pipefail: the first failing command ends the step, and with it the loop.
    expect(rollout.defaults).toEqual({ run: { shell: "bash" } });
  });

  it("GIVEN the gate's SSH key THEN it comes from a secret into an ssh-agent before the loop, and is never written to a file", () => {
    const names = rollout.jobs.rollout.steps.map((s) => s.name ?? s.uses ?? "");
    const keyStep = step(ROLLOUT, "rollout", "SSH key for the gate (from a secret, held by an ssh-agent for this job, never on disk)");
    expect(names.indexOf(keyStep.name!)).toBeLessThan(names.indexOf("Step loop (converge, then next, apply the site stack, gate)"));
    expect((keyStep as unknown as { env: Record<string, string> }).env).toEqual({ SSH_PRIVATE_KEY: "${{ secrets.ESTATE_SSH_PRIVATE_KEY }}" });
    expect(keyStep.run).toContain('SSH_AUTH_SOCK="$sock" ssh-add - <<<"$SSH_PRIVATE_KEY"');
    expect(keyStep.run).not.toMatch(/>\s*\S*(id_|\.pem|key)/);
  });

  it("GIVEN the state reached THEN it is pushed to the branch estate-rollout/<env> only, with a pull request, also after a failure", () => {
    expect(record.if).toBe("always() && steps.loop.conclusion != 'skipped'");
    expect(record.run).toContain('git -c "http.https://github.com/.extraheader=AUTHORIZATION: basic $auth" push --force origin "HEAD:refs/heads/$branch"');
    expect(record.run).toContain('branch="estate-rollout/$ESTATE_ENV"');
    expect(record.run).toContain("gh pr create --base main --head \"$branch\"");
    expect(text(ROLLOUT)).not.toMatch(/push[^\n]*\bmain\b/);
  });

  it("GIVEN every job that plans an environment THEN it runs the deploy guards itself, before it plans (a job re-run alone keeps them)", () => {
    const GUARD = "Refuse a commit that is not main's tip, or a rollout state not merged (scripts/deploy-guards.sh)";
    const jobs: [string, string, string][] = [
      [ESTATE, "stacks", "List the environment's stacks"],
      [ESTATE, "deploy", "terraform plan"],
      [ROLLOUT, "rollout", "Step loop (converge, then next, apply the site stack, gate)"],
    ];
    for (const [file, job, first] of jobs) {
      const names = workflow(file).jobs[job].steps.map((s) => s.name ?? s.uses ?? s.run);
      expect(names.indexOf(GUARD), `${file} ${job}`).toBeGreaterThanOrEqual(0);
      expect(names.indexOf(GUARD), `${file} ${job}`).toBeLessThan(names.indexOf(first));
      expect(step(file, job, GUARD).run).toBe("scripts/deploy-guards.sh");
    }
    expect(workflow(ESTATE).jobs.stacks.permissions).toEqual({ contents: "read", "pull-requests": "read" });
    expect(workflow(ESTATE).jobs.deploy.permissions).toEqual({ contents: "read", "pull-requests": "read", "id-token": "write" });
  });

  describe("scripts/deploy-guards.sh, run with a gh stand-in that answers as GitHub's API would", () => {
    function guards(tip: string, openPrs: string) {
      const dir = tempDir("workflow-guards-");
      const bin = join(dir, "bin");
      mkdirSync(bin);
      // gh api .../commits/main --jq .sha prints the tip; gh pr list ... --jq prints the open numbers, joined.
      writeFileSync(join(bin, "gh"), `#!/usr/bin/env bash\ncase "$1 $2" in\n  "api repos/acme/estate/commits/main") echo "${tip}" ;;\n  "pr list") [ "$4" = "estate-rollout/prod" ] && echo "${openPrs}" ;;\n  *) echo "unexpected: $*" >&2; exit 9 ;;\nesac\n`);
      chmodSync(join(bin, "gh"), 0o755);
      const r = spawnSync("bash", [join(PROJECT, "scripts", "deploy-guards.sh")], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, GH_TOKEN: "t", GH_REPO: "acme/estate", GITHUB_SHA: "abc123", ESTATE_ENV: "prod" },
      });
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    }

    it("GIVEN the tip and no open rollout state THEN it passes", () => {
      expect(guards("abc123", "")).toEqual({ status: 0, out: "" });
    });

    it("GIVEN main moved on THEN it refuses: a re-run of an older run would apply an older file", () => {
      const r = guards("def456", "");
      expect(r.status).toBe(1);
      expect(r.out).toContain("::error::abc123 is no longer the tip of main (def456 is): a run of the newer commit applies it; start a new run from main instead of re-running this one.");
    });

    it("GIVEN an open rollout state pull request THEN it refuses, naming it", () => {
      const r = guards("abc123", "42");
      expect(r.status).toBe(1);
      expect(r.out).toContain("::error::the rollout state of prod is not merged (pull request 42): merge it first; until then main's file would take the replaced hosts back.");
    });
  });
});

describe("PR comment", () => {
  const compose = step(ESTATE, "review", "Write the PR comment");
  const post = step(COMMENT, "comment", "Create or update the estate-diff comment");
  const HEAD = "0123456789abcdef0123456789abcdef01234567";

  function composeComment(outcomes: Record<"SYNTH" | "VALIDATE" | "TERRAFORM" | "DIFF", string>, logs: Record<string, string>) {
    const dir = tempDir("workflow-comment-");
    for (const [name, content] of Object.entries(logs)) writeFileSync(join(dir, name), content);
    const out = join(dir, "estate-diff");
    const r = runScript(compose.run!, { ...outcomes, PR_NUMBER: "42", HEAD_SHA: HEAD, RUN_URL: "https://github.example/run/7", LOGS: dir, OUT: out });
    expect(r.status, r.stderr).toBe(0);
    return { prNumber: readFileSync(join(out, "pr-number"), "utf8"), comment: readFileSync(join(out, "comment.md"), "utf8") };
  }

  it("GIVEN every step passed THEN the comment is the markdown diff with the commit and run", () => {
    const diff = "### estate diff\n\ndev-os-a: 1 to add\n";
    const r = composeComment({ SYNTH: "success", VALIDATE: "success", TERRAFORM: "success", DIFF: "success" }, { "diff.md": diff });
    expect(r.prNumber).toBe("42\n");
    expect(r.comment).toBe(`${diff}\n<sub>0123456789ab · [run](https://github.example/run/7)</sub>\n`);
  });

  it("GIVEN synthesis failed THEN the comment says so with the end of its output", () => {
    const log = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join("\n");
    const r = composeComment({ SYNTH: "failure", VALIDATE: "skipped", TERRAFORM: "skipped", DIFF: "skipped" }, { "synth.log": `${log}\nenvironments/dev.yaml:41:7: sites.openstack[1].subnetCidr: bad\n` });
    const lines = r.comment.split("\n");
    expect(lines[0]).toBe("### estate: Synthesis failed on 0123456789ab");
    expect(lines[2]).toBe("Last lines of its output ([full log](https://github.example/run/7)):");
    expect(lines[4]).toBe("````text");
    expect(lines[5]).toBe("line 282");
    expect(r.comment).toContain("environments/dev.yaml:41:7: sites.openstack[1].subnetCidr: bad\n\n````\n");
    expect(r.comment).not.toContain("line 281\n");
  });

  it("GIVEN synthesis passed and terraform validate failed THEN the comment names the Terraform step", () => {
    const r = composeComment(
      { SYNTH: "success", VALIDATE: "success", TERRAFORM: "failure", DIFF: "skipped" },
      { "synth.log": "wrote cdktf.out\n", "terraform.log": "== dev-aws\nError: Provider dependency changes detected\n" },
    );
    expect(r.comment.split("\n")[0]).toBe("### estate: Terraform validate failed on 0123456789ab");
    expect(r.comment).toContain("Error: Provider dependency changes detected");
  });

  it("GIVEN the follow-up workflow THEN it runs after estate, never checks out code, and finds its comment by the hidden marker", () => {
    const w = workflow(COMMENT);
    expect(w.on).toEqual({ workflow_run: { workflows: [workflow(ESTATE).name], types: ["completed"] } });
    expect(allSteps(COMMENT).map(({ step: s }) => s.uses?.split("@")[0] ?? s.name)).toEqual(["actions/download-artifact", "Create or update the estate-diff comment"]);
    const upload = step(ESTATE, "review", "Upload the comment for estate-comment.yml");
    expect(allSteps(COMMENT)[0].step.with?.name).toBe(upload.with?.name);
    expect(post.env?.MARKER).toBe("<!-- estate-diff -->");
    expect(post.run).toContain('select(.user.login == "github-actions[bot]" and (.body | startswith(env.MARKER)))');
  });

  it.each([["abc"], ["0"], ["42; rm -rf /"], ["12\n34"], ["12345678901"], [""]])(
    "GIVEN an artifact whose pr-number is %j THEN the comment step refuses it before any API call",
    (value) => {
      const dir = tempDir("workflow-artifact-");
      writeFileSync(join(dir, "pr-number"), value);
      writeFileSync(join(dir, "comment.md"), "anything");
      const r = runScript(post.run!, { ...post.env, ARTIFACT: dir, RUNNER_TEMP: dir, GH_TOKEN: "", HEAD_SHA: HEAD, HEAD_REPO: "example/estate" }, dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("::error::the artifact's pr-number is not a pull request number\n");
    },
  );

  it("GIVEN an artifact whose pr-number is a symbolic link THEN the comment step refuses to read it", () => {
    const dir = tempDir("workflow-artifact-");
    symlinkSync("/etc/hostname", join(dir, "pr-number"));
    writeFileSync(join(dir, "comment.md"), "anything");
    const r = runScript(post.run!, { ...post.env, ARTIFACT: dir, RUNNER_TEMP: dir, GH_TOKEN: "", HEAD_SHA: HEAD, HEAD_REPO: "example/estate" }, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("::error::the artifact has no regular file pr-number\n");
  });
});

describe("real linters", () => {
  const scripts = files.flatMap((file) => allSteps(file).filter(({ step: s }) => s.run).map(({ job, step: s }) => ({ at: `${file} ${job}: ${s.name ?? s.run!.split("\n")[0]}`, run: s.run! })));

  it.skipIf(!hasCommand("shellcheck"))(`GIVEN every run: script THEN shellcheck finds nothing${hasCommand("shellcheck") ? "" : " (skipped: shellcheck is not installed; apt-get install shellcheck)"}`, () => {
    expect(scripts.length).toBeGreaterThanOrEqual(15);
    const findings = scripts.flatMap(({ at, run }) => {
      const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", "-"], { input: run, encoding: "utf8" });
      return r.status === 0 ? [] : [`${at}\n${r.stdout}${r.stderr}`];
    });
    expect(findings).toEqual([]);
  });

  it.skipIf(!hasCommand("actionlint"))(`GIVEN both workflows THEN actionlint finds nothing${hasCommand("actionlint") ? "" : " (skipped: actionlint is not installed; it is in neither Debian bookworm nor a maintained npm package)"}`, () => {
    const r = spawnSync("actionlint", ["-no-color", ...files.map((f) => join(WORKFLOWS_DIR, f))], { encoding: "utf8", cwd: PROJECT });
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });
});
