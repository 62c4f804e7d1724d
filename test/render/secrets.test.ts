/**
 * No secrets in artifacts: every synthesized file of dev and prod is scanned for credential-looking keys and values,
 * and provider / backend blocks may carry only where credentials come from (clouds.yaml entry, region, profile,
 * role ARN, default tags), never credentials.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { listFiles } from "../support/tree";
import { checkProviderBlocks, isSecretKey, scanArtifact, scanOutput } from "../support/secret-scan";

describe("synthesized artifacts of dev and prod", () => {
  let out: string;
  beforeAll(() => {
    out = join(mkdtempSync(join(tmpdir(), "estate-secrets-")), "cdktf.out");
    synthesize({ environmentFiles: ["environments/dev.yaml", "environments/prod.yaml"], outdir: out });
  });

  it("scans every kind of artifact", () => {
    const files = listFiles(out);
    for (const kind of [/^manifest\.json$/, /^stacks\/.*\/cdk\.tf\.json$/, /^ansible\/.*\/inventory\.yml$/, /^monitoring\/.*\/file_sd\/.*\.json$/, /^cmdb\/.*\/hosts\.json$/, /^stacks\/.*\/\.terraform\.lock\.hcl$/]) {
      expect(files.some((f) => kind.test(f)), String(kind)).toBe(true);
    }
    // JSON and YAML are scanned value by value; the committed dependency lock files copied in, as text.
    expect(files.every((f) => /\.(json|ya?ml)$/.test(f) || /(^|\/)\.terraform\.lock\.hcl$/.test(f)), files.join(", ")).toBe(true);
  });

  it("hold no credential-looking key or value, and provider and backend blocks stay on the whitelist", () => {
    expect(scanOutput(out)).toEqual([]);
  });
});

describe("the secret scanner", () => {
  const stack = (provider: unknown, backend: unknown = { local: { path: "state.tfstate" } }) =>
    JSON.stringify({ provider, terraform: { backend }, resource: { aws_instance: { web: { metadata_options: { http_tokens: "required" }, private_ip: "10.0.0.1" } } } });

  it("finds nothing in a clean stack (no false positives on http_tokens, private_ip, key_name, public_key)", () => {
    expect(scanArtifact("stacks/x/cdk.tf.json", stack({ openstack: [{ cloud: "dev-os-a", region: "RegionOne" }] }))).toEqual([]);
    expect(["http_tokens", "private_ip", "key_name", "public_key", "keyName", "ssh_key_name", "tokenize_me"].filter(isSecretKey)).toEqual([]);
  });

  it.each([
    ["an OpenStack password", { openstack: [{ cloud: "c", region: "r", password: "hunter2" }] }, "provider.openstack[0].password"],
    ["OpenStack user_name", { openstack: [{ cloud: "c", user_name: "admin" }] }, "provider.openstack[0].user_name"],
    ["an application credential", { openstack: [{ application_credential_id: "id", application_credential_secret: "s" }] }, "provider.openstack[0].application_credential_secret"],
    ["an auth_url with user info", { openstack: [{ cloud: "c", auth_url: "https://admin:pw@keystone.example:5000/v3" }] }, "provider.openstack[0].auth_url"],
    ["AWS static keys", { aws: [{ region: "eu-west-1", access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }] }, "provider.aws[0].access_key"],
    ["an AWS session token", { aws: [{ region: "eu-west-1", token: "FwoGZXIvYXdzEJr" }] }, "provider.aws[0].token"],
    ["an unknown provider", { vault: [{ address: "https://vault" }] }, "provider.vault"],
    ["an unexpected assume_role field", { aws: [{ region: "r", assume_role: [{ role_arn: "arn", policy: "{}" }] }] }, "provider.aws[0].assume_role[0].policy"],
  ])("flags %s", (_, provider, where) => {
    const findings = scanArtifact("stacks/x/cdk.tf.json", stack(provider));
    expect(findings.map((f) => f.where)).toContain(where);
  });

  it("flags S3 backend keys", () => {
    const findings = checkProviderBlocks("stacks/x/cdk.tf.json", JSON.parse(stack({}, { s3: { bucket: "b", key: "k", region: "r", access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: "x" } })));
    expect(findings.map((f) => f.where)).toEqual(["terraform.backend.s3.access_key", "terraform.backend.s3.secret_key"]);
  });

  it("flags a private key, an access key id and a password in an inventory", () => {
    const inventory = [
      "all:",
      "  children:",
      "    env_dev:",
      "      vars:",
      "        ansible_password: hunter2",
      "        estate_note: AKIAIOSFODNN7EXAMPLE",
      "      hosts:",
      "        dev-os-a-web-001:",
      "          ansible_ssh_private_key: |",
      "            -----BEGIN OPENSSH PRIVATE KEY-----",
      "            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
      "            -----END OPENSSH PRIVATE KEY-----",
      "",
    ].join("\n");
    const findings = scanArtifact("ansible/dev/inventory.yml", inventory);
    expect(findings.map((f) => `${f.where}: ${f.what}`)).toEqual(
      expect.arrayContaining([
        "all.children.env_dev.vars.ansible_password: credential-looking key \"ansible_password\"",
        "all.children.env_dev.vars.estate_note: value looks like an AWS access key id",
        "all.children.env_dev.hosts.dev-os-a-web-001.ansible_ssh_private_key: credential-looking key \"ansible_ssh_private_key\"",
        "all.children.env_dev.hosts.dev-os-a-web-001.ansible_ssh_private_key: value looks like a PEM private key",
        "(raw text): text contains a PEM private key",
      ]),
    );
  });

  it("flags a secret hidden in a comment or a non-JSON file through the raw text", () => {
    expect(scanArtifact("ansible/dev/inventory.yml", "# token gAAAAABlZ2V0aGVyIHRoaXMgaXMgYSBrZXlzdG9uZSB0b2tlbiBsb29rYWxpa2U\nall: {}\n").map((f) => f.what)).toEqual([
      "text contains a Keystone token",
    ]);
  });
});
