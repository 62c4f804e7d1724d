/**
 * The library entry (index.ts): HybridEstate builds what `estate synth` builds, keeps sites independent and the
 * policy gate on for what user code adds, and the TypeScript front end checks props like the file loader checks files.
 */
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { NetworkingPortV2 } from "../../.gen/providers/openstack/networking-port-v2";
import { NetworkingSecgroupRuleV2 } from "../../.gen/providers/openstack/networking-secgroup-rule-v2";
import { EnvironmentError, HybridEstate, loadEnvironment, validateEnvironment, ValidationError, type EnvironmentProps } from "../../index";
import { synthesize } from "../../stacks/synthesize";

const DEV = "environments/dev.yaml";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hybrid-estate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stackJson = (outdir: string, stack: string) => readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
const devProps = () => parse(readFileSync(DEV, "utf8")) as EnvironmentProps;

/** A user rule EST-NET-001 refuses: SSH from anywhere to the web hosts of os-c. */
function openSshToTheInternet(dev: HybridEstate): void {
  const web = dev.openstackSite("os-c").services.get("web")!;
  new NetworkingSecgroupRuleV2(web.securityGroup, "SshFromAnywhere", {
    securityGroupId: web.securityGroup.securityGroupId,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 22,
    portRangeMax: 22,
    remoteIpPrefix: "0.0.0.0/0",
  });
}

describe("HybridEstate", () => {
  test("GIVEN dev WHEN synthesized in a user's App THEN every stack is byte-identical to estate synth", () => {
    const cli = join(dir, "cli");
    synthesize({ environmentFiles: [DEV], outdir: cli, projectDir: dir });
    const app = new App({ outdir: join(dir, "lib"), stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV) });
    app.synth();

    expect(dev.stacks.map((s) => s.node.id)).toEqual(["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"]);
    for (const stack of ["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"]) {
      expect(stackJson(join(dir, "lib"), stack), stack).toBe(stackJson(cli, stack));
    }
    expect(dev.findings.filter((f) => f.status === "non-compliant" && f.level === "error")).toEqual([]);
    expect([...dev.openstackSites.keys()]).toEqual(["os-a", "os-b", "os-c"]);
    expect([...dev.openstackSite("os-b").services.keys()]).toEqual(["web", "api"]);
    expect(dev.awsSite?.node.id).toBe("dev-aws");
    expect(dev.traffic?.node.id).toBe("dev-traffic");
  });

  test("GIVEN a user resource in os-a WHEN it refers to the network of os-b THEN synthesis refuses and writes no stack", () => {
    const app = new App({ outdir: dir, stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV) });
    new NetworkingPortV2(dev.openstackSite("os-a"), "UserPort", { name: "user-port", networkId: dev.openstackSite("os-b").network.networkId });

    expect(() => app.synth()).toThrow(
      "stack dev-os-a refers to another stack, and sites must deploy and fail independently: dev-os-a/UserPort refers to openstack_networking_network_v2.network_network.id of stack dev-os-b.",
    );
    expect(readdirSync(join(dir, "stacks"))).toEqual([]);
  });

  test("GIVEN a user resource in os-a WHEN it refers to os-a's own network THEN it synthesizes with that reference", () => {
    const app = Testing.app({ stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV) });
    new NetworkingPortV2(dev.openstackSite("os-a"), "UserPort", { name: "user-port", networkId: dev.openstackSite("os-a").network.networkId });
    app.synth();

    const tf = JSON.parse(stackJson(app.outdir, "dev-os-a"));
    expect(tf.resource.openstack_networking_port_v2.user_port).toMatchObject({ name: "user-port", network_id: "${openstack_networking_network_v2.network_network.id}" });
  });

  test("GIVEN a user rule opening SSH to the internet WHEN synthesized THEN the policy gate refuses it as estate synth would", () => {
    const app = new App({ outdir: dir, stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV) });
    openSshToTheInternet(dev);

    expect(() => app.synth()).toThrow(
      "policy EST-NET-001 dev-os-c openstack_networking_secgroup_rule_v2.web_security_group_ssh_from_anywhere (dev-os-c/web/SecurityGroup/SshFromAnywhere): SSH (22) or RDP (3389) is open to the whole internet",
    );
    expect(readdirSync(join(dir, "stacks"))).toEqual([]);
  });

  test('GIVEN policy "report" WHEN a user rule breaks a rule THEN it synthesizes and the finding is reported', () => {
    const app = new App({ outdir: dir, stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV), policy: "report" });
    openSshToTheInternet(dev);
    app.synth();

    const errors = dev.findings.filter((f) => f.status === "non-compliant" && f.level === "error");
    expect(errors.map((f) => [f.ruleId, f.stack, f.target])).toEqual([["EST-NET-001", "dev-os-c", "openstack_networking_secgroup_rule_v2.web_security_group_ssh_from_anywhere"]]);
    expect(existsSync(join(dir, "stacks", "dev-os-c", "cdk.tf.json"))).toBe(true);
  });

  test("GIVEN include WHEN only the OpenStack sites are wanted THEN only they are built", () => {
    const app = Testing.app({ stackTraces: false });
    const dev = new HybridEstate(app, "dev", { estate: loadEnvironment(DEV), include: (s) => s.kind === "openstack" });
    expect(dev.stacks.map((s) => s.node.id)).toEqual(["dev-os-a", "dev-os-b", "dev-os-c"]);
    expect(dev.awsSite).toBeUndefined();
    expect(() => dev.openstackSite("os-d")).toThrow('dev: no OpenStack site stack "os-d" (built: os-a, os-b, os-c)');
  });

  test("GIVEN a scope that is not the App THEN construction refuses", () => {
    const app = Testing.app();
    const inner = new Construct(app, "Inner");
    expect(() => new HybridEstate(inner, "dev", { estate: loadEnvironment(DEV) })).toThrow(
      'Inner/dev: HybridEstate builds stacks, so its scope must be the cdktf App (new HybridEstate(app, "dev", …)), not Inner',
    );
    // The one error class every construct throws, so user code catches HybridEstate's refusals with the rest.
    const refused = (() => {
      try {
        new HybridEstate(new Construct(Testing.app(), "Inner"), "dev", { estate: loadEnvironment(DEV) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).constructPath).toBe("Inner/dev");
  });

  test("GIVEN an App that skips validation THEN construction refuses unless the policy is skipped too", () => {
    const skipping = () => new App({ outdir: dir, skipValidation: true });
    expect(() => new HybridEstate(skipping(), "dev", { estate: loadEnvironment(DEV) })).toThrow(
      'dev: the App skips validation (App({ skipValidation: true })), which would skip the policy gate and the site independence check; remove skipValidation, or pass policy: "skip" to say so',
    );
    expect(() => new HybridEstate(skipping(), "dev", { estate: loadEnvironment(DEV), policy: "skip" })).not.toThrow();
  });
});

describe("validateEnvironment", () => {
  test("GIVEN dev written as an object THEN the model is the one the file gives", () => {
    const fromProps = validateEnvironment(devProps());
    const fromFile = loadEnvironment(DEV);
    expect({ ...fromProps, sourceFile: DEV }).toEqual(fromFile);
    expect(fromProps.sourceFile).toBe("<environment props>");
  });

  test("GIVEN a bad CIDR and a misspelt key THEN every problem is named by path, in the file loader's words", () => {
    const props = devProps() as any;
    props.sites.openstack[1].subnetCidr = "10.20.0.0/33";
    props.services[0].flavour = props.services[0].flavor;
    let error: unknown;
    try {
      validateEnvironment(props, { source: "main.ts" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    const problems = (error as EnvironmentError).problems;
    expect(problems.map((p) => [p.path.join("."), p.line])).toEqual([
      ["sites.openstack.1.subnetCidr", undefined],
      ["services.0.flavour", undefined],
    ]);
    expect((error as EnvironmentError).message.split("\n")[0]).toBe("main.ts: 2 problems in environment props");
  });

  test("GIVEN a value no file can hold THEN it is refused by path", () => {
    const props = devProps() as any;
    props.ipam.blockSize = Number.NaN;
    props.adminCidrs = [() => "192.0.2.0/26"];
    expect(() => validateEnvironment(props)).toThrow(
      [
        "<environment props>: 2 problems in environment props",
        "  <environment props>: adminCidrs[0]: is a function; an environment holds plain objects, arrays, strings, numbers and booleans",
        "  <environment props>: ipam.blockSize: NaN is not a number an environment can hold; write a finite number",
      ].join("\n"),
    );
  });
});
