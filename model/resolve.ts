/**
 * Turns a validated environment file into the EstateModel: every name, address and placement decided here.
 */
import { listenerHealthProbe, publicHealthCheck, serviceHealthCheckPort, targetHealthCheck } from "./health-check";
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
} from "./types";
import { hostName, instancesIn } from "./validate";

export interface ResolveOptions {
  /** Sites to drain for this run only, on top of what the file says. */
  readonly drain?: readonly string[];
}

/** AWS load balancer names are limited to 32 characters; keep them deterministic so others can look them up. */
export function awsLoadBalancerName(env: string, service: string): string {
  const full = `${env}-${service}`;
  if (full.length <= 32) return full;
  let h = 0;
  for (const ch of full) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${full.slice(0, 25)}-${h.toString(36).padStart(6, "0").slice(0, 6)}`;
}

export function resolveEstate(env: EnvironmentFile, sourceFile: string, options: ResolveOptions = {}): EstateModel {
  const drain = new Set(options.drain ?? []);
  const blockSize = env.ipam.blockSize;
  const imageByName = new Map(env.images.map((img) => [img.name, img]));

  const services: ServiceModel[] = env.services.map((svc) => {
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
      ...(svc.peakInstances !== undefined ? { peakInstances: svc.peakInstances } : {}),
      warmup: svc.warmup,
      volumeSizeGiB: svc.volumeSizeGiB,
    };
  });

  const traffic = (site: string, t: { state: "active" | "drained"; weight: number }): TrafficModel => {
    const state = drain.has(site) ? "drained" : t.state;
    return { state, weight: t.weight, effectiveWeight: state === "drained" ? 0 : t.weight };
  };

  const hosts: HostModel[] = [];
  const openstackSites: OpenstackSiteModel[] = env.sites.openstack.map((site) => {
    const azs = site.availabilityZones;
    const siteServices = services
      .map((svc, i) => ({ svc, count: instancesIn(env.services[i], site.name) }))
      .filter(({ count }) => count > 0)
      .map(({ svc, count }) => {
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
        for (const h of fleet) hosts.push(h);
        const publicVip = svc.exposure === "public" ? site.vips[svc.name] : undefined;
        const groupName = `${env.name}-${site.name}-${svc.name}`;
        const serverGroups = placed ? Array.from({ length: serverGroupCount(count, members) }, (_, i) => (i === 0 ? groupName : `${groupName}-${i + 1}`)) : [];
        return { service: svc.name, hosts: fleet, ...(publicVip ? { publicVip } : {}), lbVipAddress: lbVipAddress(site.subnetCidr, svc.ipBlock), serverGroups };
      });
    const images: Record<string, { id?: string; name?: string }> = {};
    for (const img of env.images) {
      const ref = img.openstack[site.name];
      if (ref) images[img.name] = { ...ref };
    }
    return {
      kind: "openstack",
      name: site.name,
      stackName: `${env.name}-${site.name}`,
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
      traffic: traffic(site.name, site.traffic),
      services: siteServices,
      images,
      limits: site.limits,
    };
  });

  let awsSite: AwsSiteModel | undefined;
  const aws = env.sites.aws;
  if (aws) {
    const vpc = parseCidr(aws.vpcCidr);
    const zones = aws.availabilityZones.map((name, i) => ({
      name,
      privateSubnetCidr: nthSubnet(vpc, aws.subnetPrefixLength, i)!,
      publicSubnetCidr: nthSubnet(vpc, aws.subnetPrefixLength, aws.availabilityZones.length + i)!,
    }));
    const siteServices: AwsSiteServiceModel[] = services
      .map((svc, i) => ({ svc, count: instancesIn(env.services[i], aws.name) }))
      .filter(({ count }) => count > 0)
      .map(({ svc, count }) => {
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
        for (const h of fleet) hosts.push(h);
        return {
          service: svc.name,
          hosts: fleet,
          loadBalancerName: awsLoadBalancerName(env.name, svc.name),
          loadBalancerType: awsLoadBalancerType(svc.listeners, svc.healthCheck.protocol),
        };
      });
    const images: Record<string, { ami?: string; amiName?: string; owner?: string }> = {};
    for (const img of env.images) if (img.aws) images[img.name] = { ...img.aws };
    awsSite = {
      kind: "aws",
      name: aws.name,
      stackName: `${env.name}-${aws.name}`,
      region: aws.region,
      ...(aws.profile ? { profile: aws.profile } : {}),
      ...(aws.assumeRoleArn ? { assumeRoleArn: aws.assumeRoleArn } : {}),
      vpcCidr: aws.vpcCidr,
      zones,
      traffic: traffic(aws.name, aws.traffic),
      services: siteServices,
      images,
    };
  }

  const bakeEnabled = env.bake?.enabled ?? false;
  // One bake produces one golden image: the one named in bake.image, else the first service's.
  const baked = imageByName.get(env.bake?.image ?? env.services[0].image)!;
  const builders: BuilderModel[] = bakeEnabled
    ? openstackSites.map((site) => ({
        site: site.name,
        stackName: `${site.stackName}-bake`,
        name: `${env.name}-${site.name}-builder`,
        ip: builderIp(site.subnetCidr),
        availabilityZone: site.availabilityZones[0],
        image: baked.name,
        imageVersion: baked.version,
        // Published under the name the site's stack looks it up by; `<image>-<version>` where the site pins an id.
        publishName: site.images[baked.name]?.name ?? `${baked.name}-${baked.version}`,
      }))
    : [];

  const stacks: StackRef[] = [
    ...openstackSites.map((s) => ({ name: s.stackName, kind: "openstack" as const, site: s.name })),
    ...(awsSite ? [{ name: awsSite.stackName, kind: "aws" as const, site: awsSite.name }] : []),
    ...(env.traffic ? [{ name: `${env.name}-traffic`, kind: "traffic" as const }] : []),
    ...builders.map((b) => ({ name: b.stackName, kind: "bake" as const, site: b.site })),
  ];

  const zone = env.traffic?.hostedZone;
  return applyRollouts(env, {
    env: env.name,
    sourceFile,
    adminCidrs: env.adminCidrs,
    ssh: env.ssh,
    backend: resolveBackend(env.backend),
    openstackSites,
    ...(awsSite ? { awsSite } : {}),
    services,
    imageNames: env.images.map((img) => img.name),
    hosts,
    ...(env.traffic && zone
      ? {
          traffic: {
            ...("id" in zone ? { zoneId: zone.id } : {}),
            createZone: "create" in zone,
            domain: zone.domain,
            ttlSec: env.traffic.ttlSec,
            healthCheckerCidrs: env.traffic.healthCheckerCidrs,
          },
        }
      : {}),
    bake: {
      enabled: bakeEnabled,
      ...(env.bake ? { baseImage: env.bake.baseImage, flavor: env.bake.flavor } : {}),
      builders,
    },
    monitoring: { ...env.monitoring, scrapeCidrs: env.monitoring.scrapeCidrs ?? env.adminCidrs },
    suppressions: env.policy.suppressions,
    stacks,
  });
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
