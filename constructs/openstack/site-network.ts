import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DataOpenstackNetworkingNetworkV2 } from "../../.gen/providers/openstack/data-openstack-networking-network-v2";
import { NetworkingNetworkV2 } from "../../.gen/providers/openstack/networking-network-v2";
import { NetworkingRouterInterfaceV2 } from "../../.gen/providers/openstack/networking-router-interface-v2";
import { NetworkingRouterRouteV2 } from "../../.gen/providers/openstack/networking-router-route-v2";
import { NetworkingRouterV2 } from "../../.gen/providers/openstack/networking-router-v2";
import { NetworkingSubnetV2 } from "../../.gen/providers/openstack/networking-subnet-v2";
import { cidrContains, ipToInt, isValidCidr, isValidIpv4, parseCidr } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

/**
 * A central static route on the site router (Neutron `routes` extension; terraform-provider-openstack
 * `openstack_networking_router_route_v2`).
 */
export interface StaticRoute {
  /** Destination network, an IPv4 CIDR such as `10.0.0.0/16`. */
  readonly destination: string;
  /** IPv4 address of the next hop; must be on the site subnet, the only network the router reaches directly. */
  readonly nextHop: string;
}

/** What the other OpenStack constructs need from a site network. */
export interface IOpenstackSiteNetwork {
  /** Neutron network id of the site network. */
  readonly networkId: string;
  /** Neutron subnet id of the site subnet: fixed host addresses, load balancer VIPs and members live on it. */
  readonly subnetId: string;
  /** Name of the external (provider) network the router uplinks to: the pool floating IPs come from. */
  readonly externalNetworkName: string;
  /**
   * The subnet's attachment to the router. Neutron only associates a floating IP with a port whose subnet is on a
   * router with an external gateway (else ExternalGatewayForFloatingIPNotFound), and instances reach the metadata
   * service and package mirrors through it; nothing those resources refer to says so, hence `depends_on` on it.
   * @default - none known: nothing waits for it
   */
  readonly routerInterface?: ITerraformDependable;
}

/** Props of {@link OpenstackSiteNetwork}; every value comes from the model (`sites.openstack[]` in the environment file). */
export interface OpenstackSiteNetworkProps {
  /** Name of the network, subnet and router in Neutron. */
  readonly name: string;
  /** IPv4 CIDR of the site subnet (Neutron `cidr`), e.g. `10.10.0.0/20`. Required; no default. */
  readonly subnetCidr: string;
  /** Router address on the subnet (Neutron `gateway_ip`), inside `subnetCidr`. The model takes the first address. */
  readonly gatewayIp: string;
  /** DHCP range; fixed addresses live outside it. */
  readonly allocationPool: {
    /** First address DHCP may hand out, inside `subnetCidr`. */
    readonly start: string;
    /** Last address DHCP may hand out, inside `subnetCidr`. */
    readonly end: string;
  };
  /** Name of the external (provider) network the router uplinks to. */
  readonly externalNetworkName: string;
  /** @default - Neutron's subnet default (none) */
  readonly dnsServers?: readonly string[];
  /** Central static routes on the site router, destination → next hop on the site subnet. @default [] */
  readonly routes?: readonly StaticRoute[];
}

/** Site network: network, subnet, router with external gateway, interface and central routes. */
export class OpenstackSiteNetwork extends Construct implements IOpenstackSiteNetwork {
  /** ID of the site network (`openstack_networking_network_v2.id`), a Terraform reference. */
  readonly networkId: string;
  /** ID of the site subnet (`openstack_networking_subnet_v2.id`): where ports, VIPs and members live. */
  readonly subnetId: string;
  /** ID of the site router (`openstack_networking_router_v2.id`). */
  readonly routerId: string;
  /** ID of the external network the router uplinks to, looked up by name with a data source. */
  readonly externalNetworkId: string;
  /** Name of the external (provider) network the router uplinks to, as given: the pool floating IPs come from. */
  readonly externalNetworkName: string;
  /**
   * The subnet's attachment to the router (`openstack_networking_router_interface_v2`): what a floating IP
   * association and the instances wait for with `depends_on`.
   */
  readonly routerInterface: ITerraformDependable;

  constructor(scope: Construct, id: string, props: OpenstackSiteNetworkProps) {
    super(scope, id);
    if (!isValidCidr(props.subnetCidr)) throw new ValidationError(`subnetCidr must be an IPv4 CIDR, got "${props.subnetCidr}"`, this);
    const subnet = parseCidr(props.subnetCidr);
    for (const [what, ip] of [["gatewayIp", props.gatewayIp], ["allocationPool.start", props.allocationPool.start], ["allocationPool.end", props.allocationPool.end]] as const) {
      if (!isValidIpv4(ip) || !cidrContains(subnet, ipToInt(ip))) throw new ValidationError(`${what} must be an address inside ${props.subnetCidr}, got "${ip}"`, this);
    }
    const destinations = new Set<string>();
    for (const r of props.routes ?? []) {
      if (destinations.has(r.destination)) throw new ValidationError(`two routes to ${r.destination}; a router holds one next hop per destination`, this);
      destinations.add(r.destination);
      if (!isValidIpv4(r.nextHop) || !cidrContains(subnet, ipToInt(r.nextHop))) {
        throw new ValidationError(`route to ${r.destination} has next hop "${r.nextHop}" outside ${props.subnetCidr}; the router only reaches next hops on its subnet`, this);
      }
    }

    const external = new DataOpenstackNetworkingNetworkV2(this, "External", { name: terraformLiteral(props.externalNetworkName), external: true });
    const network = new NetworkingNetworkV2(this, "Network", { name: terraformLiteral(props.name), adminStateUp: true });
    const subnetResource = new NetworkingSubnetV2(this, "Subnet", {
      name: terraformLiteral(props.name),
      networkId: network.id,
      cidr: props.subnetCidr,
      ipVersion: 4,
      gatewayIp: props.gatewayIp,
      enableDhcp: true,
      // Ordered list, kept as written: resolver priority (the first server is asked first).
      dnsNameservers: [...(props.dnsServers ?? [])],
      allocationPool: [{ start: props.allocationPool.start, end: props.allocationPool.end }],
    });
    const router = new NetworkingRouterV2(this, "Router", { name: terraformLiteral(props.name), adminStateUp: true, externalNetworkId: external.id });
    const iface = new NetworkingRouterInterfaceV2(this, "RouterInterface", { routerId: router.id, subnetId: subnetResource.id });
    // One route per destination, named after it so that adding or reordering routes never replaces another.
    for (const r of props.routes ?? []) {
      new NetworkingRouterRouteV2(this, `RouteTo${r.destination.replace(/[./]/g, "_")}`, {
        routerId: router.id,
        destinationCidr: r.destination,
        nextHop: r.nextHop,
        dependsOn: [iface],
      });
    }

    this.networkId = network.id;
    this.subnetId = subnetResource.id;
    this.routerId = router.id;
    this.externalNetworkId = external.id;
    this.externalNetworkName = props.externalNetworkName;
    this.routerInterface = iface;
  }
}
