import { TerraformIterator, TerraformLocal, TerraformStack, type MapTerraformIterator } from "cdktf";
import type { IConstruct } from "constructs";
import { ValidationError } from "./validation-error";
import { LOCAL_NAME_PATTERN, type LiteralLocalRegistry } from "../literal-locals";
import { escapeTemplateStrings } from "../terraform-literal";

/** Per-host values of a host map: plain data (addresses, zones, group numbers), never a reference. */
export type HostMapEntry = Readonly<Record<string, string | number>>;

/**
 * Registers `value` (plain data, never a reference) as the local `localName` of the stack `scope` lives in and
 * returns `${local.<localName>}`. In an estate stack the value goes into the synthesized JSON as literal data, past
 * cdktf's token resolver; in any other `TerraformStack` it is a `TerraformLocal`. Either way every string is
 * literal text (template sequences escaped). A name the stack already holds is refused.
 */
export function defineLiteralLocal(scope: IConstruct, localName: string, value: Readonly<Record<string, unknown>>): string {
  const stack = TerraformStack.of(scope) as TerraformStack & Partial<LiteralLocalRegistry>;
  if (!LOCAL_NAME_PATTERN.test(localName)) throw new ValidationError(`local name "${localName}" must be lower snake case`, stack);
  if (typeof stack.addLiteralLocal === "function") {
    stack.addLiteralLocal(localName, value);
  } else {
    if (stack.node.tryFindChild(localName)) throw new ValidationError(`local "${localName}" is defined twice`, stack);
    new TerraformLocal(stack, localName, escapeTemplateStrings(value)).overrideLogicalId(localName);
  }
  return `\${local.${localName}}`;
}

/**
 * The hosts of a fleet keyed by host name, held in one Terraform local (`local.<name>`). Every per-host resource
 * (instances, ports, pool members, target-group attachments) iterates over it with `for_each`, so each host keeps
 * its own address (`openstack_compute_instance_v2.web_fleet_instance["dev-os-a-web-001"]`) and a fleet of ten
 * thousand hosts is one resource per kind.
 */
export class HostMap {
  /**
   * Registers `hosts` as the local `localName` of the stack `scope` lives in. In an estate stack the map goes into
   * the synthesized JSON as literal data, past cdktf's token resolver (which a large map would make slow); in any
   * other `TerraformStack` it is a `TerraformLocal`. Either way every string is literal text (template sequences
   * escaped). A name the stack already holds is refused.
   */
  static define(scope: IConstruct, localName: string, hosts: Readonly<Record<string, HostMapEntry>>): HostMap {
    defineLiteralLocal(scope, localName, hosts);
    return new HostMap(localName);
  }

  /** A host map another construct defined, by its local name (e.g. `hosts_web`). */
  static fromLocalName(localName: string): HostMap {
    return new HostMap(localName);
  }

  private constructor(
    /** Name of the Terraform local that holds the map, e.g. `hosts_web`. */
    readonly localName: string,
  ) {}

  /** `${local.<name>}`: the map as a Terraform expression. */
  get expression(): string {
    return `\${local.${this.localName}}`;
  }

  /** A new iterator over the hosts, for the `forEach` of one resource: `key` is the host name, `getString("ip")` a field. */
  forEach(): MapTerraformIterator {
    return TerraformIterator.fromMap(this.expression as unknown as Record<string, unknown>);
  }
}
