/**
 * The resource instances a synthesized site stack describes, expanded the way Terraform expands them: one per
 * resource, or one per key of its `for_each` map (the stack's literal host maps in `locals`), with `each.key` and
 * `each.value.<attr>` replaced by the instance's values. Other references (`${openstack_x.y.id}`) stay as written;
 * the matcher resolves them to the ids of what it matched.
 */
import { importAddress } from "../../../stacks/adoption";

export interface TargetInstance {
  /** `type.name` or `type.name["key"]`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly key?: string;
  /** The resource's arguments for this instance (cdktf's `//` metadata, `depends_on`, `lifecycle` and `for_each` dropped). */
  readonly config: Record<string, unknown>;
}

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
}

const META_ARGUMENTS = new Set(["//", "depends_on", "lifecycle", "for_each", "count", "provider", "provisioner", "connection"]);

/** Every managed OpenStack resource instance of the stack, in address order. */
export function targetInstances(stack: unknown): TargetInstance[] {
  const tf = stack as StackJson;
  const out: TargetInstance[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    if (!type.startsWith("openstack_")) continue;
    for (const [name, body] of Object.entries(byName)) {
      const config = Object.fromEntries(Object.entries(body).filter(([k]) => !META_ARGUMENTS.has(k)));
      const forEach = body.for_each;
      if (forEach === undefined) {
        out.push({ address: importAddress(type, name), type, name, config });
        continue;
      }
      const local = typeof forEach === "string" ? /^\$\{local\.([a-z0-9_]+)\}$/.exec(forEach)?.[1] : undefined;
      const map = local ? tf.locals?.[local] : undefined;
      if (!map || typeof map !== "object") throw new Error(`${type}.${name}: for_each ${JSON.stringify(forEach)} is not a literal local map; adopt cannot expand it`);
      for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
        out.push({ address: importAddress(type, name, key), type, name, key, config: substituteEach(config, key, value) as Record<string, unknown> });
      }
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function substituteEach(value: unknown, key: string, each: unknown): unknown {
  if (typeof value === "string") {
    if (value === "${each.key}") return key;
    const m = /^\$\{each\.value\.([a-z0-9_]+)\}$/.exec(value);
    if (m) return (each as Record<string, unknown>)[m[1]];
    return value
      .replace(/\[each\.key\]/g, `[${JSON.stringify(key)}]`)
      .replace(/\[each\.value\.([a-z0-9_]+)\]/g, (whole, attr: string) => {
        const v = (each as Record<string, unknown>)[attr];
        return typeof v === "string" || typeof v === "number" ? `[${JSON.stringify(String(v))}]` : whole;
      });
  }
  if (Array.isArray(value)) return value.map((v) => substituteEach(v, key, each));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEach(v, key, each)]));
  return value;
}
