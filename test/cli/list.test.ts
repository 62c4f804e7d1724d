import { readFileSync, writeFileSync } from "node:fs";
import { devCopy, estate, removeTempDirs } from "./estate";

describe("estate list", () => {
  let env: string;
  beforeAll(() => {
    env = devCopy();
  });

  it("GIVEN dev WHEN listed THEN every stack shows its env, site, kind, provider, location, backend and instance count", () => {
    const r = estate(["list", "--env", env]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toContain("RESOURCES counts resource instances: for_each and count expanded");
    expect(lines[1]).toMatch(/^STACK\s+ENV\s+SITE\s+KIND\s+PROVIDER\s+REGION\/CLOUD\s+BACKEND\s+RESOURCES$/);
    expect(lines[2]).toMatch(/^dev-os-a\s+dev\s+os-a\s+openstack\s+openstack\s+dev-os-a\/RegionOne\s+terraform-state\/dev-os-a\.tfstate\s+\d+$/);
    expect(r.stdout).toMatch(/dev-aws\s+dev\s+aws\s+aws\s+aws\s+eu-west-1\s+terraform-state\/dev-aws\.tfstate\s+\d+/);
    expect(r.stdout).toMatch(/dev-traffic\s+dev\s+-\s+traffic\s+aws\s+eu-west-1\s+terraform-state\/dev-traffic\.tfstate\s+\d+/);
  });

  it("GIVEN --json THEN rows are data, and fleets count one resource per host", () => {
    const r = estate(["list", "--env", env, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { stack: string; site: string | null; resources: number; kind: string }[];
    expect(rows.map((r) => r.stack)).toEqual(["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"]);
    // Every row has every key; the traffic stack belongs to no site.
    for (const row of rows) expect(Object.keys(row)).toEqual(["stack", "env", "site", "kind", "providers", "location", "backend", "resources"]);
    expect(rows.map((r) => r.site)).toEqual(["os-a", "os-b", "os-c", "aws", null]);
    const bigger = devCopy();
    writeFileSync(bigger, readFileSync(bigger, "utf8").replace("instancesPerSite: 3", "instancesPerSite: 13"));
    const grown = JSON.parse(estate(["list", "--env", bigger, "--json"]).stdout) as { stack: string; resources: number }[];
    // Ten more web hosts per OpenStack site: an instance, a port and a pool member each, and a second server group
    // for hosts 11-13 (Nova's 10 members per group).
    expect(grown.find((r) => r.stack === "dev-os-a")!.resources - rows.find((r) => r.stack === "dev-os-a")!.resources).toBe(31);
  });

  it("GIVEN an unknown environment THEN exit 2 naming the known ones", () => {
    const r = estate(["list", "--env", "staging"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown environment "staging": no environments\/staging\.yaml \(known: .*dev.*\)/);
  });
});

describe("estate list --json errors", () => {
  it("GIVEN an unknown environment THEN nothing on stdout, the message on stderr, exit 2", () => {
    const r = estate(["list", "--env", "staging", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown environment "staging"');
  });
});

afterAll(removeTempDirs);
