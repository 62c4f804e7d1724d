import type { Construct } from "constructs";
import { awsErrorOf, awsTestStack } from "../../support/synth";

/** Route 53 is global; the traffic stack signs its requests in us-east-1 when no AWS site names a region. */
const TRAFFIC_REGION = "us-east-1";

/** GIVEN an estate stack with the AWS provider of a traffic stack. */
export const trafficTestStack = () => awsTestStack(TRAFFIC_REGION);

/** The message a traffic construct throws in a fresh {@link trafficTestStack}. */
export const trafficErrorOf = (build: (scope: Construct) => void) => awsErrorOf(build, trafficTestStack());
