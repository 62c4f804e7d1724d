/**
 * The input of the traffic proof: a sequence of rollout states of one site, each saying for every host what it is
 * doing and which image version it runs. The harness (`site.ts`) replays such a sequence against real processes
 * behind HAProxy; a rollout model can feed it its own steps, checked against the same invariant
 * (`checkRolloutSteps`) as the canonical sequence below.
 */

/**
 * What a host is doing at one rollout step.
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
export type HostPhase = "serving" | "drained" | "replacing" | "warming";

/** One host at one step: its phase and the image version its process runs (or, while `replacing`, will run). */
export interface HostState {
  readonly phase: HostPhase;
  readonly version: string;
}

/** One rollout state of a site: a label for reports and the state of every host of the site, by host name. */
export interface RolloutStep {
  readonly label: string;
  readonly hosts: Readonly<Record<string, HostState>>;
}

/** The member weight a phase gives a host: 1 while `serving`, 0 otherwise (Octavia member weight, 0..256). */
export const memberWeight = (phase: HostPhase): number => (phase === "serving" ? 1 : 0);

/** Options of `canonicalRolloutSteps`. */
export interface CanonicalRolloutOptions {
  /** The site's hosts, in rollout order; at least one, names unique. */
  readonly hosts: readonly string[];
  /** Hosts out of service at a time: an integer from 1 to the number of hosts. */
  readonly batch: number;
  /** Image version every host runs at the start. */
  readonly from: string;
  /** Image version every host runs at the end; differs from `from`. */
  readonly to: string;
  /**
   * false leaves out the `warming` step of every batch: a replaced host goes from `replacing` straight back to
   * `serving` once its health check passes, with its cache cold.
   * @default true
   */
  readonly warmUp?: boolean;
}

/**
 * The canonical rollout of one site: a `start` step with every host serving `from`, then per batch of `batch`
 * hosts (in the order of `hosts`; the last batch may be smaller) the steps drain → replace → warm → restore, the
 * warm step left out when `warmUp` is false. The last step has every host serving `to`.
 *
 * Labels: `start: every host serving <from>`, `batch <k>/<n>: drain|replace|warm|restore <host> <host>…`.
 * Throws on a batch outside 1..hosts, an empty or duplicated host list, or `from` equal to `to`.
 */
export function canonicalRolloutSteps(options: CanonicalRolloutOptions): RolloutStep[] {
  const { hosts, batch, from, to } = options;
  if (hosts.length === 0) throw new Error("canonicalRolloutSteps: hosts is empty; give the site's host names");
  const duplicate = hosts.find((h, i) => hosts.indexOf(h) !== i);
  if (duplicate !== undefined) throw new Error(`canonicalRolloutSteps: host "${duplicate}" is listed twice`);
  if (!Number.isInteger(batch) || batch < 1 || batch > hosts.length) {
    throw new Error(`canonicalRolloutSteps: batch must be an integer from 1 to ${hosts.length} (the number of hosts), got ${batch}`);
  }
  if (from === to) throw new Error(`canonicalRolloutSteps: from and to are both "${from}"; a rollout changes the version`);

  const state: Record<string, HostState> = Object.fromEntries(hosts.map((h) => [h, { phase: "serving", version: from }]));
  const steps: RolloutStep[] = [{ label: `start: every host serving ${from}`, hosts: { ...state } }];
  const batches = Math.ceil(hosts.length / batch);
  const phases: readonly (readonly [string, HostPhase, string])[] = [
    ["drain", "drained", from],
    ["replace", "replacing", to],
    ...(options.warmUp === false ? [] : ([["warm", "warming", to]] as const)),
    ["restore", "serving", to],
  ];
  for (let k = 0; k < batches; k++) {
    const members = hosts.slice(k * batch, (k + 1) * batch);
    for (const [verb, phase, version] of phases) {
      for (const host of members) state[host] = { phase, version };
      steps.push({ label: `batch ${k + 1}/${batches}: ${verb} ${members.join(" ")}`, hosts: { ...state } });
    }
  }
  return steps;
}

/**
 * What makes a sequence of rollout steps safe to replay, as messages naming the step and the host (empty when the
 * sequence is safe):
 *
 * - every step has exactly the hosts of the first step;
 * - a host's version changes only at a step where it is `replacing`;
 * - no host is replaced while its weight is above 0: a host `replacing` at a step was not `serving` at the step
 *   before (the drain is applied, and its connections finish, before the replacement), and the first step
 *   replaces nothing;
 * - at most `batch` hosts are out of service (any phase but `serving`) at any step.
 */
export function checkRolloutSteps(steps: readonly RolloutStep[], batch: number): string[] {
  const problems: string[] = [];
  if (steps.length === 0) return ["the sequence has no step; the first step is the site's state before the rollout"];
  const name = (i: number): string => `step ${i} "${steps[i].label}"`;
  const hostSet = Object.keys(steps[0].hosts).sort();
  steps.forEach((step, i) => {
    const hosts = Object.keys(step.hosts).sort();
    const missing = hostSet.filter((h) => !(h in step.hosts));
    const extra = hosts.filter((h) => !(h in steps[0].hosts));
    if (missing.length > 0) problems.push(`${name(i)}: hosts ${missing.join(", ")} are missing; every step lists every host of step 0`);
    if (extra.length > 0) problems.push(`${name(i)}: hosts ${extra.join(", ")} are not in step 0; every step lists the same hosts`);
    const out = hosts.filter((h) => step.hosts[h].phase !== "serving");
    if (out.length > batch) {
      problems.push(`${name(i)}: ${out.length} hosts are out of service (${out.join(", ")}), more than the batch of ${batch}`);
    }
    for (const host of hosts) {
      const now = step.hosts[host];
      const before = i === 0 ? undefined : steps[i - 1].hosts[host];
      if (i === 0 && now.phase === "replacing") {
        problems.push(`${name(i)}: host ${host} is replaced at the first step; drain it in a step before`);
      }
      if (before === undefined) continue;
      if (now.version !== before.version && now.phase !== "replacing") {
        problems.push(`${name(i)}: host ${host} changes from ${before.version} to ${now.version} while ${now.phase}; a version changes only while replacing`);
      }
      if (now.phase === "replacing" && before.phase === "serving") {
        problems.push(`${name(i)}: host ${host} is replaced while it had weight ${memberWeight(before.phase)} at ${name(i - 1)}; drain it in a step before`);
      }
    }
  });
  return problems;
}
