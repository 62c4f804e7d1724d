/**
 * Grouping for display: the instances of one for_each resource that change in exactly the same way are one
 * entry ("on 30 instances"), so a change to a fleet's shared configuration reads as one change.
 */
import { compareStrings } from "../../../util";
import type { AttributeChange, ChangeAction, ResourceChange } from "./types";

export interface ChangeGroup {
  readonly stack: string;
  readonly resource: string;
  readonly mode: ResourceChange["mode"];
  readonly action: ChangeAction;
  /** A plan imports these instances. */
  readonly importing: boolean;
  /** Instance addresses, sorted. */
  readonly addresses: readonly string[];
  /** Instance keys (for_each keys / count indexes) when the group is made of instances. */
  readonly keys: readonly (string | number)[];
  readonly attributes: readonly AttributeChange[];
}

/** Order in which actions are presented: what destroys things first. */
export const ACTION_ORDER: readonly ChangeAction[] = ["replace", "delete", "create", "import", "update", "read", "forget"];

export function groupChanges(changes: readonly ResourceChange[]): ChangeGroup[] {
  const groups = new Map<
    string,
    {
      stack: string;
      resource: string;
      mode: ResourceChange["mode"];
      action: ChangeAction;
      importing: boolean;
      addresses: string[];
      keys: (string | number)[];
      attributes: readonly AttributeChange[];
      shared: readonly AttributeChange[];
    }
  >();
  for (const c of changes) {
    // A value that names the instance's own key (`port["web-001"].id`) is the same change on every instance.
    const shared = c.key === undefined ? c.attributes : c.attributes.map((a) => sharedForm(a, c.key!));
    // Creates, deletes and forgets are listed per instance: each is a host coming or going.
    const signature = c.action === "create" || c.action === "delete" || c.action === "forget" ? c.address : JSON.stringify(shared);
    const id = `${c.stack}\u0000${c.resource}\u0000${c.action}\u0000${c.importing === true}\u0000${signature}`;
    const group = groups.get(id) ?? { stack: c.stack, resource: c.resource, mode: c.mode, action: c.action, importing: c.importing === true, addresses: [], keys: [], attributes: c.attributes, shared };
    group.addresses.push(c.address);
    if (c.key !== undefined) group.keys.push(c.key);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map(({ shared, ...g }) => ({ ...g, attributes: g.addresses.length > 1 ? shared : g.attributes, addresses: [...g.addresses].sort(compareStrings) }))
    .sort(
      (a, b) =>
        ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
        compareStrings(a.resource, b.resource) ||
        compareStrings(a.addresses[0], b.addresses[0]),
    );
}

/** How a group is named in a list: its single address, or the resource with its instance count. */
export function groupLabel(group: ChangeGroup): { readonly address: string; readonly instances?: number } {
  if (group.addresses.length === 1) return { address: group.addresses[0] };
  return { address: group.resource, instances: group.addresses.length };
}

function sharedForm(change: AttributeChange, key: string | number): AttributeChange {
  const own = `[${JSON.stringify(key)}]`;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === "string") return value === String(key) ? "${each.key}" : value.split(own).join("[each.key]");
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  return {
    ...change,
    ...("before" in change ? { before: rewrite(change.before) } : {}),
    ...("after" in change ? { after: rewrite(change.after) } : {}),
    ...(change.knownAfterApply !== undefined ? { knownAfterApply: rewrite(change.knownAfterApply) as string } : {}),
    ...(change.elements ? { elements: change.elements.map((e) => ({ ...e, value: rewrite(e.value) })) } : {}),
  };
}
