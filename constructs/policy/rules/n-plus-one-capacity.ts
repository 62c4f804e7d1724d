import type { EstateModel } from "../../../model";
import { compliant, nonCompliant, notApplicable, type ModelRule, type TargetedResult } from "../rule";

/** EST-AVL-002: with any one serving site gone, the others still run peakInstances of every service. */
export const nPlusOneCapacity: ModelRule = {
  id: "EST-AVL-002",
  level: "error",
  kind: "model",
  message: "not enough capacity to lose one site (N+1)",
  explanation:
    "Any site can fail or be drained for maintenance; the remaining sites then take its traffic. If they run fewer instances than the service needs at peak, losing one site turns into an outage of the service.",
  fix: "Raise instancesPerSite (or instancesBySite) so that the sites minus the largest one still run peakInstances, or lower peakInstances if the estimate was high.",
  check: (model) => {
    const results: TargetedResult[] = [];
    const sites = servingSites(model);
    model.services.forEach((service, index) => {
      const target = `services.${service.name}.peakInstances`;
      if (service.peakInstances === undefined) {
        results.push({ target, result: notApplicable(), service: service.name });
        return;
      }
      const counts = sites.map((s) => ({ site: s.name, count: s.counts.get(service.name) ?? 0 }));
      const total = counts.reduce((sum, c) => sum + c.count, 0);
      const short = counts
        .map((c) => ({ ...c, remaining: total - c.count }))
        .filter((c) => c.remaining < service.peakInstances!)
        .map((c) => `without ${c.site} the other serving sites run ${c.remaining}`);
      const result =
        sites.length === 0
          ? nonCompliant("no site takes traffic")
          : short.length > 0
            ? nonCompliant(`peakInstances is ${service.peakInstances}: ${short.join("; ")}`)
            : compliant();
      results.push({ target, result, service: service.name, source: ["services", index, "peakInstances"] });
    });
    return results;
  },
};

/** Sites that take traffic now (not drained, weight above 0), with their instance count per service. */
function servingSites(model: EstateModel): { name: string; counts: Map<string, number> }[] {
  const sites = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])];
  return sites
    .filter((s) => s.traffic.effectiveWeight > 0)
    .map((s) => ({ name: s.name, counts: new Map(s.services.map((p) => [p.service, p.hosts.length])) }));
}
