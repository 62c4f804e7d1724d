/** What `estate rollout` prints: the step taken, the hosts it moves, the capacity kept, the site stacks' diff. */
import type { RolloutPosition } from "../../model";
import { diffToJson, renderText } from "./diff/render";
import type { RolloutCapacity, RolloutChangeReport, RolloutStatus } from "./rollout";
import { formatTable } from "./table";

/** `step 4 of 36: drain os-a batch 2 (dev-os-a-web-003, dev-os-a-api-001)` */
export function describePosition(p: RolloutPosition | undefined): string {
  if (!p) return "no rollout";
  const head = `${p.direction === "rollback" ? "rollback " : ""}step ${p.step} of ${p.steps}${p.aborted ? " (aborted: every host serving)" : ""}`;
  if (!p.batch) return p.step === 0 ? `${head}: started, every host serving` : `${head}: done`;
  return `${head}: ${p.batch.phase} ${p.batch.site} batch ${p.batch.index + 1} (${p.batch.hosts.join(", ")})`;
}

const NEXT_STEP: Record<RolloutChangeReport["action"], string> = {
  start: "deploy every site stack (the plan reads the new image in each site), then estate rollout next",
  resume: "deploy the site stack, then estate rollout next",
  next: "deploy the site stack; run the gate before the next step (scripts/rollout-steps.sh does both)",
  finish: "the rollout is complete; deploy the site stacks (nothing changes but the image lookups)",
  abort: "deploy the site stack: every host serves again (a replaced batch should pass its warm-up gate first: scripts/rollout-steps.sh --action abort aborts that way)",
  rollback: "deploy the site stack; run the gate before the next step (scripts/rollout-steps.sh does both)",
  cancel: "the rollout is gone; deploy the site stacks",
};

function formatCapacity(capacity: readonly RolloutCapacity[]): string[] {
  const rows = capacity.map((c) => [
    c.service,
    String(c.outOfService),
    String(c.servingHosts),
    c.peakInstances === undefined ? "-" : String(c.peakInstances),
    c.margin === undefined ? "-" : String(c.margin),
    c.afterSiteLoss === undefined ? "-" : `${c.afterSiteLoss.remaining} without ${c.afterSiteLoss.site}${c.afterSiteLoss.nPlusOne ? "" : " (no N+1: warning)"}`,
  ]);
  return formatTable(
    [{ header: "SERVICE" }, { header: "OUT", align: "right" }, { header: "SERVING", align: "right" }, { header: "PEAK", align: "right" }, { header: "MARGIN", align: "right" }, { header: "ONE MORE SITE LOST" }],
    rows,
  ).map((l) => `  ${l}`);
}

export function formatRolloutChange(r: RolloutChangeReport): string {
  const lines = [
    `${r.file}: rollout of ${r.image}: ${r.action}`,
    `  before: ${describePosition(r.before)}`,
    `  after:  ${describePosition(r.after)}`,
    `  drained:  ${r.drained.join(", ") || "-"}`,
    `  replaced: ${r.replaced.join(", ") || "-"}`,
    `  restored: ${r.restored.join(", ") || "-"}`,
    "",
    "Capacity in the serving sites:",
    ...formatCapacity(r.capacity),
    "",
    `Next: ${NEXT_STEP[r.action]}`,
    "",
  ];
  return `${lines.join("\n")}\n${renderText(r.diff)}`;
}

export function formatRolloutStatus(s: RolloutStatus): string[] {
  const versions = [s.from, s.to];
  const rows = s.sites.map((x) => [x.site, x.service, ...versions.map((v) => String(x.versions[v] ?? 0)), x.outOfService.join(", ") || "-"]);
  return [
    `${s.file}: ${s.image} ${s.from} -> ${s.to}, ${describePosition(s.position)}`,
    ...formatTable([{ header: "SITE" }, { header: "SERVICE" }, ...versions.map((v) => ({ header: v, align: "right" as const })), { header: "OUT OF SERVICE" }], rows).map((l) => `  ${l}`),
    "",
    "Capacity in the serving sites:",
    ...formatCapacity(s.capacity),
  ];
}

/** Every key always present; `before`/`after` null without a rollout. `diff` is in the shape of `estate diff --json`. */
export function rolloutChangeJson(r: RolloutChangeReport): unknown {
  return {
    file: r.file,
    image: r.image,
    action: r.action,
    before: r.before ?? null,
    after: r.after ?? null,
    drained: r.drained,
    replaced: r.replaced,
    restored: r.restored,
    capacity: r.capacity.map((c) => ({ ...c, peakInstances: c.peakInstances ?? null, margin: c.margin ?? null, afterSiteLoss: c.afterSiteLoss ?? null })),
    diff: diffToJson(r.diff),
    diffText: renderText(r.diff),
  };
}
