import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { ServiceTraffic, type ServiceTrafficEndpoint } from "../constructs/traffic";
import { serviceRecordName, trafficStackName, type EstateModel, type ServiceModel } from "../model";
import { terraformLiteral } from "../constructs/terraform-literal";
import { awsProviderConfig } from "./aws-site-stack";
import { EstateStack } from "./estate-stack";
import { ValidationError } from "../constructs/core";

/** Route 53 is global; without an AWS site the provider still needs a region to sign requests in. */
export const DEFAULT_TRAFFIC_REGION = "us-east-1";

/**
 * Global DNS traffic of one environment: per service one weighted record per site that runs it, each with its
 * own Route 53 health check. OpenStack sites are reached at the public VIPs fixed in the model, the AWS site
 * through its load balancer, looked up by the name the model gives it: no remote state, no cross-stack
 * references. Draining a site only rewrites weights here.
 */
export class TrafficStack extends EstateStack {
  constructor(scope: Construct, estate: EstateModel) {
    const stackName = estate.traffic?.stackName ?? trafficStackName(estate.env);
    super(scope, stackName, estate.backend);
    const traffic = estate.traffic;
    if (!traffic) {
      throw new ValidationError(`environment "${estate.env}" has no traffic section; build a traffic stack only when traffic.hostedZone is set`, this);
    }
    const aws = estate.awsSite;
    const tags = { "estate:env": estate.env, "estate:stack": stackName };
    // In the AWS site's region (with its profile or role), so its load balancers can be looked up by name.
    new AwsProvider(this, "aws", aws ? awsProviderConfig(aws, stackName, tags) : { region: DEFAULT_TRAFFIC_REGION, defaultTags: [{ tags }] });

    let zoneId: string;
    if (traffic.createZone) {
      const zone = new Route53Zone(this, "HostedZone", { name: terraformLiteral(traffic.domain), comment: `Service names of the ${estate.env} estate` });
      zoneId = zone.zoneId;
      new TerraformOutput(this, "name_servers", {
        value: zone.nameServers,
        description: terraformLiteral(`Name servers of ${traffic.domain}: delegate the domain to them from its parent zone`),
      });
    } else if (traffic.zoneId) {
      zoneId = traffic.zoneId;
    } else {
      throw new ValidationError(`traffic.hostedZone needs an existing zone id or create: true`, this);
    }

    // Internal services are reached on the sites' private networks: no public record.
    for (const service of estate.services.filter((s) => s.exposure === "public")) {
      const endpoints = this.endpointsOf(estate, service);
      if (endpoints.length === 0) continue;
      const recordName = serviceRecordName(service.name, traffic.domain);
      if (!service.publicHealthCheck) {
        throw new ValidationError(`every listener of service "${service.name}" is UDP, which Route 53 health checks cannot probe; add a TCP or HTTP listener`, this);
      }
      new ServiceTraffic(this, service.name, {
        zoneId,
        recordName,
        ttlSec: traffic.ttlSec,
        publicHealthCheck: service.publicHealthCheck,
        healthCheck: service.healthCheck,
        endpoints,
      });
    }
  }

  /** Every site that runs hosts of the service, OpenStack sites in file order, then the AWS site. */
  private endpointsOf(estate: EstateModel, service: ServiceModel): ServiceTrafficEndpoint[] {
    const endpoints: ServiceTrafficEndpoint[] = [];
    for (const site of estate.openstackSites) {
      const placed = site.services.find((s) => s.service.name === service.name);
      if (!placed || placed.hosts.length === 0) continue;
      if (!placed.publicVip) throw new ValidationError(`service "${service.name}" runs in site "${site.name}" without a public VIP`, this);
      endpoints.push({ site: site.name, weight: site.traffic.effectiveWeight, target: { ipAddress: placed.publicVip } });
    }
    const aws = estate.awsSite;
    const placed = aws?.services.find((s) => s.service.name === service.name);
    if (aws && placed && placed.hosts.length > 0) {
      endpoints.push({ site: aws.name, weight: aws.traffic.effectiveWeight, target: { loadBalancerName: placed.loadBalancerName } });
    }
    return endpoints;
  }
}
