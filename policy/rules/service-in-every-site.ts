import { compliant, nonCompliant, notApplicable, type ModelRule, type TargetedResult } from "../rule";

/** EST-AVL-001: a service that runs in one OpenStack site runs in all of them. */
export const serviceInEverySite: ModelRule = {
  id: "EST-AVL-001",
  level: "error",
  kind: "model",
  message: "service missing from an OpenStack site",
  explanation:
    "The sites run active-active and any one of them may fail or be drained; a service absent from a site leaves the others to carry all of it, and DNS still sends that site's share of other services' clients there.",
  fix: "Run the service in every OpenStack site (remove the 0 from instancesBySite), or suppress the rule for the service with the reason it is single-sited.",
  check: (model) => {
    const results: TargetedResult[] = [];
    model.services.forEach((service, index) => {
      const counts = model.openstackSites.map((site) => ({
        site: site.name,
        count: site.services.find((s) => s.service.name === service.name)?.hosts.length ?? 0,
      }));
      const running = counts.filter((c) => c.count > 0);
      for (const { site, count } of counts) {
        const target = `services.${service.name}.instancesBySite.${site}`;
        const result =
          running.length === 0
            ? notApplicable()
            : count > 0
              ? compliant()
              : nonCompliant(`${service.name} has 0 instances in ${site} but runs in ${running.map((r) => `${r.site} (${r.count})`).join(", ")}`);
        results.push({ target, result, site, service: service.name, source: ["services", index, "instancesBySite", site] });
      }
    });
    return results;
  },
};
