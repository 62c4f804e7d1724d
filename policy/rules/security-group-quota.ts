import { DEFAULT_EGRESS_RULES_PER_GROUP, DEFAULT_GROUP_RULES, DEFAULT_SITE_LIMITS, type SiteLimits } from "../../model";
import { compliant, nonCompliant, notApplicable, type PolicyStack, type StackRule } from "../rule";
import { blocksOf, instanceCount } from "../../terraform-json";

export const SECURITY_GROUP_TYPE = "openstack_networking_secgroup_v2";
export const SECURITY_GROUP_RULE_TYPE = "openstack_networking_secgroup_rule_v2";

/** What the stacks of one OpenStack site create in its project, and what Neutron adds on its own. */
export interface SecurityGroupUsage {
  /** Groups the stacks create, plus the project's `default` group. */
  readonly groups: number;
  /** Rules the stacks create, plus 2 egress rules per created group and the 4 rules of the `default` group. */
  readonly rules: number;
  /** The stacks counted (the site stack, and its bake stack when it is checked too). */
  readonly stacks: readonly string[];
}

/** Security groups and rules the given stacks of one site hold in its project, counted as Neutron counts them. */
export function securityGroupUsage(stacks: readonly PolicyStack[]): SecurityGroupUsage {
  let groups = 0;
  let rules = 0;
  for (const stack of stacks) {
    for (const block of blocksOf(stack.tf, "managed")) {
      if (block.type === SECURITY_GROUP_TYPE) groups += instanceCount(block, stack.tf);
      else if (block.type === SECURITY_GROUP_RULE_TYPE) rules += instanceCount(block, stack.tf);
    }
  }
  return { groups: groups + 1, rules: rules + groups * DEFAULT_EGRESS_RULES_PER_GROUP + DEFAULT_GROUP_RULES, stacks: stacks.map((s) => s.name) };
}

/**
 * EST-QTA-001: the security groups and rules of an OpenStack site fit the project's Neutron quotas
 * (`quota_security_group`, `quota_security_group_rule`, read from the site's `limits`). Neutron counts every rule
 * of the project: the rules the stacks create, the two egress rules it adds to every new group, and the rules of
 * the project's `default` group. Over the quota, `terraform apply` fails partway with `Quota exceeded for resources:
 * ['security_group_rule']`.
 */
export const securityGroupQuota: StackRule = {
  id: "EST-QTA-001",
  level: "error",
  kind: "stack",
  message: "the site's security groups or rules exceed the project's Neutron quota",
  explanation:
    "Neutron counts every security-group rule of a project against quota_security_group_rule (100 by default), the two egress rules it adds to each new group included. Over the quota the apply fails partway through with 'Quota exceeded', leaving some services without their rules.",
  fix: "Each network in adminCidrs and monitoring.scrapeCidrs adds one rule per service in every site: list fewer, wider networks. If the project's quota is higher, set sites.openstack[].limits.securityGroupRules (and securityGroups) to it.",
  check: (stack, context) => {
    if (stack.kind !== "openstack" || !stack.site) return [];
    const target = `${SECURITY_GROUP_RULE_TYPE} (project of site ${stack.site})`;
    const siteIndex = context?.model?.openstackSites.findIndex((s) => s.name === stack.site) ?? -1;
    if (siteIndex < 0) return [{ target, result: notApplicable(), site: stack.site }];
    const limits: SiteLimits = context?.model?.openstackSites[siteIndex].limits ?? DEFAULT_SITE_LIMITS;
    // The bake stack of the site works in the same project.
    const same = (context?.stacks ?? [stack]).filter((s) => s.env === stack.env && s.site === stack.site && (s.kind === "openstack" || s.kind === "bake"));
    const usage = securityGroupUsage(same.some((s) => s.name === stack.name) ? same : [stack, ...same]);
    const limitsPath = ["sites", "openstack", siteIndex, "limits"];
    const counted = `counting ${usage.stacks.join(" and ")}, Neutron's ${DEFAULT_EGRESS_RULES_PER_GROUP} default egress rules per group and the ${DEFAULT_GROUP_RULES} rules of the project's default group`;
    const results = [];
    if (usage.rules > limits.securityGroupRules) {
      results.push({
        target,
        site: stack.site,
        source: [...limitsPath, "securityGroupRules"],
        result: nonCompliant(`site ${stack.site} needs ${usage.rules} security-group rules (${counted}), over its quota of ${limits.securityGroupRules} (limits.securityGroupRules)`),
      });
    }
    if (usage.groups > limits.securityGroups) {
      results.push({
        target: `${SECURITY_GROUP_TYPE} (project of site ${stack.site})`,
        site: stack.site,
        source: [...limitsPath, "securityGroups"],
        result: nonCompliant(`site ${stack.site} needs ${usage.groups} security groups (the default group included), over its quota of ${limits.securityGroups} (limits.securityGroups)`),
      });
    }
    return results.length > 0 ? results : [{ target, result: compliant(), site: stack.site }];
  },
};
