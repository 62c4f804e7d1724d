/**
 * `estate rollout start|next|status|abort|rollback`: move a golden-image rollout (`images[].rollout`) one step in
 * the environment file, refuse a step that would take a service below its peak capacity, and show what the step
 * does: the hosts drained, replaced and restored, the capacity each service keeps, and the site stacks' diff.
 */
import { readFileSync } from "node:fs";
import { replaceFileContent } from "../../util";
import picomatch from "picomatch";
import {
  EnvironmentError,
  parseEnvironmentText,
  resolveEstate,
  rolloutBatches,
  rolloutHosts,
  rolloutPosition,
  type EnvironmentFile,
  type EstateModel,
  type HostModel,
  type ImageRolloutInput,
  type RolloutPosition,
} from "../../model";
import { diffOutputs } from "./diff/engine";
import { loadCollectionCatalog } from "./diff/elements";
import { loadForceNewCatalog } from "./diff/force-new";
import type { EstateDiff } from "./diff/types";
import { CommandError, UsageError } from "./errors";
import { findImage, finishRollout, setRolloutBlock, type RolloutBlock } from "./rollout-edit";
import { selectEnvironmentFiles } from "./select";
import { readSynthOutput, type SynthOutput } from "./synth-output";
import { withTemporarySynth } from "./temp-synth";
import { parseDocument } from "yaml";

export type RolloutAction = "start" | "resume" | "next" | "finish" | "abort" | "rollback" | "cancel";

/** One service's capacity at a step (the drain semantics of README "Redundancy while a site is drained"). */
export interface RolloutCapacity {
  readonly service: string;
  /** Hosts of the service out of service at the step, in serving sites. */
  readonly outOfService: number;
  /** Hosts in service in the serving sites. */
  readonly servingHosts: number;
  /** @default - none: the service states no peakInstances */
  readonly peakInstances?: number;
  /** servingHosts minus peakInstances. @default - none */
  readonly margin?: number;
  /**
   * Hosts in service left if the serving site with the most of them were lost too, and whether that still covers
   * peakInstances (N+1 kept through the step: a warning when not, as EST-AVL-003 warns for a drain). @default - none
   */
  readonly afterSiteLoss?: { readonly site: string; readonly remaining: number; readonly nPlusOne: boolean };
}

export interface RolloutChangeReport {
  readonly file: string;
  readonly image: string;
  readonly action: RolloutAction;
  /** Where the rollout stood, and stands now (absent: no rollout). */
  readonly before?: RolloutPosition;
  readonly after?: RolloutPosition;
  /** Hosts whose instance this step's apply replaces (they are out of service before and after it). */
  readonly replaced: readonly string[];
  /** Hosts this step takes out of service. */
  readonly drained: readonly string[];
  /** Hosts this step puts back in service. */
  readonly restored: readonly string[];
  /** Per service using the image, at the new step. */
  readonly capacity: readonly RolloutCapacity[];
  /** The site stacks before and after. */
  readonly diff: EstateDiff;
}

export interface RolloutRequest {
  /** Environment name or file. */
  readonly env: string;
  /** Image name. @default - the only image with a rollout (start: the only image) */
  readonly image?: string;
}

export interface RolloutStartRequest extends RolloutRequest {
  /** The version to roll out. Required, unless resuming an aborted rollout (then it must be the rollout's). */
  readonly version?: string;
  /** Hosts of a site out of service at once. Required, unless resuming (then it must be the rollout's). */
  readonly batch?: number;
  /** Sites in rollout order. @default - every site that runs the image, in file order */
  readonly order?: readonly string[];
  /** New references `<site>=<Glance name>`; a site left out gets its current name with the version replaced. */
  readonly refs?: readonly string[];
  /** New AMI id for the AWS site. @default - the current amiName with the version replaced */
  readonly ami?: string;
}

function load(env: string): { file: string; text: string; parsed: EnvironmentFile } {
  const [file] = selectEnvironmentFiles([env]);
  const text = readFileSync(file, "utf8");
  return { file, text, parsed: parseEnvironmentText(text, file) };
}

function pickImage(parsed: EnvironmentFile, file: string, image: string | undefined, needRollout: boolean): string {
  if (image !== undefined) {
    const img = parsed.images.find((i) => i.name === image);
    if (!img) throw new UsageError(`no image "${image}" in ${file} (images: ${parsed.images.map((i) => i.name).join(", ")})`);
    if (needRollout && !img.rollout) {
      const others = parsed.images.filter((i) => i.rollout).map((i) => i.name);
      throw new UsageError(`image "${image}" has no rollout in progress in ${file}${others.length > 0 ? ` (${others.join(", ")} has one)` : ""}; start one with estate rollout start`);
    }
    return image;
  }
  const candidates = needRollout ? parsed.images.filter((i) => i.rollout) : parsed.images;
  if (candidates.length === 1) return candidates[0].name;
  if (candidates.length === 0) throw new UsageError(`no image of ${file} has a rollout in progress; start one with estate rollout start`);
  throw new UsageError(`${file} has several images${needRollout ? " with a rollout" : ""} (${candidates.map((i) => i.name).join(", ")}); name one with --image`);
}

/** The version a reference names, swapped for the new one; undefined when the old version is not in it. */
function swapVersion(value: string | undefined, from: string, to: string): string | undefined {
  return value !== undefined && value.includes(from) ? value.split(from).join(to) : undefined;
}

export function startRollout(request: RolloutStartRequest): RolloutChangeReport {
  const { file, text, parsed } = load(request.env);
  const image = pickImage(parsed, file, request.image, false);
  const img = parsed.images.find((i) => i.name === image)!;
  if (img.rollout) {
    const r = img.rollout;
    if (!r.aborted) throw new CommandError(`image "${image}" already has a rollout to ${r.version} at step ${r.step} in ${file}; move it with estate rollout next, or roll it back`);
    // Resuming takes the rollout as it was: options that say otherwise would be silently dropped.
    const differs = [
      ...(request.version !== undefined && request.version !== r.version ? [`--to ${request.version} (the rollout is to ${r.version})`] : []),
      ...(request.batch !== undefined && request.batch !== r.batch ? [`--batch ${request.batch} (its batch is ${r.batch})`] : []),
      ...(request.order !== undefined && request.order.join(",") !== r.order.join(",") ? [`--order ${request.order.join(" ")} (its order is ${r.order.join(" ")})`] : []),
      ...((request.refs ?? []).length > 0 ? ["--ref"] : []),
      ...(request.ami !== undefined ? ["--ami"] : []),
    ];
    if (differs.length > 0) {
      throw new UsageError(
        `the rollout of ${image} to ${r.version} was aborted at step ${r.step}; start resumes it as it was, so ${differs.join(", ")} cannot apply. ` +
          `Resume with --to ${r.version} --batch ${r.batch}, or roll it back (estate rollout rollback) and start a new one`,
      );
    }
    return edit(file, text, parsed, image, "resume", { ...r, aborted: false });
  }
  if (request.version === undefined || request.batch === undefined) throw new UsageError("estate rollout start needs --to <version> and --batch <hosts>");
  const running = rolloutBatches(parsed, image, { order: allSites(parsed), batch: 1 });
  const sites = [...new Set(running.map((b) => b.site))];
  const given = new Map<string, string>();
  for (const r of request.refs ?? []) {
    const eq = r.indexOf("=");
    if (eq <= 0 || eq === r.length - 1) throw new UsageError(`--ref ${JSON.stringify(r)}: write <site>=<Glance image name or id>, e.g. os-a=debian12-golden-${request.version}`);
    const site = r.slice(0, eq);
    if (given.has(site)) throw new UsageError(`--ref names ${site} twice (${given.get(site)} and ${r.slice(eq + 1)}); give each site once`);
    given.set(site, r.slice(eq + 1));
  }
  const aws = parsed.sites.aws?.name;
  const openstack: Record<string, { name: string } | { id: string }> = {};
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const site of sites.filter((s) => s !== aws)) {
    const ref = given.get(site);
    if (ref !== undefined && UUID.test(ref)) {
      openstack[site] = { id: ref };
      continue;
    }
    const current = img.openstack[site];
    const name = ref ?? swapVersion(current && "name" in current ? current.name : undefined, img.version, request.version);
    if (name === undefined) {
      throw new UsageError(`site ${site}: its reference to ${image} does not hold the version ${img.version}, so the new one cannot be derived; give it with --ref ${site}=<Glance image name or id>`);
    }
    openstack[site] = { name };
  }
  for (const site of given.keys()) if (!sites.includes(site) || site === aws) throw new UsageError(`--ref ${site}=...: ${site} is not an OpenStack site running image ${image} (${sites.filter((s) => s !== aws).join(", ")})`);
  let awsRef: ImageRolloutInput["aws"];
  if (aws !== undefined && sites.includes(aws)) {
    if (request.ami !== undefined) awsRef = { ami: request.ami };
    else {
      const old = img.aws;
      const amiName = old && "amiName" in old ? swapVersion(old.amiName, img.version, request.version) : undefined;
      if (!old || !("amiName" in old) || amiName === undefined) throw new UsageError(`site ${aws}: the new AMI cannot be derived from the current reference; give it with --ami ami-…`);
      awsRef = { amiName, owner: old.owner };
    }
  }
  const plan = {
    version: request.version,
    openstack,
    ...(awsRef ? { aws: awsRef } : {}),
    batch: request.batch,
    order: request.order ? [...request.order] : sites,
  };
  // An order naming no host leaves nothing to record: the file's own check then names the order's problem.
  const hosts = rolloutHosts(parsed, image, plan);
  const rollout: RolloutBlock = { ...plan, step: 0, ...(hosts.count > 0 ? { hosts } : {}) };
  return edit(file, text, parsed, image, "start", rollout, { checkWholePlan: true });
}

function allSites(parsed: EnvironmentFile): string[] {
  return [...parsed.sites.openstack.map((s) => s.name), ...(parsed.sites.aws ? [parsed.sites.aws.name] : [])];
}

export function nextRolloutStep(request: RolloutRequest): RolloutChangeReport {
  const { file, text, parsed } = load(request.env);
  const image = pickImage(parsed, file, request.image, true);
  const rollout = parsed.images.find((i) => i.name === image)!.rollout!;
  if (rollout.aborted) throw new CommandError(`the rollout of ${image} was aborted at step ${rollout.step}; resume it with estate rollout start, or roll it back with estate rollout rollback`);
  const position = rolloutPosition(parsed, image, rollout);
  if (position.step < position.steps) return edit(file, text, parsed, image, "next", { ...rollout, step: rollout.step + 1 });
  if (position.direction === "rollback") return edit(file, text, parsed, image, "cancel", undefined);
  return edit(file, text, parsed, image, "finish", undefined, { finish: rollout });
}

export function abortRollout(request: RolloutRequest): RolloutChangeReport {
  const { file, text, parsed } = load(request.env);
  const image = pickImage(parsed, file, request.image, true);
  const rollout = parsed.images.find((i) => i.name === image)!.rollout!;
  if (rollout.aborted) throw new CommandError(`the rollout of ${image} is already aborted at step ${rollout.step}; every host is serving`);
  return edit(file, text, parsed, image, "abort", { ...rollout, aborted: true });
}

export function rollbackRollout(request: RolloutRequest): RolloutChangeReport {
  const { file, text, parsed } = load(request.env);
  const image = pickImage(parsed, file, request.image, true);
  const rollout = parsed.images.find((i) => i.name === image)!.rollout!;
  if (rollout.rollbackFrom !== undefined) throw new CommandError(`the rollout of ${image} is already rolling back (step ${rollout.step}); continue with estate rollout next`);
  const from = rollbackStart(rollout);
  // Nothing replaced yet: the rollout simply ends.
  if (from === 0) return edit(file, text, parsed, image, "cancel", undefined);
  return edit(file, text, parsed, image, "rollback", { ...rollout, rollbackFrom: from, step: 1, aborted: false });
}

/**
 * The forward step a rollback starts from. An aborted rollout has every host serving, so its current batch counts
 * as not started (drain step: old version) or as restored (replace step: new version), and the rollback drains
 * before it replaces.
 */
function rollbackStart(rollout: ImageRolloutInput): number {
  if (!rollout.aborted || rollout.step === 0) return rollout.step;
  const index = Math.floor((rollout.step - 1) / 3);
  const phase = (rollout.step - 1) % 3;
  return phase === 0 ? index * 3 : (index + 1) * 3;
}

/** Per site and service: hosts per version, and the hosts out of service. */
export interface RolloutStatus {
  readonly file: string;
  readonly image: string;
  readonly position: RolloutPosition;
  readonly from: string;
  readonly to: string;
  readonly sites: readonly { site: string; service: string; versions: Record<string, number>; outOfService: string[] }[];
  readonly capacity: readonly RolloutCapacity[];
  /**
   * The site stacks whose configuration this step sets, in file order: the batch's site stack, or at step 0 (and
   * after the last step) every site stack that runs the image. Applying them converges the clouds on the step, which
   * is how a step whose apply or gate failed is taken again (scripts/rollout-steps.sh).
   */
  readonly stacks: readonly string[];
}

export function rolloutStatus(request: RolloutRequest): RolloutStatus {
  const { file, parsed } = load(request.env);
  const image = pickImage(parsed, file, request.image, true);
  const img = parsed.images.find((i) => i.name === image)!;
  const model = resolveEstate(parsed, file);
  const sites = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])].flatMap((site) =>
    site.services
      .filter((s) => s.hosts.length > 0 && s.hosts[0].image === image)
      .map((s) => {
        const versions: Record<string, number> = {};
        for (const h of s.hosts) versions[h.imageVersion] = (versions[h.imageVersion] ?? 0) + 1;
        return { site: site.name, service: s.service.name, versions, outOfService: s.hosts.filter((h) => h.inService === false).map((h) => h.name) };
      }),
  );
  const position = rolloutPosition(parsed, image, img.rollout!);
  const stepSites = new Set(position.batch ? [position.batch.site] : sites.map((s) => s.site));
  const stacks = model.stacks.filter((s) => (s.kind === "openstack" || s.kind === "aws") && stepSites.has(s.site!)).map((s) => s.name);
  return { file, image, position, from: img.version, to: img.rollout!.version, sites, capacity: capacityOf(model, image), stacks };
}

/** Capacity of every service using `image`: hosts in service in the serving sites, against peakInstances. */
export function capacityOf(model: EstateModel, image: string): RolloutCapacity[] {
  const sites = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])].filter((s) => s.traffic.effectiveWeight > 0);
  return model.services
    .filter((s) => s.image === image)
    .map((service) => {
      const perSite = sites.map((site) => ({ site: site.name, hosts: site.services.find((x) => x.service.name === service.name)?.hosts ?? [] }));
      const hosts: HostModel[] = perSite.flatMap((p) => p.hosts);
      const out = hosts.filter((h) => h.inService === false).length;
      const serving = hosts.length - out;
      const peak = service.peakInstances;
      const largest = perSite
        .map((p) => ({ site: p.site, serving: p.hosts.filter((h) => h.inService !== false).length }))
        .reduce<{ site: string; serving: number } | undefined>((best, p) => (best === undefined || p.serving > best.serving ? p : best), undefined);
      return {
        service: service.name,
        outOfService: out,
        servingHosts: serving,
        ...(peak !== undefined ? { peakInstances: peak, margin: serving - peak } : {}),
        ...(peak !== undefined && largest && perSite.length > 1
          ? { afterSiteLoss: { site: largest.site, remaining: serving - largest.serving, nPlusOne: serving - largest.serving >= peak } }
          : {}),
      };
    });
}

/** Services a step would take below peak capacity, unless EST-AVL-002 is suppressed for them (as synth allows). */
function belowPeak(model: EstateModel, capacity: readonly RolloutCapacity[]): RolloutCapacity[] {
  const suppressed = (service: string) =>
    model.suppressions.some((s) => s.rule === "EST-AVL-002" && (s.target === undefined || picomatch(s.target)(service)));
  return capacity.filter((c) => c.margin !== undefined && c.margin < 0 && !suppressed(c.service));
}

function resolveText(text: string, file: string, verb: string): { parsed: EnvironmentFile; model: EstateModel } {
  try {
    const parsed = parseEnvironmentText(text, file);
    return { parsed, model: resolveEstate(parsed, file) };
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    throw new CommandError(`refusing to ${verb}: the environment would not be valid; ${file} is unchanged\n${err.message}`);
  }
}

function edit(
  file: string,
  text: string,
  parsed: EnvironmentFile,
  image: string,
  action: RolloutAction,
  rollout: RolloutBlock | undefined,
  options: { checkWholePlan?: boolean; finish?: ImageRolloutInput } = {},
): RolloutChangeReport {
  findImage(parseDocument(text), file, image);
  const next = options.finish ? finishRollout(text, file, image, options.finish) : setRolloutBlock(text, file, image, rollout);
  const verb = `${action} the rollout of ${image}`;
  const before = resolveText(text, file, verb).model;
  const after = resolveText(next, file, verb);
  const capacity = capacityOf(after.model, image);
  const short = belowPeak(after.model, capacity);
  if (short.length > 0) throw refusal(verb, file, short);
  if (options.checkWholePlan && rollout) {
    // Every step of the plan is judged now, so a rollout never stops half-way on capacity.
    const steps = rolloutPosition(after.parsed, image, rollout as ImageRolloutInput).steps;
    for (let step = 1; step <= steps; step++) {
      const at = resolveText(setRolloutBlock(next, file, image, { ...rollout, step }), file, verb).model;
      const bad = belowPeak(at, capacityOf(at, image));
      if (bad.length > 0) throw refusal(`${verb}: its step ${step}`, file, bad);
    }
  }
  const beforeHosts = new Map(before.hosts.map((h) => [h.name, h]));
  const replaced: string[] = [];
  const drained: string[] = [];
  const restored: string[] = [];
  for (const h of after.model.hosts) {
    const b = beforeHosts.get(h.name);
    if (!b) continue;
    if (b.imageVersion !== h.imageVersion) replaced.push(h.name);
    if (b.inService !== false && h.inService === false) drained.push(h.name);
    if (b.inService === false && h.inService !== false) restored.push(h.name);
  }
  const parsedBefore = parsed.images.find((i) => i.name === image)!.rollout;
  const afterRollout = after.parsed.images.find((i) => i.name === image)!.rollout;
  // A step changes the stacks of the sites whose hosts move; starting, finishing or cancelling changes the image
  // lookups of every site that runs the image.
  const moved = new Set([...replaced, ...drained, ...restored]);
  const touched = new Set(
    after.model.hosts.filter((h) => (action === "start" || action === "finish" || action === "cancel" ? h.image === image : moved.has(h.name))).map((h) => h.site),
  );
  const diff = siteStacksDiff(before, after.model, `${before.env} before estate rollout ${action}`, `${before.env} after estate rollout ${action}`, touched);
  replaceFileContent(file, next);
  return {
    file,
    image,
    action,
    ...(parsedBefore ? { before: rolloutPosition(parsed, image, parsedBefore) } : {}),
    ...(afterRollout ? { after: rolloutPosition(after.parsed, image, afterRollout) } : {}),
    replaced,
    drained,
    restored,
    capacity,
    diff,
  };
}

function refusal(verb: string, file: string, short: readonly RolloutCapacity[]): CommandError {
  return new CommandError(
    [
      `refusing to ${verb}: the serving sites would run fewer instances than peak capacity (EST-AVL-002); ${file} is unchanged`,
      ...short.map((c) => `  ${c.service}: peakInstances is ${c.peakInstances}; ${c.outOfService} out of service leaves ${c.servingHosts}, ${-c.margin!} short`),
      "use a smaller batch (--batch), or raise instancesPerSite until every service has at least a batch of margin",
    ].join("\n"),
  );
}

/**
 * The OpenStack and AWS site stacks of the given sites before and after a step (traffic and bake stacks never
 * change; a rollout step changes only the stacks of the sites whose hosts it moves).
 */
export function siteStacksDiff(before: EstateModel, after: EstateModel, baseLabel: string, headLabel: string, onlySites: ReadonlySet<string>): EstateDiff {
  const sites = new Set(after.stacks.filter((s) => (s.kind === "openstack" || s.kind === "aws") && onlySites.has(s.site!)).map((s) => s.name));
  const read = (model: EstateModel): SynthOutput => withTemporarySynth([model], (dir) => readSynthOutput(dir, false), (ref) => sites.has(ref.name));
  return diffOutputs(read(before), read(after), {
    forceNew: loadForceNewCatalog(),
    collections: loadCollectionCatalog(),
    includeStack: (name) => sites.has(name),
    includeFiles: false,
    baseLabel,
    headLabel,
  });
}
