/**
 * A failed apply must be recoverable by applying again. terraform-provider-openstack (v3.x,
 * resource_openstack_lb_member_v2.go) records a member in state only after Octavia reports it ACTIVE: a member that
 * goes to ERROR is left in the pool but not in state, and the next apply's create gets 409 ("Another member on this
 * pool is already using ip ...") and retries until the create timeout. Recovery deletes (or imports) that member
 * by hand; these tests keep it possible: every member has its own address, keyed and named by its host, and the
 * README's recovery steps name addresses and pools that exist.
 */
import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { loadEnvironment } from "../../model";
import { OpenstackSiteStack } from "../../stacks/openstack-site-stack";

const FIXTURE = "test/fixtures/safe-apply/members.yaml";

function siteStack(): any {
  const model = loadEnvironment(FIXTURE);
  return JSON.parse(JSON.stringify(new OpenstackSiteStack(Testing.app({ stackTraces: false }), model, model.openstackSites[0]).toTerraform()));
}

/** The README section on recovering from a failed apply, and its shell commands. */
function recoverySection(): { text: string; commands: string[] } {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("### Recovering from a failed apply");
  expect(start, "README has a section \"Recovering from a failed apply\"").toBeGreaterThan(-1);
  const text = readme.slice(start, readme.indexOf("\n## ", start) === -1 ? undefined : readme.indexOf("\n## ", start));
  const commands = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  return { text, commands };
}

describe("pool members stay addressable, so a failed apply can be recovered", () => {
  it("gives every host its own member in every pool: for_each over the host map, named after the host", () => {
    const tf = siteStack();
    const members = tf.resource.openstack_lb_member_v2;
    expect(Object.keys(members).sort()).toEqual(["api_load_balancer_port5432_member", "web_load_balancer_port80_member"]);
    for (const [name, member] of Object.entries<any>(members)) {
      const local = /^\$\{local\.(hosts_[a-z_]+)\}$/.exec(member.for_each)?.[1];
      expect(local, name).toBeDefined();
      expect(Object.keys(tf.locals[local!]).every((host) => host.startsWith("dev-os-a-")), name).toBe(true);
      expect(member.name, name).toBe("${each.key}");
    }
  });

  it("documents the recovery with a member address and a pool name the stack really has", () => {
    const { text, commands } = recoverySection();
    const tf = siteStack();
    const imports = commands.filter((c) => c.includes("terraform import"));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) {
      const m = /terraform import '([a-z0-9_]+)\.([a-z0-9_]+)\["([^"]+)"\]' <pool-id>\/<member-id>/.exec(line);
      expect(m, line).not.toBeNull();
      const [, type, name, host] = m!;
      const resource = tf.resource[type]?.[name];
      expect(resource, `${type}.${name}`).toBeDefined();
      const local = /^\$\{local\.([a-z_]+)\}$/.exec(resource.for_each)![1];
      expect(tf.locals[local], `${host} is a key of ${local}`).toHaveProperty([host]);
    }
    const pools = Object.values<any>(tf.resource.openstack_lb_pool_v2).map((p) => p.name);
    const named = [...text.matchAll(/pool (?:named )?`([a-z0-9-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const pool of named) expect(pools, pool).toContain(pool);
    expect(commands.some((c) => /^openstack .*loadbalancer member delete <pool-id> <member-id>$/.test(c))).toBe(true);
  });
});
