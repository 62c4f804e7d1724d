import { compliant, nonCompliant, notApplicable, type ModelRule, type TargetedResult } from "../rule";

/** EST-TRF-001: Route 53 can reach the OpenStack VIPs it health-checks. */
export const route53HealthCheckerAccess: ModelRule = {
  id: "EST-TRF-001",
  level: "warning",
  kind: "model",
  message: "Route 53 health checkers cannot reach the service's OpenStack VIPs",
  explanation:
    "The traffic stack health-checks every site's public VIP from Route 53's checkers on the internet. Octavia admits only the service's allowedCidrs on its listeners, so a service open to private networks only fails every health check: Route 53 then treats all sites as unhealthy and answers with all of them, failing over nothing.",
  fix: "List Route 53's health-checker ranges (the ROUTE53_HEALTHCHECKS prefixes of AWS's ip-ranges.json) in traffic.healthCheckerCidrs; the site stacks add them to the listeners of services that are not open to everyone.",
  check: (model) => {
    const results: TargetedResult[] = [];
    for (const service of model.services) {
      const inOpenstack = model.openstackSites.some((site) => site.services.some((s) => s.service.name === service.name));
      const target = `services.${service.name}.allowedCidrs`;
      if (!model.traffic || !inOpenstack || !service.admitsRoute53HealthCheckers) {
        results.push({ target, result: notApplicable(), service: service.name });
        continue;
      }
      results.push({
        target,
        service: service.name,
        result:
          model.traffic.healthCheckerCidrs.length > 0
            ? compliant()
            : nonCompliant(`${service.name} admits only ${service.allowedCidrs.join(", ")} and traffic.healthCheckerCidrs is empty`),
        source: ["traffic", "healthCheckerCidrs"],
      });
    }
    return results;
  },
};
