/**
 * Types of the matchers cdktf 0.21 registers with `Testing.setupJest()` (test/setup.ts); cdktf ships them for jest
 * only. A matcher takes the synthesized JSON string (`Testing.synthScope`, `Testing.synth`) and a resource, data
 * source or provider class; properties match as a subset, with Terraform's snake_case keys.
 */
import "vitest";

interface TerraformElementClass {
  readonly tfResourceType: string;
}

interface CdktfMatchers<R = unknown> {
  toHaveResource(type: TerraformElementClass): R;
  toHaveResourceWithProperties(type: TerraformElementClass, properties: Record<string, unknown>): R;
  toHaveDataSource(type: TerraformElementClass): R;
  toHaveDataSourceWithProperties(type: TerraformElementClass, properties: Record<string, unknown>): R;
  toHaveProvider(type: TerraformElementClass): R;
  toHaveProviderWithProperties(type: TerraformElementClass, properties: Record<string, unknown>): R;
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CdktfMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends CdktfMatchers {}
}
