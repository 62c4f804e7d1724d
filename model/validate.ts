/**
 * Checks that need the whole estate: references, overlaps, collisions and capacity. Runs after the schema
 * accepted the shape, and returns every problem at once.
 */
import ipaddr from "ipaddr.js";
import { checkFixedAddresses } from "./address-checks";
import { blockCapacity, blocksIn, maxIpBlockForVip, MIN_BLOCK_SIZE } from "./address-plan";
import { checkApiFormats } from "./api-formats";
import { didYouMean, formatPath, type ConfigProblem } from "./errors";
import { awsHealthCheckPortProblem, healthCheckPortProblem } from "./health-check";
import { cdktfTokenMarkerProblems } from "./literal-text";
import { cidrContains, cidrsOverlap, ipToInt, parseCidr } from "./ipam";
import { checkExposure } from "./exposure";
import { checkSiteLimits } from "./limits";
import { checkRollouts } from "./rollout";
import { bakeStackName, fleetName, hostName, siteStackName, trafficStackName } from "./naming";
import { awsRegionProblem, type EnvironmentFile } from "./schema";

type Path = (string | number)[];

export function instancesIn(service: EnvironmentFile["services"][number], site: string): number {
  // Own keys only: a site named "constructor" must not pick up Object.prototype.constructor.
  return Object.hasOwn(service.instancesBySite, site) ? service.instancesBySite[site] : service.instancesPerSite;
}

/** A record entry keyed by a name from the file, never an inherited Object.prototype member. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** What every step of {@link validateEstate} reads, and where it adds problems. */
interface EstateCheck {
  readonly env: EnvironmentFile;
  readonly add: (path: Path, message: string) => void;
  readonly blockSize: number;
  /** Every site name, OpenStack sites in file order, then the AWS site. */
  readonly allSites: readonly string[];
}

/** Site networks with where the file sets them: routed to each other, so they must not overlap. */
interface SiteNetworkRef {
  readonly cidr: string;
  readonly path: Path;
  readonly site: string;
}

export function validateEstate(env: EnvironmentFile, drainOverrides: readonly string[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  checkBackend(env.backend, add);
  // Text cdktf would turn into a reference before Terraform sees it.
  problems.push(...cdktfTokenMarkerProblems(env));
  // Every address below is computed from the block size: nothing else can be checked without a valid one.
  if (!checkBlockSize(env.ipam.blockSize, add)) return problems;

  const aws = env.sites.aws;
  const check: EstateCheck = { env, add, blockSize: env.ipam.blockSize, allSites: [...env.sites.openstack.map((s) => s.name), ...(aws ? [aws.name] : [])] };
  const serviceNames = checkUniqueNames(check);
  checkIpBlocksUnshared(check);
  const nets = checkSiteNetworksDisjoint(check);
  checkOpenstackSites(check, serviceNames, nets);
  env.services.forEach((svc, vi) => checkService(check, svc, vi));
  if (aws) checkAwsSite(check, aws);
  checkImageSites(check);
  checkTrafficTaken(check, drainOverrides);
  if (aws) checkAwsNames(check, aws);
  checkGeneratedNames(env, add);
  checkHealthChecks(env, add);
  problems.push(...checkFixedAddresses(env), ...checkExposure(env), ...checkApiFormats(env));
  checkSiteLimits(env, instancesIn, add);
  checkRollouts(env, add);
  return problems;
}

/** The address block size must be a power of two of at least {@link MIN_BLOCK_SIZE}; false when it is not. */
function checkBlockSize(blockSize: number, add: EstateCheck["add"]): boolean {
  if (blockSize < MIN_BLOCK_SIZE || !Number.isInteger(Math.log2(blockSize))) {
    add(["ipam", "blockSize"], `blockSize must be a power of two of at least ${MIN_BLOCK_SIZE}, got ${blockSize}`);
    return false;
  }
  return true;
}

/** Site, image and service names are unique: they become stack names, host names and Terraform keys. */
function checkUniqueNames({ env, add }: EstateCheck): Map<string, Path> {
  const siteNames = new Map<string, Path>();
  env.sites.openstack.forEach((s, i) => checkUnique(siteNames, s.name, ["sites", "openstack", i, "name"], "site", add));
  if (env.sites.aws) checkUnique(siteNames, env.sites.aws.name, ["sites", "aws", "name"], "site", add);
  const imageNames = new Map<string, Path>();
  env.images.forEach((img, i) => checkUnique(imageNames, img.name, ["images", i, "name"], "image", add));
  const serviceNames = new Map<string, Path>();
  env.services.forEach((svc, i) => checkUnique(serviceNames, svc.name, ["services", i, "name"], "service", add));
  return serviceNames;
}

/** Two services in one address block would get the same fixed IPs. */
function checkIpBlocksUnshared({ env, add }: EstateCheck): void {
  const blocks = new Map<number, string>();
  env.services.forEach((svc, i) => {
    const owner = blocks.get(svc.ipBlock);
    if (owner !== undefined) {
      add(["services", i, "ipBlock"], `ipBlock ${svc.ipBlock} is already used by service "${owner}": the two fleets would get the same fixed IPs; pick an unused block`);
    } else blocks.set(svc.ipBlock, svc.name);
  });
}

/** Site networks must not overlap: central routes join them. Returns them for the VIP checks. */
function checkSiteNetworksDisjoint({ env, add }: EstateCheck): SiteNetworkRef[] {
  const aws = env.sites.aws;
  const nets: SiteNetworkRef[] = env.sites.openstack.map((s, i) => ({ cidr: s.subnetCidr, path: ["sites", "openstack", i, "subnetCidr"], site: s.name }));
  if (aws) nets.push({ cidr: aws.vpcCidr, path: ["sites", "aws", "vpcCidr"], site: aws.name });
  for (let i = 0; i < nets.length; i++) {
    for (let j = 0; j < i; j++) {
      if (cidrsOverlap(parseCidr(nets[i].cidr), parseCidr(nets[j].cidr))) {
        add(nets[i].path, `${nets[i].cidr} overlaps ${nets[j].cidr} of site "${nets[j].site}": site networks are routed to each other and must not overlap`);
      }
    }
  }
  return nets;
}

/** Each OpenStack site's subnet, zones, routes and VIPs; a VIP is used once in the whole estate. */
function checkOpenstackSites({ env, add, blockSize }: EstateCheck, serviceNames: ReadonlyMap<string, Path>, nets: readonly SiteNetworkRef[]): void {
  const seenVips = new Map<string, string>();
  env.sites.openstack.forEach((site, si) => {
    const base: Path = ["sites", "openstack", si];
    const subnet = parseCidr(site.subnetCidr);
    const external = parseCidr(site.externalNetwork.cidr);
    if (blocksIn(site.subnetCidr, blockSize) < 1) {
      add([...base, "subnetCidr"], `${site.subnetCidr} is smaller than one address block (${blockSize}); use a larger subnet or a smaller ipam.blockSize`);
    }
    if (cidrsOverlap(subnet, external)) {
      add([...base, "externalNetwork", "cidr"], `external network ${site.externalNetwork.cidr} overlaps the site subnet ${site.subnetCidr}`);
    }
    checkZones(site.availabilityZones, [...base, "availabilityZones"], add);
    const destinations = new Map<string, number>();
    site.routes.forEach((r, ri) => {
      if (!cidrContains(subnet, ipToInt(r.nextHop))) {
        add([...base, "routes", ri, "nextHop"], `next hop ${r.nextHop} is not on the site subnet ${site.subnetCidr}; the router can only reach next hops on its own subnet`);
      }
      const first = destinations.get(r.destination);
      if (first !== undefined) {
        add([...base, "routes", ri, "destination"], `route to ${r.destination} is already defined by routes[${first}]; a router holds one static route per destination, so remove one of them`);
      } else destinations.set(r.destination, ri);
    });
    for (const [svcName, vip] of Object.entries(site.vips)) {
      const path: Path = [...base, "vips", svcName];
      if (!serviceNames.has(svcName)) add(path, `no service named "${svcName}"; VIPs are keyed by service name (${[...serviceNames.keys()].join(", ")})`);
      const ip = ipToInt(vip);
      if (!cidrContains(external, ip)) add(path, `VIP ${vip} is outside the external network ${site.externalNetwork.name} (${site.externalNetwork.cidr}); floating IPs can only come from that range`);
      for (const n of nets) {
        if (cidrContains(parseCidr(n.cidr), ip)) add(path, `VIP ${vip} is inside the private network ${n.cidr} of site "${n.site}"; a public VIP must come from the external network`);
      }
      const twin = seenVips.get(vip);
      if (twin) add(path, `VIP ${vip} is already used by ${twin}; every service in every site needs its own public address`);
      else seenVips.set(vip, `${site.name}/${svcName}`);
    }
  });
}

/** One service: its image, the sites it names, how its fleets fit their address blocks, VIPs, health check, listeners. */
function checkService(check: EstateCheck, svc: EnvironmentFile["services"][number], vi: number): void {
  const { env, add, blockSize, allSites } = check;
  const base: Path = ["services", vi];
  const backends = svc.listeners.map((l) => ({ ...l, backendPort: l.backendPort ?? l.port }));
  const image = env.images.find((img) => img.name === svc.image);
  const knownImages = env.images.map((i) => i.name);
  if (!image) add([...base, "image"], `no golden image named "${svc.image}" (known: ${knownImages.join(", ")})${didYouMean(svc.image, knownImages)}`);
  for (const site of Object.keys(svc.instancesBySite)) {
    if (!allSites.includes(site)) add([...base, "instancesBySite", site], `no site named "${site}" (known: ${allSites.join(", ")})${didYouMean(site, allSites)}`);
  }
  if (svc.ipBlock > maxIpBlockForVip(blockSize)) {
    add([...base, "ipBlock"], `ipBlock ${svc.ipBlock} is too high for blockSize ${blockSize}: at most ${maxIpBlockForVip(blockSize)} services fit; raise ipam.blockSize`);
  }
  env.sites.openstack.forEach((site, si) => checkServiceInOpenstackSite(check, svc, base, image, site, si));
  if (env.sites.aws) checkServiceInAwsSite(check, svc, base, image, backends, env.sites.aws);
  if ((svc.healthCheck.protocol === "HTTP" || svc.healthCheck.protocol === "HTTPS") && !svc.healthCheck.path) {
    add([...base, "healthCheck", "path"], `an ${svc.healthCheck.protocol} health check needs a path, e.g. path: /healthz`);
  }
  const healthPortProblem = healthCheckPortProblem(backends, svc.healthCheck);
  if (healthPortProblem) add([...base, "healthCheck", "port"], healthPortProblem);
  const ports = new Set<number>();
  svc.listeners.forEach((l, li) => {
    if (ports.has(l.port)) add([...base, "listeners", li, "port"], `port ${l.port} is used by two listeners of this service; a load balancer listens once per port`);
    ports.add(l.port);
    if (l.protocol === "TERMINATED_HTTPS" && !l.tls) add([...base, "listeners", li], "a TERMINATED_HTTPS listener needs tls: {openstackContainerRef, awsCertificateArn}");
    if (l.protocol !== "TERMINATED_HTTPS" && l.tls) add([...base, "listeners", li, "tls"], `tls is only used by TERMINATED_HTTPS listeners; this one is ${l.protocol}`);
  });
}

type ServiceFile = EnvironmentFile["services"][number];
type ImageFile = EnvironmentFile["images"][number];

/** A service's fleet in one OpenStack site: its address block, its VIP, its image reference, its longest host name. */
function checkServiceInOpenstackSite(
  { env, add, blockSize }: EstateCheck,
  svc: ServiceFile,
  base: Path,
  image: ImageFile | undefined,
  site: EnvironmentFile["sites"]["openstack"][number],
  si: number,
): void {
  const count = instancesIn(svc, site.name);
  if (count === 0) return;
  const capacity = blockCapacity(blockSize);
  if (count > capacity) {
    add(instancesPath(svc, site.name, base), `${count} instances do not fit in one address block of ${blockSize} (at most ${capacity}); raise ipam.blockSize`);
  } else if (svc.ipBlock >= blocksIn(site.subnetCidr, blockSize)) {
    add([...base, "ipBlock"], `ipBlock ${svc.ipBlock} is outside site "${site.name}" subnet ${site.subnetCidr}, which holds blocks 0..${blocksIn(site.subnetCidr, blockSize) - 1} of ${blockSize} addresses; use a larger subnet or a lower ipBlock`);
  }
  if (svc.exposure === "public" && own(site.vips, svc.name) === undefined) {
    add(["sites", "openstack", si, "vips"], `no VIP for service "${svc.name}", which runs ${count} instance(s) in this site; add vips.${svc.name}: <address on ${site.externalNetwork.cidr}>`);
  }
  if (svc.exposure === "internal" && own(site.vips, svc.name) !== undefined) {
    add(["sites", "openstack", si, "vips", svc.name], `service "${svc.name}" is internal and gets no public VIP; remove this entry, or make the service exposure: public`);
  }
  if (image && own(image.openstack, site.name) === undefined) {
    add(["images", env.images.indexOf(image), "openstack"], `image "${image.name}" has no reference for site "${site.name}", where service "${svc.name}" runs; add openstack.${site.name}: {name: ...} or {id: ...}`);
  }
  const longest = hostName(env.name, site.name, svc.name, count);
  if (longest.length > 63) add([...base, "name"], `host name "${longest}" is longer than 63 characters, the limit for a host name; shorten the environment, site or service name`);
}

/** A service's fleet in the AWS site: how it spreads over the zone subnets, its health check port, its AMI. */
function checkServiceInAwsSite(
  { env, add, blockSize }: EstateCheck,
  svc: ServiceFile,
  base: Path,
  image: ImageFile | undefined,
  backends: Parameters<typeof awsHealthCheckPortProblem>[0],
  aws: NonNullable<EnvironmentFile["sites"]["aws"]>,
): void {
  const count = instancesIn(svc, aws.name);
  if (count === 0) return;
  const capacity = blockCapacity(blockSize);
  const zones = aws.availabilityZones.length;
  const perZone = Math.ceil(count / zones);
  const subnetSize = 2 ** (32 - aws.subnetPrefixLength);
  if (perZone > capacity) {
    add(instancesPath(svc, aws.name, base), `${count} instances over ${zones} zones put ${perZone} in one zone, more than one address block of ${blockSize} holds (${capacity}); raise ipam.blockSize`);
  } else if ((svc.ipBlock + 1) * blockSize > subnetSize) {
    add([...base, "ipBlock"], `ipBlock ${svc.ipBlock} does not fit in the AWS /${aws.subnetPrefixLength} zone subnets (${subnetSize / blockSize} blocks of ${blockSize}); lower sites.aws.subnetPrefixLength or ipBlock`);
  }
  const awsHealthProblem = awsHealthCheckPortProblem(backends, svc.healthCheck, aws.name);
  if (awsHealthProblem) add([...base, "healthCheck", "port"], awsHealthProblem);
  if (image && !image.aws) add(["images", env.images.indexOf(image), "aws"], `image "${image.name}" has no AWS reference, but service "${svc.name}" runs ${count} instance(s) in site "${aws.name}"; add aws: {ami: ...} or {amiName: ..., owner: ...}`);
}

/** The AWS site's zones belong to its region, and its zone subnets fit in the VPC. */
function checkAwsSite({ add }: EstateCheck, aws: NonNullable<EnvironmentFile["sites"]["aws"]>): void {
  checkZones(aws.availabilityZones, ["sites", "aws", "availabilityZones"], add);
  aws.availabilityZones.forEach((zone, zi) => {
    const letter = zone.startsWith(`${aws.region}`) ? zone.slice(aws.region.length) : undefined;
    if (letter === undefined || !/^([a-z]|-[a-z0-9-]+)$/.test(letter)) {
      add(["sites", "aws", "availabilityZones", zi], `availability zone "${zone}" is not in region ${aws.region}; AWS zone names are the region name and a letter, e.g. "${aws.region}a"`);
    }
  });
  const vpc = parseCidr(aws.vpcCidr);
  const needed = aws.availabilityZones.length * 2 * 2 ** (32 - aws.subnetPrefixLength);
  if (aws.subnetPrefixLength < vpc.prefix || needed > vpc.size) {
    add(["sites", "aws", "subnetPrefixLength"], `${aws.availabilityZones.length} zones need ${aws.availabilityZones.length * 2} subnets of /${aws.subnetPrefixLength}, which do not fit in ${aws.vpcCidr}; use a longer prefix or a larger VPC`);
  }
}

/** Image references name OpenStack sites that exist. */
function checkImageSites({ env, add }: EstateCheck): void {
  env.images.forEach((img, ii) => {
    for (const site of Object.keys(img.openstack)) {
      const known = env.sites.openstack.map((s) => s.name);
      if (!known.includes(site)) add(["images", ii, "openstack", site], `no OpenStack site named "${site}" (known: ${known.join(", ")})${didYouMean(site, known)}`);
    }
  });
}

/** Drains name sites that exist, at least one site takes traffic, and every public service keeps a record Route 53 can use. */
function checkTrafficTaken({ env, add, allSites }: EstateCheck, drainOverrides: readonly string[]): void {
  const os = env.sites.openstack;
  const aws = env.sites.aws;
  for (const d of drainOverrides) {
    if (!allSites.includes(d)) add([], `cannot drain "${d}": no such site (known: ${allSites.join(", ")})`);
  }
  const drained = (name: string, state: string) => state === "drained" || drainOverrides.includes(name);
  const serving = [...os.map((s) => !drained(s.name, s.traffic.state) && s.traffic.weight > 0), ...(aws ? [!drained(aws.name, aws.traffic.state) && aws.traffic.weight > 0] : [])];
  if (!serving.some(Boolean)) {
    add(["sites"], "every site is drained or has weight 0: the estate would take no traffic at all; keep at least one site active with a weight above 0");
  } else if (env.traffic) {
    // The file's own states only: a drain for this run (ESTATE_DRAIN) is not in the file, so there is no line to
    // point at; the traffic stack refuses that case itself, and synthesis reports it against the file.
    checkServiceTraffic(env, (_, state) => state === "drained", add);
  }
}

/** What AWS accepts of the VPC and of the names derived from the environment's. */
function checkAwsNames({ env, add }: EstateCheck, aws: NonNullable<EnvironmentFile["sites"]["aws"]>): void {
  const prefix = parseCidr(aws.vpcCidr).prefix;
  if (prefix < 16 || prefix > 28) add(["sites", "aws", "vpcCidr"], `${aws.vpcCidr} has a /${prefix} prefix; AWS accepts VPCs from /16 to /28`);
  for (const reserved of ["sg", "internal"]) {
    if (env.name === reserved || env.name.startsWith(`${reserved}-`)) {
      add(["name"], `environment name "${env.name}" would make AWS load balancer and security group names start with "${reserved}-", which AWS reserves; pick another name`);
    }
  }
}

/**
 * Stack names, host names and monitoring file names join names with dashes ("<env>-<site>-<service>-NNN"), so two
 * different pairs of names can join to the same string ("os-a" + "b-web" and "os-a-b" + "web"). Such a clash would
 * silently give two hosts one name, or one stack two meanings.
 */
function checkGeneratedNames(env: EnvironmentFile, add: (p: Path, m: string) => void): void {
  const stacks = new Map<string, string>();
  const claim = (stack: string, owner: string, path: Path) => {
    const first = stacks.get(stack);
    if (first !== undefined) add(path, `stack name "${stack}" would be used by both ${first} and ${owner}; rename the site`);
    else stacks.set(stack, owner);
  };
  if (env.traffic) stacks.set(trafficStackName(env.name), "the traffic stack");
  const sites: { name: string; path: Path }[] = [
    ...env.sites.openstack.map((s, i) => ({ name: s.name, path: ["sites", "openstack", i, "name"] as Path })),
    ...(env.sites.aws ? [{ name: env.sites.aws.name, path: ["sites", "aws", "name"] as Path }] : []),
  ];
  for (const site of sites) claim(siteStackName(env.name, site.name), `site "${site.name}"`, site.path);
  if (env.bake?.image !== undefined && !env.images.some((img) => img.name === env.bake!.image)) {
    add(["bake", "image"], `no golden image named "${env.bake.image}" (known: ${env.images.map((img) => img.name).join(", ")})`);
  }
  if (env.bake?.enabled) env.sites.openstack.forEach((s, i) => claim(bakeStackName(env.name, s.name), `the bake stack of site "${s.name}"`, ["sites", "openstack", i, "name"]));

  const fleets = new Map<string, string>();
  env.services.forEach((svc, vi) => {
    for (const site of sites) {
      if (instancesIn(svc, site.name) === 0) continue;
      const fleet = fleetName(env.name, site.name, svc.name);
      const first = fleets.get(fleet);
      if (first !== undefined && first !== `service "${svc.name}" in site "${site.name}"`) {
        add(["services", vi, "name"], `hosts of service "${svc.name}" in site "${site.name}" and of ${first} would both be named ${fleet}-NNN; rename a site or a service`);
      } else fleets.set(fleet, `service "${svc.name}" in site "${site.name}"`);
    }
  });
}

/**
 * Route 53 needs, per service, at least one record with a weight above 0 (a set whose weights are all 0 counts as
 * equally weighted and would send traffic to drained sites), a listener its health checkers can probe, and public
 * targets.
 */
function checkServiceTraffic(env: EnvironmentFile, drained: (site: string, state: string) => boolean, add: (p: Path, m: string) => void): void {
  const aws = env.sites.aws;
  env.services.forEach((svc, vi) => {
    const base: Path = ["services", vi];
    // Internal services get no DNS record.
    if (svc.exposure === "internal") return;
    const sites = [...env.sites.openstack, ...(aws ? [aws] : [])].filter((site) => instancesIn(svc, site.name) > 0);
    if (sites.length === 0) return;
    const weightOf = (site: (typeof sites)[number]) => (drained(site.name, site.traffic.state) ? 0 : site.traffic.weight);
    if (sites.every((site) => weightOf(site) === 0)) {
      const why = sites.map((site) => `${site.name}: ${drained(site.name, site.traffic.state) ? "drained" : "weight 0"}`).join(", ");
      add([...base, "name"], `service "${svc.name}" runs only in sites that take no traffic (${why}); Route 53 treats a set of records that all weigh 0 as equally weighted and would send traffic to them: keep at least one site that runs it active with a weight above 0`);
    }
    if (svc.listeners.every((l) => l.protocol === "UDP")) {
      add([...base, "listeners"], "every listener is UDP, which Route 53 health checks cannot probe; add a TCP or HTTP listener (or leave out the traffic section)");
    }
    env.sites.openstack.forEach((site, si) => {
      const vip = own(site.vips, svc.name);
      if (vip === undefined || instancesIn(svc, site.name) === 0 || !ipaddr.IPv4.isValidFourPartDecimal(vip)) return;
      const range = ipaddr.IPv4.parse(vip).range();
      if (UNREACHABLE_RANGES.includes(range)) {
        add(["sites", "openstack", si, "vips", svc.name], `VIP ${vip} is a ${range} address; Route 53 health checkers probe from the internet and cannot reach it: use a public address for a site in traffic`);
      }
    });
  });
}

/** Address ranges Route 53 health checkers cannot reach (ipaddr.js range names). */
export const UNREACHABLE_RANGES: readonly string[] = ["unspecified", "broadcast", "multicast", "linkLocal", "loopback", "private", "carrierGradeNat"];

/**
 * What the load balancers accept: Octavia monitors time out within their delay; AWS target groups time out in 2 s or
 * more and less than the interval. (TLS pass-through and TCP health checks get a network load balancer in AWS:
 * resolve.ts decides it.)
 */
function checkHealthChecks(env: EnvironmentFile, add: (p: Path, m: string) => void): void {
  const aws = env.sites.aws;
  env.services.forEach((svc, vi) => {
    const base: Path = ["services", vi];
    const hc = svc.healthCheck;
    const inOpenstack = env.sites.openstack.some((s) => instancesIn(svc, s.name) > 0);
    const inAws = aws !== undefined && instancesIn(svc, aws.name) > 0;
    if (inOpenstack && hc.timeoutSec > hc.intervalSec) {
      add([...base, "healthCheck", "timeoutSec"], `timeoutSec (${hc.timeoutSec}) must not exceed intervalSec (${hc.intervalSec}); a probe would outlast its own interval (Octavia's API reference asks for a timeout below the delay)`);
    } else if (inAws && (hc.timeoutSec < 2 || hc.timeoutSec >= hc.intervalSec)) {
      add([...base, "healthCheck", "timeoutSec"], `timeoutSec must be at least 2 and less than intervalSec (${hc.intervalSec}) for the AWS load balancer in site "${aws!.name}", got ${hc.timeoutSec}`);
    }
  });
}

function checkZones(zones: readonly string[], path: Path, add: (p: Path, m: string) => void): void {
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    if (seen.has(zone)) add([...path, i], `availability zone "${zone}" is listed twice; hosts go round-robin over the list, so a repeated zone skews placement`);
    seen.add(zone);
  });
}

function instancesPath(svc: EnvironmentFile["services"][number], site: string, base: Path): Path {
  return Object.hasOwn(svc.instancesBySite, site) ? [...base, "instancesBySite", site] : [...base, "instancesPerSite"];
}

function checkUnique(seen: Map<string, Path>, value: string, path: Path, what: string, add: (p: Path, m: string) => void): void {
  const first = seen.get(value);
  if (first) add(path, `duplicate ${what} name "${value}" (first at ${formatPath(first)}); ${what} names must be unique`);
  else seen.set(value, path);
}

/**
 * Backend settings that depend on each other: the lock mode and its table, and the region, which Terraform checks
 * against AWS's region names unless an s3-compatible endpoint is set (it then sets skip_region_validation).
 */
function checkBackend(backend: EnvironmentFile["backend"], add: (p: Path, m: string) => void): void {
  if (backend.type !== "s3") return;
  if (backend.locking !== "lockfile" && backend.dynamodbTable === undefined) {
    add(["backend", "locking"], `locking: ${backend.locking} takes a lock in DynamoDB: add dynamodbTable with the lock table's name, or use locking: lockfile`);
  }
  if (backend.locking === "lockfile" && backend.dynamodbTable !== undefined) {
    add(
      ["backend", "dynamodbTable"],
      `dynamodbTable is set but locking is lockfile (the default), so Terraform would not use the table: write "locking: both" while runners move off DynamoDB, "locking: dynamodb" to keep it, or remove dynamodbTable`,
    );
  }
  if (backend.locking === "lockfile" && backend.dynamodbEndpoint !== undefined) {
    add(["backend", "dynamodbEndpoint"], "dynamodbEndpoint is set but locking is lockfile, so Terraform would not use DynamoDB: remove it, or choose locking: dynamodb or both with a dynamodbTable");
  }
  if (backend.endpoint === undefined) {
    const why = awsRegionProblem(backend.region);
    if (why) add(["backend", "region"], `${why}; Terraform's S3 backend refuses a region AWS does not have (set endpoint for an s3-compatible store)`);
  } else if (/\s/.test(backend.region)) {
    add(["backend", "region"], `region ${JSON.stringify(backend.region)} holds spaces; write the store's region name, e.g. "us-east-1"`);
  }
}
