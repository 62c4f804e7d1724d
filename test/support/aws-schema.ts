/**
 * The AWS part of the provider schemas the diff reads (providers/aws/schema.json): which attributes of the AWS
 * resource and data source types the stacks use are sets. It is `terraform providers schema -json` of
 * hashicorp/aws 5.100.0 cut down to those types and to what the diff reads (attribute types, block nesting modes);
 * test/cli/diff-schema.test.ts compares it with the real provider, and rewrites it with ESTATE_UPDATE_AWS_SCHEMA=1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const AWS_SCHEMA_FILE = join(__dirname, "..", "..", "providers", "aws", "schema.json");
export const AWS_PROVIDER_KEY = "registry.terraform.io/hashicorp/aws";

/** Data source types the AWS and traffic stacks read. */
export const AWS_DATA_SOURCES: readonly string[] = ["aws_ami", "aws_ec2_managed_prefix_list", "aws_lb"];

/** Resource types: every type providers/aws/force-new.json maintains, the ones the stacks create. */
export function awsResourceTypes(): string[] {
  const forceNew = JSON.parse(readFileSync(join(__dirname, "..", "..", "providers", "aws", "force-new.json"), "utf8")) as { resources: Record<string, unknown> };
  return Object.keys(forceNew.resources).sort();
}

interface Block {
  attributes?: Record<string, { type?: unknown }>;
  block_types?: Record<string, { nesting_mode?: string; block?: Block }>;
}

function slim(block: Block): Block {
  const out: Block = {};
  if (block.attributes) out.attributes = Object.fromEntries(Object.entries(block.attributes).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, { type: v.type }]));
  if (block.block_types) {
    out.block_types = Object.fromEntries(
      Object.entries(block.block_types)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, { nesting_mode: v.nesting_mode, ...(v.block ? { block: slim(v.block) } : {}) }]),
    );
  }
  return out;
}

/** The committed file's content from the full `terraform providers schema -json` output. */
export function slimAwsSchema(full: { provider_schemas: Record<string, { resource_schemas: Record<string, { block: Block }>; data_source_schemas: Record<string, { block: Block }> }> }): unknown {
  const aws = full.provider_schemas[AWS_PROVIDER_KEY];
  const pick = (schemas: Record<string, { block: Block }>, types: readonly string[]) => Object.fromEntries(types.map((t) => [t, { block: slim(schemas[t].block) }]));
  return {
    comment:
      "terraform providers schema -json of hashicorp/aws 5.100.0, cut down to the types the stacks use and to attribute types and block nesting modes (the diff reads which attributes are sets). Checked against the provider by test/cli/diff-schema.test.ts; ESTATE_UPDATE_AWS_SCHEMA=1 rewrites it.",
    format_version: "1.0",
    provider_schemas: {
      [AWS_PROVIDER_KEY]: { resource_schemas: pick(aws.resource_schemas, awsResourceTypes()), data_source_schemas: pick(aws.data_source_schemas, AWS_DATA_SOURCES) },
    },
  };
}
