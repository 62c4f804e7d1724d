import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { EnvironmentError, loadEnvironment } from "../../model";
import { synthesize, synthesizeModels } from "../../stacks/synthesize";
import { devEnvironment, writeEnvironment } from "../support/env";
import { checkAgainstOpenstackSchema } from "../support/openstack-schema";
import { danglingReferences } from "../support/terraform-refs";

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function synthTo(files: string[]): string {
  const out = join(mkdtempSync(join(tmpdir(), "estate-synth-")), "cdktf.out");
  synthesize({ environmentFiles: files, outdir: out });
  return out;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("synthesized estate", () => {
  const bakeEnv = devEnvironment();
  bakeEnv.bake.enabled = true;
  const bakeFile = writeEnvironment(bakeEnv, "dev.yaml");
  let out: string;
  let prodOut: string;
  beforeAll(() => {
    out = synthTo(["environments/dev.yaml"]);
    prodOut = synthTo(["environments/prod.yaml"]);
  });

  it("writes one stack per OpenStack site of the default environment", () => {
    for (const site of ["os-a", "os-b", "os-c"]) expect(existsSync(join(out, "stacks", `dev-${site}`, "cdk.tf.json"))).toBe(true);
    expect(readJson(join(out, "manifest.json")).stacks).toHaveProperty("dev-os-b");
  });

  it("configures exactly one openstack provider per site stack, with that site's cloud and region", () => {
    const clouds = ["os-a", "os-b", "os-c"].map((site) => {
      const tf = readJson(join(out, "stacks", `dev-${site}`, "cdk.tf.json"));
      expect(Object.keys(tf.provider)).toEqual(["openstack"]);
      expect(tf.provider.openstack).toHaveLength(1);
      return tf.provider.openstack[0];
    });
    expect(clouds).toEqual([
      { cloud: "dev-os-a", region: "RegionOne" },
      { cloud: "dev-os-b", region: "RegionOne" },
      { cloud: "dev-os-c", region: "RegionTwo" },
    ]);
  });

  it("gives each stack its own state", () => {
    const dev = readJson(join(out, "stacks", "dev-os-a", "cdk.tf.json")).terraform.backend;
    expect(dev).toEqual({ local: { path: "../../../terraform-state/dev-os-a.tfstate" } });
    const prod = readJson(join(prodOut, "stacks", "prod-os-b", "cdk.tf.json")).terraform.backend.s3;
    expect(prod).toMatchObject({ bucket: "estate-terraform-state", key: "prod/prod-os-b.tfstate", region: "eu-west-1", encrypt: true, dynamodb_table: "estate-terraform-locks", use_lockfile: true });
  });

  it("resolves every reference inside the stack that makes it", () => {
    for (const dir of [out, prodOut]) {
      for (const stack of readdirSync(join(dir, "stacks"))) {
        const tf = readJson(join(dir, "stacks", stack, "cdk.tf.json"));
        expect({ stack, dangling: danglingReferences(tf) }).toEqual({ stack, dangling: [] });
        expect(tf.data?.terraform_remote_state).toBeUndefined();
      }
    }
  });

  it("conforms to the OpenStack provider schema in every OpenStack stack, bake stacks included", () => {
    const bakeOut = synthTo([bakeFile]);
    const stacks = [
      ...["os-a", "os-b", "os-c"].map((s) => join(out, "stacks", `dev-${s}`)),
      ...["os-a", "os-b", "os-c"].map((s) => join(prodOut, "stacks", `prod-${s}`)),
      ...["os-a", "os-b", "os-c"].map((s) => join(bakeOut, "stacks", `dev-${s}-bake`)),
    ];
    for (const dir of stacks) {
      const problems = checkAgainstOpenstackSchema(readJson(join(dir, "cdk.tf.json")));
      expect({ dir, problems }).toEqual({ dir, problems: [] });
    }
  });

  it("puts every host of a site in its fleet map with the model's address", () => {
    const tf = readJson(join(out, "stacks", "dev-os-b", "cdk.tf.json"));
    expect(tf.locals.hosts_web).toEqual({
      "dev-os-b-web-001": { ip: "10.20.1.1", az: "az1", version: "2026.11.1", weight: 1 },
      "dev-os-b-web-002": { ip: "10.20.1.2", az: "az2", version: "2026.11.1", weight: 1 },
      "dev-os-b-web-003": { ip: "10.20.1.3", az: "az3", version: "2026.11.1", weight: 1 },
    });
    expect(tf.resource.openstack_networking_floatingip_v2.web_public_vip_floating_ip).toMatchObject({ address: "198.51.100.74", pool: "public" });
    expect(tf.resource.openstack_lb_loadbalancer_v2.web_load_balancer_load_balancer.vip_address).toBe("10.20.0.17");
  });

  it("lets Route 53's health checkers through the listeners of private-only services, and only those", () => {
    const listeners = readJson(join(out, "stacks", "dev-os-a", "cdk.tf.json")).resource.openstack_lb_listener_v2;
    const checkers = devEnvironment().traffic.healthCheckerCidrs;
    expect(checkers.length).toBeGreaterThan(0);
    // The same networks (their order is Octavia's: see list-order.test.ts).
    expect([...listeners.api_load_balancer_port5432_listener.allowed_cidrs].sort()).toEqual(["10.0.0.0/8", ...checkers].sort());
    expect(listeners.web_load_balancer_port80_listener.allowed_cidrs).toEqual(["0.0.0.0/0"]);
  });

  it("is byte-identical across runs", () => {
    const again = synthTo(["environments/dev.yaml"]);
    const files = listFiles(out);
    expect(listFiles(again)).toEqual(files);
    for (const f of files) expect({ f, same: readFileSync(join(again, f)).equals(readFileSync(join(out, f))) }).toEqual({ f, same: true });
  });
});

describe("cdktf app entry (main.ts) on a bad environment file", () => {
  it("names the file, path and reason, exits non-zero and writes nothing", () => {
    const env = devEnvironment();
    env.services[0].healthCheck.path = "healthz";
    const file = writeEnvironment(env, "broken.yaml");
    const outdir = join(mkdtempSync(join(tmpdir(), "estate-main-")), "cdktf.out");
    writeFileSync(join(outdir, "..", "marker"), "");
    const run = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], { env: { ...process.env, ESTATE_ENV: file, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:`);
    expect(run.stderr).toMatch(/services\[0\]\.healthCheck\.path: a health-check path must start with "\/"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(join(outdir, ".."))).toEqual(["marker"]);
  });
});

describe("an internal service", () => {
  it("has no floating IP and no DNS record, and its AWS load balancer is internal", () => {
    const env = devEnvironment();
    env.services[1].exposure = "internal";
    for (const site of env.sites.openstack) delete site.vips.api;
    const out = synthTo([writeEnvironment(env, "dev.yaml")]);
    const osA = readJson(join(out, "stacks", "dev-os-a", "cdk.tf.json"));
    expect(Object.keys(osA.resource.openstack_networking_floatingip_v2)).toEqual(["web_public_vip_floating_ip"]);
    expect(osA.output.api_vip).toMatchObject({ value: "10.10.0.18", description: "Internal VIP of api on the site network" });
    // Private-only and internal: Route 53 never probes it, so no health-checker ranges on its listener.
    expect(osA.resource.openstack_lb_listener_v2.api_load_balancer_port5432_listener.allowed_cidrs).toEqual(["10.0.0.0/8"]);
    const aws = readJson(join(out, "stacks", "dev-aws", "cdk.tf.json"));
    const lbs = Object.values<any>(aws.resource.aws_lb);
    expect(lbs.find((lb) => lb.name === "dev-api")).toMatchObject({ internal: true });
    expect(lbs.find((lb) => lb.name === "dev-web")).toMatchObject({ internal: false });
    const traffic = readJson(join(out, "stacks", "dev-traffic", "cdk.tf.json"));
    const names = Object.values<any>(traffic.resource.aws_route53_record).map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n === "web.dev.example.net")).toBe(true);
  });
});

describe("an estate a construct refuses", () => {
  it("is reported as a problem of its environment file, at the line of the service it concerns, and nothing is written", () => {
    const model = loadEnvironment("environments/dev.yaml");
    const site = model.openstackSites[0];
    const web = site.services[0];
    const broken = {
      ...model,
      openstackSites: [{ ...site, services: [{ ...web, hosts: [web.hosts[0], web.hosts[0]] }] }, ...model.openstackSites.slice(1)],
    };
    const outdir = join(mkdtempSync(join(tmpdir(), "estate-construct-")), "cdktf.out");
    expect(() => synthesizeModels([broken], { outdir })).toThrow(EnvironmentError);
    expect(() => synthesizeModels([broken], { outdir })).toThrow(
      'environments/dev.yaml: 1 problem in environment file\n  environments/dev.yaml:80:5: services[0].name: the estate cannot be built: dev-os-a/web/Fleet: host "dev-os-a-web-001" appears twice',
    );
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(join(outdir, ".."))).toEqual([]);
  });
});
