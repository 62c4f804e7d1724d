import type { AwsServiceHealthCheck } from "../../../constructs/aws";

/** Two availability zones of a test VPC, each with a private and a public subnet. */
export const ZONES = [
  { name: "eu-west-1a", privateSubnetCidr: "10.40.0.0/20", publicSubnetCidr: "10.40.32.0/20" },
  { name: "eu-west-1b", privateSubnetCidr: "10.40.16.0/20", publicSubnetCidr: "10.40.48.0/20" },
];
/** Props of a test AwsSiteNetwork over {@link ZONES}. */
export const NETWORK = { name: "t-aws", vpcCidr: "10.40.0.0/16", zones: ZONES };
export const HTTP_CHECK: AwsServiceHealthCheck = {
  intervalSec: 10,
  timeoutSec: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
  expectedCodes: "200",
};
/** A site network as security groups and load balancers see it, without an AwsSiteNetwork behind it. */
export const FAKE_NETWORK = {
  vpcId: "vpc-1",
  vpcCidr: "10.40.0.0/16",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  privateSubnetIds: { "eu-west-1a": "subnet-pa", "eu-west-1b": "subnet-pb" },
};
