/**
 * The rollout step loop (scripts/rollout-steps.sh, what .github/workflows/estate-rollout.yml runs) driven for real:
 * the real script, bash, jq, the real `estate` CLI editing a real environment file and synthesizing the real site
 * stacks. Applies need the clouds and the gate needs the hosts, so `terraform` and `ansible-playbook` are stand-ins
 * on PATH that record what they were asked to do: for every apply, the host versions and member weights of the
 * OpenStack stack being applied (read from its cdk.tf.json); for every gate, its phase and hosts. Either can be told
 * to fail once, as a cloud or a host would.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { hasCommand, scratchDirs } from "../support/tools";
import { DEV_ENV_FILE, PROJECT, estate } from "../cli/estate";

const SCRIPT = join(PROJECT, "scripts", "rollout-steps.sh");
const scratch = scratchDirs();
const tools = hasCommand("jq") && hasCommand("bash");
if (!tools) console.warn("rollout-steps: skipped, jq or bash is missing (CI installs jq)");

// The terraform stand-in: after a successful `apply`, one log line per stack with every host's version and weight
// as the saved configuration sets them. FAIL_APPLY=<n> makes the n-th apply fail (once: a marker file remembers).
// `show -json` prints a plan with no resource change, or, for the SERVING_PLAN_AT=<n>-th show, the plan in
// SERVING_PLAN (one that replaces hosts in service, as a cloud out of step with the file would plan).
const TERRAFORM = `#!/usr/bin/env bash
set -euo pipefail
dir=""; for a in "$@"; do case "$a" in -chdir=*) dir="\${a#-chdir=}";; esac; done
sub=""; for a in "$@"; do case "$a" in -chdir=*) ;; *) sub="$a"; break;; esac; done
[ -f "$dir/cdk.tf.json" ] || { echo "terraform stand-in: no cdk.tf.json in $dir" >&2; exit 1; }
if [ "$sub" = show ]; then
  n=$(( $(cat "$LOG_DIR/shows" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$LOG_DIR/shows"
  if [ "\${SERVING_PLAN_AT:-}" = "$n" ]; then cat "$SERVING_PLAN"; else echo '{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[]}'; fi
fi
if [ "$sub" = apply ]; then
  n=$(( $(cat "$LOG_DIR/applies" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$LOG_DIR/applies"
  if [ "\${FAIL_APPLY:-}" = "$n" ] && [ ! -e "$LOG_DIR/failed-apply" ]; then
    touch "$LOG_DIR/failed-apply"; echo "Error: creating openstack_compute_instance_v2: quota exceeded" >&2; exit 1
  fi
  hosts="$(jq -r '[.locals // {} | to_entries[] | select(.key | startswith("hosts_")) | .value | to_entries[] | "\\(.key)=\\(.value.version)/\\(.value.weight // "-")"] | sort | join(" ")' "$dir/cdk.tf.json")"
  echo "apply $(basename "$dir") $hosts" >> "$LOG_DIR/log"
fi
`;

// The ansible-playbook stand-in: logs the gate's phase and hosts. FAIL_GATE=<phase> fails the first gate of that phase.
const ANSIBLE = `#!/usr/bin/env bash
set -euo pipefail
limit=""; phase=""; inventory=""; prev=""
for a in "$@"; do
  case "$prev" in --limit) limit="$a";; -e) phase="\${a#rollout_gate_phase=}";; -i) inventory="$a";; esac
  prev="$a"
done
[ -f "$inventory" ] || { echo "ansible-playbook stand-in: no inventory at $inventory" >&2; exit 1; }
for h in \${limit//,/ }; do grep -q "^ *$h:" "$inventory" || { echo "ansible-playbook stand-in: $h is not in $inventory" >&2; exit 1; }; done
if [ "\${FAIL_GATE:-}" = "$phase" ] && [ ! -e "$LOG_DIR/failed-gate" ]; then
  touch "$LOG_DIR/failed-gate"; echo "fatal: [$limit]: FAILED! => warm-up request 3 of 20 returned 503" >&2; exit 2
fi
# FAIL_GATE_VERSION=<v>: a bad image: the replace gate fails every time for hosts the inventory says run <v>.
if [ -n "\${FAIL_GATE_VERSION:-}" ] && [ "$phase" = replace ]; then
  for h in \${limit//,/ }; do
    if grep "^ *$h:" "$inventory" | grep -q "golden_image_version: \${FAIL_GATE_VERSION}[,}]"; then
      echo "fatal: [$h]: FAILED! => health check returned 500" >&2; exit 2
    fi
  done
fi
echo "gate $phase $limit" >> "$LOG_DIR/log"
`;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A dev copy with a batch-2 rollout of debian12 started, stand-ins on PATH, and a log directory. */
function setUp(): { env: string; dir: string; bin: string } {
  const dir = scratch("estate-rollout-steps-");
  const env = join(dir, "dev.yaml");
  copyFileSync(DEV_ENV_FILE, env);
  const started = estate(["rollout", "start", "--env", env, "--to", "2026.12.1", "--batch", "2"]);
  expect(started.status, started.stderr).toBe(0);
  const bin = join(dir, "bin");
  spawnSync("mkdir", ["-p", bin]);
  writeFileSync(join(bin, "terraform"), TERRAFORM);
  writeFileSync(join(bin, "ansible-playbook"), ANSIBLE);
  chmodSync(join(bin, "terraform"), 0o755);
  chmodSync(join(bin, "ansible-playbook"), 0o755);
  return { env, dir, bin };
}

function loop(t: { env: string; dir: string; bin: string }, args: readonly string[], extra: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync("bash", [SCRIPT, "--env", t.env, "--out", join(t.dir, "out"), ...args], {
    cwd: t.dir,
    encoding: "utf8",
    env: { ...process.env, PATH: `${t.bin}:${process.env.PATH}`, LOG_DIR: t.dir, NO_COLOR: "1", ...extra },
    timeout: 300_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const log = (t: { dir: string }): string[] => (existsSync(join(t.dir, "log")) ? readFileSync(join(t.dir, "log"), "utf8").trim().split("\n") : []);
const step = (env: string): string => /^ {6}step: (\d+)$/m.exec(readFileSync(env, "utf8"))?.[1] ?? "none";

// dev-os-a runs debian12 on web (3 hosts) and api (2); batch 2 cuts them into web-001+002, web-003+api-001, api-002.
const OLD = "2026.11.1";
const NEW = "2026.12.1";
const osA = (states: Record<string, string>): string =>
  "apply dev-os-a " +
  ["dev-os-a-api-001", "dev-os-a-api-002", "dev-os-a-web-001", "dev-os-a-web-002", "dev-os-a-web-003"].map((h) => `${h}=${states[h] ?? `${OLD}/1`}`).join(" ");

// The converge of a run at step 0: every site stack that runs debian12, all hosts serving the old version.
const CONVERGE_AT_START = [
  osA({}),
  "apply dev-os-b dev-os-b-api-001=2026.11.1/1 dev-os-b-api-002=2026.11.1/1 dev-os-b-web-001=2026.11.1/1 dev-os-b-web-002=2026.11.1/1 dev-os-b-web-003=2026.11.1/1",
  "apply dev-os-c dev-os-c-api-001=2026.11.1/1 dev-os-c-api-002=2026.11.1/1 dev-os-c-web-001=2026.11.1/1 dev-os-c-web-002=2026.11.1/1 dev-os-c-web-003=2026.11.1/1",
  "apply dev-aws dev-aws-api-001=2026.11.1/- dev-aws-api-002=2026.11.1/- dev-aws-web-001=2026.11.1/- dev-aws-web-002=2026.11.1/- dev-aws-web-003=2026.11.1/-",
];

describe.skipIf(!tools)("scripts/rollout-steps.sh", () => {
  it("GIVEN a started rollout WHEN the loop takes 3 steps THEN it converges every site on step 0, then drains, gates, replaces, gates and restores batch 1", () => {
    const t = setUp();
    const r = loop(t, ["--max-steps", "3"]);
    expect(r.status, r.stderr).toBe(0);
    expect(log(t)).toEqual([
      ...CONVERGE_AT_START,
      osA({ "dev-os-a-web-001": `${OLD}/0`, "dev-os-a-web-002": `${OLD}/0` }),
      "gate drain dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/0`, "dev-os-a-web-002": `${NEW}/0` }),
      "gate replace dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/1`, "dev-os-a-web-002": `${NEW}/1` }),
    ]);
    expect(step(t.env)).toBe("3");
    expect(r.stdout).toContain("::group::step: next 3 restore dev-os-a-web-001,dev-os-a-web-002");
  });

  it("GIVEN the warm-up gate fails WHEN the loop is run again THEN the failed step is applied and gated again before the batch is restored", () => {
    const t = setUp();
    const first = loop(t, ["--max-steps", "4"], { FAIL_GATE: "replace" });
    expect(first.status).not.toBe(0);
    expect(first.stderr).toContain("warm-up request 3 of 20 returned 503");
    // It stopped at the replace step: the batch is out of service, nothing went on.
    expect(step(t.env)).toBe("2");
    expect(log(t).slice(4)).toEqual([
      osA({ "dev-os-a-web-001": `${OLD}/0`, "dev-os-a-web-002": `${OLD}/0` }),
      "gate drain dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/0`, "dev-os-a-web-002": `${NEW}/0` }),
    ]);

    const second = loop(t, ["--max-steps", "1"]);
    expect(second.status, second.stderr).toBe(0);
    expect(log(t).slice(7)).toEqual([
      osA({ "dev-os-a-web-001": `${NEW}/0`, "dev-os-a-web-002": `${NEW}/0` }),
      "gate replace dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/1`, "dev-os-a-web-002": `${NEW}/1` }),
    ]);
    expect(step(t.env)).toBe("3");
  });

  it("GIVEN the drain apply fails WHEN the loop is run again THEN the drain is applied again and its gate passed before any replacement", () => {
    const t = setUp();
    const first = loop(t, [], { FAIL_APPLY: "5" });
    expect(first.status).not.toBe(0);
    expect(first.stderr).toContain("quota exceeded");
    expect(step(t.env)).toBe("1");
    expect(log(t)).toHaveLength(4);

    const second = loop(t, ["--max-steps", "1"]);
    expect(second.status, second.stderr).toBe(0);
    expect(log(t).slice(4)).toEqual([
      osA({ "dev-os-a-web-001": `${OLD}/0`, "dev-os-a-web-002": `${OLD}/0` }),
      "gate drain dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/0`, "dev-os-a-web-002": `${NEW}/0` }),
      "gate replace dev-os-a-web-001,dev-os-a-web-002",
    ]);
  });

  it("GIVEN a plan that replaces hosts in service WHEN the loop reaches it THEN plan-check stops the run before that apply, the file names the step", () => {
    const t = setUp();
    // Shows 1-4 are the converge's four stacks, 5 the drain of batch 1, 6 its replacement: the cloud's members still weigh 1.
    const r = loop(t, ["--max-steps", "3"], { SERVING_PLAN_AT: "6", SERVING_PLAN: join(PROJECT, "test", "fixtures", "plan-check", "replace-serving.json") });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`estate plan-check: ${join(t.dir, "out", "stacks", "dev-os-a", "tfplan.json")} would destroy 2 hosts in service:\n`);
    expect(r.stderr).toContain('  dev-os-a-web-001: openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-001"] is replaced (destroyed, then created) while ');
    expect(log(t)).toEqual([
      ...CONVERGE_AT_START,
      osA({ "dev-os-a-web-001": `${OLD}/0`, "dev-os-a-web-002": `${OLD}/0` }),
      "gate drain dev-os-a-web-001,dev-os-a-web-002",
    ]);
    // The replace step is where the file stands: the next run plans it again, and applies it once the cloud is drained.
    expect(step(t.env)).toBe("2");
  });

  it("GIVEN a replaced batch WHEN the loop aborts THEN the batch passes its warm-up gate before the apply that puts it back in service", () => {
    const t = setUp();
    expect(loop(t, ["--max-steps", "2"]).status).toBe(0);
    const aborted = loop(t, ["--action", "abort"]);
    expect(aborted.status, aborted.stderr).toBe(0);
    expect(log(t).slice(8)).toEqual([
      osA({ "dev-os-a-web-001": `${NEW}/0`, "dev-os-a-web-002": `${NEW}/0` }),
      "gate replace dev-os-a-web-001,dev-os-a-web-002",
      osA({ "dev-os-a-web-001": `${NEW}/1`, "dev-os-a-web-002": `${NEW}/1` }),
    ]);
    expect(readFileSync(t.env, "utf8")).toMatch(/^ {6}aborted: true$/m);

    const refused = loop(t, []);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("rollout-steps: the rollout of debian12 is aborted at step 2; resume it with estate rollout start (merged), or run --action rollback");
  });

  it("GIVEN a new image whose hosts fail their warm-up gate WHEN aborted THEN it refuses; WHEN rolled back THEN the batch is replaced back without that gate", () => {
    const t = setUp();
    const bad = { FAIL_GATE_VERSION: NEW };
    const first = loop(t, [], bad);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain("fatal: [dev-os-a-web-001]: FAILED! => health check returned 500");
    expect(first.stderr).toContain("rollout-steps: stopped: the command above failed (exit 2); the environment file names the step a next run takes again");
    expect(step(t.env)).toBe("2");

    const aborted = loop(t, ["--action", "abort"], bad);
    expect(aborted.status).toBe(1);
    expect(aborted.stderr).toContain(
      "rollout-steps: dev-os-a-web-001,dev-os-a-web-002 did not pass the replace gate: an abort would put them in service; roll back instead (--action rollback)",
    );
    expect(readFileSync(t.env, "utf8")).not.toMatch(/aborted: true/);

    const rolledBack = loop(t, ["--action", "rollback"], bad);
    expect(rolledBack.status, rolledBack.stderr).toBe(0);
    // After the converge of the abort attempt: straight to the rollback's replace (old image, still out of service),
    // its gate on the old image, the restore, and the rollback's end (every site stack stops reading the new image).
    const serving = (site: string, weight: string) =>
      `apply dev-${site} ` + ["api-001", "api-002", "web-001", "web-002", "web-003"].map((h) => `dev-${site}-${h}=${OLD}/${weight}`).join(" ");
    expect(log(t).slice(8)).toEqual([
      osA({ "dev-os-a-web-001": `${OLD}/0`, "dev-os-a-web-002": `${OLD}/0` }),
      "gate replace dev-os-a-web-001,dev-os-a-web-002",
      osA({}),
      serving("aws", "-"),
      serving("os-a", "1"),
      serving("os-b", "1"),
      serving("os-c", "1"),
    ]);
    expect(readFileSync(t.env, "utf8")).not.toContain("rollout:");
  });

  it.skipIf(!hasCommand("shellcheck"))("GIVEN the script THEN shellcheck finds nothing", () => {
    const r = spawnSync("shellcheck", ["--severity=style", "--format=gcc", SCRIPT], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.each([
    [["--max-steps", "two"], "rollout-steps: --max-steps takes a whole number of steps (0 runs to the end), got two"],
    [["--action", "finish"], "rollout-steps: --action is next, abort or rollback, got finish"],
    [["--max-minutes", "1h"], "rollout-steps: --max-minutes takes a whole number of minutes (0: no limit), got 1h"],
  ])("GIVEN %j THEN it refuses with exit 2 and touches nothing", (args, message) => {
    const t = setUp();
    const before = readFileSync(t.env, "utf8");
    const r = loop(t, args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(t.env, "utf8")).toBe(before);
    expect(log(t)).toEqual([]);
  });
});
