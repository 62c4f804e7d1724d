import { Construct } from "constructs";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

/**
 * Nova server group policies the stacks use (Nova API, server group `policies`; microversion 2.15 added
 * `soft-anti-affinity`).
 */
export type ServerGroupPolicy = "anti-affinity" | "soft-anti-affinity";

/** Props of {@link OpenstackServerGroup}. */
export interface OpenstackServerGroupProps {
  /** Name of the Nova server group (`<env>-<site>-<service>`, numbered from the second group on). */
  readonly name: string;
  /** Nova server-group policy. @default "soft-anti-affinity" */
  readonly policy?: ServerGroupPolicy;
}

/** The policy when none is given: `soft-anti-affinity`, which spreads hosts but still boots when it cannot. */
export const DEFAULT_SERVER_GROUP_POLICY: ServerGroupPolicy = "soft-anti-affinity";

/** Nova server group that spreads a fleet over hypervisors. */
export class OpenstackServerGroup extends Construct {
  /** ID of the `openstack_compute_servergroup_v2`, for the `scheduler_hints` of the fleet's instances. */
  readonly serverGroupId: string;

  constructor(scope: Construct, id: string, props: OpenstackServerGroupProps) {
    super(scope, id);
    const policy = props.policy ?? DEFAULT_SERVER_GROUP_POLICY;
    if (policy !== "anti-affinity" && policy !== "soft-anti-affinity") {
      throw new ValidationError(`policy must be "anti-affinity" or "soft-anti-affinity", got "${String(policy)}"`, this);
    }
    const group = new ComputeServergroupV2(this, "Group", { name: terraformLiteral(props.name), policies: [policy] });
    this.serverGroupId = group.id;
  }
}
