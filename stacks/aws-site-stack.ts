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
} from "../constructs/aws";
import { imageVersionsIn, type AwsSiteModel, type EstateModel } from "../model";
import { terraformLiteral } from "../constructs/private/terraform-literal";
import { EstateStack } from "./estate-stack";

/**
 * The AWS site of one environment: its own provider (region plus a named profile or an assumed role from the
 * usual credential chain; never keys), its own state, a VPC, and per service a load balancer named as the model
 * says (the traffic stack finds it by that name), security groups and a for_each fleet. Nothing here refers to
 * another stack, and nothing depends on traffic weights: draining the site changes only the traffic stack.
 */
export class AwsSiteStack extends EstateStack {
  constructor(scope: Construct, estate: EstateModel, site: AwsSiteModel) {
    super(scope, site.stackName, estate.backend);
    new AwsProvider(this, "aws", awsProviderConfig(site, site.stackName, { "estate:env": estate.env, "estate:site": site.name }));

    const keyPair = estate.ssh.publicKey ? new KeyPair(this, "KeyPair", { keyName: terraformLiteral(estate.ssh.keyName), publicKey: terraformLiteral(estate.ssh.publicKey) }) : undefined;
    const network = new AwsSiteNetwork(this, "Network", { name: site.stackName, vpcCidr: site.vpcCidr, zones: site.zones });

    // Route 53 probes every site from the internet; services open only to private networks must still let it in.
    let healthCheckers: DataAwsEc2ManagedPrefixList | undefined;
    const healthCheckersFor = (allowedCidrs: readonly string[]): string | undefined => {
      if (!estate.traffic || allowedCidrs.some((c) => c.endsWith("/0"))) return undefined;
      healthCheckers ??= new DataAwsEc2ManagedPrefixList(this, "Route53HealthCheckers", { name: route53HealthCheckersPrefixListName(site.region) });
      return healthCheckers.id;
    };

    const services = new Map(estate.services.map((s) => [s.name, s]));
    const imagesNs = new Construct(this, "Images");
    // One construct per image and version (`Images/<image>/<version>`): a version's lookup keeps its address
    // whichever versions a rollout runs beside it.
    const images = new Map<string, Record<string, string>>();
    for (const placed of site.services) {
      const service = services.get(placed.service);
      if (!service) throw new Error(`${this.node.path}: site "${site.name}" places service "${placed.service}", which the estate does not define`);
      if (placed.hosts.length === 0) continue;
      let amis = images.get(service.image);
      if (!amis) {
        if (!site.images[service.image]) throw new Error(`${this.node.path}: image "${service.image}" of service "${service.name}" has no AWS reference in site "${site.name}"`);
        const imageNs = new Construct(imagesNs, service.image);
        amis = Object.fromEntries(
          Object.entries(imageVersionsIn(site, service.image, service.imageVersion)).map(([version, ref]) => [version, new AwsGoldenImage(imageNs, version, ref).imageId]),
        );
        images.set(service.image, amis);
      }

      const ns = new Construct(this, service.name);
      const internal = service.exposure === "internal";
      // Internal services get no Route 53 record, so no health checkers to let in.
      const healthCheckerPrefixListId = internal ? undefined : healthCheckersFor(service.allowedCidrs);
      const security = new AwsServiceSecurity(ns, "Security", {
        name: placed.loadBalancerName,
        network,
        loadBalancerType: placed.loadBalancerType,
        listeners: service.listeners,
        healthCheckPort: service.healthCheck.port,
        allowedCidrs: service.allowedCidrs,
        adminCidrs: estate.adminCidrs,
        nodeExporterPort: estate.monitoring.nodeExporterPort,
        ...(healthCheckerPrefixListId ? { healthCheckerPrefixListId } : {}),
      });
      const lb = new AwsServiceLoadBalancer(ns, "LoadBalancer", {
        loadBalancerName: placed.loadBalancerName,
        loadBalancerType: placed.loadBalancerType,
        network,
        internal,
        securityGroupIds: [security.loadBalancerSecurityGroupId],
        listeners: service.listeners,
        healthCheck: service.healthCheck,
      });
      new AwsFleet(ns, "Fleet", {
        env: estate.env,
        site: site.name,
        service: service.name,
        image: service.image,
        imageVersion: service.imageVersion,
        imageId: amis[service.imageVersion],
        imageIdsByVersion: amis,
        instanceType: service.instanceType,
        hosts: placed.hosts,
        network,
        securityGroupIds: [security.instanceSecurityGroupId],
        keyName: keyPair?.keyName ?? estate.ssh.keyName,
        volumeSizeGiB: service.volumeSizeGiB,
        targetGroups: lb.targetGroups,
      });
      new TerraformOutput(this, `${service.name.replace(/-/g, "_")}_lb_dns_name`, {
        value: lb.dnsName,
        description: `DNS name of the ${placed.loadBalancerType} load balancer ${placed.loadBalancerName} of ${service.name}`,
      });
    }
  }
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
    ...(site.assumeRoleArn ? { assumeRole: [{ roleArn: terraformLiteral(site.assumeRoleArn), sessionName: `estate-${stackName}` }] } : {}),
    ...(tags ? { defaultTags: [{ tags }] } : {}),
  };
}
