import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT, estate, removeTempDirs, tempDir } from "./estate";

const FIXTURE = join(PROJECT, "test", "fixtures", "diff", "review.yaml");
/** Text output stays readable in a terminal this wide. */
const TERMINAL_COLUMNS = 100;

/**
 * The review diff of test/fixtures/diff/review.yaml (three OpenStack sites, a private `api` behind 15 Route 53
 * health-checker CIDRs) against a copy edited the way a pull request would.
 */
describe("estate diff: precise where a reviewer looks", () => {
  const dir = tempDir("estate-diff-review-");
  const base = join(dir, "base");

  beforeAll(() => {
    expect(estate(["synth", "--env", FIXTURE, "--out", base, "--no-policy"]).status).toBe(0);
  });

  /** Synthesizes the fixture with `edit` applied into its own directory and returns that directory. */
  function headWith(name: string, edit: (text: string) => string): string {
    const text = readFileSync(FIXTURE, "utf8");
    const changed = edit(text);
    expect(changed).not.toBe(text);
    const envDir = join(dir, `${name}-env`);
    const env = join(envDir, "review.yaml");
    mkdirSync(envDir);
    writeFileSync(env, changed);
    const out = join(dir, name);
    const r = estate(["synth", "--env", env, "--out", out, "--no-policy"]);
    expect(r.stderr).not.toMatch(/problem|error/i);
    expect(r.status).toBe(0);
    return out;
  }

  const diff = (head: string, ...args: string[]) => {
    const r = estate(["diff", "--base", base, "--head", head, ...args]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  };

  describe("GIVEN one Route 53 health-checker CIDR added (16 allowed CIDRs become 17)", () => {
    let head: string;
    beforeAll(() => {
      head = headWith("checker", (t) => t.replace("    - 54.255.254.192/26\n", "    - 54.255.254.192/26\n    - 64.252.64.0/26\n"));
    });

    it("THEN text shows the one added element with a line of context, as terraform plan does", () => {
      expect(diff(head, "--stack", "review-os-a")).toContain(
        [
          "review-os-a: 0 to add, 1 to change, 0 to destroy",
          "  ~   openstack_lb_listener_v2.api_load_balancer_port5432_listener",
          "        ~ allowed_cidrs = [",
          "              # (15 unchanged elements hidden)",
          '              "54.255.254.192/26",',
          '            + "64.252.64.0/26",',
          "          ]",
          "",
        ].join("\n"),
      );
    });

    it("THEN markdown names the added element, not the list twice", () => {
      const md = diff(head, "--format", "markdown");
      expect(md).toContain("- `openstack_lb_listener_v2.api_load_balancer_port5432_listener`: `allowed_cidrs` + `64.252.64.0/26` (16 unchanged elements)");
      expect(md).not.toContain("15.177.0.0/18");
    });

    it("THEN the security table has one row for the three sites, labelled as a widening", () => {
      const text = diff(head);
      expect(text).toContain(
        [
          "Security-relevant changes: 1 (3 resources in 3 stacks)",
          "  ! WIDER     allowed_cidrs changed: + 64.252.64.0/26",
          "              admits 64.252.64.0/26 (public range)",
          "              in review-os-a, review-os-b, review-os-c:",
          "                openstack_lb_listener_v2.api_load_balancer_port5432_listener",
        ].join("\n"),
      );
      const md = diff(head, "--format", "markdown");
      expect(md).toContain("| Exposure | What | Change | Before | After | Stacks | Resources |");
      expect(md).toContain(
        "| ⚠️ **wider**: admits 64.252.64.0/26 (public range) | allowed_cidrs | changed |  | `+ 64.252.64.0/26` | `review-os-a`, `review-os-b`, `review-os-c` | `openstack_lb_listener_v2.api_load_balancer_port5432_listener` |",
      );
    });

    it(`THEN no text line is wider than ${TERMINAL_COLUMNS} columns`, () => {
      const wide = diff(head).split("\n").filter((l) => l.length > TERMINAL_COLUMNS);
      expect(wide).toEqual([]);
    });
  });

  describe("GIVEN a new admin network from public address space", () => {
    let head: string;
    beforeAll(() => {
      head = headWith("admin", (t) => t.replace("  - 192.0.2.0/26\n", "  - 192.0.2.0/26\n  - 203.0.113.0/24\n"));
    });

    it("THEN each new rule is one row across the sites, labelled with the new outside network and port", () => {
      const text = diff(head);
      expect(text).toContain(
        [
          "  ! WIDER     ingress tcp/22 added: tcp/22 from 203.0.113.0/24",
          "              admits 203.0.113.0/24 (public range) on tcp/22",
          "              in review-os-a, review-os-b, review-os-c:",
          "                openstack_networking_secgroup_rule_v2.api_security_group_ssh_from203_0_113_0_24",
          "                openstack_networking_secgroup_rule_v2.web_security_group_ssh_from203_0_113_0_24",
        ].join("\n"),
      );
      // One row per distinct change, not one per site and security group.
      expect(text.split("\n").filter((l) => /^ {2}[! ] [A-Z]+ /.test(l)).length).toBeLessThanOrEqual(2);
      expect(text.split("\n").filter((l) => l.length > TERMINAL_COLUMNS)).toEqual([]);
    });

    it("THEN JSON carries the exposure of every row", () => {
      const json = JSON.parse(diff(head, "--format", "json")) as { security: { exposure: string; label: string; stacks: string[] }[] };
      expect(json.security.length).toBeGreaterThan(0);
      for (const row of json.security) {
        expect(row.exposure).toBe("wider");
        expect(row.stacks).toEqual(["review-os-a", "review-os-b", "review-os-c"]);
      }
    });
  });

  describe("GIVEN the admin network narrowed from /26 to /27", () => {
    it("THEN the change is labelled as a narrowing, without a warning", () => {
      const head = headWith("narrow", (t) => t.replace("  - 192.0.2.0/26\n", "  - 192.0.2.0/27\n"));
      const text = diff(head);
      expect(text).toContain("  NARROWER  ingress tcp/22 changed: tcp/22 from 192.0.2.0/26 -> tcp/22 from 192.0.2.0/27");
      expect(text).toContain("              narrows 192.0.2.0/26 to 192.0.2.0/27");
      expect(text).not.toContain("! WIDER");
    });
  });

  describe("GIVEN the api service removed", () => {
    it("THEN destroys are counted per resource instance and its data source is not one of them", () => {
      const head = headWith("no-api", (t) => t.replace(/ {2}- name: api\n(?: {4}.*\n)+/, "").replace(/ {8}api: 198\.51\.100\.\d+\n/g, ""));
      const text = diff(head, "--stack", "review-os-a");
      // 10 resources (the server group, load balancer, listener, pool, monitor, floating IP, security group and its
      // 3 rules: SSH and node_exporter from the admin network, the listener port from the DHCP range), plus 3
      // for_each resources with 2 instances each; the image lookup is only forgotten.
      expect(text).toContain("review-os-a: 0 to add, 0 to change, 16 to destroy\n");
      expect(text).toContain('  .   data.openstack_images_image_v2.api_fleet_image["2026.11.1"] (no longer read; nothing is');
      const md = diff(head, "--format", "markdown", "--stack", "review-os-a");
      expect(md).toContain("| Stack | Add | Change | Destroy | Replace | Data read |");
      expect(md).toContain("| `review-os-a` | 0 | 0 | **16** | 0 | 0 |");
    });
  });
});

afterAll(removeTempDirs);
