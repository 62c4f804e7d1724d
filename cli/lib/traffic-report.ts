/** What `estate drain --json` and `estate restore --json` print about a traffic state change. */
import { diffToJson, renderText } from "./diff/render";
import type { TrafficChangeReport } from "./drain";

/**
 * Every key is always present. `before` and `after` are the site's traffic state in the file; when nothing
 * changed they are equal and `diff` and `diffText` are null, as they are for an environment without a traffic
 * stack. `diff` is the traffic stack's diff in the shape of `estate diff --json`; `diffText` is what the command
 * prints without --json. `redundancy` is every service's capacity with the resulting traffic states (serving and
 * drained sites with their hosts, peak, margin, the single losses that would break peak, and the verdict).
 */
export function trafficChangeJson(report: TrafficChangeReport): unknown {
  return {
    file: report.file,
    site: report.site,
    path: report.path,
    before: report.previous,
    after: report.state,
    changed: report.changed,
    diff: report.diff ? diffToJson(report.diff) : null,
    diffText: report.diff ? renderText(report.diff) : null,
    redundancy: report.redundancy,
  };
}
