/**
 * Property: a random mutation of a valid estate that writes a value the clouds would refuse (an address Neutron
 * never hands out or already uses, a format an API defines, a set of networks that reaches the internet however it
 * is spelled, a credential in any string field) is refused at load with a problem located at the mutated path, and
 * synthesis writes nothing.
 */
import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { EnvironmentError, formatPath, INTERNAL_ERROR_MARKER, loadEnvironment } from "../../model";
import { synthesize } from "../../stacks/synthesize";

type Doc = any;
type Step = string | number;
/** A mutation: the edited document and the path the refusal must point at (or inside). */
type Mutated = { readonly doc: Doc; readonly at: readonly Step[]; readonly what: string };

const BASES: readonly Doc[] = [parse(readFileSync("environments/dev.yaml", "utf8")), parse(readFileSync("environments/prod.yaml", "utf8"))];

const ipToInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const cidrOf = (cidr: string) => {
  const [addr, len] = cidr.split("/");
  return { base: ipToInt(addr), prefix: Number(len), size: 2 ** (32 - Number(len)) };
};

// ---------------------------------------------------------------------------------------------------------------
// 1. Addresses

/** A next hop on an address the site already uses: network, broadcast, gateway, builder, an Octavia VIP, a host block, the pool. */
const nextHopInUse = fc.record({ base: fc.nat(), site: fc.nat(), choice: fc.integer({ min: 0, max: 6 }), pick: fc.nat() }).map(({ base, site, choice, pick }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  const s = doc.sites.openstack[site % doc.sites.openstack.length];
  const si = doc.sites.openstack.indexOf(s);
  const block = doc.ipam.blockSize as number;
  const net = cidrOf(s.subnetCidr);
  const service = doc.services[pick % doc.services.length];
  const offsets = [
    0, // network address
    net.size - 1, // broadcast
    1, // gateway
    5, // builder
    16 + service.ipBlock, // Octavia VIP of a service
    service.ipBlock * block + 1 + (pick % (block - 2)), // a service's address block
    block / 2 + (pick % (block / 2 - 1)), // the allocation pool
  ];
  s.routes = [{ destination: "192.168.0.0/16", nextHop: intToIp(net.base + offsets[choice]) }];
  return { doc, at: ["sites", "openstack", si, "routes", 0, "nextHop"], what: `next hop ${s.routes[0].nextHop}` };
});

/** A route to the site subnet itself or to a network inside it. */
const destinationInsideSubnet = fc.record({ base: fc.nat(), site: fc.nat(), extra: fc.integer({ min: 0, max: 14 }), pick: fc.nat() }).map(({ base, site, extra, pick }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  const si = site % doc.sites.openstack.length;
  const s = doc.sites.openstack[si];
  const net = cidrOf(s.subnetCidr);
  const prefix = Math.min(32, net.prefix + extra);
  const size = 2 ** (32 - prefix);
  const start = net.base + (pick % (net.size / size)) * size;
  s.routes[0].destination = `${intToIp(start)}/${prefix}`;
  return { doc, at: ["sites", "openstack", si, "routes", 0, "destination"], what: `destination ${s.routes[0].destination}` };
});

/** A public VIP on the network or broadcast address of its external network. */
const vipOnEdge = fc.record({ base: fc.nat(), site: fc.nat(), broadcast: fc.boolean() }).map(({ base, site, broadcast }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  const si = site % doc.sites.openstack.length;
  const s = doc.sites.openstack[si];
  const ext = cidrOf(s.externalNetwork.cidr);
  const service = Object.keys(s.vips)[0];
  s.vips[service] = intToIp(broadcast ? ext.base + ext.size - 1 : ext.base);
  return { doc, at: ["sites", "openstack", si, "vips", service], what: `VIP ${s.vips[service]}` };
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Formats

const code = fc.integer({ min: 200, max: 299 }).map(String);
const badExpectedCodes = fc.oneof(
  fc.tuple(code, code, code).map(([a, b, c]) => `${a}-${b},${c}`),
  fc.tuple(code, code).map(([a, b]) => `${Math.max(Number(a), Number(b)) + 1}-${Math.min(Number(a), Number(b))}`),
  fc.integer({ min: 600, max: 999 }).map(String),
  fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(3, "0")),
  fc.constantFrom("2xx", "200-", "200,,202", "any", "200 - 299"),
);
/** A service with an HTTP health check gets unacceptable expected codes. */
const expectedCodesMutation = fc.record({ base: fc.nat(), value: badExpectedCodes }).map(({ base, value }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  const vi = doc.services.findIndex((s: any) => s.healthCheck.protocol === "HTTP");
  doc.services[vi].healthCheck.expectedCodes = value;
  return { doc, at: ["services", vi, "healthCheck", "expectedCodes"], what: `expectedCodes ${value}` };
});

const domainMutation = fc.record({ base: fc.nat(), form: fc.constantFrom("https://%s", "http://%s/", "%s/", "%s/zone", "%s..", "-%s") }).map(({ base, form }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  doc.traffic.hostedZone.domain = form.replace("%s", doc.traffic.hostedZone.domain);
  return { doc, at: ["traffic", "hostedZone", "domain"], what: `domain ${doc.traffic.hostedZone.domain}` };
});

const loginMutation = fc
  .record({
    base: fc.nat(),
    edit: fc.oneof(
      fc.record({ field: fc.constant("user"), value: fc.constantFrom("", " ", "Debian", "root:x", " lead", "a".repeat(33)) }),
      fc.record({ field: fc.constant("keyName"), value: fc.constantFrom("", " ", "  ", "key/name", " lead", "trail ", "name:x", "k".repeat(256)) }),
    ),
  })
  .map(({ base, edit: { field, value } }): Mutated => {
    const doc = structuredClone(BASES[base % BASES.length]);
    doc.ssh[field] = value;
    return { doc, at: ["ssh", field], what: `ssh.${field} ${JSON.stringify(value)}` };
  });

// ---------------------------------------------------------------------------------------------------------------
// 3. Exposure

/** 0.0.0.0/0 cut into 2^depth equal pieces, shuffled: the whole internet, never spelled 0.0.0.0/0. */
const wholeInternetPieces = fc.record({ depth: fc.integer({ min: 1, max: 5 }), seed: fc.nat() }).map(({ depth, seed }) => {
  const pieces = Array.from({ length: 2 ** depth }, (_, i) => `${intToIp(i * 2 ** (32 - depth))}/${depth}`);
  for (let i = pieces.length - 1; i > 0; i--) {
    const j = (seed + i * 7919) % (i + 1);
    [pieces[i], pieces[j]] = [pieces[j], pieces[i]];
  }
  return pieces;
});

const exposureMutation = fc.record({ base: fc.nat(), list: fc.constantFrom("admin", "checkers", "internal"), pieces: wholeInternetPieces }).map(({ base, list, pieces }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  if (list === "admin") {
    doc.adminCidrs = [...doc.adminCidrs, ...pieces];
    return { doc, at: ["adminCidrs"], what: `adminCidrs ${pieces.join(",")}` };
  }
  if (list === "checkers") {
    doc.traffic.healthCheckerCidrs = [...pieces, ...doc.traffic.healthCheckerCidrs];
    return { doc, at: ["traffic", "healthCheckerCidrs"], what: `healthCheckerCidrs ${pieces.join(",")}` };
  }
  // An internal service: prod's search, or dev's api made internal (no public VIPs then).
  let vi = doc.services.findIndex((s: any) => s.exposure === "internal");
  if (vi < 0) {
    vi = doc.services.length - 1;
    doc.services[vi].exposure = "internal";
    for (const site of doc.sites.openstack) delete site.vips[doc.services[vi].name];
  }
  doc.services[vi].allowedCidrs = [...doc.services[vi].allowedCidrs, ...pieces];
  return { doc, at: ["services", vi, "allowedCidrs"], what: `allowedCidrs ${pieces.join(",")}` };
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Secrets in any string field

const alnum = (min: number) => fc.string({ unit: fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"), minLength: min, maxLength: min + 8 });
const b64url = (n: number) => fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), minLength: n, maxLength: n + 10 });
/** Random 40-character secrets that alternate the character classes, the way generated keys do. */
const generatedKey = fc.array(fc.tuple(fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZ"), fc.constantFrom(..."abcdefghijkmnopqrstuvwxyz"), fc.constantFrom(..."23456789")), { minLength: 14, maxLength: 14 }).map((triples) => triples.map((t) => t.join("")).join(""));
const secret = fc.oneof(
  fc.tuple(fc.constantFrom("admin", "ci", "deploy"), alnum(6)).map(([u, p]) => `https://${u}:${p}@host.example.net/x`),
  fc.tuple(fc.constantFrom("access_token", "X-Amz-Signature", "sig", "api_key", "client_secret"), alnum(10)).map(([k, v]) => `/status?${k}=${v}`),
  fc.tuple(b64url(10), b64url(10), b64url(16)).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`),
  alnum(16).map((tail) => `AKIA${tail.toUpperCase().replace(/[^A-Z0-9]/g, "Q").slice(0, 16).padEnd(16, "Q")}`),
  generatedKey,
);

/** Every path of the document that holds a string. */
function stringPaths(value: Doc, at: Step[] = []): Step[][] {
  if (typeof value === "string") return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}

const secretMutation = fc.record({ base: fc.nat(), pick: fc.nat(), value: secret }).map(({ base, pick, value }): Mutated => {
  const doc = structuredClone(BASES[base % BASES.length]);
  const paths = stringPaths(doc);
  const path = paths[pick % paths.length];
  const parent = path.slice(0, -1).reduce((v: any, step) => v[step], doc);
  parent[path[path.length - 1]] = value;
  return { doc, at: path, what: `secret in ${formatPath(path)}` };
});

// ---------------------------------------------------------------------------------------------------------------

/** Loads the mutated file and synthesizes it: refused, located inside `at`, and nothing written. */
function refusedAt(m: Mutated): void {
  const dir = mkdtempSync(join(tmpdir(), "estate-refuse-"));
  const file = join(dir, "env.yaml");
  writeFileSync(file, stringify(m.doc));
  let err: unknown;
  try {
    loadEnvironment(file);
  } catch (e) {
    err = e;
  }
  if (!(err instanceof EnvironmentError)) throw new Error(`${m.what}: expected a refusal, got ${err === undefined ? "a loaded estate" : String(err)}`);
  expect(err.message).not.toContain(INTERNAL_ERROR_MARKER);
  const located = err.problems.filter((p) => m.at.every((step, i) => p.path[i] === step) && p.line !== undefined);
  expect(located.length, `${m.what}: no located problem at or inside ${formatPath(m.at)}:\n${err.message}`).toBeGreaterThan(0);

  const outdir = join(dir, "cdktf.out");
  expect(() => synthesize({ environmentFiles: [file], outdir })).toThrow(EnvironmentError);
  expect(existsSync(outdir)).toBe(false);
}

describe("random mutations that write values the clouds would refuse", () => {
  const runs = { numRuns: 40 * Math.max(1, Number(process.env.ESTATE_PROPERTY_RUNS ?? "1") || 1) };

  it.each([
    ["a next hop the site already uses", nextHopInUse],
    ["a route destination equal to or inside the site subnet", destinationInsideSubnet],
    ["a VIP on its network's network or broadcast address", vipOnEdge],
    ["expected codes Octavia or the AWS matcher refuse", expectedCodesMutation],
    ["a hosted-zone domain that is not a DNS name", domainMutation],
    ["an empty or malformed login user or key pair name", loginMutation],
    ["networks that together reach the whole internet", exposureMutation],
    ["a credential in any string field", secretMutation],
  ] as const)("%s: refused at load, located, nothing synthesized", (_, arbitrary) => {
    fc.assert(fc.property(arbitrary, refusedAt), runs);
  }, 120_000);
});
