import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
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

/** GIVEN an estate stack with the one AWS provider every AWS site (and traffic) stack has. */
export function awsTestStack(region = "eu-west-1"): EstateStack {
  const stack = testStack();
  new AwsProvider(stack, "aws", { region });
  return stack;
}

/** The message an AWS construct throws in `scope` (a fresh {@link awsTestStack} by default). */
export function awsErrorOf(build: (scope: Construct) => void, scope: Construct = awsTestStack()): string {
  return errorOf(build, scope);
}

/**
 * Every Terraform instance a resource stands for: a for_each resource is expanded over its map (a literal local or
 * an inline map) with `${each.key}` / `${each.value.x}` substituted, so rules can be checked one by one.
 */
export function instancesOf(tf: any, type: string): { name: string; key?: string; body: any }[] {
  const out: { name: string; key?: string; body: any }[] = [];
  for (const [name, body] of Object.entries<any>(resourcesOf(tf, type))) {
    if (body.for_each === undefined) {
      out.push({ name, body });
      continue;
    }
    const local = typeof body.for_each === "string" ? /^\$\{local\.([a-z0-9_]+)\}$/.exec(body.for_each) : null;
    const map = local ? tf.locals[local[1]] : body.for_each;
    expect(map, `${type}.${name}: for_each must be a literal local or an inline map`).toBeTypeOf("object");
    for (const [key, value] of Object.entries<any>(map)) out.push({ name, key, body: substitute(body, key, value) });
  }
  return out;
}

function substitute(node: any, key: string, value: any): any {
  if (typeof node === "string") {
    if (node === "${each.key}") return key;
    const m = /^\$\{each\.value\.([A-Za-z0-9_]+)\}$/.exec(node);
    return m ? value[m[1]] : node;
  }
  if (Array.isArray(node)) return node.map((n) => substitute(n, key, value));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "for_each" ? v : substitute(v, key, value)]));
  return node;
}
