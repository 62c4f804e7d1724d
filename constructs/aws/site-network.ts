import { Fn, TerraformLocal, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { cidrContains, cidrsOverlap, isValidCidr, parseCidr, WORLD_IPV4_CIDR } from "../../model";
import { ValidationError } from "../core";

/** Default for {@link AwsSiteNetworkProps.natGatewayPerZone}. */
export const DEFAULT_NAT_GATEWAY_PER_ZONE = true;

/** Load balancers need subnets in at least this many availability zones. */
export const MIN_AWS_ZONES = 2;

/** One availability zone of the site; AwsZoneModel satisfies it. */
export interface AwsSiteNetworkZone {
  /** Availability zone name, e.g. `eu-west-1a`. */
  readonly name: string;
  /** Subnet of the instances. */
  readonly privateSubnetCidr: string;
  /** Subnet of the load balancers and the NAT gateway. */
  readonly publicSubnetCidr: string;
}

/** What the other AWS constructs need from a site network. */
export interface IAwsSiteNetwork {
  /** ID of the `aws_vpc`, a Terraform reference. */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC (`sites.aws.vpcCidr`), e.g. `10.40.0.0/16`. */
  readonly vpcCidr: string;
  /** The availability zones with their public and private subnet CIDRs, as the model planned them. */
  readonly zones: readonly AwsSiteNetworkZone[];
  /** Public subnet ids, one per zone in zone order: where internet-facing load balancers live. */
  readonly publicSubnetIds: readonly string[];
  /** Private subnet id per zone name, in zone order: where hosts and internal load balancers live. */
  readonly privateSubnetIds: Readonly<Record<string, string>>;
  /**
   * Id of the private subnet of the zone named by `zoneExpression` (a literal zone name or a Terraform
   * expression such as `each.value.zone`), read from one map local so a for_each fleet can place each host.
   */
  privateSubnetIdFor(zoneExpression: string): string;
  /**
   * The VPC's internet gateway: an internet-facing load balancer cannot be created in a VPC without one, and
   * refers to nothing that says so. @default - none known: the load balancer cannot wait for it
   */
  readonly internetGateway?: ITerraformDependable;
  /**
   * Default routes and route-table associations of the private subnets: instances reach the internet (package
   * mirrors, time, AWS APIs) only once these exist, and refer to none of them. @default - none known
   */
  readonly privateEgress?: readonly ITerraformDependable[];
}

/** Props of {@link AwsSiteNetwork}; every value comes from the model (`sites.aws`). */
export interface AwsSiteNetworkProps {
  /** Prefix of every Name tag, normally the site's stack name (`dev-aws`). */
  readonly name: string;
  /** VPC address range. */
  readonly vpcCidr: string;
  /** Availability zones with their subnets; at least {@link MIN_AWS_ZONES}. */
  readonly zones: readonly AwsSiteNetworkZone[];
  /**
   * One NAT gateway (and Elastic IP) per zone, each private subnet routing through the NAT of its own zone, so
   * losing one zone never cuts the egress of the others. `false` shares a single NAT gateway in the first zone:
   * cheaper, but that zone becomes a single point of failure for all egress.
   * @default true
   */
  readonly natGatewayPerZone?: boolean;
}

/**
 * The VPC of an AWS site: per zone a private subnet (instances, no public addresses) and a public subnet (load
 * balancers, NAT gateway); an internet gateway; private egress through NAT gateways — by default one per zone,
 * the production-grade layout in which a zone outage takes only its own egress down.
 */
export class AwsSiteNetwork extends Construct implements IAwsSiteNetwork {
  /** ID of the `aws_vpc`, a Terraform reference. */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC (`sites.aws.vpcCidr`), e.g. `10.40.0.0/16`. */
  readonly vpcCidr: string;
  /** The availability zones with their public and private subnet CIDRs, as the model planned them. */
  readonly zones: readonly AwsSiteNetworkZone[];
  readonly publicSubnetIds: readonly string[];
  /** Private subnet id per zone name. */
  readonly privateSubnetIds: Readonly<Record<string, string>>;
  /** ID of the VPC's `aws_internet_gateway`. */
  readonly internetGatewayId: string;
  /** NAT gateway ids in zone order (one entry when `natGatewayPerZone` is false). */
  readonly natGatewayIds: readonly string[];
  readonly internetGateway: ITerraformDependable;
  readonly privateEgress: readonly ITerraformDependable[];
  private readonly privateSubnetByZone: TerraformLocal;

  constructor(scope: Construct, id: string, props: AwsSiteNetworkProps) {
    super(scope, id);
    this.validate(props);
    const natPerZone = props.natGatewayPerZone ?? DEFAULT_NAT_GATEWAY_PER_ZONE;

    const vpc = new Vpc(this, "Vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    const igw = new InternetGateway(this, "InternetGateway", { vpcId: vpc.id, tags: { Name: props.name } });

    const publicRoutes = new RouteTable(this, "PublicRouteTable", { vpcId: vpc.id, tags: { Name: `${props.name}-public` } });
    // Default routes send everything outside the VPC to the internet gateway (public subnets) or the zone's NAT.
    new Route(this, "PublicDefaultRoute", { routeTableId: publicRoutes.id, destinationCidrBlock: WORLD_IPV4_CIDR, gatewayId: igw.id });

    const publicSubnetIds: string[] = [];
    const privateSubnetIds: Record<string, string> = {};
    const natGatewayIds: string[] = [];
    const privateEgress: ITerraformDependable[] = [];
    for (const zone of props.zones) {
      // One namespace per zone: its resources keep their addresses when zones are added or removed.
      const ns = new Construct(this, zone.name);
      const publicSubnet = new Subnet(ns, "PublicSubnet", {
        vpcId: vpc.id,
        availabilityZone: zone.name,
        cidrBlock: zone.publicSubnetCidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${zone.name}` },
      });
      new RouteTableAssociation(ns, "PublicRouteTableAssociation", { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      publicSubnetIds.push(publicSubnet.id);

      const privateSubnet = new Subnet(ns, "PrivateSubnet", {
        vpcId: vpc.id,
        availabilityZone: zone.name,
        cidrBlock: zone.privateSubnetCidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${zone.name}` },
      });
      privateSubnetIds[zone.name] = privateSubnet.id;

      if (natPerZone || natGatewayIds.length === 0) {
        const eip = new Eip(ns, "NatEip", { domain: "vpc", tags: { Name: `${props.name}-nat-${zone.name}` } });
        const nat = new NatGateway(ns, "NatGateway", {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          connectivityType: "public",
          tags: { Name: `${props.name}-nat-${zone.name}` },
          dependsOn: [igw],
        });
        natGatewayIds.push(nat.id);
      }
      const privateRoutes = new RouteTable(ns, "PrivateRouteTable", { vpcId: vpc.id, tags: { Name: `${props.name}-private-${zone.name}` } });
      const egressRoute = new Route(ns, "PrivateDefaultRoute", {
        routeTableId: privateRoutes.id,
        destinationCidrBlock: WORLD_IPV4_CIDR,
        natGatewayId: natGatewayIds[natGatewayIds.length - 1],
      });
      const association = new RouteTableAssociation(ns, "PrivateRouteTableAssociation", { subnetId: privateSubnet.id, routeTableId: privateRoutes.id });
      privateEgress.push(egressRoute, association);
    }

    this.privateSubnetByZone = new TerraformLocal(this, "PrivateSubnetByZone", privateSubnetIds);
    this.vpcId = vpc.id;
    this.vpcCidr = props.vpcCidr;
    this.zones = props.zones.map((z) => ({ name: z.name, privateSubnetCidr: z.privateSubnetCidr, publicSubnetCidr: z.publicSubnetCidr }));
    this.publicSubnetIds = publicSubnetIds;
    this.privateSubnetIds = privateSubnetIds;
    this.internetGatewayId = igw.id;
    this.internetGateway = igw;
    this.privateEgress = privateEgress;
    this.natGatewayIds = natGatewayIds;
  }

  privateSubnetIdFor(zoneExpression: string): string {
    return Fn.lookup(this.privateSubnetByZone.asAnyMap, zoneExpression);
  }

  private validate(props: AwsSiteNetworkProps): void {
    if (!isValidCidr(props.vpcCidr)) throw new ValidationError(`vpcCidr must be an IPv4 network such as 10.40.0.0/16, got "${props.vpcCidr}"`, this);
    const vpcPrefix = parseCidr(props.vpcCidr).prefix;
    if (vpcPrefix < 16 || vpcPrefix > 28) {
      throw new ValidationError(`vpcCidr ${props.vpcCidr} has a /${vpcPrefix} prefix; AWS accepts VPCs from /16 to /28`, this);
    }
    if (props.zones.length < MIN_AWS_ZONES) {
      throw new ValidationError(
        `zones lists ${props.zones.length} availability zone(s); load balancers need subnets in at least ${MIN_AWS_ZONES}, so list at least ${MIN_AWS_ZONES} zones`,
        this,
      );
    }
    const vpc = parseCidr(props.vpcCidr);
    const seenZones = new Set<string>();
    const subnets: { cidr: string; what: string }[] = [];
    for (const zone of props.zones) {
      if (seenZones.has(zone.name)) throw new ValidationError(`zone "${zone.name}" is listed twice; each availability zone gets one pair of subnets`, this);
      seenZones.add(zone.name);
      for (const [kind, cidr] of [["private", zone.privateSubnetCidr], ["public", zone.publicSubnetCidr]] as const) {
        const what = `${kind} subnet ${cidr} of zone "${zone.name}"`;
        if (!isValidCidr(cidr)) throw new ValidationError(`${kind}SubnetCidr of zone "${zone.name}" must be an IPv4 network such as 10.40.0.0/20, got "${cidr}"`, this);
        const net = parseCidr(cidr);
        if (!cidrContains(vpc, net.base) || !cidrContains(vpc, net.base + net.size - 1)) {
          throw new ValidationError(`${what} is not inside the VPC ${props.vpcCidr}; carve every subnet from the VPC range`, this);
        }
        const clash = subnets.find((s) => cidrsOverlap(parseCidr(s.cidr), net));
        if (clash) throw new ValidationError(`${what} overlaps ${clash.what}; subnets of a VPC must not overlap`, this);
        subnets.push({ cidr, what });
      }
    }
  }
}
