/**
 * `estate diff` shows an adoption (import blocks added by an adoption file) as its own action, "import", in text and
 * in the markdown reviewers read, and counts it apart from what is added.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estate, PROJECT, removeTempDirs, tempDir } from "./estate";

afterAll(() => removeTempDirs());

describe("estate diff of an adoption", () => {
  let base = "";
  let head = "";

  beforeAll(() => {
    // GIVEN the os-a stack synthesized without, then with an adoption file of two imports
    const dir = tempDir("estate-diff-adoption-");
    const env = join(dir, "adopt.yaml");
    copyFileSync(join(PROJECT, "test/fixtures/adopt/adopt.yaml"), env);
    base = join(dir, "base");
    head = join(dir, "head");
    expect(estate(["synth", "--env", env, "--stack", "adopt-os-a", "--out", base, "--no-policy"]).status).toBe(0);
    mkdirSync(join(dir, "adopt.adopt"));
    const imports = [
      { to: "openstack_networking_network_v2.network_network", id: "net-1" },
      { to: 'openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"]', id: "srv-1" },
    ];
    writeFileSync(join(dir, "adopt.adopt", "os-a.json"), JSON.stringify({ site: "os-a", imports }));
    expect(estate(["synth", "--env", env, "--stack", "adopt-os-a", "--out", head, "--no-policy"]).status).toBe(0);
  }, 120_000);

  it("text: each adopted instance is an import, nothing to add", () => {
    const r = estate(["diff", "--base", base, "--head", head]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      [
        "adopt-os-a: 2 to import, 0 to add, 0 to change, 0 to destroy",
        '  <-  openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"] (import)',
        "  <-  openstack_networking_network_v2.network_network (import)",
      ].join("\n"),
    );
  });

  it("markdown: an Import column and an Import section listing each address", () => {
    const r = estate(["diff", "--base", base, "--head", head, "--format", "markdown"]);
    expect(r.stdout).toContain("| Stack | Import | Add | Change | Destroy | Replace | Data read |\n|:--|--:|--:|--:|--:|--:|--:|\n| `adopt-os-a` | 2 | 0 | 0 | 0 | 0 | 0 |");
    expect(r.stdout).toContain(
      [
        "**Import (existing objects brought under management)**",
        "",
        '- `openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"]` (imported)',
        "- `openstack_networking_network_v2.network_network` (imported)",
      ].join("\n"),
    );
  });

  it("json: action import with importing set", () => {
    const r = estate(["diff", "--base", base, "--head", head, "--json"]);
    const changes = (JSON.parse(r.stdout) as { stacks: { changes: { address: string; action: string; importing?: boolean }[] }[] }).stacks[0].changes;
    expect(changes.map((c) => [c.address, c.action, c.importing])).toEqual([
      ['openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"]', "import", true],
      ["openstack_networking_network_v2.network_network", "import", true],
    ]);
  });
});
