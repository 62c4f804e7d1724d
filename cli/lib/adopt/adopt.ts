/**
 * `estate adopt`: match what already runs in one OpenStack site (the operator's JSON dumps) to the resource
 * instances its stack describes, predict what the first plan after the import will change, and write the imports
 * into the site's adoption file (stacks/adoption.ts), which every synthesis renders as `import` blocks.
 *
 * The prediction compares the stack's arguments with what the provider will read from each object on import and
 * classifies every difference with the force-new catalogue (providers/openstack/force-new.json, the provider's
 * `ForceNew: true` attributes): a replacement or an in-place update. It is a prediction, not a plan: only a
 * `terraform plan` with the provider and credentials is authoritative. Predicted replacements refuse the write
 * (exit 1) unless each is accepted by `--accept-replace` (address globs); nothing is replaced by surprise.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import picomatch from "picomatch";
import { loadEnvironment, type EstateModel } from "../../../model";
import { adoptionFilePath, readSiteAdoption, type AdoptionImport, type SiteAdoption } from "../../../stacks/adoption";
import { diffStack } from "../diff/engine";
import { loadForceNewCatalog, type ForceNewCatalog } from "../diff/force-new";
import type { StackDiff } from "../diff/types";
import { CommandError, UsageError } from "../errors";
import { selectEnvironmentFiles } from "../select";
import { readSynthOutput } from "../synth-output";
import { withTemporarySynth } from "../temp-synth";
import { readSiteDumps } from "./dumps";
import { ADOPTABLE_TYPES, dataSourcesOf, IMAGE_OBSERVED, KNOWN_AFTER_APPLY, matchSite, SERVER_GROUP_OBSERVED, type Matched, type Unmatched } from "./match";
import { targetInstances } from "./targets";

export interface AdoptRequest {
  /** Environment name or file. */
  readonly env: string;
  readonly site: string;
  /** Directory of the site's dumps (README, "Adopting a running site"). */
  readonly dumps: string;
  /** Address globs of predicted replacements the team accepts. @default [] */
  readonly acceptReplace?: readonly string[];
  /** Write the adoption file. @default true */
  readonly write?: boolean;
}

/** One attribute the first plan after the import is predicted to change. */
export interface AdoptionDifference {
  /** Terraform attribute path: `key_pair`, `block_device`, `network[0].port`. */
  readonly path: string;
  /** As the provider will read it from the object (null: not read back on import). */
  readonly current: unknown;
  /** As the stack describes it. */
  readonly model: unknown;
  readonly action: "update" | "replace";
  /** Why, where the values alone do not say it. @default - none */
  readonly reason?: string;
}

export interface AdoptedInstance {
  readonly address: string;
  readonly type: string;
  /** The `id` of its import block. */
  readonly importId: string;
  /** The object, as OpenStack names it. */
  readonly object: string;
  /** What the first plan does after importing it. */
  readonly action: "import" | "update" | "replace";
  readonly differences: readonly AdoptionDifference[];
}

export interface AdoptionReport {
  readonly env: string;
  readonly site: string;
  readonly stack: string;
  readonly dumps: string;
  /** The adoption file (written or not). */
  readonly adoptionFile: string;
  readonly imports: readonly AdoptedInstance[];
  /** Instances nothing exists for: the first apply creates them. */
  readonly toCreate: readonly { readonly address: string; readonly type: string; readonly note?: string }[];
  /** What exists and the stack does not describe: left alone (never imported, never destroyed). */
  readonly leftAlone: readonly Unmatched[];
  /** Addresses predicted to be replaced. */
  readonly replacements: readonly string[];
  /** Of those, the ones `--accept-replace` accepts. */
  readonly acceptedReplacements: readonly string[];
  /** The adoption file was written. */
  readonly written: boolean;
  /** Why nothing was written although asked. @default - none */
  readonly refused?: string;
  /** The site stack without and with the imports. @default - none (nothing written or nothing new) */
  readonly diff?: StackDiff;
}

/** Where a prediction comes from, cited in every report. */
export const PREDICTION_NOTE =
  "predicted from the dumps and providers/openstack/force-new.json (ForceNew attributes of terraform-provider-openstack 3.3.2); run terraform plan before applying";

/** Said of an instance whose type adopt does not match (it may exist all the same). */
const NOT_MATCHED = "adopt does not match this type; if it exists, add its import to the adoption file by hand";

/** Why network[].port and scheduler_hints show as replacements on every imported server. */
const IMPORT_GAP =
  "terraform-provider-openstack 3.x does not read it back on import (resourceOpenStackComputeInstanceV2ImportState; issue #1280), and it forces replacement";

export function adoptSite(request: AdoptRequest): AdoptionReport {
  const [file] = selectEnvironmentFiles([request.env]);
  const model = loadEnvironment(file);
  const site = model.openstackSites.find((s) => s.name === request.site);
  if (!site) throw new UsageError(`no OpenStack site "${request.site}" in ${file} (OpenStack sites: ${model.openstackSites.map((s) => s.name).join(", ")})`);
  const dumps = readSiteDumps(request.dumps);
  const stackJson = synthesizeWithoutAdoption(model, site.stackName);
  const targets = targetInstances(stackJson);
  const { matched, missing, unclaimed } = matchSite(targets, dumps, dataSourcesOf(stackJson));
  const catalog = loadForceNewCatalog();
  const imports = matched.map((m) => adopted(m, catalog));
  const replacements = imports.filter((i) => i.action === "replace").map((i) => i.address);
  const accept = (request.acceptReplace ?? []).map((g) => picomatch(g, { literalBrackets: true }));
  const accepted = replacements.filter((a) => accept.some((isMatch) => isMatch(a)));
  const unaccepted = replacements.filter((a) => !accepted.includes(a));
  const adoptionFile = adoptionFilePath(file, site.name);
  const base = {
    env: model.env,
    site: site.name,
    stack: site.stackName,
    dumps: request.dumps,
    adoptionFile,
    imports,
    toCreate: missing.map((t) => ({ address: t.address, type: t.type, ...(ADOPTABLE_TYPES.includes(t.type) ? {} : { note: NOT_MATCHED }) })),
    leftAlone: unclaimed,
    replacements,
    acceptedReplacements: accepted,
  };
  if (request.write === false) return { ...base, written: false };
  if (unaccepted.length > 0) {
    const refused = `${unaccepted.length} predicted replacement(s) not accepted, nothing written: ${unaccepted.join(", ")}; fix the differences in the cloud or the environment file, or accept them with --accept-replace '<address glob>'`;
    return { ...base, written: false, refused };
  }
  const adoption: SiteAdoption = { site: site.name, imports: imports.map((i): AdoptionImport => ({ to: i.address, id: i.importId })).sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0)) };
  const before = readSiteAdoption(adoptionFile, site.name);
  writeAdoption(adoptionFile, adoption);
  const after = loadEnvironment(file);
  const beforeModel = before ? after : { ...after, sourceFile: detachedSourceFile(file) };
  const read = (m: EstateModel) => withTemporarySynth([m], (dir) => readSynthOutput(dir, false).stacks.get(site.stackName), (ref) => ref.name === site.stackName);
  const diff = before ? undefined : diffStack(site.stackName, read(beforeModel), read(after), catalog);
  return { ...base, written: true, ...(diff ? { diff } : {}) };
}

/**
 * The site stack as synthesized with no adoption file: the adoption being made (or a stale one) must not decide
 * what is matched.
 */
function synthesizeWithoutAdoption(model: EstateModel, stack: string): unknown {
  const detached: EstateModel = { ...model, sourceFile: detachedSourceFile(model.sourceFile) };
  const json = withTemporarySynth([detached], (dir) => readSynthOutput(dir, false).stacks.get(stack), (ref) => ref.name === stack);
  if (!json) throw new CommandError(`synthesis produced no stack ${stack}`, 70);
  return json;
}

/** A source path next to which no adoption file exists (the environment is read already; only the path is used). */
function detachedSourceFile(file: string): string {
  return `${file}.without-adoption/none.yaml`;
}

function writeAdoption(path: string, adoption: SiteAdoption): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(adoption, null, 2)}\n`);
  renameSync(tmp, path);
}

function adopted(m: Matched, catalog: ForceNewCatalog): AdoptedInstance {
  const differences = predictDifferences(m, catalog);
  const action = differences.some((d) => d.action === "replace") ? "replace" : differences.length > 0 ? "update" : "import";
  return { address: m.target.address, type: m.target.type, importId: m.importId, object: m.label, action, differences };
}

/** Attributes whose order Neutron and Nova do not keep: compared as sets. */
const SET_ATTRIBUTES = new Set(["security_group_ids", "policies", "allowed_cidrs"]);

function predictDifferences(m: Matched, catalog: ForceNewCatalog): AdoptionDifference[] {
  const type = m.target.type;
  const config = m.resolvedConfig;
  const out: AdoptionDifference[] = [];
  const classify = (path: string, current: unknown, model: unknown): "update" | "replace" => (catalog.forcesReplacement(type, path, current, model) ? "replace" : "update");
  for (const [key, model] of Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (type === "openstack_compute_instance_v2" && (key === "network" || key === "scheduler_hints")) continue;
    if (!(key in m.observed)) continue;
    const current = m.observed[key];
    if (same(key, current, model)) continue;
    const reason = type === "openstack_compute_instance_v2" && key === "block_device" ? bootReason(m) : undefined;
    out.push({ path: key, current, model, action: classify(key, current, model), ...(reason ? { reason } : {}) });
  }
  if (type === "openstack_compute_instance_v2") out.push(...serverImportGaps(m, catalog));
  return out;
}


function same(key: string, a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (SET_ATTRIBUTES.has(key) && Array.isArray(v) ? [...v].map(String).sort() : v);
  return JSON.stringify(canonical(norm(a))) === JSON.stringify(canonical(norm(b)));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

function bootReason(m: Matched): string {
  const image = m.observed[IMAGE_OBSERVED];
  const volumes = m.observed.block_device as unknown[];
  if (volumes.length === 0) return `the server boots from image ${String(image ?? "(unknown)")} on local disk; the stack boots it from a volume`;
  return "the server's boot volume differs from the stack's";
}

/** network[].port and scheduler_hints of a server: not read back on import, so the plan replaces it. */
function serverImportGaps(m: Matched, catalog: ForceNewCatalog): AdoptionDifference[] {
  const type = m.target.type;
  const config = m.resolvedConfig;
  const out: AdoptionDifference[] = [];
  const networks = (config.network as { port?: unknown }[] | undefined) ?? [];
  networks.forEach((n, i) => {
    if (n.port === undefined) return;
    const path = `network[${i}].port`;
    out.push({ path, current: null, model: n.port, action: catalog.forcesReplacement(type, path, null, n.port) ? "replace" : "update", reason: IMPORT_GAP });
  });
  const hints = (config.scheduler_hints as { group?: unknown }[] | undefined) ?? [];
  hints.forEach((h, i) => {
    if (h.group === undefined) return;
    const path = `scheduler_hints[${i}].group`;
    const actual = m.observed[SERVER_GROUP_OBSERVED];
    const where = actual === "" ? "the server is in no server group" : actual === h.group ? "the server is in this server group" : `the server is in server group ${String(actual)}, not this one`;
    out.push({ path, current: null, model: h.group, action: catalog.forcesReplacement(type, path, null, h.group) ? "replace" : "update", reason: `${where}; ${IMPORT_GAP}` });
  });
  return out;
}

/** A value for the text report. */
function show(v: unknown): string {
  if (v === null) return "(not read back on import)";
  if (v === KNOWN_AFTER_APPLY) return v;
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
}

/** The report as the CLI prints it. */
export function formatAdoptionReport(r: AdoptionReport): string[] {
  const lines: string[] = [];
  const counts = { import: 0, update: 0, replace: 0 };
  for (const i of r.imports) counts[i.action]++;
  lines.push(`Adoption of ${r.stack} from ${r.dumps}: ${r.imports.length} to import (${counts.import} unchanged, ${counts.update} updated, ${counts.replace} replaced), ${r.toCreate.length} to create, ${r.leftAlone.length} left alone`);
  lines.push(`Changes are ${PREDICTION_NOTE}.`);
  lines.push("", "Imported (address <- id: object):");
  for (const i of r.imports) {
    lines.push(`  ${i.action === "replace" ? "-/+" : i.action === "update" ? "~  " : "<- "} ${i.address} <- ${i.importId}: ${i.object}`);
    for (const d of i.differences) {
      lines.push(`        ${d.path}: ${show(d.current)} -> ${show(d.model)}${d.action === "replace" ? "  # forces replacement" : ""}`);
      if (d.reason) lines.push(`          (${d.reason})`);
    }
  }
  if (r.toCreate.length > 0) {
    lines.push("", "Not found, the first apply creates them:");
    for (const c of r.toCreate) lines.push(`  +   ${c.address}${c.note ? ` (${c.note})` : ""}`);
  }
  if (r.leftAlone.length > 0) {
    lines.push("", "Exists, not in the model: left alone (neither imported nor destroyed):");
    for (const u of r.leftAlone) lines.push(`      ${u.label} (${u.id})`);
  }
  if (r.replacements.length > 0) {
    lines.push("", `Predicted replacements: ${r.replacements.length}, accepted: ${r.acceptedReplacements.length}`);
  }
  lines.push("");
  if (r.refused) lines.push(`refused: ${r.refused}`);
  else if (r.written) lines.push(`${r.adoptionFile}: ${r.imports.length} imports written; synthesis renders them as import blocks in ${r.stack}`);
  else lines.push(`${r.adoptionFile}: not written (--dry-run)`);
  return lines;
}
