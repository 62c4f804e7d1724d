import { Fn, Testing, TerraformStack } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsFleet, AwsSiteNetwork, type AwsFleetProps } from "../../../constructs/aws";
import { NETWORK } from "./fixtures";
import { awsErrorOf, awsTestStack, resourcesOf, synthJson } from "../../support/synth";

/** A site network as the fleet sees it: two zones, and the private subnet of each looked up by zone name. */
const FLEET_NETWORK: AwsFleetProps["network"] = {
  zones: [
    { name: "eu-west-1a", privateSubnetCidr: "10.40.0.0/20", publicSubnetCidr: "10.40.128.0/24" },
    { name: "eu-west-1b", privateSubnetCidr: "10.40.16.0/20", publicSubnetCidr: "10.40.129.0/24" },
  ],
  privateSubnetIdFor: (zone) => Fn.lookup({ "eu-west-1a": "subnet-a", "eu-west-1b": "subnet-b" }, zone),
};

const PROPS: AwsFleetProps = {
  hostsLocalName: "hosts_web",
  imageId: "ami-0123456789abcdef0",
  instanceType: "t3.small",
  hosts: [
    { name: "t-aws-web-001", ip: "10.40.1.1", availabilityZone: "eu-west-1a" },
    { name: "t-aws-web-002", ip: "10.40.17.1", availabilityZone: "eu-west-1b" },
  ],
  network: FLEET_NETWORK,
  securityGroupIds: ["sg-instances"],
  keyName: "estate-admin",
};

/** GIVEN a plain cdktf stack (cdktf's Testing.synthScope) with an AWS provider and one fleet in it. */
function synthFleet(props: AwsFleetProps): string {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "eu-west-1" });
    new AwsFleet(scope, "Fleet", props);
  });
}

// Terraform names in a plain stack are cdktf's own: the construct path and a hash of it. The matchers compare each
// property given in full (nested blocks included) and ignore the properties not given.
describe("AwsFleet", () => {
  it("renders one for_each instance per host over the host-map local, IMDSv2 only, encrypted gp3 (defaults)", () => {
    const synthesized = synthFleet(PROPS);
    expect(JSON.parse(synthesized).locals).toEqual({
      hosts_web: { "t-aws-web-001": { ip: "10.40.1.1", zone: "eu-west-1a" }, "t-aws-web-002": { ip: "10.40.17.1", zone: "eu-west-1b" } },
    });
    expect(synthesized).toHaveResourceWithProperties(Instance, {
      for_each: "${local.hosts_web}",
      ami: "ami-0123456789abcdef0",
      instance_type: "t3.small",
      subnet_id: '${{"eu-west-1a" = "subnet-a", "eu-west-1b" = "subnet-b"}[each.value.zone]}',
      private_ip: "${each.value.ip}",
      associate_public_ip_address: false,
      vpc_security_group_ids: ["sg-instances"],
      key_name: "estate-admin",
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
      root_block_device: { volume_type: "gp3", volume_size: 20, encrypted: true, delete_on_termination: true },
      tags: { Name: "${each.key}" },
    });
    expect(synthesized).not.toHaveResource(LbTargetGroupAttachment);
  });

  it("tags every instance, sizes its volume and registers every host in each target group (all options)", () => {
    const synthesized = synthFleet({
      ...PROPS,
      tags: { "estate:service": "web", "estate:version": "2026.11.1" },
      volumeSizeGiB: 50,
      targetGroups: [
        { listenerPort: 80, port: 8080, targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-80/1" },
        { listenerPort: 443, port: 8443, targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-443/2" },
      ],
    });
    expect(synthesized).toHaveResourceWithProperties(Instance, {
      root_block_device: { volume_type: "gp3", volume_size: 50, encrypted: true, delete_on_termination: true },
      tags: { Name: "${each.key}", "estate:service": "web", "estate:version": "2026.11.1" },
    });
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroupAttachment, {
      for_each: "${local.hosts_web}",
      target_group_arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-443/2",
      target_id: "${aws_instance.Fleet_Instances_05E9485A[each.key].id}",
      port: 8443,
    });
    expect(Object.keys(JSON.parse(synthesized).resource.aws_lb_target_group_attachment)).toHaveLength(2);
  });

  it("refuses two hosts on one address", () => {
    const twins = [PROPS.hosts[0], { ...PROPS.hosts[0], name: "t-aws-web-002" }];
    expect(() => synthFleet({ ...PROPS, hosts: twins })).toThrow('stack/Fleet: hosts "t-aws-web-001" and "t-aws-web-002" both have ip 10.40.1.1');
  });
});

describe("AwsFleet in an estate stack", () => {
  const hosts = [
    { name: "t-aws-web-001", ip: "10.40.1.1", availabilityZone: "eu-west-1a" },
    { name: "t-aws-web-002", ip: "10.40.17.1", availabilityZone: "eu-west-1b" },
  ];
  const fleetProps = (network: AwsSiteNetwork) => ({
    hostsLocalName: "hosts_web",
    imageId: "ami-0123456789abcdef0",
    instanceType: "t3.small",
    hosts,
    network,
    securityGroupIds: ["sg-1"],
    keyName: "estate-admin",
  });

  it("renders one for_each instance resource over the host-map local, without attachments (defaults)", () => {
    const stack = awsTestStack();
    new AwsFleet(stack, "Fleet", fleetProps(new AwsSiteNetwork(stack, "Network", NETWORK)));
    const tf = synthJson(stack);
    expect(tf.locals.hosts_web).toEqual({ "t-aws-web-001": { ip: "10.40.1.1", zone: "eu-west-1a" }, "t-aws-web-002": { ip: "10.40.17.1", zone: "eu-west-1b" } });
    expect(resourcesOf(tf, "aws_instance").fleet_instances).toMatchObject({
      for_each: "${local.hosts_web}",
      ami: "ami-0123456789abcdef0",
      instance_type: "t3.small",
      private_ip: "${each.value.ip}",
      subnet_id: "${local.network_private_subnet_by_zone[each.value.zone]}",
      associate_public_ip_address: false,
      vpc_security_group_ids: ["sg-1"],
      root_block_device: { volume_type: "gp3", volume_size: 20, encrypted: true, delete_on_termination: true },
    });
    expect(resourcesOf(tf, "aws_lb_target_group_attachment")).toEqual({});
  });

  it("attaches every host to each target group, with the volume size given (all options)", () => {
    const stack = awsTestStack();
    new AwsFleet(stack, "Fleet", {
      ...fleetProps(new AwsSiteNetwork(stack, "Network", NETWORK)),
      volumeSizeGiB: 50,
      tags: { "estate:image": "debian12 ${x}" },
      targetGroups: [{ listenerPort: 443, port: 8443, targetGroupArn: "arn:tg" }],
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_instance").fleet_instances.root_block_device.volume_size).toBe(50);
    expect(resourcesOf(tf, "aws_instance").fleet_instances.tags).toEqual({ Name: "${each.key}", "estate:image": "debian12 $${x}" });
    expect(resourcesOf(tf, "aws_lb_target_group_attachment").fleet_target_group_attachments_443).toEqual({
      for_each: "${local.hosts_web}",
      target_group_arn: "arn:tg",
      target_id: "${aws_instance.fleet_instances[each.key].id}",
      port: 8443,
    });
  });

  it("refuses a host outside its zone's private subnet", () => {
    const stack = awsTestStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const bad = [{ ...hosts[0], ip: "10.40.17.9" }];
    expect(awsErrorOf((s) => new AwsFleet(s, "Fleet", { ...fleetProps(network), hosts: bad }), stack)).toBe(
      'test/Fleet: host "t-aws-web-001" has ip 10.40.17.9, outside the private subnet 10.40.0.0/20 of zone "eu-west-1a"',
    );
  });

  it("refuses a zone the network does not have", () => {
    const stack = awsTestStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const bad = [{ ...hosts[0], availabilityZone: "eu-west-1c" }];
    expect(awsErrorOf((s) => new AwsFleet(s, "Fleet", { ...fleetProps(network), hosts: bad }), stack)).toBe(
      'test/Fleet: host "t-aws-web-001" is in zone "eu-west-1c", which the network does not have (zones: eu-west-1a, eu-west-1b)',
    );
  });

  it("works in a plain TerraformStack, its host map a Terraform local there too", () => {
    // GIVEN a plain cdktf stack, as a user's own app has one
    const plain = new TerraformStack(Testing.app(), "plain");
    new AwsProvider(plain, "aws", { region: "eu-west-1" });
    // WHEN a fleet is added to it
    new AwsFleet(plain, "Fleet", fleetProps(new AwsSiteNetwork(plain, "Network", NETWORK)));
    const tf = JSON.parse(Testing.synth(plain, true));
    // THEN the instances iterate over the local hosts_web, which holds the hosts
    expect(tf.locals.hosts_web).toEqual({ "t-aws-web-001": { ip: "10.40.1.1", zone: "eu-west-1a" }, "t-aws-web-002": { ip: "10.40.17.1", zone: "eu-west-1b" } });
    expect(Object.values(resourcesOf(tf, "aws_instance")).map((r: any) => r.for_each)).toEqual(["${local.hosts_web}"]);
  });
});
