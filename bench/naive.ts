/**
 * The naive build the benchmark compares against: the same per-host resources as the toolkit's stacks, but one
 * cdktf construct per instance (port, server and pool members per OpenStack host; instance and target-group
 * attachments per AWS host), as a straightforward cdktf program would write them. Shared per-site resources
 * (network, security groups, load balancers, pools, target groups) are built once per site as in the real stacks.
 */
import { App } from "cdktf";
import { Construct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ComputeInstanceV2 } from "../.gen/providers/openstack/compute-instance-v2";
import { LbListenerV2 } from "../.gen/providers/openstack/lb-listener-v2";
import { LbLoadbalancerV2 } from "../.gen/providers/openstack/lb-loadbalancer-v2";
import { LbMemberV2 } from "../.gen/providers/openstack/lb-member-v2";
import { LbPoolV2 } from "../.gen/providers/openstack/lb-pool-v2";
import { NetworkingPortV2 } from "../.gen/providers/openstack/networking-port-v2";
import { NetworkingSecgroupV2 } from "../.gen/providers/openstack/networking-secgroup-v2";
import { OpenstackProvider } from "../.gen/providers/openstack/provider";
import { OpenstackSiteNetwork } from "../constructs/openstack";
import type { EstateModel } from "../model";
import { EstateStack } from "../stacks/estate-stack";

export function buildNaiveStacks(app: App, estate: EstateModel): void {
  for (const site of estate.openstackSites) {
    const stack = new EstateStack(app, site.stackName, estate.backend);
    new OpenstackProvider(stack, "openstack", { cloud: site.cloud, region: site.region });
    const network = new OpenstackSiteNetwork(stack, "Network", {
      name: site.stackName,
      subnetCidr: site.subnetCidr,
      gatewayIp: site.gatewayIp,
      allocationPool: site.allocationPool,
      externalNetworkName: site.externalNetwork.name,
      routes: site.routes,
    });
    for (const placed of site.services) {
      const service = placed.service;
      const ns = new Construct(stack, service.name);
      const sg = new NetworkingSecgroupV2(ns, "SecurityGroup", { name: placed.resourceName });
      const lb = new LbLoadbalancerV2(ns, "LoadBalancer", { vipSubnetId: network.subnetId, vipAddress: placed.lbVipAddress });
      const pools = service.listeners.map((l) => {
        const listener = new LbListenerV2(ns, `Listener${l.port}`, { loadbalancerId: lb.id, protocol: l.protocol, protocolPort: l.port });
        return { listenerPort: l.port, port: l.backendPort, pool: new LbPoolV2(ns, `Pool${l.port}`, { listenerId: listener.id, protocol: l.protocol === "TERMINATED_HTTPS" ? "HTTP" : l.protocol, lbMethod: "ROUND_ROBIN" }) };
      });
      for (const host of placed.hosts) {
        const hostScope = new Construct(ns, host.name);
        const port = new NetworkingPortV2(hostScope, "Port", {
          name: host.name,
          networkId: network.networkId,
          adminStateUp: true,
          securityGroupIds: [sg.id],
          fixedIp: [{ subnetId: network.subnetId, ipAddress: host.ip }],
        });
        new ComputeInstanceV2(hostScope, "Instance", {
          name: host.name,
          flavorName: service.flavor,
          imageName: site.images[service.image].name,
          availabilityZone: host.availabilityZone,
          keyPair: estate.ssh.keyName,
          network: [{ port: port.id }],
        });
        for (const p of pools) {
          new LbMemberV2(hostScope, `Member${p.listenerPort}`, { poolId: p.pool.id, address: host.ip, protocolPort: p.port, subnetId: network.subnetId, name: host.name });
        }
      }
    }
  }
  const aws = estate.awsSite;
  if (aws) {
    const stack = new EstateStack(app, aws.stackName, estate.backend);
    new AwsProvider(stack, "aws", { region: aws.region });
    for (const placed of aws.services) {
      const service = placed.service;
      const ns = new Construct(stack, service.name);
      const groups = service.listeners.map((l) => new LbTargetGroup(ns, `TargetGroup${l.port}`, { port: l.backendPort, protocol: "HTTP", vpcId: "vpc" }));
      for (const host of placed.hosts) {
        const hostScope = new Construct(ns, host.name);
        const instance = new Instance(hostScope, "Instance", {
          ami: aws.images[service.image].ami ?? "ami-00000000",
          instanceType: service.instanceType,
          privateIp: host.ip,
          associatePublicIpAddress: false,
          metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
          rootBlockDevice: { volumeType: "gp3", volumeSize: service.volumeSizeGiB, encrypted: true },
          tags: { Name: host.name },
        });
        groups.forEach((g, i) => new LbTargetGroupAttachment(hostScope, `Attachment${i}`, { targetGroupArn: g.arn, targetId: instance.id, port: service.listeners[i].backendPort }));
      }
    }
  }
}
