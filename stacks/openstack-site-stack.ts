import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ComputeKeypairV2 } from "../.gen/providers/openstack/compute-keypair-v2";
import { OpenstackProvider } from "../.gen/providers/openstack/provider";
import {
  OpenstackFleet,
  OpenstackFloatingVip,
  OpenstackServiceLoadBalancer,
  OpenstackServerGroup,
  OpenstackServiceSecurityGroup,
  OpenstackSiteNetwork,
  type OpenstackFleetProps,
  type OpenstackServiceLoadBalancerProps,
  type OpenstackServiceSecurityGroupProps,
  type OpenstackSiteNetworkProps,
  type ServicePort,
} from "../constructs/openstack";
import { terraformLiteral } from "../constructs/terraform-literal";
import { hostsLocalName, imageVersionsIn, type EstateModel, type OpenstackSiteModel, type OpenstackSiteServiceModel, type ServiceModel } from "../model";
import { addSiteAdoption } from "./adoption";
import { EstateStack } from "./estate-stack";

/** What a site stack builds for one service; user code extends these (a rule on the group, a record for the VIP). */
export interface OpenstackSiteService {
  /** The service's Neutron security group: add `openstack_networking_secgroup_rule_v2` rules to it. */
  readonly securityGroup: OpenstackServiceSecurityGroup;
  /** One per Nova member quota's worth of hosts; empty with placement "none". */
  readonly serverGroups: readonly OpenstackServerGroup[];
  /** The service's hosts: Nova instances and their fixed-address ports. */
  readonly fleet: OpenstackFleet;
  /** The service's Octavia load balancer, listeners, pools and monitors. */
  readonly loadBalancer: OpenstackServiceLoadBalancer;
  /** The floating IP of a public service. @default - none: internal services have no floating IP */
  readonly publicVip?: OpenstackFloatingVip;
}

/**
 * One OpenStack site of one environment: its own provider (a clouds.yaml entry), its own state, and nothing that
 * refers to another stack.
 */
export class OpenstackSiteStack extends EstateStack {
  /** The site network every service of the site is attached to. */
  readonly network: OpenstackSiteNetwork;
  /** The services placed in this site, by service name, in the order of the environment file. */
  readonly services: ReadonlyMap<string, OpenstackSiteService>;

  constructor(scope: Construct, estate: EstateModel, site: OpenstackSiteModel) {
    super(scope, site.stackName, estate.backend);
    const built = new Map<string, OpenstackSiteService>();
    this.services = built;
    new OpenstackProvider(this, "openstack", { cloud: terraformLiteral(site.cloud), region: terraformLiteral(site.region) });

    const network = (this.network = new OpenstackSiteNetwork(this, "Network", toSiteNetworkProps(site)));

    // Referencing the key pair resource (when the stack registers it) orders instance creation after it.
    const keyPairName = estate.ssh.publicKey
      ? new ComputeKeypairV2(this, "KeyPair", { name: terraformLiteral(estate.ssh.keyName), publicKey: terraformLiteral(estate.ssh.publicKey) }).name
      : estate.ssh.keyName;

    for (const placed of site.services) {
      const service = placed.service;
      const ns = new Construct(this, service.name);
      const name = placed.resourceName;
      const security = new OpenstackServiceSecurityGroup(ns, "SecurityGroup", toSecurityGroupProps(estate, site, service, name));
      // Group 1 keeps the construct id it always had, so its Terraform address never moves; groups 2.. hold only
      // hosts added beyond a group's Nova member quota.
      const policy = service.placement;
      const serverGroups =
        policy === "none" ? [] : placed.serverGroups.map((groupName, i) => new OpenstackServerGroup(ns, i === 0 ? "ServerGroup" : `ServerGroup${i + 1}`, { name: groupName, policy }));
      const serverGroupIds = serverGroups.map((g) => g.serverGroupId);
      const fleet = new OpenstackFleet(ns, "Fleet", {
        ...toFleetProps(estate, site, service, placed),
        network,
        securityGroupIds: [security.securityGroupId],
        keyPairName,
        ...(serverGroupIds.length > 0 ? { serverGroupIds } : {}),
      });
      const lb = new OpenstackServiceLoadBalancer(ns, "LoadBalancer", { ...toLoadBalancerProps(estate, service, placed, name), network, members: fleet.hosts });
      // Internal services are reached on the site network only: no floating IP, the Octavia VIP is their address.
      const publicVip = placed.publicVip
        ? new OpenstackFloatingVip(ns, "PublicVip", {
            network,
            address: placed.publicVip,
            loadBalancer: lb,
            description: `Public VIP of ${name}`,
          })
        : undefined;
      built.set(service.name, { securityGroup: security, serverGroups, fleet, loadBalancer: lb, ...(publicVip ? { publicVip } : {}) });
      new TerraformOutput(ns, "Vip", {
        value: placed.publicVip ?? placed.lbVipAddress,
        description: placed.publicVip ? `Public VIP of ${service.name}` : `Internal VIP of ${service.name} on the site network`,
      });
    }
    // Existing objects this site takes over (environments/<env>.adopt/<site>.json): import blocks.
    addSiteAdoption(this, estate, site);
  }
}

/** The site network: Neutron network, subnet and router of the site, named after its stack. */
export function toSiteNetworkProps(site: OpenstackSiteModel): OpenstackSiteNetworkProps {
  return {
    name: site.stackName,
    subnetCidr: site.subnetCidr,
    gatewayIp: site.gatewayIp,
    allocationPool: site.allocationPool,
    externalNetworkName: site.externalNetwork.name,
    dnsServers: site.dnsServers,
    routes: site.routes,
  };
}

/** The security group of a service's instances: its ports from the site's amphorae, SSH from admins, node_exporter from monitoring. */
export function toSecurityGroupProps(estate: EstateModel, site: OpenstackSiteModel, service: ServiceModel, name: string): OpenstackServiceSecurityGroupProps {
  return {
    name,
    servicePorts: servicePorts(service),
    loadBalancerSourceCidrs: [site.loadBalancerSourceCidr],
    adminCidrs: estate.adminCidrs,
    monitoringCidrs: estate.monitoring.scrapeCidrs,
    nodeExporterPort: estate.monitoring.nodeExporterPort,
  };
}

/** What the model decides about a fleet: hosts, flavor, image, volume and Nova metadata. The stack wires in the rest. */
export function toFleetProps(
  estate: EstateModel,
  site: OpenstackSiteModel,
  service: ServiceModel,
  placed: OpenstackSiteServiceModel,
): Omit<OpenstackFleetProps, "network" | "securityGroupIds" | "keyPairName" | "serverGroupIds"> {
  return {
    hosts: placed.hosts,
    hostsLocalName: hostsLocalName(service.name),
    flavorName: service.flavor,
    image: site.images[service.image],
    // Every version a host of the site may run (two during a rollout), each host booting its own.
    imagesByVersion: imageVersionsIn(site, service.image, service.imageVersion),
    volumeSizeGiB: service.volumeSizeGiB,
    metadata: {
      estate_env: estate.env,
      estate_site: site.name,
      estate_service: service.name,
      estate_image: service.image,
    },
    versionMetadataKey: "estate_image_version",
  };
}

/**
 * The service's health check and listeners in Octavia's terms: the check's interval is the monitor's delay, its
 * healthy and unhealthy thresholds are max_retries and max_retries_down, a TLS certificate is a Barbican container.
 */
export function toLoadBalancerProps(
  estate: EstateModel,
  service: ServiceModel,
  placed: OpenstackSiteServiceModel,
  name: string,
): Omit<OpenstackServiceLoadBalancerProps, "network" | "members"> {
  const hc = service.healthCheck;
  return {
    name,
    vipAddress: placed.lbVipAddress,
    listeners: service.listeners.map((l) => ({
      protocol: l.protocol,
      port: l.port,
      backendPort: l.backendPort,
      ...(l.tls ? { tlsContainerRef: l.tls.openstackContainerRef } : {}),
      monitor: l.healthProbe,
    })),
    healthMonitor: {
      delaySec: hc.intervalSec,
      timeoutSec: hc.timeoutSec,
      maxRetries: hc.healthyThreshold,
      maxRetriesDown: hc.unhealthyThreshold,
      expectedCodes: hc.expectedCodes,
    },
    allowedCidrs: listenerAllowedCidrs(estate, service),
    // The fleet's host map carries each host's weight (toFleetProps passes imagesByVersion): 0 while a rollout holds it out.
    memberWeights: true,
  };
}

/** Backend ports with the transport each serves, and the port each pool's monitor probes (over TCP, or UDP for UDP-CONNECT). */
function servicePorts(service: ServiceModel): ServicePort[] {
  return service.listeners.flatMap((l) => {
    const transport = l.protocol === "UDP" ? ("udp" as const) : ("tcp" as const);
    return [
      { protocol: transport, port: l.backendPort },
      { protocol: l.healthProbe.protocol === "UDP-CONNECT" ? ("udp" as const) : ("tcp" as const), port: l.healthProbe.port },
    ];
  });
}

/**
 * Client networks Octavia admits on the service's listeners. Route 53 health-checks every site's VIP from the
 * internet: a service open only to private networks must let the health checkers in, or every site would look
 * down to Route 53 (rule EST-TRF-001 warns when the environment lists no checker ranges).
 */
export function listenerAllowedCidrs(estate: EstateModel, service: ServiceModel): string[] {
  const checkers = service.admitsRoute53HealthCheckers ? estate.traffic!.healthCheckerCidrs : [];
  return [...new Set([...service.allowedCidrs, ...checkers])];
}
