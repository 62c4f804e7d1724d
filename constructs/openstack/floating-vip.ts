import { Construct } from "constructs";
import { NetworkingFloatingipV2 } from "../../.gen/providers/openstack/networking-floatingip-v2";
import { isValidIpv4 } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";
import type { IOpenstackSiteNetwork } from "./site-network";

/** Props of {@link OpenstackFloatingVip}. */
export interface OpenstackFloatingVipProps {
  /**
   * The site network: the address comes from its external network, and the association waits for its router
   * interface when it names one (Neutron refuses a floating IP for a port whose subnet is not on a router with the
   * external gateway).
   */
  readonly network: Pick<IOpenstackSiteNetwork, "externalNetworkName" | "routerInterface">;
  /** The fixed public address, decided in the environment file. */
  readonly address: string;
  /** The load balancer whose VIP port the address forwards to. */
  readonly loadBalancer: {
    /** Neutron port of the load balancer's VIP (see {@link OpenstackServiceLoadBalancer.vipPortId}). */
    readonly vipPortId: string;
  };
  /** @default - none */
  readonly description?: string;
}

/** A floating IP that holds a fixed public VIP address and points it at a load balancer. */
export class OpenstackFloatingVip extends Construct {
  /** The public address, as given: fixed in the model so that DNS can point at it before it exists. */
  readonly address: string;

  constructor(scope: Construct, id: string, props: OpenstackFloatingVipProps) {
    super(scope, id);
    if (!isValidIpv4(props.address)) throw new ValidationError(`address must be an IPv4 address, got "${props.address}"`, this);
    new NetworkingFloatingipV2(this, "FloatingIp", {
      pool: terraformLiteral(props.network.externalNetworkName),
      address: props.address,
      portId: props.loadBalancer.vipPortId,
      ...(props.description ? { description: terraformLiteral(props.description) } : {}),
      ...(props.network.routerInterface ? { dependsOn: [props.network.routerInterface] } : {}),
    });
    this.address = props.address;
  }
}
