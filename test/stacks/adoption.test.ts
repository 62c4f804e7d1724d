/**
 * The adoption file of a site (environments/<env>.adopt/<site>.json) becomes `import` blocks in that site's stack at
 * every synthesis; entries the stack cannot take stop synthesis with the file and the entry; Terraform reads the
 * blocks as written (checked with `terraform validate` on a stand-in AWS configuration, since no OpenStack provider
 * binary is available here).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estate, PROJECT, removeTempDirs, tempDir } from "../cli/estate";
import { describeDiagnostics, findPluginMirror, run, terraformAvailable, terraformEnv, writeCliConfig } from "../support/terraform";

const FIXTURE = join(PROJECT, "test/fixtures/adopt/adopt.yaml");
const NETWORK = "openstack_networking_network_v2.network_network";
const WEB_001 = 'openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"]';

function envWithAdoption(adoption: unknown): string {
  const dir = tempDir("estate-adoption-");
  const file = join(dir, "adopt.yaml");
  copyFileSync(FIXTURE, file);
  mkdirSync(join(dir, "adopt.adopt"));
  writeFileSync(join(dir, "adopt.adopt", "os-a.json"), typeof adoption === "string" ? adoption : JSON.stringify(adoption, null, 2));
  return file;
}

function synthStack(env: string, stack: string): { status: number | null; stderr: string; json?: any } {
  const out = join(tempDir("estate-adoption-out-"), "out");
  const r = estate(["synth", "--env", env, "--stack", stack, "--out", out, "--no-policy"]);
  if (r.status !== 0) return { status: r.status, stderr: r.stderr };
  return { status: 0, stderr: r.stderr, json: JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8")) };
}

afterAll(() => removeTempDirs());

describe("adoption file", () => {
  it("renders each entry as a top-level import block of its site's stack, and nowhere else", () => {
    // GIVEN an adoption of os-a with a plain and a keyed address
    const env = envWithAdoption({ site: "os-a", imports: [{ to: NETWORK, id: "net-1" }, { to: WEB_001, id: "srv-1" }] });
    // WHEN the site stack and another site's stack are synthesized
    const a = synthStack(env, "adopt-os-a");
    const b = synthStack(env, "adopt-os-b");
    // THEN os-a carries the blocks exactly, os-b none
    expect(a.status, a.stderr).toBe(0);
    expect(a.json.import).toEqual([
      { to: "openstack_networking_network_v2.network_network", id: "net-1" },
      { to: 'openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-001"]', id: "srv-1" },
    ]);
    expect(a.json.terraform.required_version).toBe(">= 1.11.0, < 2.0.0");
    expect(b.status, b.stderr).toBe(0);
    expect(b.json.import).toBeUndefined();
  }, 120_000);

  it("stops synthesis on an address the stack does not have, naming the file, the entry and the fix", () => {
    const env = envWithAdoption({
      site: "os-a",
      imports: [
        { to: 'openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-009"]', id: "x" },
        { to: "openstack_networking_network_v2.network_gone", id: "y" },
        { to: "openstack_compute_instance_v2.web_fleet_instance", id: "z" },
      ],
    });
    const r = synthStack(env, "adopt-os-a");
    expect(r.status).toBe(1);
    const file = join(env, "..", "adopt.adopt", "os-a.json");
    expect(r.stderr).toContain(`${file}: 3 problems in adoption file`);
    expect(r.stderr).toContain(`${file}: imports[0].to: openstack_compute_instance_v2.web_fleet_instance["adopt-os-a-web-009"]: "adopt-os-a-web-009" is not a host of site os-a; remove the entry (the model no longer has it) or run estate adopt again`);
    expect(r.stderr).toContain("imports[1].to: openstack_networking_network_v2.network_gone: stack adopt-os-a has no resource openstack_networking_network_v2.network_gone");
    expect(r.stderr).toContain('imports[2].to: openstack_compute_instance_v2.web_fleet_instance: openstack_compute_instance_v2.web_fleet_instance has for_each: name one instance, openstack_compute_instance_v2.web_fleet_instance["<host>"]');
  }, 120_000);

  it("refuses a file that is not JSON, a wrong site and an empty id, with the path", () => {
    expect(synthStack(envWithAdoption("{ not json"), "adopt-os-a").stderr).toMatch(/os-a\.json: 1 problem in adoption file\n.*os-a\.json: \(top level\): not valid JSON/);
    expect(synthStack(envWithAdoption({ site: "os-b", imports: [] }), "adopt-os-a").stderr).toContain('site: must be "os-a" (this file is the adoption of site os-a), got "os-b"');
    expect(synthStack(envWithAdoption({ site: "os-a", imports: [{ to: NETWORK, id: "" }] }), "adopt-os-a").stderr).toContain("imports[0].id: must be the provider's import id (a non-empty string), got \"\"");
  }, 120_000);
});

const avail = terraformAvailable();

/**
 * The blocks as the stack writes them, on a stand-in AWS configuration of the same shape (a plain resource and a
 * `for_each` resource over a literal local map, keyed by host): terraform validate reads keyed import blocks in
 * JSON and parses their addresses. What validate cannot prove: that the target exists (Terraform checks it at plan
 * time; synthesis checks it earlier) and the OpenStack provider's import of each id (no provider binary here).
 */
describe.skipIf(!avail.ok)(`Terraform reads the import blocks (${avail.reason})`, () => {
  async function validate(imports: unknown[]): Promise<{ valid: boolean; text: string }> {
    const dir = tempDir("estate-adoption-tf-");
    const config = {
      terraform: { required_version: ">= 1.11.0, < 2.0.0", required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
      provider: { aws: [{ region: "eu-west-1" }] },
      locals: { hosts_web: { "adopt-os-a-web-001": { ip: "10.10.1.1" }, "adopt-os-a-web-002": { ip: "10.10.1.2" } } },
      resource: {
        aws_vpc: { network_network: { cidr_block: "10.10.0.0/20" } },
        aws_instance: { web_fleet_instance: { for_each: "${local.hosts_web}", ami: "ami-12345678", instance_type: "t3.small", private_ip: "${each.value.ip}" } },
      },
      import: imports,
    };
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(dir, findPluginMirror().dir!), TF_DATA_DIR: join(dir, ".terraform") });
    const init = await run(["init", "-backend=false", "-input=false", "-no-color"], dir, env);
    // init reads the whole configuration first: an unreadable block stops it already.
    if (init.code !== 0) return { valid: false, text: init.stdout + init.stderr };
    const res = await run(["validate", "-json", "-no-color"], dir, env);
    const out = JSON.parse(res.stdout) as { valid: boolean; diagnostics: { summary: string; detail?: string }[] };
    return { valid: out.valid, text: describeDiagnostics({ valid: out.valid, errorCount: 0, warningCount: 0, diagnostics: out.diagnostics as never, output: res.stdout }) };
  }

  it("accepts the synthesized blocks, keyed and plain, on resources of the same shape", async () => {
    const env = envWithAdoption({ site: "os-a", imports: [{ to: NETWORK, id: "net-1" }, { to: WEB_001, id: "srv-1" }] });
    const blocks = (synthStack(env, "adopt-os-a").json.import as { to: string; id: string }[]).map((b) => ({
      ...b,
      to: b.to.replace("openstack_networking_network_v2", "aws_vpc").replace("openstack_compute_instance_v2", "aws_instance"),
    }));
    expect(blocks).toEqual([
      { to: "aws_vpc.network_network", id: "net-1" },
      { to: 'aws_instance.web_fleet_instance["adopt-os-a-web-001"]', id: "srv-1" },
    ]);
    const result = await validate(blocks);
    expect(result.valid, result.text).toBe(true);
  }, 300_000);

  it("parses the `to` address: one Terraform cannot read is refused (a missing target is only found by plan; synthesis checks that)", async () => {
    const result = await validate([{ to: 'aws_instance.web_fleet_instance["adopt-os-a-web-001"', id: "srv-1" }]);
    expect(result.valid).toBe(false);
    expect(result.text).toContain("Missing close bracket on index");
  }, 300_000);
});
