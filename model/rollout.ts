/**
 * Golden-image rollouts: which version every host runs, and whether it is out of service, at each step.
 *
 * A rollout (`images[].rollout` in the environment file) replaces the instances of every host running the image,
 * site by site in `order`, `batch` hosts of a site at a time. Each batch takes three Terraform applies, so no
 * apply ever replaces a host that is in service:
 *
 *   drain    the batch leaves its pools (Octavia member weight 0; AWS target deregistered), old version
 *   replace  the batch's instances are replaced by the new version, still out of service
 *   restore  the batch rejoins its pools, once the gate passed (health check and warm-up requests)
 *
 * Step 0 (after `estate rollout start`) takes nothing out: the plan reads the new image in every site first, so a
 * missing image fails the plan before any host is drained. The last step restores the last batch; `estate rollout
 * next` then finishes: the image's `version` and references become the rollout's, and the rollout is removed
 * (no Terraform change). A rollback (`rollbackFrom`) returns the replaced hosts to the old version the same way,
 * newest batch first. An aborted rollout keeps every host serving on the version it runs at its step.
 *
 * Hosts keep their names, addresses, ports and members: only the instance under them is replaced.
 */
import { createHash } from "node:crypto";
import type { EnvironmentFile, ImageRolloutInput } from "./schema";
import type { EstateModel, HostModel } from "./types";
import { hostName } from "./naming";
import { instancesIn } from "./validate";

type Path = (string | number)[];

/** What a host is doing at one step; the gate's `warming` is the state between the replace apply and the restore. */
export type HostPhase = "serving" | "drained" | "replacing" | "warming";

/** One state of a site during a rollout: every host of the image in the site with its phase and version. */
export interface RolloutStep {
  readonly label: string;
  readonly hosts: Readonly<Record<string, { readonly phase: HostPhase; readonly version: string }>>;
}

/** Kinds of Terraform step in a batch, in order. */
export const BATCH_PHASES = ["drain", "replace", "restore"] as const;
export type BatchPhase = (typeof BATCH_PHASES)[number];

/** One batch: hosts of one site replaced together, in host order (services in file order, then index). */
export interface RolloutBatch {
  readonly site: string;
  readonly hosts: readonly string[];
  /** Service of each host, same order. */
  readonly services: readonly string[];
}

/** Where a rollout stands: the batch and phase of its step. */
export interface RolloutPosition {
  readonly image: string;
  readonly direction: "forward" | "rollback";
  readonly step: number;
  /** Steps of this direction; `step` runs from 0 to `steps`. */
  readonly steps: number;
  readonly aborted: boolean;
  /** The batch worked on at this step and its phase. @default - none: step 0 */
  readonly batch?: RolloutBatch & { readonly index: number; readonly phase: BatchPhase };
}

/** Per host at one step: the version it runs and whether it is out of service. */
export interface HostRolloutState {
  readonly version: string;
  readonly outOfService: boolean;
}

/** The sites that run the image: OpenStack sites then AWS, in file order, each with its hosts of the image. */
function imageSites(env: EnvironmentFile, image: string): { site: string; hosts: { name: string; service: string }[] }[] {
  const sites = [...env.sites.openstack.map((s) => s.name), ...(env.sites.aws ? [env.sites.aws.name] : [])];
  return sites
    .map((site) => ({
      site,
      hosts: env.services
        .filter((svc) => svc.image === image)
        .flatMap((svc) => Array.from({ length: instancesIn(svc, site) }, (_, i) => ({ name: hostName(env.name, site, svc.name, i + 1), service: svc.name }))),
    }))
    .filter((s) => s.hosts.length > 0);
}

/** The forward batches of a rollout: sites in `order`, each cut into runs of `batch` hosts. */
export function rolloutBatches(env: EnvironmentFile, image: string, rollout: Pick<ImageRolloutInput, "order" | "batch">): RolloutBatch[] {
  const bySite = new Map(imageSites(env, image).map((s) => [s.site, s.hosts]));
  const out: RolloutBatch[] = [];
  for (const site of rollout.order) {
    const hosts = bySite.get(site) ?? [];
    for (let i = 0; i < hosts.length; i += rollout.batch) {
      const chunk = hosts.slice(i, i + rollout.batch);
      out.push({ site, hosts: chunk.map((h) => h.name), services: chunk.map((h) => h.service) });
    }
  }
  return out;
}

/**
 * What a rollout's plan rests on, as `estate rollout start` records it (`rollout.hosts`): the number of hosts it
 * rolls, and the first 16 hex digits of the SHA-256 of this text (lines joined by "\n", no final newline):
 *
 *   version <version>
 *   batch <batch>
 *   <site> <its new reference as JSON>     one line per site in `order` ({"name":…}, {"id":…}, {"ami":…}, …)
 *   <host name>                            one line per host, in batch order
 *
 * Every host's version and service state is computed from the estate and this block at each load. If hosts running
 * the image are added, removed, renamed or reordered, or the block's batch, version or references are edited
 * mid-rollout, the batches or the versions move, and a host already replaced and restored could be drained and
 * replaced again in one apply, or replaced while it serves. `checkRollouts` refuses that.
 */
export function rolloutHosts(env: EnvironmentFile, image: string, rollout: Pick<ImageRolloutInput, "order" | "batch" | "version" | "openstack" | "aws">): { count: number; digest: string } {
  const names = rolloutBatches(env, image, rollout).flatMap((b) => b.hosts);
  const aws = env.sites.aws?.name;
  const refs = rollout.order.map((site) => `${site} ${JSON.stringify(site === aws ? (rollout.aws ?? null) : (rollout.openstack[site] ?? null))}`);
  const text = [`version ${rollout.version}`, `batch ${rollout.batch}`, ...refs, ...names].join("\n");
  return { count: names.length, digest: createHash("sha256").update(text).digest("hex").slice(0, 16) };
}

/** Steps of a forward rollout: three per batch. */
export function forwardSteps(batches: readonly RolloutBatch[]): number {
  return batches.length * BATCH_PHASES.length;
}

/** Batch index and phase of forward step `step` (1-based); undefined for step 0. */
function forwardAt(step: number): { index: number; phase: BatchPhase } | undefined {
  if (step === 0) return undefined;
  return { index: Math.floor((step - 1) / 3), phase: BATCH_PHASES[(step - 1) % 3] };
}

/**
 * The rollback of a forward rollout stopped at `from`: the batches that run the new version there, newest first.
 * When the forward step left its batch out of service (drain, or replace), the rollback picks it up where it is:
 * a drained batch on the old version is only restored (one step); a replaced one is replaced back at once (it is
 * already out of service), then restored.
 */
export function rollbackPlan(batches: readonly RolloutBatch[], from: number): { batch: RolloutBatch; index: number; phases: BatchPhase[] }[] {
  const at = forwardAt(from);
  const plan: { batch: RolloutBatch; index: number; phases: BatchPhase[] }[] = [];
  if (at) {
    if (at.phase === "drain") plan.push({ batch: batches[at.index], index: at.index, phases: ["restore"] });
    else if (at.phase === "replace") plan.push({ batch: batches[at.index], index: at.index, phases: ["replace", "restore"] });
    else plan.push({ batch: batches[at.index], index: at.index, phases: [...BATCH_PHASES] });
    for (let i = at.index - 1; i >= 0; i--) plan.push({ batch: batches[i], index: i, phases: [...BATCH_PHASES] });
  }
  return plan;
}

/** Where a rollout stands (its direction, batch and phase at its step). */
export function rolloutPosition(env: EnvironmentFile, image: string, rollout: ImageRolloutInput): RolloutPosition {
  const batches = rolloutBatches(env, image, rollout);
  const base = { image, step: rollout.step, aborted: rollout.aborted };
  if (rollout.rollbackFrom === undefined) {
    const at = forwardAt(rollout.step);
    const steps = forwardSteps(batches);
    return { ...base, direction: "forward", steps, ...(at && at.index < batches.length ? { batch: { ...batches[at.index], index: at.index, phase: at.phase } } : {}) };
  }
  const plan = rollbackPlan(batches, rollout.rollbackFrom);
  const steps = plan.reduce((n, p) => n + p.phases.length, 0);
  let left = rollout.step;
  for (const p of plan) {
    if (left <= p.phases.length && left > 0) return { ...base, direction: "rollback", steps, batch: { ...p.batch, index: p.index, phase: p.phases[left - 1] } };
    left -= p.phases.length;
  }
  return { ...base, direction: "rollback", steps };
}

/**
 * Every host of the image at the rollout's step: its version and whether it is out of service. Hosts of other
 * images are absent. An aborted rollout has every host in service.
 */
export function hostRolloutStates(env: EnvironmentFile, image: string, from: string, rollout: ImageRolloutInput): Map<string, HostRolloutState> {
  const to = rollout.version;
  const batches = rolloutBatches(env, image, rollout);
  const states = new Map<string, HostRolloutState>();
  for (const s of imageSites(env, image)) for (const h of s.hosts) states.set(h.name, { version: from, outOfService: false });
  const set = (batch: RolloutBatch, version: string, outOfService: boolean) => {
    for (const h of batch.hosts) states.set(h, { version, outOfService: outOfService && !rollout.aborted });
  };
  const forward = rollout.rollbackFrom ?? rollout.step;
  const at = forwardAt(forward);
  // The forward part: every batch before the current one replaced, the current one as its phase says.
  if (at) {
    for (let i = 0; i < Math.min(at.index, batches.length); i++) set(batches[i], to, false);
    if (at.index < batches.length) set(batches[at.index], at.phase === "drain" ? from : to, at.phase !== "restore");
  }
  if (rollout.rollbackFrom === undefined) return states;
  // The rollback part, newest batch first.
  let left = rollout.step;
  for (const p of rollbackPlan(batches, rollout.rollbackFrom)) {
    if (left <= 0) break;
    const done = Math.min(left, p.phases.length);
    const phase = p.phases[done - 1];
    // A rollback drain leaves the batch on the new version; its replace and restore on the old one. A batch the
    // forward rollout only drained (no replace in its plan) is on the old version throughout.
    const version = phase === "drain" && p.phases.includes("replace") ? to : from;
    set(p.batch, version, phase !== "restore");
    left -= p.phases.length;
  }
  return states;
}

/**
 * The sequence of states a site goes through during a forward rollout (or its rollback from the current forward
 * step, when `rollback` is set), in the shape the traffic proof replays: before the first apply, then per batch
 * `drain` (old version, out of service), `replace` (the instances being replaced), `warm` (the gate: health check
 * and warm-up requests on the new instances, still out of service), `restore` (in service on the new version).
 */
export function siteRolloutSteps(env: EnvironmentFile, image: string, site: string): RolloutStep[] {
  const img = env.images.find((i) => i.name === image);
  if (!img?.rollout) throw new Error(`image "${image}" has no rollout`);
  const rollout = img.rollout;
  const batches = rolloutBatches(env, image, rollout).filter((b) => b.site === site);
  const hosts = imageSites(env, image).find((s) => s.site === site)?.hosts ?? [];
  const current = new Map(hosts.map((h) => [h.name, { phase: "serving" as HostPhase, version: img.version }]));
  const snapshot = (label: string): RolloutStep => ({ label, hosts: Object.fromEntries([...current].map(([k, v]) => [k, { ...v }])) });
  const steps: RolloutStep[] = [snapshot(`${site}: every host serving ${img.version}`)];
  batches.forEach((b, i) => {
    const n = `${site} batch ${i + 1}/${batches.length}`;
    const mark = (phase: HostPhase, version: string) => b.hosts.forEach((h) => current.set(h, { phase, version }));
    mark("drained", img.version);
    steps.push(snapshot(`${n}: drain ${b.hosts.join(", ")}`));
    mark("replacing", rollout.version);
    steps.push(snapshot(`${n}: replace ${b.hosts.join(", ")}`));
    mark("warming", rollout.version);
    steps.push(snapshot(`${n}: warm ${b.hosts.join(", ")}`));
    mark("serving", rollout.version);
    steps.push(snapshot(`${n}: restore ${b.hosts.join(", ")}`));
  });
  return steps;
}

/**
 * The rollout invariant, checked on a sequence of states of one site (as `siteRolloutSteps` gives, or a traffic
 * replay takes). Returns every violation as a sentence naming the step (`step <i> "<label>"`) and the host; empty
 * when the sequence is safe:
 *
 * - every step has exactly the hosts of the first step;
 * - a host's version changes only at a step where it is `replacing`;
 * - no host is replaced while in service: a host `replacing` at a step was out of service at the step before (the
 *   drain is applied, and its connections finish, before the replacement), and the first step replaces nothing;
 * - at most `batch` hosts are out of service (any phase but `serving`) at any step.
 */
export function rolloutInvariantViolations(steps: readonly RolloutStep[], batch: number): string[] {
  const out: string[] = [];
  if (steps.length === 0) return ["the sequence has no step; the first step is the site's state before the rollout"];
  const name = (i: number): string => `step ${i} "${steps[i].label}"`;
  const first = steps[0].hosts;
  steps.forEach((step, i) => {
    const hosts = Object.keys(step.hosts);
    const missing = Object.keys(first).filter((h) => !Object.hasOwn(step.hosts, h));
    const extra = hosts.filter((h) => !Object.hasOwn(first, h));
    if (missing.length > 0) out.push(`${name(i)}: hosts ${missing.join(", ")} are missing; every step lists every host of step 0`);
    if (extra.length > 0) out.push(`${name(i)}: hosts ${extra.join(", ")} are not in step 0; every step lists the same hosts`);
    const down = hosts.filter((h) => step.hosts[h].phase !== "serving");
    if (down.length > batch) out.push(`${name(i)}: ${down.length} hosts are out of service (${down.join(", ")}), more than the batch of ${batch}`);
    for (const host of hosts) {
      const now = step.hosts[host];
      if (i === 0) {
        if (now.phase === "replacing") out.push(`${name(i)}: host ${host} is replaced at the first step; drain it in a step before`);
        continue;
      }
      const before = steps[i - 1].hosts[host];
      if (before === undefined) continue;
      if (now.version !== before.version && now.phase !== "replacing") {
        out.push(`${name(i)}: host ${host} changes from ${before.version} to ${now.version} while ${now.phase}; a version changes only while replacing`);
      }
      if (now.phase === "replacing" && before.phase === "serving") {
        out.push(`${name(i)}: host ${host} is replaced while in service at ${name(i - 1)}; drain it in a step before`);
      }
    }
  });
  return out;
}

/**
 * Pools a rollout's step leaves with no member in service: a service of the image in a site that takes traffic
 * (`traffic.state` active and a weight above 0) with every one of its hosts there out of service. That site's
 * listener would have nowhere to send its share of requests, whatever the capacity of the other sites.
 */
export function rolloutEmptyPools(env: EnvironmentFile, image: string, rollout: ImageRolloutInput): { site: string; service: string; hosts: number; weight: number }[] {
  const img = env.images.find((i) => i.name === image);
  if (!img || rollout.aborted) return [];
  const states = hostRolloutStates(env, image, img.version, rollout);
  const sites = [...env.sites.openstack, ...(env.sites.aws ? [env.sites.aws] : [])];
  return imageSites(env, image).flatMap(({ site, hosts }) => {
    const traffic = sites.find((s) => s.name === site)?.traffic;
    if (!traffic || traffic.state === "drained" || traffic.weight <= 0) return [];
    const services = [...new Set(hosts.map((h) => h.service))];
    return services
      .map((service) => hosts.filter((h) => h.service === service))
      .filter((own) => own.every((h) => states.get(h.name)?.outOfService === true))
      .map((own) => ({ site, service: own[0].service, hosts: own.length, weight: traffic.weight }));
  });
}

/**
 * Located problems of every rollout of the file: the order names each site that runs the image once and nothing
 * else, the new version differs and has a reference in every site it goes to, the step is in range.
 */
export function checkRollouts(env: EnvironmentFile, add: (path: Path, message: string) => void): void {
  const first = env.images.find((img) => img.rollout);
  env.images.forEach((img, i) => {
    const rollout = img.rollout;
    if (!rollout) return;
    const at = (...p: Path) => ["images", i, "rollout", ...p];
    // Two rollouts at once would each take a batch out of the same sites: twice the hosts the batch promises.
    if (first && first !== img) {
      add(at(), `image "${first.name}" has a rollout in progress already; one rollout at a time: finish it or roll it back, then start this one`);
      return;
    }
    if (rollout.version === img.version) add(at("version"), `the rollout's version is the image's own version ${img.version}; give the new version`);
    const running = imageSites(env, img.name).map((s) => s.site);
    const known = [...env.sites.openstack.map((s) => s.name), ...(env.sites.aws ? [env.sites.aws.name] : [])];
    const seen = new Set<string>();
    rollout.order.forEach((site, j) => {
      if (!known.includes(site)) add(at("order", j), `no site "${site}" in this environment (sites: ${known.join(", ")})`);
      else if (seen.has(site)) add(at("order", j), `site "${site}" is listed twice; list each site once`);
      else if (!running.includes(site)) add(at("order", j), `site "${site}" runs no service with image "${img.name}"; leave it out`);
      seen.add(site);
    });
    const missing = running.filter((s) => !seen.has(s));
    if (missing.length > 0) add(at("order"), `order leaves out ${missing.join(", ")}, which run image "${img.name}"; list every such site (e.g. [${running.join(", ")}])`);
    const aws = env.sites.aws?.name;
    for (const site of running) {
      if (site === aws) {
        if (!rollout.aws) add(at("aws"), `site "${site}" runs image "${img.name}": give the new version's AMI as aws: {ami: ...} or {amiName: ..., owner: ...}`);
      } else if (!Object.hasOwn(rollout.openstack, site)) {
        add(at("openstack"), `site "${site}" runs image "${img.name}": give the new version's reference as openstack.${site}: {name: ...} or {id: ...}`);
      }
    }
    for (const site of Object.keys(rollout.openstack)) {
      if (!env.sites.openstack.some((s) => s.name === site)) add(at("openstack", site), `no OpenStack site "${site}" in this environment`);
    }
    if (missing.length > 0 || rollout.order.some((s) => !running.includes(s))) return;
    const now = rolloutHosts(env, img.name, rollout);
    if (!rollout.hosts) {
      // The value is not offered here: computed from the file as it is now, it would bless whatever edit removed it.
      add(
        at(),
        `hosts is missing: estate rollout start records it, and every load checks that the rollout's hosts, batch, version and references are still ` +
          `those it started with. Put back the line start wrote (the file's history has it: git log -p -- <file>)`,
      );
      return;
    }
    if (now.count !== rollout.hosts.count || now.digest !== rollout.hosts.digest) {
      const what = now.count !== rollout.hosts.count ? `${rollout.hosts.count} hosts then, ${now.count} now` : `the same number of hosts: renamed or reordered hosts, or an edited batch, version or reference`;
      add(
        at("hosts"),
        `the hosts that run image "${img.name}" or the rollout's plan changed since it started (${what}): the rollout's batches would move, ` +
          `and a host already replaced could be drained and replaced again in one apply, or replaced while it serves. Undo that change, and make it once the ` +
          `rollout is finished (estate rollout next to its end) or rolled back (estate rollout rollback)`,
      );
      return;
    }
    const batches = rolloutBatches(env, img.name, rollout);
    if (rollout.rollbackFrom === undefined) {
      const steps = forwardSteps(batches);
      if (rollout.step > steps) add(at("step"), `step ${rollout.step} is past the last step ${steps} of this rollout (${batches.length} batches of at most ${rollout.batch}, 3 steps each)`);
    } else {
      const forward = forwardSteps(batches);
      if (rollout.rollbackFrom > forward) add(at("rollbackFrom"), `rollbackFrom ${rollout.rollbackFrom} is past the last forward step ${forward}`);
      else {
        const steps = rollbackPlan(batches, rollout.rollbackFrom).reduce((n, p) => n + p.phases.length, 0);
        if (rollout.step > steps) add(at("step"), `step ${rollout.step} is past the last rollback step ${steps}`);
      }
    }
    for (const e of rolloutEmptyPools(env, img.name, rollout)) {
      add(
        at("step"),
        `at step ${rollout.step}, all ${e.hosts} ${e.service} hosts of ${e.site} are out of service while ${e.site} takes traffic (Route 53 weight ` +
          `${e.weight}): its listener would have no member for the site's share of requests. Use a batch smaller than the fewest hosts a ` +
          `service has in a site (here ${e.hosts}), or drain the site first (estate drain ${e.site})`,
      );
    }
  });
}

/**
 * The model with every rollout applied: each host of a rolled image gets the version it runs at the rollout's
 * step and `inService: false` while out of service. Hosts of images without a rollout are returned as they are.
 */
export function applyRollouts(env: EnvironmentFile, model: EstateModel): EstateModel {
  const states = new Map<string, HostRolloutState>();
  for (const img of env.images) {
    if (img.rollout) for (const [name, s] of hostRolloutStates(env, img.name, img.version, img.rollout)) states.set(name, s);
  }
  if (states.size === 0) return model;
  const hostOf = (h: HostModel): HostModel => {
    const s = states.get(h.name);
    if (!s) return h;
    return { ...h, imageVersion: s.version, ...(s.outOfService ? { inService: false } : {}) };
  };
  const hosts = model.hosts.map(hostOf);
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const rolled = <S extends { readonly hosts: readonly HostModel[] }>(services: readonly S[]): S[] =>
    services.map((svc) => ({ ...svc, hosts: svc.hosts.map((h) => byName.get(h.name)!) }));
  const rolloutRefs = (kind: "openstack" | "aws", site: string) => {
    const refs: Record<string, { version: string; ref: Record<string, string> }> = {};
    for (const img of env.images) {
      const ref = kind === "aws" ? img.rollout?.aws : img.rollout && Object.hasOwn(img.rollout.openstack, site) ? img.rollout.openstack[site] : undefined;
      if (img.rollout && ref) refs[img.name] = { version: img.rollout.version, ref: { ...ref } };
    }
    return refs;
  };
  return {
    ...model,
    hosts,
    openstackSites: model.openstackSites.map((s) => ({ ...s, services: rolled(s.services), rolloutImages: rolloutRefs("openstack", s.name) })),
    ...(model.awsSite ? { awsSite: { ...model.awsSite, services: rolled(model.awsSite.services), rolloutImages: rolloutRefs("aws", model.awsSite.name) } } : {}),
  };
}

/**
 * The references of every version of `image` that hosts of a site may run: the image's own version and, during a
 * rollout, the rollout's. Keyed by version.
 */
export function imageVersionsIn<R>(
  site: { readonly images: Readonly<Record<string, R>>; readonly rolloutImages?: Readonly<Record<string, { readonly version: string; readonly ref: R }>> },
  image: string,
  version: string,
): Record<string, R> {
  const out: Record<string, R> = { [version]: site.images[image] };
  const rollout = site.rolloutImages?.[image];
  if (rollout) out[rollout.version] = rollout.ref;
  return out;
}
