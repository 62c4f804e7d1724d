import { Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsServiceLoadBalancer, type AwsServiceLoadBalancerProps } from "../../../constructs/aws";

/** A site network as the load balancer sees it: a VPC with a public and a private subnet in each of two zones. */
const NETWORK: AwsServiceLoadBalancerProps["network"] = {
  vpcId: "vpc-1",
  publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
  privateSubnetIds: { "eu-west-1a": "subnet-private-a", "eu-west-1b": "subnet-private-b" },
};

const PROPS: AwsServiceLoadBalancerProps = {
  loadBalancerName: "t-aws-web",
  loadBalancerType: "application",
  network: NETWORK,
  securityGroupIds: ["sg-lb"],
  listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080, targetHealthCheck: { protocol: "HTTP", port: 8081, path: "/healthz" } }],
  healthCheck: { intervalSec: 15, timeoutSec: 4, healthyThreshold: 2, unhealthyThreshold: 5, expectedCodes: "200-299" },
};

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f6a4a1e-1111-4b4b-8c8c-000000000001";

/** GIVEN a plain cdktf stack (cdktf's Testing.synthScope) with an AWS provider and one service load balancer in it. */
function synthLoadBalancer(props: AwsServiceLoadBalancerProps): string {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "eu-west-1" });
    new AwsServiceLoadBalancer(scope, "Lb", props);
  });
}

// Terraform names in a plain stack are cdktf's own: the construct path and a hash of it. The matchers compare each
// property given in full (nested blocks included) and ignore the properties not given.
describe("AwsServiceLoadBalancer", () => {
  it("builds an internet-facing ALB with one target group and listener per listener (defaults)", () => {
    const synthesized = synthLoadBalancer(PROPS);
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      name: "t-aws-web",
      load_balancer_type: "application",
      internal: false,
      ip_address_type: "ipv4",
      subnets: ["subnet-public-a", "subnet-public-b"],
      security_groups: ["sg-lb"],
      enable_deletion_protection: false,
      drop_invalid_header_fields: true,
      tags: { Name: "t-aws-web" },
    });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8080,
      protocol: "HTTP",
      target_type: "instance",
      vpc_id: "vpc-1",
      health_check: {
        enabled: true,
        protocol: "HTTP",
        port: "8081",
        path: "/healthz",
        matcher: "200-299",
        interval: 15,
        timeout: 4,
        healthy_threshold: 2,
        unhealthy_threshold: 5,
      },
      tags: { Name: "t-aws-web-80" },
      lifecycle: { create_before_destroy: true },
    });
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      load_balancer_arn: "${aws_lb.Lb_1928D9D6.arn}",
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.Lb_TargetGroups_80_CC3AAB2E.arn}" }],
      tags: { Name: "t-aws-web-80" },
    });
    const listener = Object.values<any>(JSON.parse(synthesized).resource.aws_lb_listener)[0];
    expect(listener.ssl_policy).toBeUndefined();
    expect(listener.certificate_arn).toBeUndefined();
  });

  it("builds an internal NLB that terminates TLS, checks TCP, keeps protection and zones as given (all options)", () => {
    const synthesized = synthLoadBalancer({
      ...PROPS,
      loadBalancerName: "t-aws-api",
      loadBalancerType: "network",
      internal: true,
      listeners: [
        { protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: { awsCertificateArn: CERTIFICATE }, targetHealthCheck: { protocol: "TCP", port: 8080 } },
        { protocol: "UDP", port: 53, backendPort: 5353, targetHealthCheck: { protocol: "TCP", port: 8080 } },
      ],
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      deletionProtection: true,
      crossZoneLoadBalancing: false,
    });
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      name: "t-aws-api",
      load_balancer_type: "network",
      internal: true,
      subnets: ["subnet-private-a", "subnet-private-b"],
      enable_deletion_protection: true,
      enable_cross_zone_load_balancing: false,
    });
    expect(synthesized).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "TLS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      certificate_arn: CERTIFICATE,
    });
    expect(synthesized).toHaveResourceWithProperties(LbListener, { port: 53, protocol: "UDP" });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8080,
      protocol: "TCP",
      health_check: { enabled: true, protocol: "TCP", port: "8080", interval: 15, timeout: 4, healthy_threshold: 2, unhealthy_threshold: 5 },
    });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, { port: 5353, protocol: "UDP" });
  });

  it("refuses a health-check timeout Elastic Load Balancing would reject", () => {
    expect(() => synthLoadBalancer({ ...PROPS, healthCheck: { ...PROPS.healthCheck, timeoutSec: 15 } })).toThrow(
      "stack/Lb: health-check timeoutSec must be at least 2 and less than intervalSec (15), got 15; Elastic Load Balancing rejects anything else",
    );
  });
});
