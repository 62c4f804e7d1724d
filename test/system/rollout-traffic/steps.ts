/**
 * The input of the traffic proof: the sequence of rollout states a site goes through, as the rollout model gives it
 * (`siteRolloutSteps` in model/rollout.ts) and checks it (`rolloutInvariantViolations`). The harness (`site.ts`)
 * replays such a sequence against real processes behind HAProxy. What each phase means to the harness:
 *
 * - `serving`: member weight 1, its process runs.
 * - `drained`: member weight 0: no new requests; requests in flight finish; the process keeps running.
 * - `replacing`: member weight 0; the old process is stopped once the load balancer counts no active connection to
 *   the member (or a stated bound passed), and a process of the step's version starts with a cold cache.
 * - `warming`: member weight 0; the new process is up and passed its health check; warm-up requests go straight to
 *   the host (not through the load balancer) until the warm-up gate is met.
 *
 * A host that moves back to `serving` gets weight 1 again.
 */
import type { HostPhase, RolloutStep } from "../../../model";

export type { HostPhase, RolloutStep };

/** One host at one step: its phase and the image version its process runs (or, while `replacing`, will run). */
export type HostState = RolloutStep["hosts"][string];

/** The member weight a phase gives a host: 1 while `serving`, 0 otherwise (Octavia member weight, 0..256). */
export const memberWeight = (phase: HostPhase): number => (phase === "serving" ? 1 : 0);

/** The same sequence without the warm-up gate: every `warming` step left out, so a replaced host goes from `replacing`
 * straight back to `serving` once its health check passes, with its cache cold. */
export const withoutWarmUp = (steps: readonly RolloutStep[]): RolloutStep[] =>
  steps.filter((s) => !Object.values(s.hosts).some((h) => h.phase === "warming"));
