import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCollectionCatalog } from "../../cli/lib/diff/elements";
import { AWS_SCHEMA_FILE, slimAwsSchema } from "../support/aws-schema";
import { AWS_PROVIDER_SOURCE, AWS_PROVIDER_VERSION, findPluginMirror, terraformAvailable, terraformEnv, writeCliConfig } from "../support/terraform";
import { removeTempDirs, tempDir } from "./estate";

const available = terraformAvailable();

describe("the AWS schema the diff reads to tell sets from lists", () => {
  it("knows the AWS sets the stacks write and the lists that are not sets", () => {
    const catalog = loadCollectionCatalog();
    expect(catalog.isSet("aws_instance", "vpc_security_group_ids")).toBe(true);
    expect(catalog.isSet("aws_lb", "subnets")).toBe(true);
    expect(catalog.isSet("aws_security_group", "ingress")).toBe(true);
    expect(catalog.isSet("aws_security_group", "ingress.cidr_blocks")).toBe(false);
    expect(catalog.isSet("aws_route53_record", "records")).toBe(true);
  });

  it.skipIf(!available.ok)(`matches terraform providers schema -json of hashicorp/aws ${AWS_PROVIDER_VERSION}`, () => {
    const dir = tempDir("estate-aws-schema-");
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: writeCliConfig(dir, findPluginMirror().dir!), TF_DATA_DIR: join(dir, ".terraform") });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: AWS_PROVIDER_SOURCE, version: AWS_PROVIDER_VERSION } } } }));
    const run = (...args: string[]) => spawnSync("terraform", args, { cwd: dir, env, encoding: "utf8", timeout: 300_000, maxBuffer: 256 * 1024 * 1024 });
    expect(run("init", "-input=false", "-no-color").status).toBe(0);
    const schema = run("providers", "schema", "-json");
    expect(schema.status).toBe(0);
    const expected = `${JSON.stringify(slimAwsSchema(JSON.parse(schema.stdout)), null, 1)}\n`;
    if (process.env.ESTATE_UPDATE_AWS_SCHEMA === "1") writeFileSync(AWS_SCHEMA_FILE, expected);
    expect(readFileSync(AWS_SCHEMA_FILE, "utf8")).toBe(expected);
  }, 300_000);
});

afterAll(removeTempDirs);
