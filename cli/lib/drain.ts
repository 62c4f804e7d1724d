/**
 * `estate drain` / `estate restore`: set a site's traffic state in its environment file, refuse when the result
 * is not a valid estate (draining every site) or leaves a service below its peak capacity, and show what it does
 * to the traffic stack and to the redundancy of every service.
 */
import { readFileSync } from "node:fs";
import { replaceFileContent } from "../../util";
import { evaluatePolicy, formatBreakingLosses, formatSiteHosts, nPlusOneCapacity, redundancyReport, type RedundancyReport } from "../../policy";
import { EnvironmentError, loadEnvironment, parseEnvironmentText, resolveEstate, type EstateModel, type TrafficState } from "../../model";
import { CommandError } from "./errors";
import { diffStack } from "./diff/engine";
import { loadForceNewCatalog } from "./diff/force-new";
import { classifySecurity } from "./diff/security";
import type { EstateDiff, StackDiff } from "./diff/types";
import { selectEnvironmentFiles } from "./select";
import { formatTable } from "./table";
import { readSynthOutput } from "./synth-output";
import { withTemporarySynth } from "./temp-synth";
import { setTrafficState } from "./traffic-state";

export interface TrafficChangeRequest {
  /** Environment name or file. */
  readonly env: string;
  readonly site: string;
  readonly state: TrafficState;
}

export interface TrafficChangeReport {
  readonly file: string;
  readonly site: string;
  /** The state asked for, which the file holds now. */
  readonly state: TrafficState;
  /** The state the file held before. */
  readonly previous: TrafficState;
  readonly changed: boolean;
  /** Where the state lives in the file. */
  readonly path: string;
  /** The traffic stack before and after. @default - none (nothing changed, or the environment has no traffic stack) */
  readonly diff?: EstateDiff;
  /** Redundancy of every service once the change is made (policy rules EST-AVL-002 and EST-AVL-003 read the same). */
  readonly redundancy: RedundancyReport;
}

export function changeTrafficState(request: TrafficChangeRequest): TrafficChangeReport {
  const [file] = selectEnvironmentFiles([request.env]);
  const text = readFileSync(file, "utf8");
  const edit = setTrafficState(text, file, request.site, request.state);
  const base = { file, site: request.site, state: request.state, previous: edit.previous, path: edit.path };
  const before = loadEnvironment(file);
  if (!edit.changed) return { ...base, changed: false, redundancy: redundancyReport(before) };

  // Validates the edited estate (draining every site is refused here) before the file is touched.
  let after: EstateModel;
  try {
    after = resolveEstate(parseEnvironmentText(edit.text, file), file);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    const verb = request.state === "drained" ? "drain" : "restore";
    throw new CommandError(`refusing to ${verb} ${request.site}: the environment would not be valid; ${file} is unchanged\n${err.message}`);
  }
  const redundancy = redundancyReport(after);
  if (request.state === "drained") refuseBelowPeak(request.site, file, after, redundancy);
  const stack = after.traffic?.stackName;
  let diff: EstateDiff | undefined;
  if (stack !== undefined && after.stacks.some((s) => s.name === stack)) {
    const traffic = stackDiff(before, after, stack);
    const label = (state: string) => `${stack} with ${request.site} ${state}`;
    diff = { base: label(edit.previous), head: label(request.state), stacks: [traffic], files: [], security: classifySecurity([traffic]), notes: [] };
  }
  replaceFileContent(file, edit.text);
  return { ...base, changed: true, redundancy, ...(diff ? { diff } : {}) };
}

/**
 * A drain that leaves a service below its peak capacity is refused: EST-AVL-002 would fail every later synth.
 * A suppression of EST-AVL-002 in the file lets it through, as it lets synth through.
 */
function refuseBelowPeak(site: string, file: string, after: EstateModel, redundancy: RedundancyReport): void {
  const failing = new Set(
    evaluatePolicy({ models: [after], stacks: [] }, [nPlusOneCapacity])
      .filter((f) => f.status === "non-compliant" && !f.suppressed)
      .map((f) => f.service),
  );
  const short = redundancy.services.filter((s) => s.verdict === "below-peak" && failing.has(s.service));
  if (short.length === 0) return;
  const lines = short.map(
    (s) => `  ${s.service}: peakInstances is ${s.peakInstances}; the serving sites would run ${s.servingHosts} (${formatSiteHosts(s.serving)}), ${-s.margin!} short`,
  );
  throw new CommandError(
    [
      `refusing to drain ${site}: with ${redundancy.drainedSites.join(", ")} drained, the serving sites would run fewer instances than peak capacity (EST-AVL-002); ${file} is unchanged`,
      ...lines,
      `restore a drained site first (estate restore <site>), or raise instancesPerSite`,
    ].join("\n"),
  );
}

const VERDICT_TEXT = {
  "n-plus-one": "N+1",
  "not-n-plus-one": "no N+1 (error)",
  reduced: "no N+1 while drained (warning)",
  "below-peak": "below peak (error)",
  unchecked: "no peakInstances",
} as const;

/**
 * The redundancy report as text: one row per service with its serving sites and hosts, peak capacity, margin and
 * the single further site losses that would break peak capacity.
 */
export function formatRedundancy(report: RedundancyReport): string[] {
  const drained = report.drainedSites.length > 0 ? `with ${report.drainedSites.join(", ")} drained` : "with every site serving";
  const rows = report.services.map((s) => [
    s.service,
    formatSiteHosts(s.serving),
    String(s.servingHosts),
    s.peakInstances === undefined ? "-" : String(s.peakInstances),
    s.margin === undefined ? "-" : String(s.margin),
    VERDICT_TEXT[s.verdict],
    s.breakingLosses.length > 0 ? formatBreakingLosses(s.breakingLosses) : "-",
  ]);
  const table = formatTable(
    [
      { header: "SERVICE" },
      { header: "SERVING SITES (HOSTS)" },
      { header: "HOSTS", align: "right" },
      { header: "PEAK", align: "right" },
      { header: "MARGIN", align: "right" },
      { header: "REDUNDANCY" },
      { header: "ONE MORE LOSS THAT BREAKS PEAK" },
    ],
    rows,
  );
  return [`Redundancy of ${report.env} ${drained}:`, ...table.map((l) => `  ${l}`)];
}

/** One stack of an environment before and after an edit of its file, synthesized in a temporary directory. */
export function stackDiff(before: EstateModel, after: EstateModel, stack: string): StackDiff {
  const only = (ref: { name: string }) => ref.name === stack;
  const read = (model: EstateModel) => withTemporarySynth([model], (dir) => readSynthOutput(dir, false).stacks.get(stack), only);
  return diffStack(stack, read(before), read(after), loadForceNewCatalog());
}
