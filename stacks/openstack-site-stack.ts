import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ComputeKeypairV2 } from "../.gen/providers/openstack/compute-keypair-v2";
import { OpenstackProvider } from "../.gen/providers/openstack/provider";
import { Fleet, FloatingVip, OctaviaLoadBalancer, ServerGroup, ServiceSecurityGroup, SiteNetwork } from "../constructs/openstack";
import { coversPublicInternet, imageVersionsIn, type EstateModel, type OpenstackSiteModel, type ServiceModel } from "../model";
import { terraformLiteral } from "../constructs/private/terraform-literal";
import { EstateStack, snakeCase } from "./estate-stack";

/**
 * One OpenStack site of one environment: its own provider (a clouds.yaml entry), its own state, and nothing that
 * refers to another stack.
 */
export class OpenstackSiteStack extends EstateStack {
  constructor(scope: Construct, estate: EstateModel, site: OpenstackSiteModel) {
    super(scope, site.stackName, estate.backend);
    new OpenstackProvider(this, "openstack", { cloud: terraformLiteral(site.cloud), region: terraformLiteral(site.region) });

    const network = new SiteNetwork(this, "Network", {
      name: site.stackName,
      subnetCidr: site.subnetCidr,
      gatewayIp: site.gatewayIp,
      allocationPool: site.allocationPool,
      externalNetworkName: site.externalNetwork.name,
      dnsServers: site.dnsServers,
      routes: site.routes,
    });

    // Referencing the key pair resource (when the stack registers it) orders instance creation after it.
    const keyPairName = estate.ssh.publicKey
      ? new ComputeKeypairV2(this, "KeyPair", { name: terraformLiteral(estate.ssh.keyName), publicKey: terraformLiteral(estate.ssh.publicKey) }).name
      : estate.ssh.keyName;

    const services = new Map(estate.services.map((s) => [s.name, s]));
    for (const placed of site.services) {
      const service = services.get(placed.service)!;
      const ns = new Construct(this, service.name);
      const name = `${site.stackName}-${service.name}`;
      const security = new ServiceSecurityGroup(ns, "SecurityGroup", {
        name,
        servicePorts: servicePorts(service),
        loadBalancerSourceCidrs: [site.loadBalancerSourceCidr],
        adminCidrs: estate.adminCidrs,
        monitoringCidrs: estate.monitoring.scrapeCidrs,
        nodeExporterPort: estate.monitoring.nodeExporterPort,
      });
      // Group 1 keeps the construct id it always had, so its Terraform address never moves; groups 2.. hold only
      // hosts added beyond a group's Nova member quota.
      const policy = service.placement;
      const serverGroupIds =
        policy === "none"
          ? []
          : placed.serverGroups.map((groupName, i) => new ServerGroup(ns, i === 0 ? "ServerGroup" : `ServerGroup${i + 1}`, { name: groupName, policy }).serverGroupId);
      const fleet = new Fleet(ns, "Fleet", {
        hosts: placed.hosts,
        hostsLocalName: `hosts_${snakeCase(service.name)}`,
        networkId: network.networkId,
        subnetId: network.subnetId,
        securityGroupIds: [security.securityGroupId],
        flavorName: service.flavor,
        image: site.images[service.image],
        imagesByVersion: imageVersionsIn(site, service.image, service.imageVersion),
        versionMetadataKey: "estate_image_version",
        keyPairName,
        ...(serverGroupIds.length > 0 ? { serverGroupIds } : {}),
        volumeSizeGiB: service.volumeSizeGiB,
        dependsOn: [network.routerInterface],
        metadata: {
          estate_env: estate.env,
          estate_site: site.name,
          estate_service: service.name,
          estate_image: service.image,
        },
      });
      const hc = service.healthCheck;
      const lb = new OctaviaLoadBalancer(ns, "LoadBalancer", {
        name,
        vipSubnetId: network.subnetId,
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
        membersExpression: fleet.hostsExpression,
        memberWeights: true,
        memberSubnetId: network.subnetId,
      });
      // Internal services are reached on the site network only: no floating IP, the Octavia VIP is their address.
      if (placed.publicVip) {
        new FloatingVip(ns, "PublicVip", {
          pool: site.externalNetwork.name,
          address: placed.publicVip,
          portId: lb.vipPortId,
          description: `Public VIP of ${name}`,
          dependsOn: [network.routerInterface],
        });
      }
      new TerraformOutput(ns, "Vip", {
        value: placed.publicVip ?? placed.lbVipAddress,
        description: placed.publicVip ? `Public VIP of ${service.name}` : `Internal VIP of ${service.name} on the site network`,
      });
    }
  }
}

/** Backend ports with the transport each serves, and the port each pool's monitor probes (over TCP, or UDP for UDP-CONNECT). */
function servicePorts(service: ServiceModel): { protocol: "tcp" | "udp"; port: number }[] {
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
  const open = coversPublicInternet(service.allowedCidrs);
  const checkers = estate.traffic && service.exposure === "public" && !open ? estate.traffic.healthCheckerCidrs : [];
  return [...new Set([...service.allowedCidrs, ...checkers])];
}
