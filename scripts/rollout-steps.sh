#!/usr/bin/env bash
# The step loop of a golden-image rollout (README, "Golden-image rollouts" and "Running a rollout from CI"), as
# .github/workflows/estate-rollout.yml runs it. Run from the project's root:
#
#   scripts/rollout-steps.sh --env prod [--image debian12] [--action next|abort|rollback] [--max-steps 6]
#                            [--max-minutes 300] [--out cdktf.out]
#
# 1. Converge: apply the site stacks of the step the environment file is at, then pass that step's gate. A step
#    whose apply or gate failed in an earlier run (the file names it: `estate rollout next` had already moved it
#    there) is taken again before anything moves on; it is never skipped, so its batch is never replaced or put
#    back in service unchecked. When the step was already applied the plan is empty and the apply changes nothing.
# 2. Advance, up to --max-steps times (0: to the end), and only while --max-minutes (0: no limit) have not passed
#    since the script started (a step under way is never cut; a CI job's own time limit would cut it mid-apply): `estate rollout next` edits the file, each site stack the
#    step changes is synthesized, planned and applied from the saved plan, then the gate runs on the step's batch
#    (ansible/playbooks/rollout-gate.yml: after a drain, open connections finish; after a replace, the health check
#    passes and the warm-up requests are replayed). A restore has no gate: the next drain checks the pool.
#    --action abort instead takes one step, `estate rollout abort` (every host back in service where it stands),
#    once the converge passed the gate of a replaced batch: abort never puts a cold or failing instance in service.
#    --action rollback skips the converge (the batch at hand is out of service, and a rollback only restores it or
#    replaces it back: it needs neither its drain wait nor its warm-up, and a replace that keeps failing, such as a
#    wrong image id, must not stand in its way), takes `estate rollout rollback` as its first step, then advances
#    the rollback like a rollout.
#
# The first failing command ends the run (set -e): one step moves one batch, so at most that batch is out of
# service, and the file names the step to take again. Needs node, jq, terraform and ansible-playbook on PATH, and
# the credentials of the stacks' providers and state backends. Exit status: 0 when every step taken passed, 1 on
# the first failure (the failing command's own message above it), 2 on a usage error of this script.
set -Eeuo pipefail

usage() {
  echo "usage: scripts/rollout-steps.sh --env <environment name or file> [--image <image>] [--action next|abort|rollback] [--max-steps <n>] [--max-minutes <n>] [--out <dir>]" >&2
  exit 2
}

env_arg=""
image_args=()
max_steps=0
max_minutes=0
out="cdktf.out"
action_arg=next
while [ $# -gt 0 ]; do
  case "$1" in
    --env) [ $# -ge 2 ] || usage; env_arg="$2"; shift 2 ;;
    --image) [ $# -ge 2 ] || usage; if [ -n "$2" ]; then image_args=(--image "$2"); fi; shift 2 ;;
    --max-steps) [ $# -ge 2 ] || usage; max_steps="$2"; shift 2 ;;
    --max-minutes) [ $# -ge 2 ] || usage; max_minutes="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --action) [ $# -ge 2 ] || usage; action_arg="$2"; shift 2 ;;
    *) echo "rollout-steps: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$env_arg" ] || usage
case "$action_arg" in
  next | abort | rollback) ;;
  *) echo "rollout-steps: --action is next, abort or rollback, got $action_arg" >&2; exit 2 ;;
esac
if ! [[ "$max_steps" =~ ^[0-9]+$ ]]; then
  echo "rollout-steps: --max-steps takes a whole number of steps (0 runs to the end), got $max_steps" >&2
  exit 2
fi
if ! [[ "$max_minutes" =~ ^[0-9]+$ ]]; then
  echo "rollout-steps: --max-minutes takes a whole number of minutes (0: no limit), got $max_minutes" >&2
  exit 2
fi

trap 'status=$?; echo "rollout-steps: stopped: the command above failed (exit $status); the environment file names the step a next run takes again" >&2; exit 1' ERR

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m -- "$out")"
estate() { node "$root/bin/estate.js" "$@"; }

# Synthesizes one stack, then plans and applies it from the saved plan.
apply_stack() {
  local stack="$1" synth dir
  # One stack at a time: the inventory written with it is the whole environment's.
  synth="$(estate synth --env "$env_arg" --stack "$stack" --out "$out" --json)"
  inventory="$out/ansible/$(jq -r '.stacks[0].env' <<<"$synth")/inventory.yml"
  dir="$out/stacks/$stack"
  terraform -chdir="$dir" init -input=false -lockfile=readonly
  terraform -chdir="$dir" plan -input=false -lock-timeout=10m -out=tfplan
  # The plan's JSON holds its sensitive values in the clear: owner-only, removed once checked.
  local check=0
  (umask 077 && terraform -chdir="$dir" show -json tfplan > "$dir/tfplan.json")
  estate plan-check --plan "$dir/tfplan.json" || check=$?
  rm -f "$dir/tfplan.json"
  if [ "$check" -ne 0 ]; then return "$check"; fi
  terraform -chdir="$dir" apply -input=false -lock-timeout=10m tfplan
}

# The gate of the phase just applied to a batch (comma-separated host names); drain and replace have one.
gate() {
  local phase="$1" hosts="$2"
  if [ "$phase" != drain ] && [ "$phase" != replace ]; then return 0; fi
  if [ -z "${inventory:-}" ]; then
    local synth
    synth="$(estate synth --env "$env_arg" --out "$out" --json)"
    inventory="$out/ansible/$(jq -r '.stacks[0].env' <<<"$synth")/inventory.yml"
  fi
  (cd "$root/ansible" && ansible-playbook -i "$inventory" playbooks/rollout-gate.yml --limit "$hosts" -e "rollout_gate_phase=$phase")
}

inventory=""
image_of() { jq -r '.image' <<<"$1"; }

# Applies the stacks a report of estate rollout next|abort|rollback changed, then gates its batch.
take() {
  local report="$1"
  echo "::group::step: $(jq -r '[.action, (.after.step // "-" | tostring), (.after.batch.phase // ""), (.after.batch.hosts // [] | join(","))] | join(" ")' <<<"$report")"
  jq -r .diffText <<<"$report"
  for stack in $(jq -r '.diff.stacks[] | select(.status == "changed") | .name' <<<"$report"); do apply_stack "$stack"; done
  if [ "$(jq -r '.after.aborted // false' <<<"$report")" != true ]; then
    gate "$(jq -r '.after.batch.phase // ""' <<<"$report")" "$(jq -r '.after.batch.hosts // [] | join(",")' <<<"$report")"
  fi
  echo "::endgroup::"
}

status="$(estate rollout status --env "$env_arg" "${image_args[@]}" --json)"
image_args=(--image "$(image_of "$status")")
if [ "$(jq -r '.position.aborted' <<<"$status")" = true ] && [ "$action_arg" = next ]; then
  echo "rollout-steps: the rollout of $(image_of "$status") is aborted at step $(jq -r '.position.step' <<<"$status"); resume it with estate rollout start (merged), or run --action rollback" >&2
  exit 1
fi
if [ "$action_arg" != rollback ]; then
  echo "::group::converge: step $(jq -r '[.position.step, (.position.batch.phase // "start"), (.position.batch.hosts // [] | join(","))] | map(tostring) | join(" ")' <<<"$status")"
  for stack in $(jq -r '.stacks[]' <<<"$status"); do apply_stack "$stack"; done
  if [ "$(jq -r '.position.aborted' <<<"$status")" != true ]; then
    phase="$(jq -r '.position.batch.phase // ""' <<<"$status")"
    hosts="$(jq -r '.position.batch.hosts // [] | join(",")' <<<"$status")"
    if [ "$action_arg" != abort ]; then
      gate "$phase" "$hosts"
    elif [ "$phase" = drain ]; then
      : # an abort at a drain step returns the old, healthy instances to service: no open connections to wait for
    elif ! gate "$phase" "$hosts"; then
      trap - ERR
      echo "rollout-steps: $hosts did not pass the $phase gate: an abort would put them in service; roll back instead (--action rollback)" >&2
      exit 1
    fi
  fi
  echo "::endgroup::"
fi

action=""
taken=0
if [ "$action_arg" != next ]; then
  report="$(estate rollout "$action_arg" --env "$env_arg" "${image_args[@]}" --json)"
  action="$(jq -r .action <<<"$report")"
  take "$report"
  taken=1
fi
# True while another step may start: within --max-steps and --max-minutes.
budget_left() {
  if [ "$max_steps" -ne 0 ] && [ "$taken" -ge "$max_steps" ]; then return 1; fi
  if [ "$max_minutes" -ne 0 ] && [ "$SECONDS" -ge $((10#$max_minutes * 60)) ]; then
    echo "rollout-steps: $max_minutes minutes have passed: stopping before the next step ($taken taken)"
    return 1
  fi
}
while [ "$action_arg" != abort ] && [ "$action" != finish ] && [ "$action" != cancel ] && budget_left; do
  report="$(estate rollout next --env "$env_arg" "${image_args[@]}" --json)"
  action="$(jq -r .action <<<"$report")"
  take "$report"
  taken=$((taken + 1))
done
if [ "$action" != finish ] && [ "$action" != cancel ]; then estate rollout status --env "$env_arg" "${image_args[@]}"; fi
