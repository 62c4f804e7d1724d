import { devCopy, estate, removeTempDirs } from "./estate";

describe("estate hosts", () => {
  let env: string;
  beforeAll(() => {
    env = devCopy();
  });

  it("GIVEN dev THEN a plain aligned table of every host", () => {
    const r = estate(["hosts", "--env", env]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+SITE\s+SERVICE\s+AZ\s+IP\s+IMAGE\s+VERSION$/);
    expect(lines[1]).toMatch(/^dev-os-a-web-001\s+os-a\s+web\s+az1\s+10\.10\.1\.1\s+debian12\s+2026\.11\.1$/);
    // Columns line up: every row has its IP where the header says IP.
    const ipColumn = lines[0].indexOf("IP");
    expect(lines.slice(1).every((l) => /^\d/.test(l.slice(ipColumn)))).toBe(true);
    // 3 OpenStack sites × (3 web + 2 api) + AWS (3 web + 2 api)
    expect(lines).toHaveLength(1 + 20);
  });

  it("GIVEN --site and --service THEN only those hosts, and --json gives data", () => {
    const r = estate(["hosts", "--env", env, "--site", "os-b", "--service", "api", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { env: "dev", name: "dev-os-b-api-001", site: "os-b", service: "api", availabilityZone: "az1", ip: "10.20.2.1", image: "debian12", version: "2026.11.1" },
      { env: "dev", name: "dev-os-b-api-002", site: "os-b", service: "api", availabilityZone: "az2", ip: "10.20.2.2", image: "debian12", version: "2026.11.1" },
    ]);
  });

  it.each([
    [["--site", "os-z"], '--site: no site "os-z" (sites: os-a, os-b, os-c, aws)'],
    [["--service", "db"], '--service: no service "db" (services: web, api)'],
  ])("GIVEN %j THEN exit 2 with the known names", (args, message) => {
    const r = estate(["hosts", "--env", env, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("GIVEN an unknown environment THEN exit 2", () => {
    expect(estate(["hosts", "--env", "nope"]).status).toBe(2);
  });

  it("GIVEN --json and an unknown site THEN nothing on stdout, the message on stderr, exit 2", () => {
    const r = estate(["hosts", "--env", env, "--site", "os-z", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('--site: no site "os-z"');
  });
});

afterAll(removeTempDirs);
