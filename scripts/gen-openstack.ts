// Generates the cdktf TypeScript bindings for terraform-provider-openstack/openstack from the
// checked-in schema snapshot (providers/openstack/schema.json). Works fully offline:
// @cdktf/provider-generator is called without JSII options, so it only renders TypeScript.
//
//   npx tsx scripts/gen-openstack.ts            -> writes .gen/providers/openstack
//   npx tsx scripts/gen-openstack.ts /tmp/out   -> writes /tmp/out instead
//
// The target directory is wiped first so bindings of types removed from the snapshot never linger.
import * as fs from "node:fs";
import * as path from "node:path";
import { generateProviderBindingsFromSchema } from "@cdktf/provider-generator";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const OPENSTACK_SCHEMA_PATH = path.join(REPO_ROOT, "providers", "openstack", "schema.json");
export const DEFAULT_OPENSTACK_OUT_DIR = path.join(REPO_ROOT, ".gen", "providers", "openstack");

export const OPENSTACK_PROVIDER_ADDRESS = "registry.terraform.io/terraform-provider-openstack/openstack";

/**
 * Reads the snapshot and checks it names the provider and its exact version.
 *
 * `provider_versions` is the map `cdktf get` stores next to the schema (the `provider_selections` of
 * `terraform version -json`). @cdktf/provider-generator writes it into every binding as
 * `terraformGeneratorMetadata.providerVersion`, and cdktf synthesizes that as
 * `terraform.required_providers.openstack.version`. Without it a stack has no version constraint and
 * `cdktf diff|deploy` refuse it, so a snapshot without an exact `x.y.z` version is an error.
 */
export function loadOpenstackSchema(schemaPath: string = OPENSTACK_SCHEMA_PATH): any {
  const raw = fs.readFileSync(schemaPath, "utf8");
  const schema = JSON.parse(raw);
  const providers = schema?.provider_schemas ?? {};
  if (!providers[OPENSTACK_PROVIDER_ADDRESS]) {
    throw new Error(`${schemaPath}: no ${OPENSTACK_PROVIDER_ADDRESS} provider schema`);
  }
  const version = schema?.provider_versions?.[OPENSTACK_PROVIDER_ADDRESS];
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `${schemaPath}: provider_versions["${OPENSTACK_PROVIDER_ADDRESS}"] must be the exact provider version ` +
        `(for example "3.3.2"), got ${JSON.stringify(version)}`,
    );
  }
  return schema;
}

/**
 * Renders the bindings into `outDir` (default `.gen/providers/openstack`).
 * Deterministic: same schema in, byte-identical files out.
 */
export async function generateOpenstackBindings(
  outDir: string = DEFAULT_OPENSTACK_OUT_DIR,
  schemaPath: string = OPENSTACK_SCHEMA_PATH,
): Promise<string[]> {
  const target = path.resolve(outDir);
  if (target === path.parse(target).root || target === REPO_ROOT) {
    throw new Error(`refusing to wipe ${target}`);
  }
  const schema = loadOpenstackSchema(schemaPath);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });

  // The generator emits into `<target>/providers/openstack/...`; render into a scratch dir next to
  // the target and move the provider folder into place so `outDir` holds the bindings directly.
  const scratch = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}-gen-`));
  try {
    await generateProviderBindingsFromSchema(scratch, schema);
    const rendered = path.join(scratch, "providers", "openstack");
    if (!fs.existsSync(rendered)) {
      throw new Error(`generator did not produce ${rendered}`);
    }
    for (const entry of fs.readdirSync(rendered)) {
      fs.renameSync(path.join(rendered, entry), path.join(target, entry));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return listFiles(target);
}

/** Relative paths of every file under `dir`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk("");
  return out.sort();
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OPENSTACK_OUT_DIR;
  const files = await generateOpenstackBindings(outDir);
  console.log(`generated ${files.length} files into ${path.relative(process.cwd(), outDir) || "."}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
