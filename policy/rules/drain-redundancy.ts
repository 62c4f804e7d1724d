import { describeServing, formatBreakingLosses, redundancyReport } from "../capacity";
import { compliant, nonCompliant, notApplicable, type ModelRule } from "../rule";

/**
 * EST-AVL-003: while a site that runs a service is drained, the serving sites carry peak (EST-AVL-002 refuses
 * less) but may no longer survive losing one more site. Reported, not refused: draining a site is how it gets
 * worked on; the warning says how much margin is left and which further loss would break peak capacity.
 */
export const drainRedundancy: ModelRule = {
  id: "EST-AVL-003",
  level: "warning",
  kind: "model",
  message: "reduced redundancy while a site is drained: one more site lost would break peak capacity",
  explanation:
    "With a site drained, the serving sites run peakInstances but one more site failure would leave fewer. Keep the drain short, drain one site at a time, and restore it before touching another.",
  fix: "Restore the drained site when its work is done (estate restore <site>), or raise instancesPerSite so that the estate keeps N+1 even with one site drained.",
  check: (model) =>
    redundancyReport(model).services.map((s, index) => {
      const target = `services.${s.service}.peakInstances`;
      const source = ["services", index, "peakInstances"];
      if (s.drained.length === 0 || s.verdict === "unchecked" || s.verdict === "below-peak") return { target, result: notApplicable(), service: s.service };
      if (s.verdict !== "reduced") return { target, result: compliant(), service: s.service };
      const detail = `peakInstances is ${s.peakInstances}: ${describeServing(s)}, margin ${s.margin}; losing ${formatBreakingLosses(s.breakingLosses)} would break peak capacity`;
      return { target, result: nonCompliant(detail), service: s.service, source };
    }),
};
