/**
 * `estate plan-check`: refuses a Terraform plan that destroys a compute instance while its host is in service.
 *
 * Golden-image rollouts take a host out of its pools in one apply and replace it in a later one (README,
 * "Golden-image rollouts"). That holds only when the environment file applied is one step after what the cloud
 * runs; an older commit, two steps in one pull request or a hand edit plans the replacement of a serving host. The
 * plan itself is the ground truth, so this reads it (`terraform show -json <planfile>`, through the plan reader of
 * the review diff) right before `terraform apply`.
 *
 * What the stacks synthesize (test/snapshots/stacks/*\/cdk.tf.json): per service, the instances
 * `openstack_compute_instance_v2.<svc>_fleet_instance` / `aws_instance.<svc>_fleet_instances` and the memberships
 * `openstack_lb_member_v2.<svc>_load_balancer_port<port>_member` / `aws_lb_target_group_attachment.<svc>_fleet_
 * target_group_attachments_<port>`, all with `for_each` over the same host map, so an instance and its memberships
 * share the instance key: the host name. A host is in service when, before the plan, any of its memberships exists
 * and takes traffic. Terraform lists every resource instance of the configuration in `resource_changes`, no-op
 * ones included, with the prior state in `change.before` (internals/json-format, "Change Representation").
 */
import picomatch from "picomatch";
import { compareStrings } from "../../util";
import type { PlanJson, PlanResourceChange } from "./diff/plan";
import { UsageError } from "./errors";

/** Resource types of a compute instance: destroying one takes its host down. */
export const COMPUTE_INSTANCE_TYPES: readonly string[] = ["openstack_compute_instance_v2", "aws_instance"];
/** Resource types that put a host in a load balancer's pool, keyed like the host's instance. */
export const MEMBERSHIP_TYPES: readonly string[] = ["openstack_lb_member_v2", "aws_lb_target_group_attachment"];

/**
 * Weight Octavia gives a member created without one (Octavia API, "Create Member": weight 0 to 256, default 1); a
 * prior state with no weight recorded counts as this.
 */
export const OCTAVIA_DEFAULT_MEMBER_WEIGHT = 1;

/** A membership that shows a host in service before the plan. */
export interface ServingMembership {
  readonly address: string;
  readonly type: string;
  /** Octavia member weight before the plan; absent for an AWS target group attachment. */
  readonly weight?: number;
  /** What the plan does to the membership: Terraform's action list (`["no-op"]`, `["update"]`, `["delete"]`...). */
  readonly actions: readonly string[];
  /** Octavia member weight after the plan; null when removed by it or known only after apply; absent for AWS. */
  readonly plannedWeight?: number | null;
}

/** A compute instance the plan destroys (replaced or deleted). */
export interface DestroyedInstance {
  /** The instance key (`for_each` key, the host name; or the `count` index); null for a single instance. */
  readonly host: string | number | null;
  readonly address: string;
  /** Terraform's action list: `["delete","create"]`, `["create","delete"]` or `["delete"]`. */
  readonly actions: readonly string[];
  /** Memberships showing the host in service when the apply starts; empty when it is out of service. */
  readonly inService: readonly ServingMembership[];
  /** In service, and matched by an --allow-in-service-replacement glob. */
  readonly allowed: boolean;
}

export interface PlanCheckReport {
  readonly plan: string;
  /** False when an instance in service, not allowed, is destroyed. */
  readonly ok: boolean;
  /** Every destroyed compute instance, in address order. */
  readonly instances: readonly DestroyedInstance[];
}

/**
 * Every compute instance the plan destroys, with the memberships that show its host in service; `allow` holds
 * picomatch globs on host names whose in-service replacement is accepted. Throws a UsageError for an empty glob.
 */
export function checkPlan(file: string, plan: PlanJson, allow: readonly string[] = []): PlanCheckReport {
  if (allow.some((g) => g.trim() === "")) throw new UsageError("--allow-in-service-replacement takes a glob on host names, got an empty one");
  const allowed = allow.length > 0 ? picomatch([...allow]) : () => false;
  const changes = plan.resource_changes ?? [];
  const memberships = changes.filter((rc) => rc.mode === "managed" && MEMBERSHIP_TYPES.includes(rc.type) && rc.index !== undefined && !rc.deposed);
  const instances = changes
    .filter((rc) => rc.mode === "managed" && COMPUTE_INSTANCE_TYPES.includes(rc.type) && rc.change.actions.includes("delete"))
    .map((rc): DestroyedInstance => {
      const inService = rc.index === undefined ? [] : memberships.filter((m) => sameInstanceKey(m, rc)).flatMap((m) => servingMembership(m) ?? []);
      return {
        host: rc.index ?? null,
        address: rc.deposed ? `${rc.address} (deposed object ${rc.deposed})` : rc.address,
        actions: rc.change.actions,
        inService,
        allowed: inService.length > 0 && rc.index !== undefined && allowed(String(rc.index)),
      };
    })
    .sort((a, b) => compareStrings(a.address, b.address));
  return { plan: file, ok: instances.every((i) => i.inService.length === 0 || i.allowed), instances };
}

function sameInstanceKey(a: PlanResourceChange, b: PlanResourceChange): boolean {
  return a.index === b.index && (a.module_address ?? "") === (b.module_address ?? "");
}

/** The membership when its prior state takes traffic; undefined when it did not exist or took none. */
function servingMembership(rc: PlanResourceChange): ServingMembership | undefined {
  const before = asObject(rc.change.before);
  if (!before) return undefined;
  if (rc.type === "aws_lb_target_group_attachment") return { address: rc.address, type: rc.type, actions: rc.change.actions };
  // Set down by a day-2 drain (Ansible's octavia_member; the stacks ignore admin_state_up): Octavia renders an
  // admin-down member `disabled` in HAProxy, so it takes no traffic whatever its weight (README, "Who owns a
  // member's weight").
  if (before.admin_state_up === false) return undefined;
  const weight = typeof before.weight === "number" ? before.weight : OCTAVIA_DEFAULT_MEMBER_WEIGHT;
  if (weight <= 0) return undefined;
  const after = asObject(rc.change.after);
  const afterUnknown = asObject(rc.change.after_unknown);
  const plannedWeight = after && afterUnknown?.weight !== true && typeof after.weight === "number" ? after.weight : null;
  return { address: rc.address, type: rc.type, weight, actions: rc.change.actions, plannedWeight };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The one-line summary of a plan that passes. */
export function formatPlanCheckOk(report: PlanCheckReport): string {
  const n = report.instances.length;
  if (n === 0) return `plan-check: ${report.plan}: OK, no compute instance is replaced or destroyed`;
  const allowed = report.instances.filter((i) => i.allowed);
  const counted = `${n} ${n === 1 ? "instance" : "instances"} replaced or destroyed`;
  if (allowed.length === 0) return `plan-check: ${report.plan}: OK, ${counted}, all out of service`;
  return `plan-check: ${report.plan}: OK, ${counted}: ${n - allowed.length} out of service, ${allowed.length} in service let through by --allow-in-service-replacement (${allowed.map((i) => i.host).join(", ")})`;
}

/** Why a plan is refused, host by host, and what to do instead (the lines of the error message). */
export function formatPlanCheckRefusal(report: PlanCheckReport): string[] {
  const refused = report.instances.filter((i) => i.inService.length > 0 && !i.allowed);
  return [
    `${report.plan} would destroy ${hosts(refused.length)} in service:`,
    ...refused.map((i) => `  ${i.host}: ${i.address} is ${verb(i.actions)} while ${i.inService.map(describeMembership).join(", and ")}`),
    "Take these hosts out of service in an apply before this one: `estate rollout` drains a batch (Octavia member weight 0, AWS target " +
      "group attachment removed) in one apply and replaces it in the next. `estate drain <site>` takes a whole site out of DNS but leaves " +
      "its pool members as they are, so they still count as in service here. If losing these hosts' traffic is accepted (a site drained " +
      "in DNS, say), run again with --allow-in-service-replacement '<glob on host names>' (in CI: run the deploy workflow by hand with " +
      "allow_in_service_replacement set to the globs).",
  ];
}

function hosts(n: number): string {
  return `${n} ${n === 1 ? "host" : "hosts"}`;
}

function verb(actions: readonly string[]): string {
  if (actions[0] === "delete" && actions.includes("create")) return "replaced (destroyed, then created)";
  if (actions.includes("create")) return "replaced (created, then the old one destroyed)";
  return "destroyed";
}

function describeMembership(m: ServingMembership): string {
  const removedHere = m.actions.includes("delete") && !m.actions.includes("create");
  if (m.weight === undefined) return `${m.address} registers it${removedHere ? " (this plan removes it: that drain must be applied, and its connections finish, first)" : ""}`;
  const drainedHere = m.plannedWeight === 0 || removedHere;
  return `${m.address} has weight ${m.weight}${drainedHere ? " (this plan drains it: that drain must be applied, and its connections finish, first)" : ""}`;
}
