/**
 * What a value of a synthesized stack reads, as opposed to how it is written: a reference is followed through
 * literal locals (their keys and attributes included) to a literal value, or to an attribute of a resource or
 * data-source instance. Two values that read the same thing are the same value to Terraform, whatever their text:
 * `"${local.image_ids["v1"]}"` whose entry is `"${data.openstack_images_image_v2.image["v1"].id}"` reads what
 * `"${data.openstack_images_image_v2.image.id}"` reads when both lookups send the same query.
 *
 * A data source is identified by its query — type, `provider` and arguments (read the same way, `each.*`
 * substituted per instance, `//` metadata ignored) — not by its address: Terraform reads the same object for the
 * same query. A managed resource is identified by its instance address. Anything else (variables, modules,
 * function calls, templates) is compared by its text.
 */
import { blocksOf, instanceAddress, holdsExpression, instancesOf, stepsText, traversalOf, type TerraformJson, type TfInstance, type TfStep, type TfTraversal } from "./reader";

/** What a value reads. */
export interface TfReading {
  /** Equal for two values that read the same thing (compare only readings of the same kind of stack: it is not a display text). */
  readonly identity: string;
  /**
   * The resource or data-source instance a value that is only a reference finally reads.
   * @default - the value is a literal, or is not only a reference
   */
  readonly source?: { readonly mode: "managed" | "data"; readonly address: string };
  /**
   * What the value reads from `source`'s instance, as the steps after its address: `[{ attribute: "id" }]` for
   * `.id`, `[]` for the whole object.
   * @default - no source
   */
  readonly steps?: readonly TfStep[];
  /**
   * The literal a reference finally reads (a local's entry), when it holds no expression of its own.
   * @default - the value is not a reference to a literal
   */
  readonly literal?: unknown;
}

/** Readings of one stack's values, cached: values repeated over thousands of instances are followed once. */
export interface ReferenceReader {
  read(value: unknown): TfReading;
  /**
   * The query of the data-source instance at `address` (`data.type.name` or `data.type.name["key"]`), as an
   * identity: equal queries read the same object. @returns undefined when the stack has no such instance
   */
  dataQuery(address: string): string | undefined;
  /** The queries of every data-source instance of the stack. */
  dataQueries(): ReadonlySet<string>;
  /**
   * The data-source instance at `address` (a reading's `source.address`), its `each.*` substituted.
   * @returns undefined when the stack has no such instance
   */
  dataInstance(address: string): TfInstance | undefined;
}

/** Locals holding locals deeper than this are compared by their text (Terraform refuses cycles anyway). */
const MAX_DEPTH = 16;

export function referenceReader(tf: TerraformJson): ReferenceReader {
  const cache = new Map<string, TfReading>();
  let instances: Map<string, TfInstance> | undefined;
  const queries = new Map<string, string>();

  const dataInstances = () => {
    if (!instances) {
      instances = new Map();
      for (const block of blocksOf(tf, "data")) {
        for (const i of instancesOf(block, tf)) instances.set(i.address, i);
      }
    }
    return instances;
  };

  const dataQuery = (address: string, depth = 0): string | undefined => {
    const known = queries.get(address);
    if (known !== undefined) return known;
    const instance = dataInstances().get(address);
    if (!instance) return undefined;
    const query = `${instance.block.type} ${JSON.stringify(instance.block.config.provider ?? null)} ${identityOf(instance.attributes, depth + 1)}`;
    if (depth === 0) queries.set(address, query);
    return query;
  };

  /** Identity of any value: literals as JSON (object keys sorted, `//` left out), references by what they read. */
  const identityOf = (value: unknown, depth: number): string => {
    if (typeof value === "string") return readString(value, depth).identity;
    if (Array.isArray(value)) return `[${value.map((v) => identityOf(v, depth)).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value)
        .filter((k) => k !== "//")
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${identityOf((value as Record<string, unknown>)[k], depth)}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "undefined";
  };

  const readString = (value: string, depth: number): TfReading => {
    const cached = cache.get(value);
    if (cached) return cached;
    const traversal = depth < MAX_DEPTH ? traversalOf(value) : undefined;
    const reading = (traversal && follow(traversal, depth + 1)) ?? { identity: JSON.stringify(value) };
    if (depth === 0) cache.set(value, reading);
    return reading;
  };

  /** What a traversal reads, or undefined when it cannot be followed (its text is then its identity). */
  const follow = (t: TfTraversal, depth: number): TfReading | undefined => {
    switch (t.kind) {
      case "local": {
        const locals = tf.locals ?? {};
        const name = t.address.slice("local.".length);
        return name in locals ? walk(locals[name], t.steps, depth) : undefined;
      }
      case "data": {
        const [address, rest] = instanceOf(t);
        const query = dataQuery(address, depth);
        return query === undefined ? undefined : { identity: `data ${query} ${stepsText(rest)}`, source: { mode: "data", address }, steps: rest };
      }
      case "managed": {
        const [address, rest] = instanceOf(t);
        return { identity: `managed ${address}${stepsText(rest)}`, source: { mode: "managed", address }, steps: rest };
      }
      default:
        return undefined;
    }
  };

  /** A value reached through a local, then the steps still to take from it. */
  const walk = (value: unknown, steps: readonly TfStep[], depth: number): TfReading | undefined => {
    if (typeof value === "string") {
      const inner = depth < MAX_DEPTH ? traversalOf(value) : undefined;
      if (inner) return follow({ ...inner, steps: [...inner.steps, ...steps] }, depth + 1);
      if (steps.length > 0) return undefined;
    }
    if (steps.length === 0) {
      return { identity: identityOf(value, depth), ...(holdsExpression(value) ? {} : { literal: value }) };
    }
    if (value === null || typeof value !== "object") return undefined;
    const [step, ...rest] = steps;
    const key = "attribute" in step ? step.attribute : step.index;
    const next = (value as Record<string | number, unknown>)[key];
    return next === undefined ? undefined : walk(next, rest, depth);
  };

  return {
    read: (value) => (typeof value === "string" ? readString(value, 0) : { identity: identityOf(value, 0) }),
    dataQuery: (address) => dataQuery(address),
    dataQueries: () => new Set([...dataInstances().keys()].map((a) => dataQuery(a)!)),
    dataInstance: (address) => dataInstances().get(address),
  };
}

/**
 * The attribute a reading reads from its source instance when it reads exactly one (`id` for
 * `${data.type.name["k"].id}`, or for a local entry holding it), else undefined.
 */
export function sourceAttribute(reading: TfReading): string | undefined {
  const [step, ...more] = reading.steps ?? [];
  return reading.source && step && "attribute" in step && more.length === 0 ? step.attribute : undefined;
}

/** The instance a traversal of a resource or data source names (`[key]` right after the address), and the steps after it. */
function instanceOf(t: TfTraversal): [string, readonly TfStep[]] {
  const [first, ...rest] = t.steps;
  return first && "index" in first ? [instanceAddress(t.address, first.index), rest] : [t.address, t.steps];
}
