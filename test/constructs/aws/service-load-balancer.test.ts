import { Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsServiceLoadBalancer, DEFAULT_SSL_POLICY, type AwsServiceLoadBalancerProps } from "../../../constructs/aws";
import { FAKE_NETWORK, HTTP_CHECK } from "./fixtures";
import { awsErrorOf, awsTestStack, resourcesOf, synthJson } from "../../support/synth";

/** A site network as the load balancer sees it: a VPC with a public and a private subnet in each of two zones. */
const LB_NETWORK: AwsServiceLoadBalancerProps["network"] = {
  vpcId: "vpc-1",
  publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
  privateSubnetIds: { "eu-west-1a": "subnet-private-a", "eu-west-1b": "subnet-private-b" },
};

const PROPS: AwsServiceLoadBalancerProps = {
  loadBalancerName: "t-aws-web",
  loadBalancerType: "application",
  network: LB_NETWORK,
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

describe("AwsServiceLoadBalancer in an estate stack", () => {
  const props: AwsServiceLoadBalancerProps = {
    loadBalancerName: "dev-web",
    loadBalancerType: "application",
    network: FAKE_NETWORK,
    securityGroupIds: ["sg-1"],
    listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080, targetHealthCheck: { protocol: "HTTP", port: 8080, path: "/healthz" } }],
    healthCheck: HTTP_CHECK,
  };

  it("puts an internal load balancer in the private subnets", () => {
    const stack = awsTestStack();
    new AwsServiceLoadBalancer(stack, "Lb", { ...props, internal: true });
    expect(resourcesOf(synthJson(stack), "aws_lb").lb_resource).toMatchObject({ internal: true, subnets: ["subnet-pa", "subnet-pb"] });
  });

  it("builds an internet-facing ALB with one HTTP listener and target group per listener (defaults)", () => {
    const stack = awsTestStack();
    const lb = new AwsServiceLoadBalancer(stack, "Lb", props);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_lb").lb_resource).toEqual({
      name: "dev-web",
      load_balancer_type: "application",
      internal: false,
      ip_address_type: "ipv4",
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["sg-1"],
      enable_deletion_protection: false,
      drop_invalid_header_fields: true,
      tags: { Name: "dev-web" },
    });
    expect(resourcesOf(tf, "aws_lb_listener").lb_listeners_80).toMatchObject({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.lb_target_groups_80.arn}" }] });
    expect(resourcesOf(tf, "aws_lb_target_group").lb_target_groups_80).toMatchObject({
      port: 8080,
      protocol: "HTTP",
      health_check: { protocol: "HTTP", path: "/healthz", port: "8080", matcher: "200", interval: 10, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3 },
    });
    expect(lb.targetGroups.map(({ listenerPort, port }) => ({ listenerPort, port }))).toEqual([{ listenerPort: 80, port: 8080 }]);
  });

  it("terminates TLS with the model's certificate and a modern policy", () => {
    const stack = awsTestStack();
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    new AwsServiceLoadBalancer(stack, "Lb", { ...props, listeners: [{ protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: { awsCertificateArn: cert }, targetHealthCheck: { protocol: "HTTP", port: 8080, path: "/healthz" } }] });
    const listener = resourcesOf(synthJson(stack), "aws_lb_listener").lb_listeners_443;
    expect(listener).toMatchObject({ protocol: "HTTPS", certificate_arn: cert, ssl_policy: DEFAULT_SSL_POLICY });
  });

  it("builds an NLB for TCP and UDP with TLS termination, policy, protection and cross-zone as given (all options)", () => {
    const stack = awsTestStack();
    const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
    new AwsServiceLoadBalancer(stack, "Lb", {
      ...props,
      loadBalancerName: "dev-dns",
      loadBalancerType: "network",
      listeners: [
        { protocol: "UDP", port: 53, backendPort: 5353, targetHealthCheck: { protocol: "TCP", port: 5432 } },
        { protocol: "TCP", port: 5432, backendPort: 5432, targetHealthCheck: { protocol: "TCP", port: 5432 } },
        { protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: { awsCertificateArn: cert }, targetHealthCheck: { protocol: "TCP", port: 8080 } },
      ],
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      deletionProtection: true,
      crossZoneLoadBalancing: false,
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_lb").lb_resource).toMatchObject({ load_balancer_type: "network", enable_deletion_protection: true, enable_cross_zone_load_balancing: false });
    const listeners = resourcesOf(tf, "aws_lb_listener");
    expect([listeners.lb_listeners_53.protocol, listeners.lb_listeners_5432.protocol, listeners.lb_listeners_443.protocol]).toEqual(["UDP", "TCP", "TLS"]);
    expect(listeners.lb_listeners_443).toMatchObject({ certificate_arn: cert, ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" });
    const groups = resourcesOf(tf, "aws_lb_target_group");
    expect([groups.lb_target_groups_53.protocol, groups.lb_target_groups_5432.protocol, groups.lb_target_groups_443.protocol]).toEqual(["UDP", "TCP", "TCP"]);
    expect(groups.lb_target_groups_53.health_check).toEqual({ enabled: true, protocol: "TCP", port: "5432", interval: 10, timeout: 5, healthy_threshold: 3, unhealthy_threshold: 3 });
  });

  it("refuses a name AWS would reject", () => {
    expect(awsErrorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, loadBalancerName: "a".repeat(33) }))).toBe(
      `test/Lb: loadBalancerName "${"a".repeat(33)}" is not a valid AWS load balancer name: 1-32 letters, digits and dashes, not starting or ending with a dash nor starting with "internal-"`,
    );
  });

  it("refuses a TCP listener on an ALB", () => {
    expect(awsErrorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, listeners: [{ protocol: "TCP", port: 5432, backendPort: 5432, targetHealthCheck: { protocol: "TCP", port: 5432 } }] }))).toBe(
      'test/Lb: an application load balancer cannot carry the TCP listener on port 5432; use loadBalancerType "network"',
    );
  });

  it("refuses a health-check timeout ELB would reject", () => {
    expect(awsErrorOf((s) => new AwsServiceLoadBalancer(s, "Lb", { ...props, healthCheck: { ...HTTP_CHECK, timeoutSec: 10 } }))).toBe(
      "test/Lb: health-check timeoutSec must be at least 2 and less than intervalSec (10), got 10; Elastic Load Balancing rejects anything else",
    );
  });
});
