/**
 * The inventory and the Terraform come from the same model, so they must agree host for host: every host of every
 * fleet map in every synthesized stack is in the inventory, read back by the real ansible-inventory, with the same
 * fixed IP — and the inventory holds no service host that Terraform does not create.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { hasCommand } from "../support/tools";

const HAS_ANSIBLE_INVENTORY = hasCommand("ansible-inventory");

describe.skipIf(!HAS_ANSIBLE_INVENTORY)(
  `inventory and Terraform agree on every host${HAS_ANSIBLE_INVENTORY ? "" : " (skipped: ansible-inventory is not installed; apt-get install ansible)"}`,
  () => {
    const out = join(mkdtempSync(join(tmpdir(), "estate-inv-tf-")), "cdktf.out");
    beforeAll(() => synthesize({ environmentFiles: ["environments/dev.yaml", "environments/prod.yaml"], outdir: out }));
    afterAll(() => rmSync(join(out, ".."), { recursive: true, force: true }));

    for (const env of ["dev", "prod"]) {
      it(`${env}: same hosts, same fixed IPs`, () => {
        const fromTerraform = new Map<string, string>();
        for (const stack of readdirSync(join(out, "stacks")).filter((s) => s.startsWith(`${env}-`))) {
          const tf = JSON.parse(readFileSync(join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
          for (const [name, map] of Object.entries<Record<string, { ip: string }>>(tf.locals ?? {})) {
            if (!name.startsWith("hosts_")) continue;
            for (const [host, value] of Object.entries(map)) {
              expect(fromTerraform.has(host)).toBe(false);
              fromTerraform.set(host, value.ip);
            }
          }
        }
        const listed = JSON.parse(
          execFileSync("ansible-inventory", ["-i", join(out, "ansible", env, "inventory.yml"), "--list"], { encoding: "utf8", env: { ...process.env, ANSIBLE_NOCOLOR: "1" } }),
        );
        const hostvars: Record<string, { ansible_host: string; estate_service?: string }> = listed._meta.hostvars;
        const serviceHosts = Object.entries(hostvars).filter(([, vars]) => vars.estate_service !== undefined);
        expect(fromTerraform.size).toBeGreaterThan(0);
        expect(serviceHosts.map(([name]) => name).sort()).toEqual([...fromTerraform.keys()].sort());
        for (const [name, vars] of serviceHosts) expect({ name, ip: vars.ansible_host }).toEqual({ name, ip: fromTerraform.get(name) });
      });
    }
  },
);
