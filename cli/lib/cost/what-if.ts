/**
 * What-if: a service's hosts in one site replaced by the same capacity in another — the same number of hosts,
 * each of the service's size in the target site (its `flavor` in OpenStack, its `instanceType` in AWS). The
 * environment file is changed in memory only (`instancesBySite`), checked and resolved like the real file, and the
 * two affected site stacks are synthesized and priced: the load balancers, addresses and NAT that follow the hosts
 * are in the figures because they are in the Terraform.
 */
import type { TerraformJson } from "../../../terraform-json";
import { formatPath, instancesIn, parseEnvironment, resolveEstate, validateEstate, type EnvironmentFile, type EstateModel } from "../../../model";
import { UsageError } from "../errors";
import { siteNames } from "../select";
import { readSynthOutput } from "../synth-output";
import { withTemporarySynth } from "../temp-synth";
import { compareCosts, converter, meterStacks, type CostComparison } from "./report";
import type { CostTables } from "./tables";

export interface MoveSpec {
  readonly service: string;
  readonly from: string;
  readonly to: string;
}

/** The two site stacks now and after the move; `unpriced` lists their charges after the move that have no price. */
export interface WhatIf extends CostComparison {
  readonly move: MoveSpec;
  /** Hosts moved. */
  readonly hosts: number;
}

/** `<service>:<from-site>:<to-site>` */
export function parseMove(text: string): MoveSpec {
  const parts = text.split(":");
  if (parts.length !== 3 || parts.some((p) => p === "")) {
    throw new UsageError(`--move "${text}": write <service>:<from-site>:<to-site>, e.g. --move www:os-a:aws`);
  }
  return { service: parts[0], from: parts[1], to: parts[2] };
}

export function whatIfMove(model: EstateModel, current: ReadonlyMap<string, TerraformJson>, tables: CostTables, move: MoveSpec): WhatIf {
  const label = `--move ${move.service}:${move.from}:${move.to}`;
  const file = parseEnvironment(model.sourceFile);
  const index = file.services.findIndex((s) => s.name === move.service);
  if (index < 0) throw new UsageError(`${label}: environment "${model.env}" has no service "${move.service}" (services: ${file.services.map((s) => s.name).join(", ")})`);
  const sites = siteNames(model);
  for (const site of [move.from, move.to]) {
    if (!sites.includes(site)) throw new UsageError(`${label}: environment "${model.env}" has no site "${site}" (sites: ${sites.join(", ")})`);
  }
  if (move.from === move.to) throw new UsageError(`${label}: the two sites are the same; name the site the hosts leave and the one they go to`);
  const service = file.services[index];
  const hosts = instancesIn(service, move.from);
  if (hosts === 0) throw new UsageError(`${label}: "${move.service}" has no hosts in ${move.from}`);

  const moved: EnvironmentFile = {
    ...file,
    services: file.services.map((s, i) =>
      i === index ? { ...s, instancesBySite: { ...s.instancesBySite, [move.from]: 0, [move.to]: instancesIn(s, move.to) + hosts } } : s,
    ),
  };
  const problems = validateEstate(moved);
  if (problems.length > 0) {
    throw new UsageError(`${label}: the estate after the move would not be valid:\n${problems.map((p) => `  ${formatPath(p.path)}: ${p.message}`).join("\n")}`);
  }
  const after = resolveEstate(moved, model.sourceFile);
  const stackOf = (m: EstateModel, site: string) => [...m.openstackSites, ...(m.awsSite ? [m.awsSite] : [])].find((s) => s.name === site)!.stackName;
  const names = [stackOf(model, move.from), stackOf(model, move.to)];
  const afterStacks = withTemporarySynth(
    [after],
    (dir) => readSynthOutput(dir, false).stacks,
    (ref) => names.includes(ref.name),
  );
  const convert = converter(tables);
  const beforeItems = meterStacks(new Map(names.map((n) => [n, current.get(n) ?? {}])), tables).items;
  const afterItems = meterStacks(new Map(names.map((n) => [n, afterStacks.get(n) ?? {}])), tables).items;
  return { move, hosts, ...compareCosts(names, beforeItems, afterItems, convert) };
}
