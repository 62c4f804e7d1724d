/**
 * Cloud limits (model/limits.ts): a fleet larger than Nova's members-per-group quota gets several server groups,
 * each host's group fixed by its index so that a growing fleet never moves an existing host.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { instancesOf, blocksOf } from "../../terraform-json";
import { loadEnvironment, type EstateModel } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";
import { devModel } from "../support/env";

const groupsOf = (model: EstateModel, site: string, service: string) => {
  const placed = model.openstackSites.find((s) => s.name === site)!.services.find((s) => s.service.name === service)!;
  return { names: placed.serverGroups, byHost: Object.fromEntries(placed.hosts.map((h) => [h.index, h.serverGroup])) };
};

function synthStack(model: EstateModel, stack: string): any {
  const out = join(mkdtempSync(join(tmpdir(), "estate-limits-")), "cdktf.out");
  synthesizeModels([model], { outdir: out, include: (s) => s.name === stack });
  return JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
}

describe("server groups and Nova's server_group_members quota", () => {
  it("GIVEN prod's www (24 hosts per site) WHEN resolved THEN hosts 1-10, 11-20 and 21-24 get groups 1, 2 and 3", () => {
    const model = loadEnvironment("environments/prod.yaml");
    const www = groupsOf(model, "os-a", "www");
    expect(www.names).toEqual(["prod-os-a-www", "prod-os-a-www-2", "prod-os-a-www-3"]);
    expect(www.byHost[1]).toBe(1);
    expect(www.byHost[10]).toBe(1);
    expect(www.byHost[11]).toBe(2);
    expect(www.byHost[20]).toBe(2);
    expect(www.byHost[21]).toBe(3);
    expect(www.byHost[24]).toBe(3);
    expect(groupsOf(model, "os-c", "api").names).toEqual(["prod-os-c-api", "prod-os-c-api-2"]);
    expect(groupsOf(model, "os-a", "search").names).toEqual(["prod-os-a-search"]);
  });

  it("GIVEN a fleet of 10 WHEN it grows to 11, then 25 THEN no existing host changes group", () => {
    const at = (n: number) => groupsOf(devModel((env) => (env.services[0].instancesPerSite = n)), "os-a", "web").byHost;
    const ten = at(10);
    const eleven = at(11);
    const many = at(25);
    for (let i = 1; i <= 10; i++) expect([ten[i], eleven[i], many[i]]).toEqual([1, 1, 1]);
    expect(eleven[11]).toBe(2);
    expect(many[20]).toBe(2);
    expect(many[25]).toBe(3);
  });

  it("GIVEN limits.serverGroupMembers: 50 WHEN a site runs 24 hosts THEN one group holds them all", () => {
    const model = devModel((env) => {
      env.services[0].instancesPerSite = 24;
      env.sites.openstack[0].limits = { serverGroupMembers: 50 };
    });
    expect(groupsOf(model, "os-a", "web").names).toEqual(["dev-os-a-web"]);
    expect(groupsOf(model, "os-b", "web").names).toEqual(["dev-os-b-web", "dev-os-b-web-2", "dev-os-b-web-3"]);
  });

  it("GIVEN placement: none THEN no host has a server group", () => {
    const model = devModel((env) => (env.services[0].placement = "none"));
    const web = groupsOf(model, "os-a", "web");
    expect(web.names).toEqual([]);
    expect(Object.values(web.byHost).every((g) => g === undefined)).toBe(true);
  });

  it("GIVEN prod WHEN os-a is synthesized THEN group 1 keeps its address and every host's hint names its own group", () => {
    const tf = synthStack(loadEnvironment("environments/prod.yaml"), "prod-os-a");
    const groups = tf.resource.openstack_compute_servergroup_v2;
    expect(Object.keys(groups).filter((k) => k.startsWith("www_")).sort()).toEqual(["www_server_group2_group", "www_server_group3_group", "www_server_group_group"]);
    expect(groups.www_server_group_group).toMatchObject({ name: "prod-os-a-www", policies: ["soft-anti-affinity"] });
    expect(groups.www_server_group2_group).toMatchObject({ name: "prod-os-a-www-2", policies: ["soft-anti-affinity"] });
    expect(groups.api_server_group2_group).toMatchObject({ name: "prod-os-a-api-2", policies: ["anti-affinity"] });
    const www = blocksOf(tf, "managed").find((b) => b.address === "openstack_compute_instance_v2.www_fleet_instance")!;
    const hint = (host: string) => instancesOf(www, tf).find((i) => i.key === host)!.attributes.scheduler_hints;
    expect(hint("prod-os-a-www-010")).toEqual([{ group: "${openstack_compute_servergroup_v2.www_server_group_group.id}" }]);
    expect(hint("prod-os-a-www-011")).toEqual([{ group: "${openstack_compute_servergroup_v2.www_server_group2_group.id}" }]);
    expect(hint("prod-os-a-www-024")).toEqual([{ group: "${openstack_compute_servergroup_v2.www_server_group3_group.id}" }]);
    // A service within the limit keeps the direct reference it always had.
    const search = tf.resource.openstack_compute_instance_v2.search_fleet_instance;
    expect(search.scheduler_hints).toEqual([{ group: "${openstack_compute_servergroup_v2.search_server_group_group.id}" }]);
  });
});
