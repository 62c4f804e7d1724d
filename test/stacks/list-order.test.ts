/**
 * Lists whose order means nothing are written in the order the API returns them, so a second plan after an apply
 * shows no change and reordering the file is a no-op; lists whose order means something stay as written.
 */
import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { loadEnvironment } from "../../model";
import { OpenstackSiteStack } from "../../stacks/openstack-site-stack";
import { writeEnvironment } from "../support/env";

const FIXTURE = "test/fixtures/safe-apply/list-order.yaml";

function siteStack(file: string): any {
  const model = loadEnvironment(file);
  const stack = new OpenstackSiteStack(Testing.app({ stackTraces: false }), model, model.openstackSites[0]);
  return JSON.parse(JSON.stringify(stack.toTerraform()));
}

function reordered(mutate: (env: any) => void): string {
  const env = parse(readFileSync(FIXTURE, "utf8"));
  mutate(env);
  return writeEnvironment(env, "dev.yaml");
}

describe("list order in the synthesized Terraform", () => {
  it("writes listener allowed_cidrs sorted as strings, as Octavia returns them", () => {
    const listener = siteStack(FIXTURE).resource.openstack_lb_listener_v2.api_load_balancer_port5432_listener;
    // String order, not numeric: 100.64 before 15.177 before 172.16 before 54.228.
    expect(listener.allowed_cidrs).toEqual(["10.0.0.0/8", "100.64.0.0/10", "15.177.0.0/18", "172.16.0.0/12", "192.168.0.0/16", "54.228.16.0/26"]);
  });

  it("does not change when the service's or the health checkers' networks are listed in another order", () => {
    const moved = reordered((env) => {
      env.services[1].allowedCidrs.reverse();
      env.traffic.healthCheckerCidrs.reverse();
    });
    expect(siteStack(moved).resource.openstack_lb_listener_v2).toEqual(siteStack(FIXTURE).resource.openstack_lb_listener_v2);
  });

  it("keeps the order of lists whose order means something: DNS resolvers and availability zones", () => {
    const tf = siteStack(FIXTURE);
    // Resolver priority: the first server is asked first.
    expect(tf.resource.openstack_networking_subnet_v2.network_subnet.dns_nameservers).toEqual(["10.0.1.53", "10.0.0.53"]);
    // Round-robin placement follows the zones as written: sorting them would move (replace) hosts.
    expect(tf.locals.hosts_web["dev-os-a-web-001"].az).toBe("az3");
    expect(tf.locals.hosts_web["dev-os-a-web-002"].az).toBe("az1");
  });
});
