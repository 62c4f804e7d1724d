/**
 * The resource instances a synthesized site stack describes, expanded the way Terraform expands them: one per
 * resource, or one per key of its `for_each` map (the stack's literal host maps in `locals`), with `each.key` and
 * `each.value.<attr>` replaced by the instance's values. Other references (`${openstack_x.y.id}`) stay as written;
 * the matcher resolves them to the ids of what it matched.
 */
import { importAddress } from "../../../stacks/adoption";
import { blocksOf, instancesOf, type TerraformJson } from "../../../terraform-json";

export interface TargetInstance {
  /** `type.name` or `type.name["key"]`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly key?: string;
  /** The resource's arguments for this instance (cdktf's `//` metadata, `depends_on`, `lifecycle` and `for_each` dropped). */
  readonly config: Record<string, unknown>;
}

/** Every managed OpenStack resource instance of the stack, in address order (expanded by terraform-json/). */
export function targetInstances(stack: unknown): TargetInstance[] {
  const tf = stack as TerraformJson;
  const out: TargetInstance[] = [];
  for (const block of blocksOf(tf, "managed").filter((b) => b.type.startsWith("openstack_"))) {
    const instances = instancesOf(block, tf);
    if (block.config.for_each !== undefined && instances.length === 1 && instances[0].key === undefined) {
      throw new Error(`${block.type}.${block.name}: for_each ${JSON.stringify(block.config.for_each)} is not a literal local map; adopt cannot expand it`);
    }
    for (const i of instances) {
      const key = i.key === undefined ? undefined : String(i.key);
      out.push({ address: importAddress(block.type, block.name, key), type: block.type, name: block.name, ...(key !== undefined ? { key } : {}), config: i.attributes as Record<string, unknown> });
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
