/** Small Terraform JSON fixtures for the policy rules: just the blocks a rule looks at. */
import type { PolicyResource, PolicyStack } from "../../policy";
import type { TerraformJson, TfConfig } from "../../terraform-json";

export function stackOf(tf: TerraformJson, name = "dev-os-a"): PolicyStack {
  return { name, env: "dev", kind: "openstack", site: "os-a", tf };
}

/** The single resource `type.name` of a fixture, as a resource rule receives it. */
export function resourceOf(tf: TerraformJson, type: string, name: string): PolicyResource {
  const config = tf.resource?.[type]?.[name];
  if (!config) throw new Error(`fixture has no ${type}.${name}`);
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (!["for_each", "count", "depends_on", "lifecycle", "provider"].includes(k)) attributes[k] = v;
  return { block: { mode: "managed", type, name, address: `${type}.${name}`, config }, address: `${type}.${name}`, attributes };
}

export function single(type: string, name: string, config: TfConfig): TerraformJson {
  return { resource: { [type]: { [name]: config } } };
}
