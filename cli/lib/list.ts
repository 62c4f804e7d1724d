/** `estate list`: every stack with where it deploys, where its state lives and how many resource instances it holds. */
import { posix } from "node:path";
import { resourceInstanceCount, type TerraformJson } from "../../terraform-json";
import type { StackKind } from "../../model";
import { loadSelectedModels } from "./select";
import { readSynthOutput } from "./synth-output";
import { formatTable } from "./table";
import { withTemporarySynth } from "./temp-synth";

export interface StackRow {
  readonly stack: string;
  readonly env: string;
  /** null for the traffic stack, which belongs to no site. */
  readonly site: string | null;
  readonly kind: StackKind;
  /** Terraform providers the stack configures. */
  readonly providers: readonly string[];
  /** `<cloud>/<region>` for OpenStack, the region for AWS. */
  readonly location: string;
  /** Local state path (relative to the project) or `s3://bucket/key`. */
  readonly backend: string;
  /** Resource instances, for_each and count expanded. */
  readonly resources: number;
}

export function listStacks(envs: readonly string[] = []): StackRow[] {
  const models = loadSelectedModels(envs);
  return withTemporarySynth(models, (dir, result) => {
    const output = readSynthOutput(dir);
    return result.stacks.map((s) => {
      const tf = output.stacks.get(s.name) ?? {};
      return {
        stack: s.name,
        env: s.env,
        site: s.site ?? null,
        kind: s.kind,
        providers: Object.keys(tf.provider ?? {}).sort(),
        location: locationOf(tf),
        backend: backendOf(s.name, tf),
        resources: resourceInstanceCount(tf),
      };
    });
  });
}

export function formatStackTable(rows: readonly StackRow[]): string[] {
  const table = formatTable(
    [
      { header: "STACK" },
      { header: "ENV" },
      { header: "SITE" },
      { header: "KIND" },
      { header: "PROVIDER" },
      { header: "REGION/CLOUD" },
      { header: "BACKEND" },
      { header: "RESOURCES", align: "right" },
    ],
    rows.map((r) => [r.stack, r.env, r.site ?? "-", r.kind, r.providers.join(",") || "-", r.location, r.backend, String(r.resources)]),
  );
  return ["RESOURCES counts resource instances: for_each and count expanded (a fleet of 30 hosts counts 30).", ...table];
}

function locationOf(tf: TerraformJson): string {
  const parts: string[] = [];
  for (const [name, configs] of Object.entries(tf.provider ?? {})) {
    for (const config of (Array.isArray(configs) ? configs : [configs]) as Record<string, unknown>[]) {
      if (name === "openstack") parts.push(`${String(config.cloud ?? "?")}/${String(config.region ?? "?")}`);
      else if (config.region !== undefined) parts.push(String(config.region));
    }
  }
  return [...new Set(parts)].join(",") || "-";
}

function backendOf(stack: string, tf: TerraformJson): string {
  const backend = ((tf.terraform ?? {}) as Record<string, unknown>).backend as Record<string, Record<string, unknown>> | undefined;
  if (!backend) return "-";
  const [type, config] = Object.entries(backend)[0] ?? [];
  if (type === "local") return posix.normalize(posix.join("cdktf.out", "stacks", stack, String(config?.path ?? "terraform.tfstate")));
  if (type === "s3") return `s3://${String(config?.bucket)}/${String(config?.key)}`;
  return type ?? "-";
}
