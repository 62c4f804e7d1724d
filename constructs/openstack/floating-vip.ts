import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NetworkingFloatingipV2 } from "../../.gen/providers/openstack/networking-floatingip-v2";
import { isValidIpv4 } from "../../model";
import { terraformLiteral } from "../private/terraform-literal";
import { ValidationError } from "../core";

export interface OpenstackFloatingVipProps {
  /** External network the address comes from. */
  readonly pool: string;
  /** The fixed public address, decided in the environment file. */
  readonly address: string;
  /** Port the address forwards to (the load balancer's VIP port). */
  readonly portId: string;
  /** @default - none */
  readonly description?: string;
  /**
   * What the association needs first and does not refer to: the router interface of the VIP port's subnet
   * (Neutron refuses a floating IP for a port whose subnet is not on a router with the external gateway).
   * Never a data source. @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** A floating IP that holds a fixed public VIP address and points it at a load balancer. */
export class OpenstackFloatingVip extends Construct {
  readonly address: string;

  constructor(scope: Construct, id: string, props: OpenstackFloatingVipProps) {
    super(scope, id);
    if (!isValidIpv4(props.address)) throw new ValidationError(`address must be an IPv4 address, got "${props.address}"`, this);
    new NetworkingFloatingipV2(this, "FloatingIp", {
      pool: terraformLiteral(props.pool),
      address: props.address,
      portId: props.portId,
      ...(props.description ? { description: terraformLiteral(props.description) } : {}),
      ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
    });
    this.address = props.address;
  }
}
