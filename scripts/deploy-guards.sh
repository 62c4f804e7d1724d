#!/usr/bin/env bash
# The guards every CI job that applies an environment runs before it plans (.github/workflows/estate.yml, jobs
# stacks and deploy; estate-rollout.yml). Each job runs them itself: "Re-run failed jobs" re-runs a deploy job alone,
# with the outputs of the stacks job from the first attempt.
# - The commit must be main's tip: re-running an older run would apply an older file (rolling the estate back, or a
#   rollout back to an older step while the replaced hosts serve).
# - No rollout state may wait unmerged: estate-rollout.yml records the steps it applied on the branch
#   estate-rollout/<env>; until that is merged, main's file would take the replaced hosts back, in service.
# Needs gh on PATH and GH_TOKEN, GH_REPO, GITHUB_SHA, ESTATE_ENV. Exit 0 when both hold, 1 (with a GitHub error
# annotation) when not.
set -euo pipefail

tip="$(gh api "repos/$GH_REPO/commits/main" --jq .sha)"
if [ "$tip" != "$GITHUB_SHA" ]; then
  echo "::error::$GITHUB_SHA is no longer the tip of main ($tip is): a run of the newer commit applies it; start a new run from main instead of re-running this one."
  exit 1
fi
open="$(gh pr list --head "estate-rollout/$ESTATE_ENV" --state open --json number --jq 'map(.number) | join(", ")')"
if [ -n "$open" ]; then
  echo "::error::the rollout state of $ESTATE_ENV is not merged (pull request $open): merge it first; until then main's file would take the replaced hosts back."
  exit 1
fi
