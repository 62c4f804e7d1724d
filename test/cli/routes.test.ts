import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devCopy, estate, PROJECT, removeTempDirs, tempDir } from "./estate";

const EXAMPLE = join(PROJECT, "examples", "legacy-routes");
/** The central routes of os-a for the example tables: the file's own route first, then the consolidated ones. */
const EXAMPLE_ROUTES = [
  "- { destination: 10.0.0.0/16, nextHop: 10.10.0.254 }",
  "- { destination: 10.60.0.0/23, nextHop: 10.10.0.110 }",
  "- { destination: 10.70.0.0/16, nextHop: 10.10.0.111 }",
  "- { destination: 10.70.5.0/24, nextHop: 10.10.0.112 }",
];

describe("estate routes", () => {
  afterAll(removeTempDirs);

  it("GIVEN the example tables WHEN run THEN os-a's routes are written in place, reported, and the stack diff shown", () => {
    const env = devCopy();
    const before = readFileSync(env, "utf8");
    const r = estate(["routes", EXAMPLE, "--env", env, "--site", "os-a"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const after = readFileSync(env, "utf8");
    expect(after).toBe(
      before.replace(
        "        - { destination: 10.0.0.0/16, nextHop: 10.10.0.254 }\n",
        [...EXAMPLE_ROUTES.map((line) => `        ${line}`), ""].join("\n"),
      ),
    );
    expect(r.stdout).toContain("Routing tables: 4 servers (route-n 1, netstat-rn 1, ip-json 1, ip-route 1), 22 routes read, 13 distinct\n");
    expect(r.stdout).toContain("Central routes for os-a (10.10.0.0/20): 4 of at most 30 (Neutron max_routes)\n");
    expect(r.stdout).toContain("  10.80.0.0/16: via 10.10.0.109 on db-01; via 10.10.0.113 on web-02\n");
    expect(r.stdout).toContain("  172.16.0.0/12 via 192.168.50.1: next hop 192.168.50.1 is not on the site subnet 10.10.0.0/20");
    expect(r.stdout).toContain(`${env}: sites.openstack[0].routes set to 4 routes\n`);
    expect(r.stdout).toContain("  +   openstack_networking_router_route_v2.network_route_to10_60_0_0_23\n");
    expect(r.stdout).toContain("dev-os-a: 3 to add, 0 to change, 0 to destroy\n");

    const again = estate(["routes", EXAMPLE, "--env", env, "--site", "os-a"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("already holds these routes; nothing to do");
    expect(readFileSync(env, "utf8")).toBe(after);
  });

  it("GIVEN --print THEN the routes are printed as YAML and the file is not touched", () => {
    const r = estate(["routes", EXAMPLE, "--env", "dev", "--site", "os-a", "--print"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(["routes:", ...EXAMPLE_ROUTES.map((line) => `  ${line}`), ""].join("\n"));
  });

  it("GIVEN an unreadable line THEN exit 1 naming file and line, nothing written", () => {
    const dir = tempDir("estate-routes-");
    for (const name of ["db-01.txt", "web-01.json"]) copyFileSync(join(EXAMPLE, name), join(dir, name));
    writeFileSync(join(dir, "app-01.txt"), "default via 10.10.0.1 dev eth0\n10.61.0.0/16 via 10.10.0.2500 dev eth0\n");
    const env = devCopy();
    const before = readFileSync(env, "utf8");
    const r = estate(["routes", dir, "--env", env, "--site", "os-a", "--json"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`estate routes: cannot read 1 line(s) of the routing tables in ${dir}; fix or remove them and run again (nothing written)\n`);
    expect(r.stderr).toContain(`  ${join(dir, "app-01.txt")}:2: next hop "10.10.0.2500" is not an IPv4 address`);
    expect(readFileSync(env, "utf8")).toBe(before);
  });

  it("GIVEN more routes than the site's limits.routesPerRouter THEN the report, exit 1, and the file stays as it was", () => {
    const env = devCopy();
    writeFileSync(env, readFileSync(env, "utf8").replace("  openstack:\n    - name: os-a\n", "  openstack:\n    - name: os-a\n      limits: { routesPerRouter: 3 }\n"));
    const before = readFileSync(env, "utf8");
    expect(before).toContain("limits: { routesPerRouter: 3 }");
    const r = estate(["routes", EXAMPLE, "--env", env, "--site", "os-a"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("Central routes for os-a (10.10.0.0/20): 4 of at most 3 (Neutron max_routes) — OVER THE LIMIT\n");
    expect(r.stderr).toContain(`estate routes: refusing to write 4 routes for os-a: its router accepts 3 (Neutron max_routes); ${env} is unchanged.`);
    expect(readFileSync(env, "utf8")).toBe(before);
  });
});
