/**
 * The fast path synthesizes the same estate as plain cdktf would: the literal host maps equal the same maps
 * resolved by cdktf, the cdktf tuning changes no byte of the output, and every host's resources carry the same
 * names, addresses and placement as a naive build with one construct per instance.
 */
import { App, TerraformLocal, Testing } from "cdktf";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildNaiveStacks } from "../../bench/naive";
import { blocksOf, instancesOf } from "../../terraform-json";
import { loadEnvironment } from "../../model";
import { buildEstateStacks } from "../../stacks/app";
import { EstateStack } from "../../stacks/estate-stack";
import { scratchDirs } from "../support/tools";

const scratch = scratchDirs();
const tempDir = () => scratch("estate-fast-");

function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), "utf8")]));
}

describe("the fast path", () => {
  it("writes the same host maps that cdktf itself would resolve", () => {
    const model = loadEnvironment("environments/prod.yaml");
    const synthAll = (resolveLocals: boolean) => {
      const app = Testing.app() as App;
      if (resolveLocals) {
        // The slow way: every host map as an ordinary cdktf local, walked by the token resolver.
        const original = EstateStack.prototype.addLiteralLocal;
        EstateStack.prototype.addLiteralLocal = function (this: EstateStack, name: string, value: unknown) {
          new TerraformLocal(this, `HostMap_${name}`, value).overrideLogicalId(name);
          return `\${local.${name}}`;
        };
        try {
          buildEstateStacks(app, model);
        } finally {
          EstateStack.prototype.addLiteralLocal = original;
        }
      } else buildEstateStacks(app, model);
      return app.node.children.filter((c): c is EstateStack => c instanceof EstateStack).map((s) => [s.node.id, Testing.synth(s)] as const);
    };
    const fast = synthAll(false);
    const resolved = synthAll(true);
    expect(fast.map(([id]) => id)).toEqual(resolved.map(([id]) => id));
    for (let i = 0; i < fast.length; i++) expect({ stack: fast[i][0], json: fast[i][1] }).toEqual({ stack: resolved[i][0], json: resolved[i][1] });
  });

  it("writes byte-identical output with cdktf's stack traces and preparing pass switched back on", () => {
    const tuned = join(tempDir(), "out");
    const plain = join(tempDir(), "out");
    const run = (outdir: string, debug: boolean) =>
      spawnSync(process.execPath, ["bin/cdktf-app.js"], {
        env: { ...process.env, ESTATE_ENV: "dev,prod", CDKTF_OUTDIR: outdir, ESTATE_DEBUG: debug ? "1" : "0" },
        encoding: "utf8",
      });
    expect(run(tuned, false).status).toBe(0);
    expect(run(plain, true).status).toBe(0);
    const a = tree(tuned);
    const b = tree(plain);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, content] of a) expect({ file, same: content === b.get(file) }).toEqual({ file, same: true });
  });

  it("gives every host the same name, address and placement as one construct per instance would", () => {
    const model = loadEnvironment("environments/dev.yaml");
    const fastApp = Testing.app() as App;
    buildEstateStacks(fastApp, model);
    const naiveApp = Testing.app() as App;
    buildNaiveStacks(naiveApp, model);
    const stacksOf = (app: App) =>
      new Map(app.node.children.filter((c): c is EstateStack => c instanceof EstateStack).map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
    const fast = stacksOf(fastApp);
    const naive = stacksOf(naiveApp);

    /** Per host: what its instance, port and members say, whichever way they were built. */
    const perHost = (tf: any) => {
      const hosts = new Map<string, Record<string, unknown>>();
      const entry = (name: string) => hosts.get(name) ?? hosts.set(name, { members: [] as string[] }).get(name)!;
      for (const block of blocksOf(tf, "managed")) {
        for (const { attributes: a } of instancesOf(block, tf)) {
          const attrs = a as any;
          switch (block.type) {
            case "openstack_compute_instance_v2":
              Object.assign(entry(attrs.name), { az: attrs.availability_zone, flavor: attrs.flavor_name });
              break;
            case "openstack_networking_port_v2":
              if (attrs.fixed_ip?.[0]?.ip_address) entry(attrs.name).ip = attrs.fixed_ip[0].ip_address;
              break;
            case "openstack_lb_member_v2":
              (entry(attrs.name).members as string[]).push(`${attrs.address}:${attrs.protocol_port}`);
              break;
            case "aws_instance":
              Object.assign(entry(attrs.tags.Name), { ip: attrs.private_ip, type: attrs.instance_type });
              break;
          }
        }
      }
      for (const h of hosts.values()) (h.members as string[]).sort();
      return Object.fromEntries([...hosts].sort(([x], [y]) => x.localeCompare(y)));
    };
    let hostCount = 0;
    for (const [name, tf] of naive) {
      const want = perHost(tf);
      hostCount += Object.keys(want).length;
      expect({ stack: name, hosts: perHost(fast.get(name)) }).toEqual({ stack: name, hosts: want });
    }
    expect(hostCount).toBe(model.hosts.length);
  });
});
