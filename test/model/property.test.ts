/**
 * Property tests (fast-check).
 *
 * 1. Random VALID estates (3-5 OpenStack sites, an optional AWS site, 1-4 services with random counts, zones,
 *    VIPs and images) load and synthesize, and the outputs agree with the model and with each other: unique host
 *    names and IPs, every IP inside its subnet, Octavia members exactly the model's hosts of that site and
 *    service, every host exactly once in the Ansible inventory with its IP, and no stack referring outside itself.
 * 2. Random MUTATIONS of valid files (structural edits of the data, and raw edits of the text) either load or fail
 *    with an EnvironmentError: never any other exception, never an internal error.
 */
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { cidrContains, EnvironmentError, INTERNAL_ERROR_MARKER, ipToInt, loadEnvironment, parseCidr, type EstateModel } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";
import { devEnvironment } from "../support/env";
import { danglingReferences } from "../support/terraform-refs";

/** Multiplies the number of runs, for a longer search than the default suite affords: ESTATE_PROPERTY_RUNS=10. */
const SCALE = Math.max(1, Number(process.env.ESTATE_PROPERTY_RUNS ?? "1") || 1);
const runs = (n: number) => ({ numRuns: n * SCALE });

/** Service names, including ones that share words with the stacks' own constructs ("network", "images"). */
const SERVICE_NAMES = ["web", "api", "cache", "search", "auth-gw", "queue", "s3gw", "network", "images", "key-pair"];
const ENV_NAMES = ["dev", "qa", "stage", "prod", "e2e", "lab1"];
const BLOCK_SIZES = [64, 128, 256];
/** Highest ipBlock every generated subnet can hold with every block size (a /20 holds 16 blocks of 256). */
const MAX_IP_BLOCK = 15;

/** A random valid environment file, as plain data. */
const validEnvironment = fc
  .record({
    env: fc.constantFrom(...ENV_NAMES),
    blockSize: fc.constantFrom(...BLOCK_SIZES),
    siteCount: fc.integer({ min: 3, max: 5 }),
    // Distinct second octets keep every site network (10.X.0.0/p, p >= 16) apart from the others and from the VPC.
    octets: fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 6, maxLength: 6 }),
    prefixes: fc.array(fc.integer({ min: 16, max: 20 }), { minLength: 5, maxLength: 5 }),
    zones: fc.array(fc.uniqueArray(fc.constantFrom("az1", "az2", "az3", "az4", "nova"), { minLength: 1, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
    weights: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
    drained: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    aws: fc.option(
      fc.record({
        region: fc.constantFrom("eu-west-1", "us-east-2", "ap-southeast-2", "us-gov-west-1"),
        zoneLetters: fc.uniqueArray(fc.constantFrom("a", "b", "c", "d"), { minLength: 2, maxLength: 4 }),
        extraPrefix: fc.integer({ min: 0, max: 2 }),
      }),
      { nil: undefined },
    ),
    services: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom(...SERVICE_NAMES),
        ipBlock: fc.integer({ min: 1, max: MAX_IP_BLOCK }),
        perSite: fc.integer({ min: 0, max: 20 }),
        bySite: fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), { minLength: 6, maxLength: 6 }),
        http: fc.boolean(),
        port: fc.integer({ min: 1, max: 65535 }),
        image: fc.integer({ min: 0, max: 1 }),
      }),
      { minLength: 1, maxLength: 4, selector: (s) => s.name },
    ),
    // From the second address on: the first is the external network's gateway (Neutron's default gateway_ip).
    vipOffsets: fc.array(fc.uniqueArray(fc.integer({ min: 2, max: 30 }), { minLength: 4, maxLength: 4 }), { minLength: 5, maxLength: 5 }),
    bake: fc.boolean(),
  })
  .filter((r) => new Set(r.services.map((s) => s.ipBlock)).size === r.services.length)
  .map((r) => {
    const siteNames = Array.from({ length: r.siteCount }, (_, i) => `os-${"abcde"[i]}`);
    const awsName = "aws";
    const serving = (i: number) => !r.drained[i] && r.weights[i] > 0;
    const sites = siteNames.map((name, i) => {
      const subnetCidr = `10.${r.octets[i]}.0.0/${r.prefixes[i]}`;
      return {
        name,
        cloud: `${r.env}-${name}`,
        region: "RegionOne",
        availabilityZones: r.zones[i],
        // Documentation addresses (TEST-NET-3), one /27 per site: public as far as Route 53 health checks go.
        externalNetwork: { name: "public", cidr: `203.0.113.${i * 32}/27` },
        subnetCidr,
        // The last address of block 0: the one the address plan keeps free for a router.
        routes: [{ destination: "192.168.0.0/16", nextHop: `10.${r.octets[i]}.0.${r.blockSize - 2}` }],
        vips: Object.fromEntries(r.services.map((s, j) => [s.name, `203.0.113.${i * 32 + r.vipOffsets[i][j]}`])),
        // At least the first site takes traffic: an estate where every site is drained is refused, rightly.
        traffic: { state: i === 0 || serving(i) ? "active" : "drained", weight: i === 0 ? Math.max(1, r.weights[0]) : r.weights[i] },
      };
    });
    const aws = r.aws && {
      name: awsName,
      region: r.aws.region,
      profile: `estate-${r.env}`,
      vpcCidr: `10.${r.octets[5]}.0.0/16`,
      availabilityZones: r.aws.zoneLetters.map((l) => `${r.aws!.region}${l}`),
      // Zone subnets must hold 16 blocks (/20 for blocks of 256, /22 for blocks of 64), and up to 4 zones × 2
      // subnets must fit the /16 VPC (/19 at most).
      subnetPrefixLength: Math.max(19, 32 - Math.log2(16 * r.blockSize) - r.aws.extraPrefix),
      traffic: { state: "active", weight: r.weights[5] },
    };
    const allSites = [...siteNames, ...(aws ? [awsName] : [])];
    const images = [0, 1].map((n) => ({
      name: `golden${n}`,
      version: `2026.${n + 1}.0`,
      openstack: Object.fromEntries(siteNames.map((s) => [s, n === 0 ? { name: `golden${n}-${s}` } : { id: "0b7e6a4c-1f2d-4c3b-9a8e-5d6f7a8b9c0d" }])),
      aws: n === 0 ? { amiName: `golden${n}`, owner: "123456789012" } : { ami: "ami-0123456789abcdef0" },
    }));
    const services = r.services.map((s) => ({
      name: s.name,
      image: `golden${s.image}`,
      flavor: "m1.small",
      instanceType: "t3.small",
      instancesPerSite: s.perSite,
      // Every service runs in the first site, which always takes traffic: a service that runs only in drained sites
      // is refused (rightly) because its Route 53 record set would weigh 0 everywhere.
      instancesBySite: Object.fromEntries(
        allSites.flatMap((site, i) => (i === 0 ? [[site, Math.max(1, s.bySite[0] ?? s.perSite)]] : s.bySite[i] === undefined ? [] : [[site, s.bySite[i]!]])),
      ),
      ipBlock: s.ipBlock,
      listeners: [{ protocol: s.http ? "HTTP" : "TCP", port: s.port }],
      healthCheck: s.http ? { protocol: "HTTP", path: "/healthz" } : { protocol: "TCP" },
      allowedCidrs: ["0.0.0.0/0"],
    }));
    return {
      name: r.env,
      adminCidrs: ["192.0.2.0/26"],
      ipam: { blockSize: r.blockSize },
      sites: { openstack: sites, ...(aws ? { aws } : {}) },
      images,
      services,
      traffic: { hostedZone: { create: true, domain: `${r.env}.example.net` } },
      bake: { enabled: r.bake, baseImage: "debian-12-genericcloud", flavor: "m1.small" },
    };
  });

/** Lets the test runner's worker answer its heartbeats between runs of a long property. */
const breathe = () => new Promise<void>((done) => setImmediate(done));

function writeYaml(data: unknown, name = "env.yaml"): string {
  const file = join(mkdtempSync(join(tmpdir(), "estate-prop-")), name);
  writeFileSync(file, typeof data === "string" ? data : stringify(data));
  return file;
}

/** Every host entry of an Ansible inventory, wherever it sits in the group tree: [host name, host vars]. */
function inventoryHosts(inventory: any): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  const walk = (group: any) => {
    if (group === null || typeof group !== "object") return;
    for (const [name, vars] of Object.entries<any>(group.hosts ?? {})) found.push([name, vars ?? {}]);
    for (const child of Object.values<any>(group.children ?? {})) walk(child);
  };
  for (const top of Object.values<any>(inventory ?? {})) walk(top);
  return found;
}

function checkInvariants(model: EstateModel, out: string): void {
  // Unique names and addresses.
  const names = model.hosts.map((h) => h.name);
  expect(new Set(names).size).toBe(names.length);
  const ips = model.hosts.map((h) => h.ip);
  expect(new Set(ips).size).toBe(ips.length);

  // Every address inside its network.
  for (const site of model.openstackSites) {
    for (const h of site.services.flatMap((s) => s.hosts)) expect({ host: h.name, inside: cidrContains(parseCidr(site.subnetCidr), ipToInt(h.ip)) }).toEqual({ host: h.name, inside: true });
  }
  for (const h of model.awsSite?.services.flatMap((s) => s.hosts) ?? []) {
    const zone = model.awsSite!.zones.find((z) => z.name === h.availabilityZone)!;
    expect({ host: h.name, inside: cidrContains(parseCidr(zone.privateSubnetCidr), ipToInt(h.ip)) }).toEqual({ host: h.name, inside: true });
  }

  // Octavia members of each OpenStack stack are exactly the model's hosts of that site and service.
  for (const site of model.openstackSites) {
    const tf = JSON.parse(readFileSync(join(out, "stacks", site.stackName, "cdk.tf.json"), "utf8"));
    const members = Object.values<any>(tf.resource?.openstack_lb_member_v2 ?? {});
    for (const placed of site.services) {
      const local = `hosts_${placed.service.name.replace(/-/g, "_")}`;
      const expected = Object.fromEntries(placed.hosts.map((h) => [h.name, h.ip]));
      const fleet = Object.fromEntries(Object.entries<any>(tf.locals?.[local] ?? {}).map(([name, v]) => [name, v.ip]));
      expect({ stack: site.stackName, service: placed.service.name, fleet }).toEqual({ stack: site.stackName, service: placed.service.name, fleet: expected });
      const forService = members.filter((m) => m.for_each === `\${local.${local}}`);
      expect(forService.length).toBeGreaterThan(0);
      for (const m of forService) expect(m.address).toBe("${each.value.ip}");
    }
    const placedLocals = new Set(site.services.map((p) => `\${local.hosts_${p.service.name.replace(/-/g, "_")}}`));
    for (const m of members) expect(placedLocals.has(m.for_each)).toBe(true);
    expect(danglingReferences(tf)).toEqual([]);
    expect(tf.data?.terraform_remote_state).toBeUndefined();
  }
  for (const ref of model.stacks.filter((s) => s.kind !== "openstack")) {
    const tf = JSON.parse(readFileSync(join(out, "stacks", ref.name, "cdk.tf.json"), "utf8"));
    expect({ stack: ref.name, dangling: danglingReferences(tf) }).toEqual({ stack: ref.name, dangling: [] });
    expect(tf.data?.terraform_remote_state).toBeUndefined();
  }

  // Every model host exactly once in the inventory, with its address.
  const inventory = parse(readFileSync(join(out, "ansible", model.env, "inventory.yml"), "utf8"));
  const entries = inventoryHosts(inventory).filter(([name]) => !name.endsWith("-builder"));
  const seen = new Map<string, number>();
  for (const [name] of entries) seen.set(name, (seen.get(name) ?? 0) + 1);
  expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(Object.fromEntries(entries.map(([name, vars]) => [name, vars.ansible_host]))).toEqual(Object.fromEntries(model.hosts.map((h) => [h.name, h.ip])));
}

describe("random valid estates", () => {
  it("load, synthesize, and every output agrees with the model", async () => {
    await fc.assert(
      fc.asyncProperty(validEnvironment, async (data) => {
        await breathe();
        const model = loadEnvironment(writeYaml(data));
        const out = join(mkdtempSync(join(tmpdir(), "estate-prop-out-")), "cdktf.out");
        // Random estates are valid environment files, not policy-clean ones (a service may skip a site): the
        // invariants here are about agreement between outputs, so the policy gate is not asked.
        synthesizeModels([model], { outdir: out, policy: "skip" });
        checkInvariants(model, out);
      }),
      runs(15),
    );
  }, 300_000 * SCALE);
});

// ---------------------------------------------------------------------------------------------------------------
// Mutations

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = string | number;

/** Every path in a document, the root included. */
function pathsOf(value: Json, at: Step[] = []): Step[][] {
  const paths: Step[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...at, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...at, k]));
  return paths;
}

function getAt(value: Json, path: Step[]): Json {
  return path.reduce<Json>((v, step) => (v as any)[step], value);
}

const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom("", "0", "-1", "10.0.0.0/8", "10.0.0.1", "1.2.3.4/33", "TCP", "http", "constructor", "__proto__", "toString", "ö", "null", "~", "ami-1", "AKIAIOSFODNN7EXAMPLE"),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, -1, 1, 255, 256, 65536, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, 0.5, -0.0, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("name", "cidr", "id", "ami", "x", "constructor"), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 2 }),
);

const mutation = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("replace" as const), pick: fc.nat(), value: randomValue }),
  fc.record({ op: fc.constant("duplicate" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("insert-key" as const), pick: fc.nat(), key: fc.constantFrom("extra", "nme", "Name", "constructor", "password", "__proto__", "vips", "web"), value: randomValue }),
  fc.record({ op: fc.constant("rename-key" as const), pick: fc.nat(), suffix: fc.constantFrom("s", "_", "X", "") }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc);
  const paths = pathsOf(copy);
  const path = paths[m.pick % paths.length];
  if (path.length === 0) return m.op === "replace" ? m.value : copy;
  const parent = getAt(copy, path.slice(0, -1)) as any;
  const last = path[path.length - 1];
  switch (m.op) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case "replace":
      parent[last] = m.value;
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(parent[last as number]));
      else parent[`${String(last)}2`] = structuredClone(parent[last]);
      break;
    case "insert-key": {
      const target = getAt(copy, path) as any;
      if (target !== null && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      break;
    }
    case "rename-key":
      if (!Array.isArray(parent) && typeof last === "string") {
        const value = parent[last];
        delete parent[last];
        parent[`${last}${m.suffix}`] = value;
      }
      break;
  }
  return copy;
}

const textMutation = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom("\t", ":", " ", "  ", "-", "- ", '"', "'", "&a ", "*a", "{", "[", "]", "}", "#", "\n", "? ", "!!binary ", "!Ref ", "<<: *a\n", "\u00a0", "\ufeff", "%YAML 1.1\n---\n") }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutateText(text: string, m: typeof textMutation extends fc.Arbitrary<infer M> ? M : never): string {
  const at = m.at % (text.length + 1);
  if (m.op === "delete") return text.slice(0, at) + text.slice(at + m.length);
  if (m.op === "insert") return text.slice(0, at) + m.text + text.slice(at);
  return text.slice(0, at);
}

/** Loads a file; anything thrown that is not an EnvironmentError, or is an internal error, fails the property. */
function loadsOrRejectsCleanly(file: string): void {
  try {
    loadEnvironment(file);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw new Error(`loader threw ${String(err)} for ${file}:\n${readFileSync(file, "utf8").slice(0, 4000)}`);
    if (err.message.includes(INTERNAL_ERROR_MARKER)) throw new Error(`internal error for ${file}: ${err.message}\n${readFileSync(file, "utf8").slice(0, 4000)}`);
    expect(err.problems.length).toBeGreaterThan(0);
  }
}

describe("random mutations of valid files", () => {
  const dev = devEnvironment() as Json;
  const prod = parse(readFileSync("environments/prod.yaml", "utf8")) as Json;

  it("either load or fail with an EnvironmentError, never another exception (structural edits)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(dev, prod), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (doc, ms) => {
        await breathe();
        loadsOrRejectsCleanly(writeYaml(ms.reduce(mutate, doc)));
      }),
      runs(250),
    );
  }, 120_000 * SCALE);

  it("either load or fail with an EnvironmentError, never another exception (edits of the text)", async () => {
    const texts = [readFileSync("environments/dev.yaml", "utf8"), readFileSync("environments/prod.yaml", "utf8")];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...texts), fc.array(textMutation, { minLength: 1, maxLength: 4 }), async (text, ms) => {
        await breathe();
        loadsOrRejectsCleanly(writeYaml(ms.reduce(mutateText, text)));
      }),
      runs(250),
    );
  }, 120_000 * SCALE);

  it("either load or fail with an EnvironmentError for mutations of random valid estates", async () => {
    await fc.assert(
      fc.asyncProperty(validEnvironment, fc.array(mutation, { minLength: 1, maxLength: 2 }), async (doc, ms) => {
        await breathe();
        loadsOrRejectsCleanly(writeYaml(ms.reduce(mutate, doc as unknown as Json)));
      }),
      runs(150),
    );
  }, 120_000 * SCALE);
});
