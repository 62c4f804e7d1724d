/**
 * `estate preflight` against the local OpenStack control plane of test/system/openstack/setup.sh, as the admin user
 * (local-os-a) and as a user with the roles member and load-balancer_member only (local-member). The fixture estate
 * gets an `ssh.publicKey`, so its stack registers the key pair (key pairs belong to a user: neither test user has
 * one named estate-admin).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROBE_DESCRIPTION } from "../../cli/lib/preflight/checks";
import { estate, removeTempDirs, tempDir } from "../cli/estate";
import { ADMIN_CLOUD, CLOUDS_YAML, HOW_TO_START, LOCAL_ESTATE, MEMBER_CLOUD, openstack, openstackJson, openstackRequired, openstackUnavailable } from "../support/openstack";

const unavailable = openstackUnavailable();
const skipped = unavailable !== undefined && !openstackRequired();
const title = `estate preflight against a real OpenStack${skipped ? ` (skipped: ${unavailable}; ${HOW_TO_START})` : ""}`;

interface JsonCheck {
  section: string;
  check: string;
  status: "ok" | "missing" | "skipped";
  detail: string;
  fix: string | null;
  resources: string[] | null;
}

interface JsonReport {
  cloud: string;
  user: string;
  project: string;
  roles: string[];
  stacks: string[];
  checks: JsonCheck[];
  summary: { ok: number; missing: number; skipped: number };
}

function estateFile(): string {
  const file = join(tempDir("estate-preflight-"), "local.yaml");
  const text = readFileSync(LOCAL_ESTATE, "utf8").replace(
    "  keyName: estate-admin\n",
    "  keyName: estate-admin\n  publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbIKWOqYlU8XoX4Zw4n4u6nJYpX2m3t5r7n1a9e0loc estate-admin@local\n",
  );
  if (!text.includes("publicKey:")) throw new Error(`${LOCAL_ESTATE}: no "keyName: estate-admin" line to add a publicKey after`);
  writeFileSync(file, text);
  return file;
}

function preflight(args: readonly string[], clouds = CLOUDS_YAML): ReturnType<typeof estate> {
  return estate(["preflight", ...args], { env: { OS_CLIENT_CONFIG_FILE: clouds } });
}

async function probesLeft(cloud: string): Promise<number> {
  const fips = await openstackJson<{ Description?: string }[]>(["floating", "ip", "list", "--long"], cloud);
  return fips.filter((f) => f.Description === PROBE_DESCRIPTION).length;
}

describe.skipIf(skipped)(title, () => {
  let file: string;
  beforeAll(() => {
    file = estateFile();
  });
  afterAll(removeTempDirs);

  it("GIVEN the admin user WHEN preflight runs THEN every check passes, the trial floating IPs are gone, exit 0", async () => {
    const r = preflight(["--env", file, "--site", "os-a"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("preflight of local-os-a, local-os-a-bake on cloud local-os-a");
    expect(r.stdout).toContain("user admin, project admin, roles admin, member, reader");
    expect(r.stdout).toMatch(/create_floatingip:floating_ip_address\s+ok\s+allowed \(tried: /);
    // Each VIP address is either free (created and deleted) or held by this project (a deployed site).
    for (const vip of ["198.51.100.10", "198.51.100.11"]) {
      expect(r.stdout).toMatch(new RegExp(`${vip.replace(/\./g, "\\.")} on public\\s+ok\\s+(free: created a test floating IP at this address and deleted it|held by project admin)`));
    }
    // Neither test user holds a key pair named estate-admin: the stack registers it.
    expect(r.stdout).toMatch(/key pair estate-admin\s+ok\s+the stack registers it \(ssh\.publicKey\)/);
    expect(r.stdout).toMatch(/\nall \d+ checks ok\n$/);
    expect(await probesLeft(ADMIN_CLOUD)).toBe(0);
  }, 300_000);

  it("GIVEN the member-role user WHEN preflight runs THEN exactly the fixed-address floating IP right is missing, with Neutron's 403, exit 1", async () => {
    const r = preflight(["--env", file, "--site", "os-a", "--cloud", MEMBER_CLOUD, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report).toMatchObject({ cloud: MEMBER_CLOUD, user: "estate-member", project: "estate", roles: ["load-balancer_member", "member", "reader"], stacks: ["local-os-a", "local-os-a-bake"] });
    const missing = report.checks.filter((c) => c.status === "missing");
    expect(missing.map((c) => [c.section, c.check])).toEqual([["permissions", "network: create_floatingip:floating_ip_address"]]);
    expect(missing[0].detail).toContain("refused: HTTP 403 (rule:create_floatingip and rule:create_floatingip:floating_ip_address) is disallowed by policy");
    expect(missing[0].fix).toBe("the default policy gives it to admin only: grant the admin role in the project, or a policy.yaml rule for this user's role");
    expect(missing[0].resources).toEqual(["openstack_networking_floatingip_v2.api_public_vip_floating_ip", "openstack_networking_floatingip_v2.web_public_vip_floating_ip"]);
    // The Octavia rules pass on load-balancer_member; the router gateway needs no admin-only rule (no fixed addresses on it).
    expect(report.checks.find((c) => c.check === "load-balancer: os_load-balancer_api:loadbalancer:post")).toMatchObject({ status: "ok", detail: expect.stringMatching(/^role load-balancer_member; /) });
    expect(report.checks.some((c) => c.check.includes("external_fixed_ips"))).toBe(false);
    // Addresses the policy kept preflight from trying are reported as not known, not as taken.
    expect(report.checks.filter((c) => c.section === "floating IPs").map((c) => [c.check, c.status])).toEqual([
      ["198.51.100.11 on public", "skipped"],
      ["198.51.100.10 on public", "skipped"],
    ]);
    expect(report.summary.missing).toBe(1);
    expect(await probesLeft(MEMBER_CLOUD)).toBe(0);
  }, 300_000);

  it("GIVEN a clouds.yaml entry with a wrong password THEN exit 1 with Keystone's 401, nothing on stdout", () => {
    const clouds = join(tempDir("estate-preflight-clouds-"), "clouds.yaml");
    writeFileSync(clouds, 'clouds:\n  local-os-a:\n    auth: {auth_url: "http://127.0.0.1:5000/v3", username: admin, password: not-the-password, project_name: admin, user_domain_name: Default, project_domain_name: Default}\n    region_name: RegionOne\n');
    const r = preflight(["--env", file, "--site", "os-a"], clouds);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^estate preflight: Keystone of cloud "local-os-a" \\(http://127\\.0\\.0\\.1:5000/v3/auth/tokens\\) refused the credentials of ${clouds.replace(/[.]/g, "\\.")}: HTTP 401 `));
    expect(r.stderr).not.toContain("not-the-password");
  }, 120_000);

  describe("GIVEN a project of its own whose user has the member role only, and room for 3 servers, 4 cores and 2 members per server group", () => {
    const name = `estate-preflight-${process.pid}`;
    const password = `pw-${process.pid}-${Date.now()}`;
    let clouds: string;

    beforeAll(async () => {
      await openstack(["project", "create", "--domain", "Default", name]);
      await openstack(["user", "create", "--domain", "Default", "--project", name, "--password", password, name]);
      await openstack(["role", "add", "--user", name, "--project", name, "member"]);
      await openstack(["quota", "set", "--instances", "3", "--cores", "4", "--server-group-members", "2", name]);
      clouds = join(tempDir("estate-preflight-clouds-"), "clouds.yaml");
      writeFileSync(
        clouds,
        `clouds:\n  ${name}:\n    auth: {auth_url: "http://127.0.0.1:5000/v3", username: ${name}, password: ${password}, project_name: ${name}, user_domain_name: Default, project_domain_name: Default}\n    region_name: RegionOne\n`,
      );
    }, 300_000);

    afterAll(async () => {
      // Neutron made the project's default security group when preflight first read its groups.
      const groups = await openstackJson<{ ID: string }[]>(["security", "group", "list", "--project", name]).catch(() => []);
      for (const g of groups) await openstack(["security", "group", "delete", g.ID]).catch(() => undefined);
      await openstack(["user", "delete", "--domain", "Default", name]).catch(() => undefined);
      await openstack(["project", "delete", "--domain", "Default", name]).catch(() => undefined);
    }, 300_000);

    it("WHEN preflight runs THEN it names the Octavia role, the fixed-address rule, the quotas that are short and the declared limit the cloud does not meet, exit 1", () => {
      const r = preflight(["--env", file, "--site", "os-a", "--cloud", name], clouds);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(1);
      const missingLines = r.stdout.split("\n").filter((l) => /^ {2}\S.*\s{2}missing\s{2}/.test(l)).map((l) => l.trim().replace(/\s{2,}/g, " | "));
      expect(missingLines).toEqual([
        expect.stringMatching(/^network: create_floatingip:floating_ip_address \| missing \| refused: HTTP 403 \(rule:create_floatingip and rule:create_floatingip:floating_ip_address\) is disallowed by policy; /),
        ...["healthmonitor", "listener", "loadbalancer", "member", "pool"].map((object) =>
          expect.stringMatching(new RegExp(`^load-balancer: os_load-balancer_api:${object}:post \\| missing \\| needs role load-balancer_member \\(has member, reader\\); .* \\| openstack role add --user ${name} --project ${name} load-balancer_member$`)),
        ),
        `compute instances | missing | needs 6; quota 3, used 0, free 3: short by 3 | raise the Nova quota of project ${name} (openstack quota set --instances <n> ${name}), or free some`,
        `compute cores | missing | needs 8; quota 4, used 0, free 4: short by 4 | raise the Nova quota of project ${name} (openstack quota set --cores <n> ${name}), or free some`,
        "sites.openstack[0].limits.serverGroupMembers | missing | declared 10; the cloud's Nova quota server_group_members is 2 | set sites.openstack[0].limits.serverGroupMembers to 2 (the model and the policy pack plan with it), or raise the quota to 10",
        `compute server group members | missing | largest group local-os-a-web holds 3; quota 2 per group | raise server_group_members of project ${name} (openstack quota set --server-group-members <n>), or set the site's limits.serverGroupMembers to 2 so the model splits fleets into more groups`,
        expect.stringMatching(/^load-balancer quotas \| missing \| cannot read: HTTP 403 /),
      ]);
      expect(r.stdout).toMatch(/\n11 missing, \d+ ok, 2 skipped\n$/);
    }, 300_000);
  });
});
