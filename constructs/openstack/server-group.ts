import { Construct } from "constructs";
import { ComputeServergroupV2 } from "../../.gen/providers/openstack/compute-servergroup-v2";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

export type ServerGroupPolicy = "anti-affinity" | "soft-anti-affinity";

export interface OpenstackServerGroupProps {
  readonly name: string;
  /** Nova server-group policy. @default "soft-anti-affinity" */
  readonly policy?: ServerGroupPolicy;
}

export const DEFAULT_SERVER_GROUP_POLICY: ServerGroupPolicy = "soft-anti-affinity";

/** Nova server group that spreads a fleet over hypervisors. */
export class OpenstackServerGroup extends Construct {
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
