/**
 * Credentials are found wherever a person types them: the detector on single values (every string of an
 * environment file goes through it), the loader on fields no credential check names, and the last scan of the
 * finished artifacts before synthesis commits them.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError, loadEnvironment, type EstateModel } from "../../model";
import { secretIn } from "../../model/secret-scan";
import { synthesizeModels } from "../../stacks/synthesize";
import { writeEnvironment } from "../support/env";
import { hashTree } from "../support/tree";

describe("secretIn", () => {
  it.each([
    ["https://ci:Zx81-Pw@zabbix.example.org", "a URL with user information (a user name, password or token before the host)"],
    ["https://ghtoken@git.example.org/org/repo.git", "a URL with user information (a user name, password or token before the host)"],
    ["/status?access_token=ya29.a0AfB_byC7", "a URL with a token in its query"],
    ["/healthz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=9f3c1e0b7a5d", "a URL with a token in its query"],
    ["https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=Qm9vZ2xl%3D", "a URL with a token in its query"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlc3RhdGUtY2kifQ.q3YpV8bR1eTgS0nJkL2mW7xZ", "a JSON web token"],
    ["AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"],
    ["Tq8sVn3Kw7Lp2Xr9Bz4Hm6Jc1Fd5Gy0A", "a random secret (a long high-entropy string where a name belongs)"],
    ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a random secret (a long high-entropy string where a name belongs)"],
  ])("finds %s", (value, what) => {
    expect(secretIn(value)).toBe(what);
  });

  it.each([
    "dev.example.net",
    "/api/v1/catalog?warm=1",
    "/search?key=debian&pass=2",
    "debian12-golden-2026.11.1",
    "ubuntu-22.04-server-cloudimg-amd64-20231010",
    "Ubuntu-22.04-Server-CloudImage-AMD64-20231010",
    "6f0a1c53-2b4e-4c1a-9d2f-8e7b5a4c3d21",
    "ami-0a1b2c3d4e5f60718",
    "arn:aws:acm:eu-central-1:210987654321:certificate/0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5",
    "https://key-manager.example.net/v1/containers/3f1c2d7e-0f4b-4a55-9e0c-1d2b3c4d5e6f",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbIKWOqYlU8XoX4Zw4n4u6nJYpX2m3t5r7n1a9e0dev estate-admin@dev",
    "prod-os-a/Www/LoadBalancer/Listener443/Pool/Members",
    "git@github.com:org/repo.git",
  ])("leaves %s alone", (value) => {
    expect(secretIn(value)).toBeUndefined();
  });
});

describe("the loader", () => {
  it("finds a credential in a field no check names, and never repeats it", () => {
    const dev = readFileSync("environments/dev.yaml", "utf8");
    const file = writeEnvironment(dev.replace("baseImage: debian-12-genericcloud", "baseImage: https://images.example.org/debian.qcow2?sig=Qm9vZ2xlU2ln"));
    let err: unknown;
    try {
      loadEnvironment(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).problems).toEqual([
      {
        path: ["bake", "baseImage"],
        message:
          "value looks like a URL with a token in its query; write the URL without it; secrets never belong in an environment file: OpenStack credentials stay in clouds.yaml, AWS ones in its credential chain, others in the CI's secret store",
        line: 132,
        column: 3,
      },
    ]);
    expect((err as EnvironmentError).message).not.toContain("Qm9vZ2xlU2ln");
  });
});

describe("synthesis", () => {
  it("refuses to commit artifacts that would carry a credential, and leaves the previous output untouched", () => {
    const model = loadEnvironment("environments/dev.yaml");
    const base = mkdtempSync(join(tmpdir(), "estate-artifact-secret-"));
    const outdir = join(base, "cdktf.out");
    synthesizeModels([model], { outdir });
    const before = hashTree(outdir);

    // A model built by library code, not from a file the loader checked: the artifact scan is the last line.
    const tampered: EstateModel = { ...model, monitoring: { ...model.monitoring, zabbixServer: "https://zabbix:Zx81-Pw@zabbix.dev.example.net" } };
    let err: unknown;
    try {
      synthesizeModels([tampered], { outdir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toBe(
      [
        "environments/dev.yaml: 1 problem in environment file",
        "  environments/dev.yaml: (top level): the synthesized ansible/dev/inventory.yml would hold what looks like a URL with user information (a user name, password or token before the host) at all.children.env_dev.vars.estate_zabbix_server; nothing was written: find the value in this file (or in what it names) and remove the credential",
      ].join("\n"),
    );
    expect(hashTree(outdir)).toEqual(before);
  });
});
