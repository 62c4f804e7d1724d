import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devCopy, estate, removeTempDirs, tempDir } from "./estate";

interface JsonChange {
  address: string;
  resource: string;
  type: string;
  action: string;
  attributes: { path: string; before?: unknown; after?: unknown; forcesReplacement: boolean; knownAfterApply?: string }[];
}
interface JsonDiff {
  hasChanges: boolean;
  summary: { stack: string; status: string }[];
  stacks: { name: string; changes: JsonChange[] }[];
  security: { change: string; subject: string; before?: string; after?: string; exposure: string; label: string; stacks: string[]; places: { stacks: string[]; addresses: string[] }[] }[];
}

/**
 * GIVEN the dev estate synthesized as the base, WHEN three things change in the environment file — one more web
 * host per site, a wider admin network, and a new golden image version — THEN the diff shows those three changes
 * and their consequences, and nothing else.
 */
describe("estate diff", () => {
  const dir = tempDir();
  const base = join(dir, "base");
  const head = join(dir, "head");
  let env: string;
  let markdown: ReturnType<typeof estate>;
  let json: JsonDiff;

  beforeAll(() => {
    env = devCopy();
    expect(estate(["synth", "--env", env, "--out", base]).status).toBe(0);
    const text = readFileSync(env, "utf8");
    const changed = text
      .replace("instancesPerSite: 3", "instancesPerSite: 4")
      .replace("  - 192.0.2.0/26", "  - 192.0.2.0/25")
      .replaceAll("2026.11.1", "2026.12.1");
    expect(changed).not.toBe(text);
    writeFileSync(env, changed);
    markdown = estate(["diff", "--base", base, "--env", env, "--format", "markdown", "--out", head]);
    json = JSON.parse(estate(["diff", "--base", base, "--head", head, "--format", "json"]).stdout) as JsonDiff;
  });

  const changes = () => json.stacks.flatMap((s) => s.changes.map((c) => ({ ...c, stack: s.name })));

  it("exits 0 without --exit-code and reports the changed stacks in a summary table", () => {
    expect(markdown.stderr).toBe("");
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain("**4 stacks changed**, 1 unchanged.");
    expect(markdown.stdout).toContain("| Stack | Add | Change | Destroy | Replace | Data read |");
    for (const stack of ["dev-aws", "dev-os-a", "dev-os-b", "dev-os-c"]) expect(markdown.stdout).toMatch(new RegExp(`\\| \`${stack}\` \\| \\d+ \\|`));
    expect(markdown.stdout).not.toContain("`dev-traffic`");
  });

  it("lists the new hosts by host name, one instance address each", () => {
    for (const site of ["os-a", "os-b", "os-c"]) {
      for (const address of [
        `openstack_compute_instance_v2.web_fleet_instance["dev-${site}-web-004"]`,
        `openstack_networking_port_v2.web_fleet_port["dev-${site}-web-004"]`,
        `openstack_lb_member_v2.web_load_balancer_port80_member["dev-${site}-web-004"]`,
      ]) {
        expect(markdown.stdout).toContain(`- \`${address}\``);
      }
    }
    expect(markdown.stdout).toContain('- `aws_instance.web_fleet_instances["dev-aws-web-004"]`');
  });

  it("puts the widened admin rules in the security table, flagged, one row per change across the sites", () => {
    const security = markdown.stdout.slice(markdown.stdout.indexOf("#### Security-relevant changes"), markdown.stdout.indexOf("#### `dev-aws`"));
    expect(security).toContain(
      "| ⚠️ **wider**: widens 192.0.2.0/26 to 192.0.2.0/25 | ingress tcp/22 | changed | `tcp/22 from 192.0.2.0/26` | `tcp/22 from 192.0.2.0/25` | `dev-aws`, `dev-os-a`, `dev-os-b`, `dev-os-c` | " +
        '`dev-aws`: `aws_vpc_security_group_ingress_rule.api_security_instance_ingress["tcp-22-192.0.2.0/26" → "tcp-22-192.0.2.0/25"]`, `aws_vpc_security_group_ingress_rule.web_security_instance_ingress["tcp-22-192.0.2.0/26" → "tcp-22-192.0.2.0/25"]`<br>' +
        "`dev-os-a`, `dev-os-b`, `dev-os-c`: `openstack_networking_secgroup_rule_v2.api_security_group_ssh_from192_0_2_0_26 → openstack_networking_secgroup_rule_v2.api_security_group_ssh_from192_0_2_0_25`, `openstack_networking_secgroup_rule_v2.web_security_group_ssh_from192_0_2_0_26 → openstack_networking_secgroup_rule_v2.web_security_group_ssh_from192_0_2_0_25` |",
    );
    // SSH from the admin network, for both services in every OpenStack site and on AWS: one change. node_exporter
    // follows monitoring.scrapeCidrs, which dev lists on its own, so it does not widen with adminCidrs.
    expect(json.security.map((g) => [g.subject, g.exposure, g.label, g.stacks])).toEqual([
      ["ingress tcp/22", "wider", "widens 192.0.2.0/26 to 192.0.2.0/25", ["dev-aws", "dev-os-a", "dev-os-b", "dev-os-c"]],
    ]);
  });

  it("marks the image version change as a replacement of every affected instance", () => {
    expect(markdown.stdout).toContain("> [!CAUTION]");
    for (const site of ["os-a", "os-b", "os-c"]) {
      expect(markdown.stdout).toContain(`> - \`dev-${site}\`: \`openstack_compute_instance_v2.web_fleet_instance\` on 3 instances (forced by \`block_device[0].uuid\`)`);
      expect(markdown.stdout).toContain(`> - \`dev-${site}\`: \`openstack_compute_instance_v2.api_fleet_instance\` on 2 instances (forced by \`block_device[0].uuid\`)`);
    }
    const web = changes().filter((c) => c.stack === "dev-os-a" && c.resource === "openstack_compute_instance_v2.web_fleet_instance" && c.action === "replace");
    expect(web.map((c) => c.address)).toEqual([1, 2, 3].map((n) => `openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-00${n}"]`));
    expect(web[0].attributes).toEqual([
      {
        path: "block_device[0].uuid",
        before: '${local.image_ids_web["2026.11.1"]}',
        after: '${local.image_ids_web["2026.12.1"]}',
        forcesReplacement: true,
        // The new version's lookup sends another name: the image id is read during the plan, not known offline.
        knownAfterApply: 'data.openstack_images_image_v2.web_fleet_image["2026.12.1"]',
      },
      { path: "metadata.estate_image_version", before: "2026.11.1", after: "2026.12.1", forcesReplacement: false },
    ]);
    // The new host is created, not replaced.
    expect(changes().find((c) => c.address.endsWith('web_fleet_instance["dev-os-a-web-004"]'))!.action).toBe("create");
  });

  it("shows nothing but those three changes and their consequences", () => {
    const explained = (c: JsonChange & { stack: string }) =>
      // one more web host
      (c.action === "create" && /\["dev-[a-z-]+-web-004"\]$/.test(c.address)) ||
      // admin network: rules named or keyed by their CIDR are swapped for the wider one
      ((c.action === "create" || c.action === "delete") && /192_0_2_0_2[56]$|192\.0\.2\.0\/2[56]"\]$/.test(c.address)) ||
      // new image: looked up again, instances (and what points at them) replaced
      ((c.action === "read" || c.action === "forget") && /images_image_v2|aws_ami/.test(c.type)) ||
      // ...through the per-version image locals the hosts' versions index
      (c.action === "update" && /^local\.(image_ids|image_names|amis)_[a-z0-9_]+$/.test(c.address)) ||
      (c.action === "replace" && ["openstack_compute_instance_v2", "aws_instance", "aws_lb_target_group_attachment"].includes(c.type));
    const unexplained = changes().filter((c) => !explained(c));
    expect(unexplained).toEqual([]);
  });

  it("groups a change shared by every instance into one entry with collapsible attributes", () => {
    expect(markdown.stdout).toContain(
      '- `openstack_compute_instance_v2.web_fleet_instance` on 3 instances: `block_device[0].uuid` `${local.image_ids_web["2026.11.1"]}` → `${local.image_ids_web["2026.12.1"]} (known after apply)` ⚠️ forces replacement; `metadata.estate_image_version` `2026.11.1` → `2026.12.1`',
    );
    expect(markdown.stdout).toContain("<details><summary>Attributes</summary>");
    expect(markdown.stdout).toContain("  - instances: `dev-os-a-web-001`, `dev-os-a-web-002`, `dev-os-a-web-003`");
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    const once = estate(["diff", "--base", base, "--head", head, "--format", "markdown"]).stdout;
    const twice = estate(["diff", "--base", base, "--head", head, "--format", "markdown"]).stdout;
    expect(twice).toBe(once);
    // Synthesizing the working tree gives the same report as the kept output.
    expect(once.replace(/^Base: .*$/m, "")).toBe(markdown.stdout.replace(/^Base: .*$/m, ""));
  });

  it("GIVEN --exit-code THEN 1 with changes and 0 for identical inputs", () => {
    expect(estate(["diff", "--base", base, "--head", head, "--exit-code"]).status).toBe(1);
    const same = estate(["diff", "--base", base, "--head", base, "--exit-code", "--format", "markdown"]);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain("No changes: every stack and artifact is identical.");
  });

  it("GIVEN --format text THEN terraform-like lines", () => {
    const r = estate(["diff", "--base", base, "--head", head, "--stack", "dev-os-a"]);
    expect(r.status).toBe(0);
    // As terraform plan counts: 5 new instances plus 5 replaced to add, 2 removed plus 5 replaced to destroy.
    expect(r.stdout).toContain("dev-os-a: 10 to add, 0 to change, 7 to destroy (5 replaced); 2 data sources read");
    expect(r.stdout).toContain("  -/+ openstack_compute_instance_v2.web_fleet_instance on 3 instances (replace)");
    expect(r.stdout).toContain('  +   openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-004"]');
    expect(r.stdout).not.toContain("dev-os-b");
  });

  it("GIVEN --json THEN the --format json document alone on stdout, synthesizing or not, with --exit-code's status", () => {
    const kept = estate(["diff", "--base", base, "--head", head, "--json", "--exit-code"]);
    expect(kept.stderr).toBe("");
    expect(kept.status).toBe(1);
    expect(JSON.parse(kept.stdout)).toEqual(json);
    const synthesized = estate(["diff", "--base", base, "--env", env, "--json"]);
    expect(synthesized.stderr).toBe("");
    expect(synthesized.status).toBe(0);
    expect((JSON.parse(synthesized.stdout) as JsonDiff).summary).toEqual(json.summary);
  });

  it("GIVEN --json with an error THEN nothing on stdout, the message on stderr, exit 2", () => {
    const r = estate(["diff", "--base", base, "--head", head, "--stack", "qa-*", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('--stack "qa-*" matches no stack');
  });

  it.each([
    [["--base", "/nonexistent/estate-base"], '--base "/nonexistent/estate-base" is neither a directory nor a git revision'],
    [["--stack", "qa-*"], '--stack "qa-*" matches no stack'],
    [["--env", "nope"], 'unknown environment "nope"'],
    [["--format", "html"], "Invalid values"],
    [["--format", "markdown", "--json"], "Arguments json and format are mutually exclusive"],
  ])("GIVEN bad arguments %j THEN exit 2", (args, message) => {
    const r = estate(["diff", ...(args[0] === "--base" ? [] : ["--base", base]), ...(args[0] === "--env" || args[0] === "--base" ? [] : ["--head", head]), ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("GIVEN a base directory that is not a synth output THEN exit 2", () => {
    const r = estate(["diff", "--base", tempDir(), "--head", head]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a synth output directory");
  });
});

afterAll(removeTempDirs);
