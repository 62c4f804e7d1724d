import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { KeyPair } from "@cdktf/provider-aws/lib/key-pair";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import {
  AwsFleet,
  AwsGoldenImage,
  AwsServiceLoadBalancer,
  AwsServiceSecurity,
  AwsSiteNetwork,
  route53HealthCheckersPrefixListName,
  type AwsFleetProps,
  type AwsServiceLoadBalancerProps,
  type AwsServiceSecurityProps,
  type AwsSiteNetworkProps,
} from "../constructs/aws";
import { ValidationError } from "../constructs/core";
import { terraformLiteral } from "../constructs/terraform-literal";
import {
  assumeRoleSessionName,
  hostsLocalName,
  imageVersionsIn,
  loadBalancerDnsNameOutput,
  type AwsSiteModel,
  type AwsSiteServiceModel,
  type EstateModel,
  type ServiceModel,
} from "../model";
import { EstateStack } from "./estate-stack";

/** What the AWS site stack builds for one service; user code extends these (an ingress rule, an alias record). */
export interface AwsSiteService {
  /** The security groups of the service's load balancer and instances. */
  readonly security: AwsServiceSecurity;
  /** The service's ALB or NLB with its listeners and target groups. */
  readonly loadBalancer: AwsServiceLoadBalancer;
  /** The service's EC2 instances. */
  readonly fleet: AwsFleet;
}

/**
 * The AWS site of one environment: its own provider (region plus a named profile or an assumed role from the
 * usual credential chain; never keys), its own state, a VPC, and per service a load balancer named as the model
 * says (the traffic stack finds it by that name), security groups and a for_each fleet. Nothing here refers to
 * another stack, and nothing depends on traffic weights: draining the site changes only the traffic stack.
 */
export class AwsSiteStack extends EstateStack {
  /** The site's VPC, subnets and gateways. */
  readonly network: AwsSiteNetwork;
  /** The services with hosts in this site, by service name, in the order of the environment file. */
  readonly services: ReadonlyMap<string, AwsSiteService>;

  constructor(scope: Construct, estate: EstateModel, site: AwsSiteModel) {
    super(scope, site.stackName, estate.backend);
    const built = new Map<string, AwsSiteService>();
    this.services = built;
    new AwsProvider(this, "aws", awsProviderConfig(site, site.stackName, { "estate:env": estate.env, "estate:site": site.name }));

    const keyPair = estate.ssh.publicKey ? new KeyPair(this, "KeyPair", { keyName: terraformLiteral(estate.ssh.keyName), publicKey: terraformLiteral(estate.ssh.publicKey) }) : undefined;
    const network = (this.network = new AwsSiteNetwork(this, "Network", toSiteNetworkProps(site)));

    // One lookup of Route 53's prefix list, made when the first service lets the health checkers in.
    let healthCheckers: DataAwsEc2ManagedPrefixList | undefined;
    const healthCheckersPrefixListId = (): string => {
      healthCheckers ??= new DataAwsEc2ManagedPrefixList(this, "Route53HealthCheckers", { name: route53HealthCheckersPrefixListName(site.region) });
      return healthCheckers.id;
    };

    const imagesNs = new Construct(this, "Images");
    // One construct per image and version (`Images/<image>/<version>`): a version's lookup keeps its address
    // whichever versions a rollout runs beside it.
    const images = new Map<string, Record<string, string>>();
    for (const placed of site.services) {
      const service = placed.service;
      if (placed.hosts.length === 0) continue;
      let amis = images.get(service.image);
      if (!amis) {
        if (!site.images[service.image]) throw new ValidationError(`image "${service.image}" of service "${service.name}" has no AWS reference in site "${site.name}"`, this);
        const imageNs = new Construct(imagesNs, service.image);
        amis = Object.fromEntries(
          Object.entries(imageVersionsIn(site, service.image, service.imageVersion)).map(([version, ref]) => [version, new AwsGoldenImage(imageNs, version, ref).imageId]),
        );
        images.set(service.image, amis);
      }

      const ns = new Construct(this, service.name);
      const healthCheckerPrefixListId = service.admitsRoute53HealthCheckers ? healthCheckersPrefixListId() : undefined;
      const security = new AwsServiceSecurity(ns, "Security", {
        ...toServiceSecurityProps(estate, service, placed),
        network,
        ...(healthCheckerPrefixListId ? { healthCheckerPrefixListId } : {}),
      });
      const lb = new AwsServiceLoadBalancer(ns, "LoadBalancer", {
        ...toLoadBalancerProps(service, placed),
        network,
        internal: service.exposure === "internal",
        securityGroupIds: [security.loadBalancerSecurityGroupId],
      });
      const fleet = new AwsFleet(ns, "Fleet", {
        ...toFleetProps(estate, site, service, placed),
        imageId: amis[service.imageVersion],
        imageIdsByVersion: amis,
        network,
        securityGroupIds: [security.instanceSecurityGroupId],
        keyName: keyPair?.keyName ?? estate.ssh.keyName,
        targetGroups: lb.targetGroups,
      });
      built.set(service.name, { security, loadBalancer: lb, fleet });
      new TerraformOutput(this, loadBalancerDnsNameOutput(service.name), {
        value: lb.dnsName,
        description: `DNS name of the ${placed.loadBalancerType} load balancer ${placed.loadBalancerName} of ${service.name}`,
      });
    }
  }
}

/** The site's VPC: its range and, per availability zone, a private and a public subnet; Name tags from the stack name. */
export function toSiteNetworkProps(site: AwsSiteModel): AwsSiteNetworkProps {
  return { name: site.stackName, vpcCidr: site.vpcCidr, zones: site.zones };
}

/** The security groups of a service, named after its load balancer: listener and backend ports, admins, monitoring. */
export function toServiceSecurityProps(
  estate: EstateModel,
  service: ServiceModel,
  placed: AwsSiteServiceModel,
): Omit<AwsServiceSecurityProps, "network" | "healthCheckerPrefixListId"> {
  return {
    name: placed.loadBalancerName,
    loadBalancerType: placed.loadBalancerType,
    listeners: service.listeners,
    healthCheckPort: service.healthCheck.port,
    allowedCidrs: service.allowedCidrs,
    adminCidrs: estate.adminCidrs,
    nodeExporterPort: estate.monitoring.nodeExporterPort,
  };
}

/** The load balancer of a service: the name and type the model decides, its listeners and health check. */
export function toLoadBalancerProps(service: ServiceModel, placed: AwsSiteServiceModel): Omit<AwsServiceLoadBalancerProps, "network" | "internal" | "securityGroupIds"> {
  return {
    loadBalancerName: placed.loadBalancerName,
    loadBalancerType: placed.loadBalancerType,
    listeners: service.listeners,
    healthCheck: service.healthCheck,
  };
}

/** What the model decides about a fleet: hosts, instance type, volume, and the estate tags of every instance. */
export function toFleetProps(
  estate: EstateModel,
  site: AwsSiteModel,
  service: ServiceModel,
  placed: AwsSiteServiceModel,
): Omit<AwsFleetProps, "imageId" | "network" | "securityGroupIds" | "keyName" | "targetGroups"> {
  return {
    hostsLocalName: hostsLocalName(service.name),
    tags: {
      "estate:env": estate.env,
      "estate:site": site.name,
      "estate:service": service.name,
      "estate:image": service.image,
    },
    // Each host's own version: two run side by side during a rollout.
    versionTag: "estate:version",
    instanceType: service.instanceType,
    hosts: placed.hosts,
    volumeSizeGiB: service.volumeSizeGiB,
  };
}

/**
 * Provider settings of an AWS site: region, and the profile or role the credential chain should use. Keys never
 * appear here; they come from the environment, the shared config files or instance/SSO credentials.
 */
export function awsProviderConfig(
  site: Pick<AwsSiteModel, "region" | "profile" | "assumeRoleArn">,
  stackName: string,
  tags?: Record<string, string>,
): AwsProviderConfig {
  return {
    region: terraformLiteral(site.region),
    ...(site.profile ? { profile: terraformLiteral(site.profile) } : {}),
    ...(site.assumeRoleArn ? { assumeRole: [{ roleArn: terraformLiteral(site.assumeRoleArn), sessionName: assumeRoleSessionName(stackName) }] } : {}),
    ...(tags ? { defaultTags: [{ tags }] } : {}),
  };
}
