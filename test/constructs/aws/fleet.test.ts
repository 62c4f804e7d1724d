import { Fn, Testing } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsFleet, type AwsFleetProps } from "../../../constructs/aws";

/** A site network as the fleet sees it: two zones, and the private subnet of each looked up by zone name. */
const NETWORK: AwsFleetProps["network"] = {
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
  network: NETWORK,
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
