import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { OpenstackProvider } from "../../.gen/providers/openstack/provider";
import { EstateStack } from "../../stacks/estate-stack";

/** GIVEN a bare EstateStack with a local backend. */
export function testStack(id = "test"): EstateStack {
  return new EstateStack(Testing.app() as App, id, { type: "local", directory: "state" });
}

/** Synthesized Terraform JSON of a stack, as an object (runs validations). */
export function synthJson(stack: EstateStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** The resources of one type in synthesized JSON, keyed by Terraform name. */
export function resourcesOf(tf: any, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** The message a construct throws, for exact-message validation tests. */
export function errorOf(build: (scope: Construct) => void, scope: Construct = testStack()): string {
  try {
    build(scope);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected construction to fail");
}

/** GIVEN an estate stack with the one OpenStack provider every OpenStack site stack has. */
export function openstackTestStack(): EstateStack {
  const stack = testStack();
  new OpenstackProvider(stack, "openstack", { cloud: "test", region: "RegionOne" });
  return stack;
}

/** The message an OpenStack construct throws in {@link openstackTestStack}. */
export function openstackErrorOf(build: (scope: Construct) => void): string {
  return errorOf(build, openstackTestStack());
}
