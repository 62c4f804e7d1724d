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
  /**
   * Memberships of a host out of service when the apply starts that the same plan puts in service (a weight above
   * 0, an attachment created): the new instance would take traffic before its health check and warm-up gate, or a
   * destroyed one would be sent traffic. Empty when the host stays out of service.
   */
  readonly inServiceAfter: readonly ServingMembership[];
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
  const notPlan = (what: string) => new UsageError(`${file} is not a plan in JSON: ${what}; expected the output of \`terraform show -json <planfile>\``);
  if (!Array.isArray(changes)) throw notPlan("resource_changes is not a list");
  changes.forEach((rc: unknown, i) => {
    const change = asObject(asObject(rc)?.change);
    if (!change || !Array.isArray(change.actions)) throw notPlan(`resource_changes[${i}] has no change.actions`);
  });
  const memberships = changes.filter((rc) => rc.mode === "managed" && MEMBERSHIP_TYPES.includes(rc.type) && rc.index !== undefined && !rc.deposed);
  const instances = changes
    .filter((rc) => rc.mode === "managed" && COMPUTE_INSTANCE_TYPES.includes(rc.type) && rc.change.actions.includes("delete"))
    .map((rc): DestroyedInstance => {
      const own = rc.index === undefined ? [] : memberships.filter((m) => sameInstanceKey(m, rc));
      const inService = own.flatMap((m) => servingMembership(m) ?? []);
      const inServiceAfter = inService.length > 0 ? [] : own.flatMap((m) => restoredMembership(m) ?? []);
      const serving = inService.length + inServiceAfter.length > 0;
      return {
        host: rc.index ?? null,
        address: rc.deposed ? `${rc.address} (deposed object ${rc.deposed})` : rc.address,
        actions: rc.change.actions,
        inService,
        inServiceAfter,
        allowed: serving && rc.index !== undefined && allowed(String(rc.index)),
      };
    })
    .sort((a, b) => compareStrings(a.address, b.address));
  return { plan: file, ok: instances.every((i) => i.inService.length + i.inServiceAfter.length === 0 || i.allowed), instances };
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

/**
 * The membership when the plan leaves it taking traffic (an attachment that exists after the plan; a member whose
 * planned weight is above 0, or unknown until apply, and whose admin state is not down); undefined otherwise.
 */
function restoredMembership(rc: PlanResourceChange): ServingMembership | undefined {
  const after = asObject(rc.change.after);
  if (!after) return undefined;
  const before = asObject(rc.change.before);
  if (rc.type === "aws_lb_target_group_attachment") return { address: rc.address, type: rc.type, actions: rc.change.actions };
  const unknown = asObject(rc.change.after_unknown);
  if (after.admin_state_up === false && unknown?.admin_state_up !== true) return undefined;
  const planned = unknown?.weight === true ? null : typeof after.weight === "number" ? after.weight : OCTAVIA_DEFAULT_MEMBER_WEIGHT;
  if (planned !== null && planned <= 0) return undefined;
  return {
    address: rc.address,
    type: rc.type,
    ...(before && typeof before.weight === "number" ? { weight: before.weight } : {}),
    actions: rc.change.actions,
    plannedWeight: planned,
  };
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
  const restored = report.instances.filter((i) => i.inServiceAfter.length > 0 && !i.allowed);
  return [
    ...(refused.length > 0 ? [`${report.plan} would destroy ${hosts(refused.length)} in service:`] : []),
    ...refused.map((i) => `  ${i.host}: ${i.address} is ${verb(i.actions)} while ${i.inService.map(describeMembership).join(", and ")}`),
    ...(restored.length > 0 ? [`${report.plan} would put ${hosts(restored.length)} in service in the apply that destroys ${restored.length === 1 ? "its instance" : "their instances"}:`] : []),
    ...restored.map(
      (i) =>
        `  ${i.host}: ${i.address} is ${verb(i.actions)} while ${i.inServiceAfter.map(describeRestore).join(", and ")} ` +
        "(restore it in an apply after the new instance passed its health check and warm-up gate)",
    ),
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

function describeRestore(m: ServingMembership): string {
  if (m.type === "aws_lb_target_group_attachment") return `${m.address} ${m.actions.includes("create") ? "registers it again" : "keeps it registered"}`;
  const to = m.plannedWeight === null || m.plannedWeight === undefined ? "a weight known only after apply" : `weight ${m.plannedWeight}`;
  return `${m.address} goes ${m.weight !== undefined ? `from weight ${m.weight} ` : ""}to ${to}`;
}

function describeMembership(m: ServingMembership): string {
  const removedHere = m.actions.includes("delete") && !m.actions.includes("create");
  if (m.weight === undefined) return `${m.address} registers it${removedHere ? " (this plan removes it: that drain must be applied, and its connections finish, first)" : ""}`;
  const drainedHere = m.plannedWeight === 0 || removedHere;
  return `${m.address} has weight ${m.weight}${drainedHere ? " (this plan drains it: that drain must be applied, and its connections finish, first)" : ""}`;
}
