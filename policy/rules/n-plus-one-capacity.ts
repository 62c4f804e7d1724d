import { describeServing, redundancyReport } from "../capacity";
import { compliant, nonCompliant, notApplicable, type ModelRule, type RuleResult } from "../rule";

/**
 * EST-AVL-002: every service keeps its peak capacity. Without a drain that concerns the service, N+1: with any one
 * serving site gone, the others still run peakInstances. While a site that runs the service is drained, the
 * serving sites must still run peakInstances themselves; that they lose N+1 meanwhile is EST-AVL-003's warning.
 */
export const nPlusOneCapacity: ModelRule = {
  id: "EST-AVL-002",
  level: "error",
  message: "not enough capacity for peakInstances (N+1; while a site that runs the service is drained, peak itself)",
  kind: "model",
  explanation:
    "Any site can fail or be drained for maintenance; the remaining sites then take its traffic. If they run fewer instances than the service needs at peak, losing one site turns into an outage of the service. A drain already took one site out: the sites left must carry peak on their own.",
  fix: "Raise instancesPerSite (or instancesBySite) so that the sites minus the largest one still run peakInstances, or lower peakInstances if the estimate was high; while a site is drained, restore it before draining another.",
  check: (model) =>
    redundancyReport(model).services.map((s, index) => {
      const target = `services.${s.service}.peakInstances`;
      let result: RuleResult;
      if (s.verdict === "unchecked") result = notApplicable();
      else if (s.verdict === "below-peak") result = nonCompliant(`peakInstances is ${s.peakInstances}: ${describeServing(s)}, ${-s.margin!} short`);
      else if (s.verdict !== "not-n-plus-one") result = compliant();
      else if (s.serving.length === 0) result = nonCompliant("no site takes traffic");
      else {
        const short = s.breakingLosses.map((l) => `without ${l.site} the other serving sites run ${l.remaining}`);
        result = nonCompliant(`peakInstances is ${s.peakInstances}: ${short.join("; ")}`);
      }
      return { target, result, service: s.service, source: ["services", index, "peakInstances"] };
    }),
};
