import { App } from "cdktf";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironment, type EstateModel } from "../../model";
import { AwsSiteStack } from "../../stacks/aws-site-stack";
import { TrafficStack } from "../../stacks/traffic-stack";
import { devModel } from "../support/env";
import { describeDiagnostics, findPluginMirror, TerraformValidator, terraformAvailable, type StackDir, type ValidateResult } from "../support/terraform";

const TLS = {
  openstackContainerRef: "https://barbican.example.net:9311/v1/containers/0b6c6e6e-5f6a-4b9f-9d7e-1a2b3c4d5e6f",
  awsCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100",
};

/**
 * Estates whose AWS and traffic stacks must pass `terraform validate`, and which of the two to check. All of them
 * are validated together (one provider load); the dev AWS stack is validated once more on its own, as a root module.
 */
const VARIANTS: { name: string; stacks: ("aws" | "traffic")[]; model: () => EstateModel }[] = [
  { name: "dev", stacks: ["aws", "traffic"], model: () => loadEnvironment("environments/dev.yaml") },
  // The AWS stack of a drained estate is byte-identical to dev's (see traffic-stack.test.ts).
  { name: "drained os-b", stacks: ["traffic"], model: () => loadEnvironment("environments/dev.yaml", { drain: ["os-b"] }) },
  { name: "created hosted zone", stacks: ["traffic"], model: () => devModel((env) => (env.traffic.hostedZone = { create: true, domain: "dev.example.net" })) },
  {
    name: "explicit AMI id and assumed role",
    stacks: ["aws", "traffic"],
    model: () =>
      devModel((env) => {
        env.images[0].aws = { ami: "ami-0123456789abcdef0" };
        env.sites.aws.assumeRoleArn = "arn:aws:iam::123456789012:role/estate-deploy";
      }),
  },
  {
    name: "TERMINATED_HTTPS listener",
    stacks: ["aws", "traffic"],
    model: () =>
      devModel((env) => {
        env.services[0].listeners = [
          { protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls: TLS },
          { protocol: "HTTP", port: 80, backendPort: 8080 },
        ];
      }),
  },
  {
    name: "TCP and UDP service on an NLB",
    stacks: ["aws", "traffic"],
    model: () =>
      devModel((env) => {
        env.services.push({
          name: "dns",
          image: "debian12",
          flavor: "m1.small",
          instanceType: "t3.small",
          instancesPerSite: 2,
          ipBlock: 3,
          listeners: [
            { protocol: "UDP", port: 53, backendPort: 5353 },
            { protocol: "TCP", port: 5354 },
          ],
          healthCheck: { protocol: "TCP", port: 5354 },
          allowedCidrs: ["0.0.0.0/0"],
        });
        env.sites.openstack.forEach((site: any, i: number) => (site.vips.dns = ["198.51.100.12", "198.51.100.76", "198.51.100.140"][i]));
      }),
  },
  // Health checks decided per pool: HTTPS checks on a TLS pass-through group, a UDP group checked over TCP.
  { name: "HTTP and TLS pass-through listeners", stacks: ["aws", "traffic"], model: () => loadEnvironment("test/fixtures/safe-apply/health-http-https.yaml") },
  { name: "UDP and TCP listeners", stacks: ["aws", "traffic"], model: () => loadEnvironment("test/fixtures/safe-apply/health-udp-tcp.yaml") },
  { name: "no AWS site", stacks: ["traffic"], model: () => devModel((env) => delete env.sites.aws) },
  {
    name: "internal service",
    stacks: ["aws", "traffic"],
    model: () =>
      devModel((env) => {
        env.services[1].exposure = "internal";
        for (const site of env.sites.openstack) delete site.vips.api;
      }),
  },
];

const SABOTAGED = "sabotaged dev: traffic";

/** Stacks also validated alone, as the root module `cdktf deploy` runs them in. */
const ROOT_CHECKS = ["dev: aws"];

const avail = terraformAvailable();
if (!avail.ok) console.warn(`terraform validate tests skipped: ${avail.reason}`);

describe.skipIf(!avail.ok)(`terraform validate (${avail.reason})`, () => {
  let outdir = "";
  const results = new Map<string, ValidateResult>();
  let validator: TerraformValidator | undefined;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "estate-synth-"));
    const stacks: StackDir[] = [];
    VARIANTS.forEach((variant, i) => {
      const estate = variant.model();
      const app = new App({ outdir: join(outdir, String(i)), stackTraces: false });
      if (variant.stacks.includes("aws")) new AwsSiteStack(app, estate, estate.awsSite!);
      if (variant.stacks.includes("traffic")) new TrafficStack(app, estate);
      app.synth();
      for (const kind of variant.stacks) {
        const stackName = kind === "aws" ? estate.awsSite!.stackName : `${estate.env}-traffic`;
        stacks.push({ label: `${variant.name}: ${kind}`, dir: join(outdir, String(i), "stacks", stackName) });
      }
    });
    // A copy of the dev traffic stack with one attribute the provider does not have: proves the check is not vacuous
    // and that each diagnostic lands on its own stack.
    const sabotaged = join(outdir, "sabotaged");
    cpSync(stacks.find((s) => s.label === "dev: traffic")!.dir, sabotaged, { recursive: true });
    const tf = JSON.parse(readFileSync(join(sabotaged, "cdk.tf.json"), "utf8"));
    tf.resource.aws_route53_health_check.web_os_a_health_check.request_interval_sec = 10;
    writeFileSync(join(sabotaged, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    stacks.push({ label: SABOTAGED, dir: sabotaged });

    validator = await TerraformValidator.create(findPluginMirror().dir!, stacks);
    const [all, ...roots] = await Promise.all([validator.validateAll(), ...ROOT_CHECKS.map((label) => validator!.validateAsRoot(label))]);
    for (const [label, result] of all) results.set(label, result);
    ROOT_CHECKS.forEach((label, i) => results.set(`${label} (root module)`, roots[i]));
  }, 240_000);

  afterAll(() => {
    validator?.dispose();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const labels = [...VARIANTS.flatMap((v) => v.stacks.map((kind) => `${v.name}: ${kind}`)), ...ROOT_CHECKS.map((l) => `${l} (root module)`)];
  it.each(labels)("%s stack is valid", (label) => {
    const result = results.get(label)!;
    expect(result, `no result for ${label}`).toBeDefined();
    expect(result.valid, describeDiagnostics(result)).toBe(true);
    expect(result.errorCount).toBe(0);
  });

  it("reports an attribute the provider does not know, on the stack that has it", () => {
    const result = results.get(SABOTAGED)!;
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain("Extraneous JSON object property");
    expect(describeDiagnostics(result)).toContain("request_interval_sec");
  });
});
