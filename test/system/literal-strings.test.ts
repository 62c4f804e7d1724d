/**
 * Every string of an environment file reaches the clouds and the hosts literally: Terraform never evaluates a
 * `${...}` or `%{...}` written in the file, Ansible never templates a `{{ ... }}` or `{% ... %}`.
 */
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { EnvironmentError, loadEnvironment } from "../../model";
import { synthesizeModels } from "../../stacks/synthesize";
import { devEnvironment, writeEnvironment } from "../support/env";
import {
  evaluateWithTerraform,
  inventoryHostVars,
  landings,
  readJsonFile,
  stringLeaves,
  templatedHostVars,
  type TerraformLanding,
} from "../support/literal-strings";
import { describeDiagnostics, findPluginMirror, TerraformValidator, terraformAvailable, type ValidateResult } from "../support/terraform";
import { hasCommand } from "../support/tools";

const FIXTURE = "test/fixtures/safe-apply/template-strings.yaml";
const TF = terraformAvailable();
const HAS_ANSIBLE = hasCommand("ansible") && hasCommand("ansible-inventory");
/** Strings that only the inventory carries: they never reach Terraform. */
const INVENTORY_ONLY = [".services[0].warmup[0]", ".services[0].warmup[1]"];

interface Synthesized {
  readonly out: string;
  readonly stacks: ReadonlyMap<string, unknown>;
  readonly inventory: string;
}

function synth(file: string): Synthesized {
  const model = loadEnvironment(file);
  const out = join(mkdtempSync(join(tmpdir(), "estate-literal-")), "out");
  const result = synthesizeModels([model], { outdir: out });
  const stacks = new Map(result.stacks.map((s) => [s.name, readJsonFile(join(out, s.path))]));
  return { out, stacks, inventory: join(out, "ansible", model.env, "inventory.yml") };
}

/** The strings of a YAML document that hold a Terraform or Jinja2 sequence, with their paths. */
function templateLikeStrings(yamlText: string): { path: string; value: string }[] {
  return stringLeaves(parse(yamlText)).filter((l) => /\$\{|%\{|\{\{|\{%/.test(l.value));
}

/**
 * Where the strings land in the stacks, as Terraform reads them. The local-state guard's condition is an expression
 * of ours that only knows its answer at plan time (`plantimestamp()`): the console cannot print it, and the same
 * directory text is checked where it lands as a plain value (the guard's `value` and `error_message`).
 */
function allLandings(stacks: ReadonlyMap<string, unknown>, originals: readonly string[]): TerraformLanding[] {
  return [...stacks].flatMap(([name, tf]) => landings(tf, originals, name)).filter((l) => !/\.precondition\[\d+\]\.condition$/.test(l.path));
}

/** Terraform's reading of every landing must contain the original text. */
function expectTerraformReadsLiterally(found: readonly TerraformLanding[]): void {
  const values = evaluateWithTerraform(found.map((l) => l.written));
  found.forEach((l, i) => expect(values[i], `${l.path}: written ${JSON.stringify(l.written)}`).toContain(l.original));
}

describe("strings from the environment file reach Terraform literally", () => {
  let fixture: Synthesized;
  const strings = templateLikeStrings(readFileSync(FIXTURE, "utf8"));
  beforeAll(() => {
    fixture = synth(FIXTURE);
  });
  afterAll(() => rmSync(join(fixture.out, ".."), { recursive: true, force: true }));

  it("the fixture puts sequences in every free-text field", () => {
    expect(strings.map((s) => s.path).sort()).toEqual(
      [
        ".backend.directory",
        ".bake.baseImage",
        ".bake.flavor",
        ".images[0].aws.amiName",
        ".images[0].openstack.os-a.name",
        ".services[0].flavor",
        ".services[0].healthCheck.path",
        ".services[0].listeners[1].tls.awsCertificateArn",
        ".services[0].listeners[1].tls.openstackContainerRef",
        ".services[0].warmup[0]",
        ".services[0].warmup[1]",
        ".sites.aws.profile",
        ".sites.openstack[0].availabilityZones[0]",
        ".sites.openstack[0].availabilityZones[1]",
        ".sites.openstack[0].availabilityZones[2]",
        ".sites.openstack[0].cloud",
        ".sites.openstack[0].externalNetwork.name",
        ".sites.openstack[0].region",
        ".ssh.publicKey",
      ].sort(),
    );
  });

  it("every such string that Terraform receives is written so that Terraform reads it back unchanged", { skip: !TF.ok }, () => {
    const terraformBound = strings.filter((s) => !INVENTORY_ONLY.includes(s.path));
    const found = allLandings(fixture.stacks, terraformBound.map((s) => s.value));
    // Each string lands somewhere (the check is not vacuous), in OpenStack, AWS, traffic and bake stacks alike.
    expect(new Set(found.map((l) => l.original))).toEqual(new Set(terraformBound.map((s) => s.value)));
    expect(new Set(found.map((l) => l.path.split(".")[0]))).toEqual(new Set(["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic", "dev-os-a-bake", "dev-os-b-bake", "dev-os-c-bake"]));
    expectTerraformReadsLiterally(found);
  });

  describe.skipIf(!TF.ok)(`terraform validate of the fixture's AWS and traffic stacks (${TF.reason})`, () => {
    let validator: TerraformValidator | undefined;
    let results: Promise<Map<string, ValidateResult>> | undefined;
    afterAll(() => validator?.dispose());
    it.each(["dev-aws", "dev-traffic"])("%s is valid", async (stack) => {
      results ??= TerraformValidator.create(findPluginMirror().dir!, [
        { label: "dev-aws", dir: join(fixture.out, "stacks", "dev-aws") },
        { label: "dev-traffic", dir: join(fixture.out, "stacks", "dev-traffic") },
      ]).then((v) => (validator = v).validateAll());
      const result = (await results).get(stack)!;
      expect(result.valid, describeDiagnostics(result)).toBe(true);
    }, 240_000);
  });

  describe.skipIf(!HAS_ANSIBLE)("the inventory hands them to Ansible unchanged", () => {
    const expected = {
      estate_cloud: "dev-os-a${cloud}",
      estate_region: "Region${One}",
      estate_availability_zone: "az${1}",
      estate_openstack_image: "debian12-${golden}-%{ endif }",
      estate_health_check_path: "/healthz?probe=${HOSTNAME}&t=%{for}{{lookup('pipe','id')}}",
      estate_warmup_paths: ["/x?{{lookup('pipe','id')}}", "/${y}{%raw%}"],
    };

    it("ansible-inventory lists them as written", () => {
      const hosts = inventoryHostVars(fixture.inventory);
      for (const [name, value] of Object.entries(expected)) expect(hosts["dev-os-a-web-001"][name], name).toEqual(value);
      expect(hosts["dev-os-a-web-003"].estate_availability_zone).toBe("az{{ 3 }}");
      expect(hosts["dev-aws-web-001"].estate_aws_profile).toBe("estate-${dev}");
    });

    it("a play templating them gets them as written (nothing is evaluated on the controller)", () => {
      const vars = templatedHostVars(fixture.inventory, "dev-os-a-web-001", Object.keys(expected));
      expect(vars).toEqual(expected);
      expect(templatedHostVars(fixture.inventory, "dev-aws-web-001", ["estate_aws_profile"])).toEqual({ estate_aws_profile: "estate-${dev}" });
    });
  });
});

describe("text cdktf itself would read as a reference", () => {
  it("is refused at load, with its path: cdktf resolves ${TfToken[...]} in any string before Terraform sees it", () => {
    const env = devEnvironment();
    env.services[0].healthCheck.path = "/x${TfToken[TOKEN.3]}y";
    let error: unknown;
    try {
      loadEnvironment(writeEnvironment(env, "dev.yaml"));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
      'services.0.healthCheck.path: "${TfToken[" is how cdktf marks a reference to another resource inside a string, so this text would not reach Terraform as written; remove it',
    ]);
  });
});

/** Text made of the sequences Terraform and Jinja2 react to, escapes and quotes included, plus plain characters. */
const templateText = fc
  .array(fc.constantFrom("${", "%{", "{{", "}}", "{%", "%}", "{#", "$${", "%%{", "$", "%", "{", "}", "\\", '"', "'", " ", "a", "Z", "9", "-", "~", "#", "!"), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(""))
  .filter((s) => /\$\{|%\{|\{\{|\{%/.test(s) && s.trim() === s);

/**
 * Paths take no spaces and no fragment (the loader refuses them as HTTP would); the template sequences stay. Fields
 * with a format of their own (login user, key pair name, DNS names) cannot hold these sequences at all: the loader
 * refuses them (test/model/api-formats.test.ts), so they are not free text here.
 */
const asPath = (s: string) => s.replace(/[\s#]/g, "-");

/** Fields of the dev environment that take free text, and where the test puts a random string into them. */
const FIELDS: { name: string; set: (env: any, s: string) => string; inventoryOnly?: boolean }[] = [
  { name: "healthCheck.path", set: (env, s) => (env.services[0].healthCheck.path = `/${asPath(s)}`) },
  { name: "flavor", set: (env, s) => (env.services[1].flavor = `m1.${s}`) },
  { name: "cloud", set: (env, s) => (env.sites.openstack[1].cloud = `c${s}`) },
  { name: "region", set: (env, s) => (env.sites.openstack[1].region = `r${s}`) },
  { name: "availabilityZones", set: (env, s) => (env.sites.openstack[2].availabilityZones = [`nova${s}`])[0] },
  { name: "externalNetwork.name", set: (env, s) => (env.sites.openstack[0].externalNetwork.name = `ext${s}`) },
  { name: "images.openstack.name", set: (env, s) => (env.images[0].openstack["os-b"] = { name: `img${s}` }).name },
  { name: "images.aws.amiName", set: (env, s) => (env.images[0].aws.amiName = `ami${s}`) },
  { name: "sites.aws.profile", set: (env, s) => (env.sites.aws.profile = `p${s}`) },
  { name: "warmup", set: (env, s) => (env.services[0].warmup = [`/${asPath(s)}`])[0], inventoryOnly: true },
];

describe.skipIf(!TF.ok || !HAS_ANSIBLE)("property: random template text in every free-text field arrives unchanged", () => {
  it("in Terraform (terraform console) and in Ansible (ansible-inventory and a templating task)", () => {
    fc.assert(
      fc.property(fc.array(templateText, { minLength: FIELDS.length, maxLength: FIELDS.length }), (texts) => {
        const env = devEnvironment();
        const written = FIELDS.map((f, i) => ({ field: f, value: f.set(env, texts[i]) }));
        const file = writeEnvironment(env, "dev.yaml");
        const result = synth(file);
        try {
          const terraformBound = written.filter((w) => !w.field.inventoryOnly).map((w) => w.value);
          const found = allLandings(result.stacks, terraformBound);
          for (const value of terraformBound) expect(found.some((l) => l.original === value), `${value} reaches Terraform`).toBe(true);
          expectTerraformReadsLiterally(found);

          const get = (name: string) => written.find((w) => w.field.name === name)!.value;
          const expected = {
            estate_health_check_path: get("healthCheck.path"),
            estate_warmup_paths: [get("warmup")],
            estate_cloud: get("cloud"),
            estate_region: get("region"),
            estate_openstack_image: get("images.openstack.name"),
          };
          const host = "dev-os-b-web-001";
          const listed = inventoryHostVars(result.inventory);
          for (const [name, value] of Object.entries(expected)) expect(listed[host][name], name).toEqual(value);
          expect(listed["dev-os-c-web-001"].estate_availability_zone).toBe(get("availabilityZones"));
          expect(templatedHostVars(result.inventory, host, Object.keys(expected))).toEqual(expected);
        } finally {
          rmSync(join(result.out, ".."), { recursive: true, force: true });
        }
      }),
      { numRuns: 3, endOnFailure: true },
    );
  }, 120_000);
});
