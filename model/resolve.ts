/**
 * Turns a validated environment file into the EstateModel: every name, address and placement decided here.
 */
import { listenerHealthProbe, publicHealthCheck, serviceHealthCheckPort, targetHealthCheck } from "./health-check";
import { coversPublicInternet } from "./cidr-set";
import { blockAddresses, builderIp, dhcpCidr, dhcpPool, gatewayIp, lbVipAddress, zoneIndexOf } from "./address-plan";
import { nthSubnet, parseCidr } from "./ipam";
import { awsLoadBalancerType } from "./load-balancer-type";
import { serverGroupCount, serverGroupOrdinal } from "./limits";
import { applyRollouts } from "./rollout";
import type { EnvironmentFile } from "./schema";
import type {
  AwsSiteModel,
  BackendModel,
  AwsSiteServiceModel,
  BuilderModel,
  EstateModel,
  HostModel,
  OpenstackSiteModel,
  ServiceModel,
  StackRef,
  TrafficModel,
  TrafficState,
} from "./types";
import { awsLoadBalancerName, bakedImageName, bakeStackName, builderName, fleetName, hostName, serverGroupName, siteStackName, trafficStackName } from "./naming";
import { instancesIn } from "./validate";

/** Options of resolving an environment into the model. */
export interface ResolveOptions {
  /** Sites to drain for this run only, on top of what the file says. @default [] */
  readonly drain?: readonly string[];
}

export function resolveEstate(env: EnvironmentFile, sourceFile: string, options: ResolveOptions = {}): EstateModel {
  const drain = new Set(options.drain ?? []);
  const trafficOf = (site: string, t: { state: TrafficState; weight: number }): TrafficModel => {
    const state = drain.has(site) ? "drained" : t.state;
    return { state, weight: t.weight, effectiveWeight: state === "drained" ? 0 : t.weight };
  };
  const services = resolveServices(env);
  const openstackSites = env.sites.openstack.map((site) => resolveOpenstackSite(env, site, services, trafficOf));
  const awsSite = env.sites.aws ? resolveAwsSite(env, env.sites.aws, services, trafficOf) : undefined;
  const builders = resolveBuilders(env, openstackSites);
  const traffic = resolveTraffic(env);
  const model: EstateModel = {
    env: env.name,
    sourceFile,
    adminCidrs: env.adminCidrs,
    ssh: env.ssh,
    backend: resolveBackend(env.backend),
    openstackSites,
    ...(awsSite ? { awsSite } : {}),
    services,
    imageNames: env.images.map((img) => img.name),
    // Sites in file order, then services in file order, then index.
    hosts: [...openstackSites, ...(awsSite ? [awsSite] : [])].flatMap((site) => site.services.flatMap((placed) => placed.hosts)),
    ...(traffic ? { traffic } : {}),
    bake: {
      enabled: env.bake?.enabled ?? false,
      ...(env.bake ? { baseImage: env.bake.baseImage, flavor: env.bake.flavor } : {}),
      builders,
    },
    monitoring: { ...env.monitoring, scrapeCidrs: env.monitoring.scrapeCidrs ?? env.adminCidrs },
    suppressions: env.policy.suppressions,
    stacks: resolveStacks(env, openstackSites, awsSite, builders),
  };
  // Rollouts last: each rolled host's version and service state at the rollout's step.
  return applyRollouts(env, model);
}

type TrafficOf = (site: string, t: { state: TrafficState; weight: number }) => TrafficModel;

/** Each service with its image version, listeners, health checks and Route 53 exposure decided. */
function resolveServices(env: EnvironmentFile): ServiceModel[] {
  const imageByName = new Map(env.images.map((img) => [img.name, img]));
  return env.services.map((svc) => {
    const hc = svc.healthCheck;
    // Health probes are decided per pool from what its backend serves (model/health-check.ts), never by list order.
    const listeners = svc.listeners.map((l) => ({ protocol: l.protocol, port: l.port, backendPort: l.backendPort ?? l.port, ...(l.tls ? { tls: l.tls } : {}) }));
    const healthPort = serviceHealthCheckPort(listeners, hc);
    const publicCheck = publicHealthCheck(listeners, hc);
    return {
      name: svc.name,
      image: svc.image,
      imageVersion: imageByName.get(svc.image)!.version,
      flavor: svc.flavor,
      instanceType: svc.instanceType,
      ipBlock: svc.ipBlock,
      listeners: listeners.map((l) => ({ ...l, healthProbe: listenerHealthProbe(l, hc), targetHealthCheck: targetHealthCheck(l, hc, healthPort) })),
      healthCheck: {
        protocol: hc.protocol,
        ...(hc.protocol === "TCP" ? {} : { path: hc.path }),
        port: healthPort,
        intervalSec: hc.intervalSec,
        timeoutSec: hc.timeoutSec,
        healthyThreshold: hc.healthyThreshold,
        unhealthyThreshold: hc.unhealthyThreshold,
        expectedCodes: hc.expectedCodes,
      },
      ...(publicCheck ? { publicHealthCheck: publicCheck } : {}),
      placement: svc.placement,
      exposure: svc.exposure,
      allowedCidrs: svc.allowedCidrs,
      // Route 53 probes every site of a public service from the internet: let its checkers in unless everyone is.
      admitsRoute53HealthCheckers: env.traffic !== undefined && svc.exposure === "public" && !coversPublicInternet(svc.allowedCidrs),
      ...(svc.peakInstances !== undefined ? { peakInstances: svc.peakInstances } : {}),
      warmup: svc.warmup,
      volumeSizeGiB: svc.volumeSizeGiB,
    };
  });
}

/** The services a site runs (count above 0), in file order, with their instance counts. */
function placedIn(env: EnvironmentFile, site: string, services: readonly ServiceModel[]): { svc: ServiceModel; count: number }[] {
  return services.map((svc, i) => ({ svc, count: instancesIn(env.services[i], site) })).filter(({ count }) => count > 0);
}

/** One OpenStack site: its network plan, its fleets with fixed IPs and zones, VIPs, server groups and images. */
function resolveOpenstackSite(env: EnvironmentFile, site: EnvironmentFile["sites"]["openstack"][number], services: readonly ServiceModel[], trafficOf: TrafficOf): OpenstackSiteModel {
  const blockSize = env.ipam.blockSize;
  const azs = site.availabilityZones;
  const siteServices = placedIn(env, site.name, services).map(({ svc, count }) => {
    const address = blockAddresses(site.subnetCidr, blockSize, svc.ipBlock);
    const placed = svc.placement !== "none";
    const members = site.limits.serverGroupMembers;
    const fleet: HostModel[] = new Array(count);
    for (let n = 1; n <= count; n++) {
      fleet[n - 1] = {
        name: hostName(env.name, site.name, svc.name, n),
        site: site.name,
        siteKind: "openstack",
        service: svc.name,
        index: n,
        ip: address(n),
        // Round-robin over the zones as written: their order places hosts, sorting them would move hosts.
        availabilityZone: azs[zoneIndexOf(n, azs.length)],
        image: svc.image,
        imageVersion: svc.imageVersion,
        ...(placed ? { serverGroup: serverGroupOrdinal(n, members) } : {}),
      };
    }
    const publicVip = svc.exposure === "public" ? site.vips[svc.name] : undefined;
    const resourceName = fleetName(env.name, site.name, svc.name);
    const serverGroups = placed ? Array.from({ length: serverGroupCount(count, members) }, (_, i) => serverGroupName(resourceName, i + 1)) : [];
    return { service: svc, hosts: fleet, resourceName, ...(publicVip ? { publicVip } : {}), lbVipAddress: lbVipAddress(site.subnetCidr, svc.ipBlock), serverGroups };
  });
  const images: Record<string, { id?: string; name?: string }> = {};
  for (const img of env.images) {
    const ref = img.openstack[site.name];
    if (ref) images[img.name] = { ...ref };
  }
  return {
    kind: "openstack",
    name: site.name,
    stackName: siteStackName(env.name, site.name),
    cloud: site.cloud,
    region: site.region,
    availabilityZones: azs,
    externalNetwork: site.externalNetwork,
    subnetCidr: site.subnetCidr,
    gatewayIp: gatewayIp(site.subnetCidr),
    allocationPool: dhcpPool(site.subnetCidr, blockSize),
    loadBalancerSourceCidr: dhcpCidr(site.subnetCidr, blockSize),
    dnsServers: site.dnsServers,
    routes: site.routes,
    traffic: trafficOf(site.name, site.traffic),
    services: siteServices,
    images,
    limits: site.limits,
  };
}

/** The AWS site: zone subnets carved from the VPC, fleets spread over the zones, load balancer names and types. */
function resolveAwsSite(env: EnvironmentFile, aws: NonNullable<EnvironmentFile["sites"]["aws"]>, services: readonly ServiceModel[], trafficOf: TrafficOf): AwsSiteModel {
  const blockSize = env.ipam.blockSize;
  const vpc = parseCidr(aws.vpcCidr);
  const zones = aws.availabilityZones.map((name, i) => ({
    name,
    privateSubnetCidr: nthSubnet(vpc, aws.subnetPrefixLength, i)!,
    publicSubnetCidr: nthSubnet(vpc, aws.subnetPrefixLength, aws.availabilityZones.length + i)!,
  }));
  const siteServices: AwsSiteServiceModel[] = placedIn(env, aws.name, services).map(({ svc, count }) => {
    const addressIn = zones.map((z) => blockAddresses(z.privateSubnetCidr, blockSize, svc.ipBlock));
    const fleet: HostModel[] = new Array(count);
    for (let n = 1; n <= count; n++) {
      const zoneIndex = zoneIndexOf(n, zones.length);
      const zone = zones[zoneIndex];
      const ordinalInZone = Math.floor((n - 1) / zones.length) + 1;
      fleet[n - 1] = {
        name: hostName(env.name, aws.name, svc.name, n),
        site: aws.name,
        siteKind: "aws",
        service: svc.name,
        index: n,
        ip: addressIn[zoneIndex](ordinalInZone),
        availabilityZone: zone.name,
        image: svc.image,
        imageVersion: svc.imageVersion,
      };
    }
    return {
      service: svc,
      hosts: fleet,
      loadBalancerName: awsLoadBalancerName(env.name, svc.name),
      loadBalancerType: awsLoadBalancerType(svc.listeners, svc.healthCheck.protocol),
    };
  });
  const images: Record<string, { ami?: string; amiName?: string; owner?: string }> = {};
  for (const img of env.images) if (img.aws) images[img.name] = { ...img.aws };
  return {
    kind: "aws",
    name: aws.name,
    stackName: siteStackName(env.name, aws.name),
    region: aws.region,
    ...(aws.profile ? { profile: aws.profile } : {}),
    ...(aws.assumeRoleArn ? { assumeRoleArn: aws.assumeRoleArn } : {}),
    vpcCidr: aws.vpcCidr,
    zones,
    traffic: trafficOf(aws.name, aws.traffic),
    services: siteServices,
    images,
  };
}

/** One builder per OpenStack site when baking is enabled; one bake produces the image named in bake.image, else the first service's. */
function resolveBuilders(env: EnvironmentFile, openstackSites: readonly OpenstackSiteModel[]): BuilderModel[] {
  if (!(env.bake?.enabled ?? false)) return [];
  const baked = new Map(env.images.map((img) => [img.name, img])).get(env.bake?.image ?? env.services[0].image)!;
  return openstackSites.map((site) => ({
    site: site.name,
    stackName: bakeStackName(env.name, site.name),
    name: builderName(env.name, site.name),
    ip: builderIp(site.subnetCidr),
    availabilityZone: site.availabilityZones[0],
    image: baked.name,
    imageVersion: baked.version,
    // Published under the name the site's stack looks it up by; `<image>-<version>` where the site pins an id.
    publishName: site.images[baked.name]?.name ?? bakedImageName(baked.name, baked.version),
  }));
}

/** Route 53 settings of the estate, when the file has a traffic section. */
function resolveTraffic(env: EnvironmentFile): EstateModel["traffic"] {
  const zone = env.traffic?.hostedZone;
  if (!env.traffic || !zone) return undefined;
  return {
    stackName: trafficStackName(env.name),
    ...("id" in zone ? { zoneId: zone.id } : {}),
    createZone: "create" in zone,
    domain: zone.domain,
    ttlSec: env.traffic.ttlSec,
    healthCheckerCidrs: env.traffic.healthCheckerCidrs,
  };
}

/** Every stack of the estate: OpenStack sites, the AWS site, traffic, then the bake stacks. */
function resolveStacks(env: EnvironmentFile, openstackSites: readonly OpenstackSiteModel[], awsSite: AwsSiteModel | undefined, builders: readonly BuilderModel[]): StackRef[] {
  return [
    ...openstackSites.map((s) => ({ name: s.stackName, kind: "openstack" as const, site: s.name })),
    ...(awsSite ? [{ name: awsSite.stackName, kind: "aws" as const, site: awsSite.name }] : []),
    ...(env.traffic ? [{ name: trafficStackName(env.name), kind: "traffic" as const }] : []),
    ...builders.map((b) => ({ name: b.stackName, kind: "bake" as const, site: b.site })),
  ];
}

/** The backend as the stacks read it: only the settings Terraform gets. */
function resolveBackend(b: EnvironmentFile["backend"]): BackendModel {
  if (b.type === "local") return { type: "local", directory: b.directory };
  return {
    type: "s3",
    bucket: b.bucket,
    region: b.region,
    keyPrefix: b.keyPrefix,
    ...(b.endpoint !== undefined ? { endpoint: b.endpoint } : {}),
    locking: b.locking,
    ...(b.dynamodbTable !== undefined ? { dynamodbTable: b.dynamodbTable } : {}),
    ...(b.dynamodbEndpoint !== undefined ? { dynamodbEndpoint: b.dynamodbEndpoint } : {}),
    usePathStyle: b.usePathStyle,
  };
}
