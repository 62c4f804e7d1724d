/**
 * hybrid-estate as a library: the constructs, the model, and `HybridEstate`, which builds an environment's stacks
 * into a cdktf App the way `estate synth` does. README.md, "Use as a library", shows an app that extends them.
 *
 * @packageDocumentation
 */

// Environments: the YAML front end and the TypeScript one, with the same checks.
export { loadEnvironment } from "./model/load";
export { DEFAULT_PROPS_SOURCE, validateEnvironment, type EnvironmentProps, type ValidateEnvironmentOptions } from "./model/environment-props";
export { EnvironmentError, formatPath, type ConfigProblem } from "./model/errors";
export type { ResolveOptions } from "./model/resolve";
export type * from "./model/types";
export type { HealthCheckProtocol, HealthProbeModel, MonitorType, PublicHealthCheckModel, TargetHealthCheckModel } from "./model/health-check";
export { S3_LOCKING_MODES, TRAFFIC_STATES, type S3Locking } from "./model/schema";

// The stacks of an environment, and what user code extends.
export { HybridEstate, type HybridEstateProps } from "./stacks/hybrid-estate";
export { OpenstackSiteStack, type OpenstackSiteService } from "./stacks/openstack-site-stack";
export { AwsSiteStack, type AwsSiteService } from "./stacks/aws-site-stack";
export { TrafficStack } from "./stacks/traffic-stack";
export { BakeStack } from "./stacks/bake-stack";
export { EstateStack } from "./stacks/estate-stack";
export { crossStackReferences, type CrossStackReference } from "./stacks/site-independence";
export type { PolicyMode } from "./stacks/synthesize";
export type { Finding, PolicyLevel } from "./policy";

// The constructs the stacks are made of.
export * from "./constructs/core";
export * from "./constructs/openstack";
export * from "./constructs/aws";
export * from "./constructs/traffic";
