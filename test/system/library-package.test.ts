/**
 * SLOW (one and a half to two and a half minutes, with the machine's load: `npm pack` compiles the library, the
 * example installs and compiles, Terraform validates). The package as a user's project gets it: `npm pack`, the tarball installed into a copy of
 * examples/extend-dev next to cdktf and constructs (from npm's local cache where it can), the example's own
 * `npm run synth`, then what came out: one copy of cdktf and constructs, the extra resource in every site, the
 * rest of each stack exactly what `estate synth --env dev` writes, and Terraform's opinion of the AWS stack.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describeDiagnostics, findPluginMirror, TerraformValidator, terraformAvailable } from "../support/terraform";

const PROJECT = join(__dirname, "..", "..");
const EXAMPLE = join(PROJECT, "examples", "extend-dev");
const SITE_STACKS = ["dev-os-a", "dev-os-b", "dev-os-c"];

let root: string;
let app: string;
let packedFiles: string[];

/** Runs a command to completion without blocking the test worker; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")} in ${cwd} failed (${err.code ?? err.signal}):\n${stdout}\n${stderr}`));
      else resolve({ stdout });
    });
  });
}

const stackJson = (outdir: string, stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "estate-package-"));
  app = join(root, "extend-dev");
  // What the example's output is compared with, written while the package is packed and installed.
  const cliSynth = run("node", ["bin/estate.js", "synth", "--env", "dev", "--out", join(root, "cli")], PROJECT);
  cliSynth.catch(() => undefined); // awaited below; a failure is reported there
  const pack = JSON.parse((await run("npm", ["pack", "--json", "--pack-destination", root], PROJECT)).stdout) as { filename: string; files: { path: string }[] }[];
  packedFiles = pack[0].files.map((f) => f.path);

  cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/(node_modules|build|cdktf\.out|\.tgz|package-lock\.json)$/.test(src) });
  // The example names the tarball it depends on; put the fresh one there.
  const dependency = (JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["hybrid-estate"];
  renameSync(join(root, pack[0].filename), join(app, dependency.replace(/^file:/, "")));
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], app);
  await run("npm", ["run", "synth"], app, { CDKTF_OUTDIR: join(app, "cdktf.out") });
  await cliSynth;
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the packed package", () => {
  it("holds the built library with its types, the OpenStack bindings and the bundled environments; no sources or tests", () => {
    for (const file of ["lib/index.js", "lib/index.d.ts", "lib/openstack.js", "lib/openstack.d.ts", "lib/.gen/providers/openstack/networking-secgroup-rule-v2/index.js", "environments/dev.yaml", "package.json", "bin/estate-package.js", "dist/cli.js"]) {
      expect(packedFiles, file).toContain(file);
    }
    expect(packedFiles.filter((f) => /^(test|cli|model|stacks|constructs|\.gen)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
    // lib/ builds incrementally: output of a source that was since moved or deleted must not ship.
    const orphans = packedFiles.filter((f) => f.startsWith("lib/") && f.endsWith(".js")).filter((f) => !existsSync(join(PROJECT, f.slice("lib/".length).replace(/\.js$/, ".ts"))));
    expect(orphans, "compiled files without a source: rm -rf lib and pack again").toEqual([]);
  });

  it("resolves to one copy of cdktf and of constructs in the user's project, whoever asks", async () => {
    const copies = (name: string) => findPackageDirs(join(app, "node_modules"), name).map((d) => relative(app, d));
    expect(copies("cdktf")).toEqual(["node_modules/cdktf"]);
    expect(copies("constructs")).toEqual(["node_modules/constructs"]);
    const script = `const { createRequire } = require("node:module");
      const from = (pkg) => createRequire(require.resolve(pkg));
      console.log(JSON.stringify(["cdktf", "constructs"].map((m) => [require.resolve(m), from("hybrid-estate").resolve(m), from("@cdktf/provider-aws").resolve(m)])));`;
    const resolved = JSON.parse((await run("node", ["-e", script], app)).stdout) as string[][];
    expect(resolved.map((paths) => new Set(paths).size)).toEqual([1, 1]);
  });

  it("runs the estate CLI it carries, prebuilt", async () => {
    expect((await run("npx", ["--no-install", "estate", "--version"], app)).stdout.trim()).toBe("0.1.0");
    const list = (await run("npx", ["--no-install", "estate", "list", "--env", "node_modules/hybrid-estate/environments/dev.yaml"], app)).stdout;
    expect(list).toContain("dev-os-a");
  });
});

describe("examples/extend-dev, built from the tarball", () => {
  it("adds its ICMP rule to the web security group of every OpenStack site", () => {
    for (const stack of SITE_STACKS) {
      const rule = stackJson(join(app, "cdktf.out"), stack).resource.openstack_networking_secgroup_rule_v2.web_security_group_ping_from_admin;
      expect(rule, stack).toEqual({
        "//": { metadata: { path: `${stack}/web/SecurityGroup/PingFromAdmin`, uniqueId: "web_security_group_ping_from_admin" } },
        description: "ICMP echo from the admin networks",
        direction: "ingress",
        ethertype: "IPv4",
        port_range_max: 0,
        port_range_min: 8,
        protocol: "icmp",
        remote_ip_prefix: "192.0.2.0/26",
        security_group_id: "${openstack_networking_secgroup_v2.web_security_group_group.id}",
      });
    }
  });

  it("adds its ICMP rule to the instance security group of the AWS site", () => {
    const rule = stackJson(join(app, "cdktf.out"), "dev-aws").resource.aws_vpc_security_group_ingress_rule.web_security_ping_from_admin;
    expect(rule).toEqual({
      "//": { metadata: { path: "dev-aws/web/Security/PingFromAdmin", uniqueId: "web_security_ping_from_admin" } },
      cidr_ipv4: "192.0.2.0/26",
      description: "ICMP echo from the admin networks",
      from_port: 8,
      ip_protocol: "icmp",
      security_group_id: "${aws_security_group.web_security_instances.id}",
      to_port: 0,
    });
  });

  it("writes every stack exactly as estate synth does, apart from its own rule", () => {
    const without = (tf: any, type: string, name: string) => {
      delete tf.resource[type][name];
      delete tf["//"]?.metadata?.overrides?.[`${type}.${name}`];
      return tf;
    };
    for (const stack of SITE_STACKS) {
      expect(without(stackJson(join(app, "cdktf.out"), stack), "openstack_networking_secgroup_rule_v2", "web_security_group_ping_from_admin"), stack).toEqual(stackJson(join(root, "cli"), stack));
    }
    expect(without(stackJson(join(app, "cdktf.out"), "dev-aws"), "aws_vpc_security_group_ingress_rule", "web_security_ping_from_admin")).toEqual(stackJson(join(root, "cli"), "dev-aws"));
    expect(stackJson(join(app, "cdktf.out"), "dev-traffic")).toEqual(stackJson(join(root, "cli"), "dev-traffic"));
    expect(readdirSync(join(app, "cdktf.out", "stacks")).sort()).toEqual(["dev-aws", "dev-os-a", "dev-os-b", "dev-os-c", "dev-traffic"]);
  });
});

const avail = terraformAvailable();

describe.skipIf(!avail.ok)(`terraform validate accepts the example's AWS stack (${avail.reason})`, () => {
  let validator: TerraformValidator | undefined;
  afterAll(() => validator?.dispose());

  it("dev-aws with the extra ingress rule is valid against hashicorp/aws 5.100.0", async () => {
    validator = await TerraformValidator.create(findPluginMirror().dir!, [{ label: "dev-aws", dir: join(app, "cdktf.out", "stacks", "dev-aws") }]);
    const result = await validator.validateAsRoot("dev-aws");
    expect(result.valid, describeDiagnostics(result)).toBe(true);
  }, 120_000);
});

/** Directories of installed packages named `name` anywhere below `nodeModules`, nested copies included. */
function findPackageDirs(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry.startsWith("@")) {
        for (const scoped of readdirSync(path)) visitPackage(join(path, scoped), `${entry}/${scoped}`);
      } else if (entry !== ".bin" && entry !== ".cache") visitPackage(path, entry);
    }
  };
  const visitPackage = (dir: string, pkg: string) => {
    if (pkg === name) found.push(dir);
    const nested = join(dir, "node_modules");
    try {
      if (statSync(nested).isDirectory()) visit(nested);
    } catch {
      // no nested node_modules
    }
  };
  visit(nodeModules);
  return found.sort();
}
