import { Testing } from "cdktf";
import type { EstateModel } from "../../model";
import { AwsSiteStack } from "../../stacks/aws-site-stack";
import { OpenstackSiteStack } from "../../stacks/openstack-site-stack";
import { devModel } from "../support/env";
import { resourcesOf, synthJson } from "../support/synth";

/** GIVEN dev with two Route 53 checker ranges, and `mutate` applied. */
function dev(mutate: (env: any) => void = () => {}): EstateModel {
  return devModel((env) => {
    env.traffic.healthCheckerCidrs = ["15.177.0.0/18", "54.228.16.0/26"];
    mutate(env);
  });
}

/** What each kind of site lets in on the api service (dev: TCP 5432 in os-a, os-b, os-c and aws). */
function apiAccess(estate: EstateModel): { openstack: string[]; awsPrefixListRules: string[]; awsPrefixListLookup: boolean } {
  const os = synthJson(new OpenstackSiteStack(Testing.app(), estate, estate.openstackSites[0]));
  const aws = synthJson(new AwsSiteStack(Testing.app(), estate, estate.awsSite!));
  const rules = resourcesOf(aws, "aws_vpc_security_group_ingress_rule");
  return {
    openstack: [...resourcesOf(os, "openstack_lb_listener_v2").api_load_balancer_port5432_listener.allowed_cidrs].sort(),
    awsPrefixListRules: Object.keys(rules)
      .filter((name) => name.startsWith("api_") && rules[name].prefix_list_id !== undefined)
      .sort(),
    awsPrefixListLookup: aws.data?.aws_ec2_managed_prefix_list?.route53_health_checkers !== undefined,
  };
}

describe("Route 53 health checkers, let in the same way by OpenStack and AWS sites", () => {
  it("GIVEN a public service open to some networks THEN both kinds of site let the checkers in", () => {
    const access = apiAccess(dev());
    expect(access.openstack).toEqual(["10.0.0.0/8", "15.177.0.0/18", "54.228.16.0/26"]);
    expect(access.awsPrefixListRules).toEqual(["api_security_instance_ingress_from_health_checkers", "api_security_load_balancer_ingress_from_health_checkers"]);
    expect(access.awsPrefixListLookup).toBe(true);
  });

  it("GIVEN a public service whose networks together reach the whole internet THEN neither adds the checkers", () => {
    const access = apiAccess(dev((env) => (env.services[1].allowedCidrs = ["0.0.0.0/1", "128.0.0.0/1"])));
    expect(access.openstack).toEqual(["0.0.0.0/1", "128.0.0.0/1"]);
    expect(access.awsPrefixListRules).toEqual([]);
    expect(access.awsPrefixListLookup).toBe(false);
  });

  it("GIVEN no traffic section THEN nothing health-checks the sites and neither lets checkers in", () => {
    const access = apiAccess(dev((env) => delete env.traffic));
    expect(access.openstack).toEqual(["10.0.0.0/8"]);
    expect(access.awsPrefixListRules).toEqual([]);
    expect(access.awsPrefixListLookup).toBe(false);
  });
});
