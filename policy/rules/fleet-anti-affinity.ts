import { referencesIn } from "../../terraform-json";
import { compliant, nonCompliant, notApplicable, type ResourceRule } from "../rule";

/** Nova server-group policies that spread a fleet over hypervisors. */
export const SPREADING_POLICIES: readonly string[] = ["anti-affinity", "soft-anti-affinity"];

/** EST-PLC-001: an OpenStack fleet is placed by a server group with an anti-affinity policy. */
export const fleetAntiAffinity: ResourceRule = {
  id: "EST-PLC-001",
  level: "warning",
  kind: "resource",
  serviceSetting: "placement",
  resourceTypes: ["openstack_compute_instance_v2"],
  reads: ["scheduler_hints"],
  message: "fleet without anti-affinity: several of its instances may share one hypervisor",
  explanation:
    "Without a server group with an anti-affinity policy Nova may put several instances of the same service on one hypervisor; losing that hypervisor then takes out a large part of the service in the site.",
  fix: 'Set placement: soft-anti-affinity (or anti-affinity) on the service; the fleet then gets scheduler_hints { group = <server group> }.',
  check: (resource, stack) => {
    // Only fleets: a single instance (an image builder) has nothing to spread.
    if (resource.block.config.for_each === undefined && resource.block.config.count === undefined) return notApplicable();
    const hints = resource.attributes.scheduler_hints;
    const groups = (Array.isArray(hints) ? hints : hints ? [hints] : []).map((h) => (h as Record<string, unknown>).group).filter((g) => g !== undefined);
    if (groups.length === 0) return nonCompliant("no scheduler_hints group");
    const servergroups = stack.tf.resource?.openstack_compute_servergroup_v2 ?? {};
    for (const ref of referencesIn(groups)) {
      const name = ref.address.startsWith("openstack_compute_servergroup_v2.") ? ref.address.split(".")[1] : undefined;
      const group = name ? servergroups[name] : undefined;
      if (!group) continue;
      const policies = [...(Array.isArray(group.policies) ? group.policies : []), group.policy].filter((p): p is string => typeof p === "string");
      if (policies.some((p) => SPREADING_POLICIES.includes(p))) return compliant();
      return nonCompliant(`server group ${ref.address} has policy ${policies.join(", ") || "(none)"}, not anti-affinity`);
    }
    // A group id given literally or from a data source: trust it, the model decided it.
    return compliant();
  },
};
