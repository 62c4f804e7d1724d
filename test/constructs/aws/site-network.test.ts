import { AwsSiteNetwork } from "../../../constructs/aws";
import { NETWORK, ZONES } from "./fixtures";
import { awsErrorOf, awsTestStack, resourcesOf, synthJson } from "../../support/synth";

describe("AwsSiteNetwork", () => {
  it("builds a VPC, public and private subnets per zone, an internet gateway and a NAT gateway per zone (defaults)", () => {
    const stack = awsTestStack();
    const network = new AwsSiteNetwork(stack, "Network", NETWORK);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_vpc").network_vpc).toEqual({ cidr_block: "10.40.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "t-aws" } });
    expect(resourcesOf(tf, "aws_subnet").network_eu_west_1b_private_subnet).toMatchObject({ cidr_block: "10.40.16.0/20", availability_zone: "eu-west-1b", map_public_ip_on_launch: false });
    expect(resourcesOf(tf, "aws_route").network_public_default_route.gateway_id).toBe("${aws_internet_gateway.network_internet_gateway.id}");
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway")).sort()).toEqual(["network_eu_west_1a_nat_gateway", "network_eu_west_1b_nat_gateway"]);
    expect(resourcesOf(tf, "aws_eip").network_eu_west_1a_nat_eip.domain).toBe("vpc");
    expect(network.publicSubnetIds).toHaveLength(2);
    expect(network.natGatewayIds).toHaveLength(2);
  });

  it("shares one NAT gateway when asked to (all options)", () => {
    const stack = awsTestStack();
    new AwsSiteNetwork(stack, "Network", { ...NETWORK, natGatewayPerZone: false });
    const tf = synthJson(stack);
    expect(Object.keys(resourcesOf(tf, "aws_nat_gateway"))).toEqual(["network_eu_west_1a_nat_gateway"]);
    expect(resourcesOf(tf, "aws_route").network_eu_west_1b_private_default_route.nat_gateway_id).toBe("${aws_nat_gateway.network_eu_west_1a_nat_gateway.id}");
  });

  it("refuses a single zone", () => {
    expect(awsErrorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones: [ZONES[0]] }))).toBe(
      "test/Network: zones lists 1 availability zone(s); load balancers need subnets in at least 2, so list at least 2 zones",
    );
  });

  it("refuses a subnet outside the VPC", () => {
    const zones = [ZONES[0], { ...ZONES[1], publicSubnetCidr: "10.41.0.0/20" }];
    expect(awsErrorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones }))).toBe(
      'test/Network: public subnet 10.41.0.0/20 of zone "eu-west-1b" is not inside the VPC 10.40.0.0/16; carve every subnet from the VPC range',
    );
  });

  it("refuses overlapping subnets", () => {
    const zones = [ZONES[0], { ...ZONES[1], privateSubnetCidr: "10.40.8.0/21" }];
    expect(awsErrorOf((s) => new AwsSiteNetwork(s, "Network", { ...NETWORK, zones }))).toBe(
      'test/Network: private subnet 10.40.8.0/21 of zone "eu-west-1b" overlaps private subnet 10.40.0.0/20 of zone "eu-west-1a"; subnets of a VPC must not overlap',
    );
  });
});
