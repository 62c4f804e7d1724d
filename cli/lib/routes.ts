/**
 * `estate routes`: read a directory of per-server routing tables, consolidate them into the central routes of one
 * OpenStack site (routes/consolidate.ts) and write them into the site's `routes` in its environment file, or only
 * print them. Unreadable lines refuse the whole run (an error); a route set the router would refuse (over its
 * `max_routes`) comes back with `refused` and its report; an environment the model refuses once edited is an
 * error — the file is then left as it was.
 */
import { readFileSync } from "node:fs";
import { replaceFileContent } from "../../util";
import { EnvironmentError, loadEnvironment, parseEnvironmentText, resolveEstate, type EstateModel } from "../../model";
import { consolidateRoutes, readRoutingTables, type RouteConsolidation } from "../../routes";
import { stackDiff } from "./drain";
import type { StackDiff } from "./diff/types";
import { CommandError, UsageError } from "./errors";
import { selectEnvironmentFiles } from "./select";
import { setSiteRoutes } from "./site-routes";

export interface RoutesRequest {
  /** Environment name or file. */
  readonly env: string;
  readonly site: string;
  /** Directory of routing tables, one file per server. */
  readonly tables: string;
  /** Write the routes into the environment file. */
  readonly write: boolean;
  /** Routes the site's router accepts (its Neutron `max_routes`). @default - the site's `limits.routesPerRouter` (model/limits.ts) */
  readonly maxRoutes?: number;
  /** Synthesize the site stack before and after to show its diff. @default true when writing */
  readonly stackDiff?: boolean;
}

export interface RoutesResult {
  readonly file: string;
  readonly consolidation: RouteConsolidation;
  /** The file's routes changed (only when writing). */
  readonly changed: boolean;
  /** Where the routes live in the file, e.g. `sites.openstack[0].routes`. */
  readonly path?: string;
  /** The site stack before and after. @default - none (not written, nothing changed, or not asked for) */
  readonly diff?: StackDiff;
  /** Why the routes were not written although asked (more than the router accepts). @default - none */
  readonly refused?: string;
}

/** The most unreadable lines an error lists; the count of the others follows. */
const LISTED_PROBLEMS = 50;

export function consolidateSiteRoutes(request: RoutesRequest): RoutesResult {
  const [file] = selectEnvironmentFiles([request.env]);
  const before = loadEnvironment(file);
  const site = before.openstackSites.find((s) => s.name === request.site);
  if (!site) {
    const names = before.openstackSites.map((s) => s.name).join(", ");
    throw new UsageError(`no OpenStack site "${request.site}" in ${file} (OpenStack sites: ${names}); central routes live on an OpenStack site's router`);
  }
  const { tables, unreadable } = readTables(request.tables);
  if (unreadable.length > 0) {
    const lines = unreadable.slice(0, LISTED_PROBLEMS).map((u) => `  ${u.file}:${u.line}: ${u.problem}`);
    const more = unreadable.length > LISTED_PROBLEMS ? [`  … and ${unreadable.length - LISTED_PROBLEMS} more`] : [];
    throw new CommandError([`cannot read ${unreadable.length} line(s) of the routing tables in ${request.tables}; fix or remove them and run again (nothing written)`, ...lines, ...more].join("\n"));
  }
  if (tables.length === 0) throw new UsageError(`no routing tables in ${request.tables}: put one file per server there (ip -j route, ip route show, route -n or netstat -rn output)`);

  const maxRoutes = request.maxRoutes ?? site.limits.routesPerRouter;
  const consolidation = consolidateRoutes({ name: site.name, subnetCidr: site.subnetCidr, gatewayIp: site.gatewayIp, routes: site.routes, maxRoutes }, tables);
  if (!request.write) return { file, consolidation, changed: false };
  if (consolidation.overLimit) {
    const refused =
      `refusing to write ${consolidation.central.length} routes for ${site.name}: its router accepts ${maxRoutes} (Neutron max_routes); ${file} is unchanged. ` +
      `Raise max_routes in the site's neutron.conf and set the site's limits.routesPerRouter to it, or print the set with --print and split it by hand`;
    return { file, consolidation, changed: false, refused };
  }
  const text = readFileSync(file, "utf8");
  const edit = setSiteRoutes(text, file, site.name, consolidation.central);
  if (!edit.changed) return { file, consolidation, changed: false, path: edit.path };
  let after: EstateModel;
  try {
    after = resolveEstate(parseEnvironmentText(edit.text, file), file);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    throw new CommandError(`refusing to write the routes of ${site.name}: the environment would not be valid; ${file} is unchanged\n${err.message}`);
  }
  const diff = request.stackDiff === false ? undefined : stackDiff(before, after, site.stackName);
  replaceFileContent(file, edit.text);
  return { file, consolidation, changed: true, path: edit.path, ...(diff ? { diff } : {}) };
}

function readTables(dir: string): ReturnType<typeof readRoutingTables> {
  try {
    return readRoutingTables(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UsageError(`${dir} is not a directory of routing tables`);
    throw err;
  }
}

/** The most entries of each list the text report shows; --json has them all. */
const LISTED_ENTRIES = 20;

/** The consolidation as text: counts, then the host-specific routes and the conflicts with their servers. */
export function formatRoutesReport(c: RouteConsolidation): string[] {
  const formats = new Map<string, number>();
  for (const s of c.servers) formats.set(s.format, (formats.get(s.format) ?? 0) + 1);
  const formatList = [...formats].map(([f, n]) => `${f} ${n}`).join(", ");
  const lines = [
    `Routing tables: ${c.servers.length} servers (${formatList}), ${c.routesRead} routes read, ${c.distinctRoutes} distinct`,
    `Central routes for ${c.site} (${c.subnetCidr}): ${c.central.length} of at most ${c.maxRoutes} (Neutron max_routes)${c.overLimit ? " — OVER THE LIMIT" : ""}`,
    `Dropped, the site provides them: ${c.siteProvided.length}`,
    `Dropped, covered by a route with the same next hop: ${c.covered.length}`,
    `Host-specific, the router cannot carry them: ${c.hostSpecific.length}`,
    ...capped(c.hostSpecific, (r) => `  ${r.destination}${r.nextHop ? ` via ${r.nextHop}` : ""}: ${r.reason} (${servers(r.servers)})`),
    `Conflicts, left out (different next hops on different servers): ${c.conflicts.length}`,
    ...capped(c.conflicts, (x) => `  ${x.destination}: ${x.sides.map((s) => `via ${s.nextHop} on ${servers(s.servers)}`).join("; ")}${x.kept ? ` — the environment file's route via ${x.kept.nextHop} stays` : ""}`),
  ];
  return lines;
}

function capped<T>(items: readonly T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, LISTED_ENTRIES).map(line);
  return items.length > LISTED_ENTRIES ? [...shown, `  … and ${items.length - LISTED_ENTRIES} more (--json lists them all)`] : shown;
}

function servers(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
