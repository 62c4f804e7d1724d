/**
 * `npm run bench:routes`: `estate routes` on a generated legacy estate (bench/legacy-routes.ts; default 500
 * servers × 2,000 routes, seed 1, the four formats in turn), written to bench/.work/legacy-routes. Prints one
 * JSON line: reading and parsing time, consolidation time, the whole command writing into a copy of
 * environments/dev.yaml (site os-a), peak RSS of this process, the counts, and the exact range check: for every
 * next hop, the addresses its central routes cover (ip-num aggregation) equal those the servers agreed on.
 * Exits 1 when the check fails.
 *
 * ESTATE_ROUTES_SERVERS, ESTATE_ROUTES_PER_SERVER and ESTATE_ROUTES_SEED change the estate.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { IPv4CidrRange, Pool } from "ip-num";
import { consolidateSiteRoutes } from "../cli/lib/routes";
import { consolidateRoutes, readRoutingTables } from "../routes";
import { generateLegacyEstate, LEGACY_NEXT_HOPS, LEGACY_SITE } from "./legacy-routes";

const ROOT = resolve(__dirname, "..");
const WORK = join(ROOT, "bench", ".work", "legacy-routes");
const servers = Number(process.env.ESTATE_ROUTES_SERVERS ?? 500);
const routesPerServer = Number(process.env.ESTATE_ROUTES_PER_SERVER ?? 2000);
const seed = Number(process.env.ESTATE_ROUTES_SEED ?? 1);

const ms = (since: bigint) => Math.round(Number(process.hrtime.bigint() - since) / 1e6);

rmSync(WORK, { recursive: true, force: true });
const tables = join(WORK, "tables");
mkdirSync(tables, { recursive: true });
let start = process.hrtime.bigint();
const estate = generateLegacyEstate({ servers, routesPerServer, seed });
for (const [name, text] of estate.files) writeFileSync(join(tables, name), text);
const generateMs = ms(start);

start = process.hrtime.bigint();
const read = readRoutingTables(tables);
const parseMs = ms(start);
start = process.hrtime.bigint();
const result = consolidateRoutes({ ...LEGACY_SITE, routes: [], maxRoutes: Number.MAX_SAFE_INTEGER }, read.tables);
const mergeMs = ms(start);

const addresses = (cidrs: string[]) => (cidrs.length === 0 ? [] : Pool.fromCidrRanges(cidrs.map((c) => IPv4CidrRange.fromCidr(c))).aggregate().getRanges().map((r) => r.toRangeString()));
const mismatched = LEGACY_NEXT_HOPS.filter(
  (hop) =>
    JSON.stringify(addresses(result.central.filter((r) => r.nextHop === hop).map((r) => r.destination))) !==
    JSON.stringify(addresses(estate.agreed.filter((r) => r.nextHop === hop).map((r) => r.destination))),
);

const env = join(WORK, "dev.yaml");
// The consolidated set is far over Neutron's default max_routes: the bench site's router is declared to take it.
writeFileSync(env, readFileSync(join(ROOT, "environments", "dev.yaml"), "utf8").replace("  openstack:\n    - name: os-a\n", "  openstack:\n    - name: os-a\n      limits: { routesPerRouter: 100000 }\n"));
start = process.hrtime.bigint();
const written = consolidateSiteRoutes({ env, site: LEGACY_SITE.name, tables, write: true, stackDiff: false });
const commandMs = ms(start);

console.log(
  JSON.stringify({
    servers,
    routesPerServer,
    seed,
    formats: [...new Set(read.tables.map((t) => t.format))],
    generateMs,
    parseMs,
    mergeMs,
    commandMs,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    unreadable: read.unreadable.length,
    routesRead: result.routesRead,
    distinctRoutes: result.distinctRoutes,
    centralRoutes: result.central.length,
    mergedRoutes: result.central.filter((r) => r.mergedFrom).length,
    coveredRoutes: result.covered.length,
    siteProvided: result.siteProvided.length,
    hostSpecific: result.hostSpecific.length,
    conflicts: result.conflicts.length,
    writtenRoutes: written.consolidation.central.length,
    written: written.changed,
    rangeCheck: mismatched.length === 0 ? "pass" : `FAIL for ${mismatched.join(", ")}`,
  }),
);
if (mismatched.length > 0 || read.unreadable.length > 0) process.exitCode = 1;
