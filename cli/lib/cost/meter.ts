/**
 * What each resource of a synthesized stack costs per month: the synthesized Terraform JSON is the single source of
 * truth, because it is exactly what Terraform creates and what the cloud bills — NAT gateways per zone, Elastic IPs,
 * builders, floating IPs, boot volumes — and because it is all a diff has of its base (a saved output directory or
 * a git revision). `for_each` fleets are expanded per host with the shared Terraform JSON reader.
 *
 * Every managed resource type falls in exactly one class: priced by a rule below, free (no charge of its own),
 * or excluded (charges this report leaves out, said so in every report). Any other type is unpriced, by name:
 * never counted as zero. Prices are recurring hourly or monthly charges; usage charges are excluded (see
 * {@link EXCLUDED_USAGE}).
 */
import { blocksOf, instancesOf, type TerraformJson, type TfConfig } from "../../../terraform-json";
import { HOURS_PER_MONTH, type AwsRegionPrices, type CostTables } from "./tables";

/** Private (the OpenStack sites) or public (AWS). */
export type CloudKind = "private" | "public";

/** One charge of one resource instance. */
export interface CostItem {
  readonly stack: string;
  readonly cloud: CloudKind;
  /** The service the resource belongs to; absent for what a whole site shares (NAT, builders). */
  readonly service?: string;
  /** Terraform instance address, e.g. `aws_instance.web_fleet_instances["dev-aws-web-001"]`. */
  readonly address: string;
  /** What is charged: `instance m6i.large`, `volume gp3 30 GiB`, `load balancer application`. */
  readonly what: string;
  /** A fleet host (not a builder): counted as a serving host of its service. */
  readonly servingHost: boolean;
  /** Monthly amount in `currency`; absent when unpriced. */
  readonly monthly?: number;
  readonly currency?: string;
  /** Why there is no price: the table entry to add. */
  readonly unpriced?: string;
}

/** A resource whose charges the report leaves out on purpose. */
export interface ExcludedItem {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly reason: string;
}

export interface StackCostItems {
  readonly stack: string;
  readonly items: readonly CostItem[];
  readonly excluded: readonly ExcludedItem[];
}

/** Charges left out of every figure, as every report says. */
export const EXCLUDED_USAGE: readonly string[] = [
  "usage charges: load-balancer capacity units (LCU/NLCU), NAT gateway data processing per GB, data transfer",
  "public IPv4 addresses AWS assigns to internet-facing load balancers (one or more per zone, as the load balancer scales)",
  "Route 53: hosted zones, queries and health checks",
  "snapshots, golden images in Glance and AMIs, backups, support plans, taxes, discounts (reserved instances, savings plans)",
];

/** Resource types with no charge of their own (networking plumbing, rules, and parts priced with their load balancer). */
const FREE_TYPES: ReadonlySet<string> = new Set([
  "aws_internet_gateway",
  "aws_key_pair",
  "aws_lb_listener",
  "aws_lb_target_group",
  "aws_lb_target_group_attachment",
  "aws_route",
  "aws_route_table",
  "aws_route_table_association",
  "aws_security_group",
  "aws_subnet",
  "aws_vpc",
  "aws_vpc_security_group_egress_rule",
  "aws_vpc_security_group_ingress_rule",
  "openstack_compute_keypair_v2",
  "openstack_compute_servergroup_v2",
  "openstack_lb_listener_v2",
  "openstack_lb_member_v2",
  "openstack_lb_monitor_v2",
  "openstack_lb_pool_v2",
  "openstack_networking_network_v2",
  "openstack_networking_port_v2",
  "openstack_networking_router_interface_v2",
  "openstack_networking_router_route_v2",
  "openstack_networking_router_v2",
  "openstack_networking_secgroup_rule_v2",
  "openstack_networking_secgroup_v2",
  "openstack_networking_subnet_v2",
]);

const EXCLUDED_TYPES: Readonly<Record<string, string>> = {
  aws_route53_health_check: "Route 53 health check (excluded)",
  aws_route53_record: "Route 53 record (queries are usage; excluded)",
  aws_route53_zone: "Route 53 hosted zone (excluded)",
};

interface Context {
  readonly stack: string;
  readonly tables: CostTables;
  readonly region?: string;
  readonly service?: string;
}

type Rule = (attributes: TfConfig, ctx: Context) => Omit<CostItem, "stack" | "address" | "service">[];

const RULES: Readonly<Record<string, Rule>> = {
  openstack_compute_instance_v2: (a, ctx) => {
    const p = ctx.tables.private;
    const flavorName = String(a.flavor_name ?? "");
    const flavor = ctx.tables.flavors.table[flavorName];
    const servingHost = ctx.service !== undefined;
    const compute: Omit<CostItem, "stack" | "address" | "service"> = flavor
      ? { cloud: "private", what: `instance ${flavorName}`, servingHost, monthly: (flavor.vcpus * p.vcpuHour + flavor.ramGiB * p.ramGiBHour) * HOURS_PER_MONTH, currency: p.currency }
      : { cloud: "private", what: `instance ${flavorName || "(no flavor_name)"}`, servingHost, unpriced: `flavor "${flavorName}" is not in flavors.table` };
    const volumes = (Array.isArray(a.block_device) ? (a.block_device as TfConfig[]) : []).filter((b) => b.destination_type === "volume");
    const storage = volumes.map((b): Omit<CostItem, "stack" | "address" | "service"> => {
      const size = typeof b.volume_size === "number" ? b.volume_size : undefined;
      return size === undefined
        ? { cloud: "private", what: "volume", servingHost: false, unpriced: "volume without a literal volume_size" }
        : { cloud: "private", what: `volume ${size} GiB`, servingHost: false, monthly: size * p.volumeGiBMonth, currency: p.currency };
    });
    if (volumes.length === 0 && flavor && flavor.diskGiB > 0) {
      storage.push(
        p.localDiskGiBMonth === undefined
          ? { cloud: "private", what: `local disk ${flavor.diskGiB} GiB`, servingHost: false, unpriced: "private.localDiskGiBMonth is not set" }
          : { cloud: "private", what: `local disk ${flavor.diskGiB} GiB`, servingHost: false, monthly: flavor.diskGiB * p.localDiskGiBMonth, currency: p.currency },
      );
    }
    return [compute, ...storage];
  },
  openstack_lb_loadbalancer_v2: (_a, ctx) => [
    { cloud: "private", what: "Octavia load balancer", servingHost: false, monthly: ctx.tables.private.loadBalancerMonth, currency: ctx.tables.private.currency },
  ],
  openstack_networking_floatingip_v2: (_a, ctx) => {
    const p = ctx.tables.private;
    return [
      p.floatingIpMonth === undefined
        ? { cloud: "private", what: "floating IP", servingHost: false, unpriced: "private.floatingIpMonth is not set" }
        : { cloud: "private", what: "floating IP", servingHost: false, monthly: p.floatingIpMonth, currency: p.currency },
    ];
  },
  aws_instance: (a, ctx) => {
    const type = String(a.instance_type ?? "");
    const servingHost = ctx.service !== undefined;
    const items = [publicHourly(ctx, `instance ${type}`, servingHost, (r) => r.instanceHour[type], `aws.regions.${ctx.region}.instanceHour has no "${type}"`)];
    const root = (Array.isArray(a.root_block_device) ? a.root_block_device[0] : a.root_block_device) as TfConfig | undefined;
    items.push(ebs(ctx, root?.volume_type, root?.volume_size, "root volume"));
    return items;
  },
  aws_ebs_volume: (a, ctx) => [ebs(ctx, a.type, a.size, "volume")],
  aws_lb: (a, ctx) => {
    const type = String(a.load_balancer_type ?? "application") as "application" | "network" | "gateway";
    return [publicHourly(ctx, `load balancer ${type}`, false, (r) => r.loadBalancerHour[type], `aws.regions.${ctx.region}.loadBalancerHour has no "${type}"`)];
  },
  aws_nat_gateway: (_a, ctx) => [publicHourly(ctx, "NAT gateway", false, (r) => r.natGatewayHour, `aws.regions.${ctx.region}.natGatewayHour is not set`)],
  aws_eip: (_a, ctx) => [publicHourly(ctx, "public IPv4 address", false, (r) => r.publicIpv4Hour, `aws.regions.${ctx.region}.publicIpv4Hour is not set`)],
};

function regionPrices(ctx: Context): { prices?: AwsRegionPrices; missing?: string } {
  if (!ctx.tables.aws) return { missing: "the cost file has no aws table" };
  if (!ctx.region) return { missing: "the stack's AWS provider names no region" };
  const prices = ctx.tables.aws.regions[ctx.region];
  return prices ? { prices } : { missing: `aws.regions has no "${ctx.region}"` };
}

function publicHourly(ctx: Context, what: string, servingHost: boolean, pick: (r: AwsRegionPrices) => number | undefined, missing: string): Omit<CostItem, "stack" | "address" | "service"> {
  const region = regionPrices(ctx);
  const hourly = region.prices ? pick(region.prices) : undefined;
  if (hourly === undefined) return { cloud: "public", what, servingHost, unpriced: region.missing ?? missing };
  return { cloud: "public", what, servingHost, monthly: hourly * HOURS_PER_MONTH, currency: ctx.tables.aws!.currency };
}

function ebs(ctx: Context, type: unknown, size: unknown, label: string): Omit<CostItem, "stack" | "address" | "service"> {
  if (typeof size !== "number") return { cloud: "public", what: label, servingHost: false, unpriced: `${label} size comes from the AMI: set volume_size to price it` };
  if (typeof type !== "string") return { cloud: "public", what: `${label} ${size} GiB`, servingHost: false, unpriced: `${label} type comes from the AMI: set volume_type to price it` };
  const region = regionPrices(ctx);
  const perGiB = region.prices?.ebsGiBMonth[type];
  if (perGiB === undefined) return { cloud: "public", what: `${label} ${type} ${size} GiB`, servingHost: false, unpriced: region.missing ?? `aws.regions.${ctx.region}.ebsGiBMonth has no "${type}"` };
  return { cloud: "public", what: `${label} ${type} ${size} GiB`, servingHost: false, monthly: size * perGiB, currency: ctx.tables.aws!.currency };
}

/** The charges of every managed resource instance of one stack, in address order. */
export function meterStack(stack: string, tf: TerraformJson, tables: CostTables): StackCostItems {
  const region = awsRegionOf(tf);
  const blocks = blocksOf(tf, "managed");
  const services = servicesOf(tf);
  const items: CostItem[] = [];
  const excluded: ExcludedItem[] = [];
  for (const block of blocks) {
    if (FREE_TYPES.has(block.type)) continue;
    const service = serviceOfBlock(block.config, services);
    for (const instance of instancesOf(block, tf)) {
      const excludedReason = EXCLUDED_TYPES[block.type];
      if (excludedReason !== undefined) {
        excluded.push({ stack, address: instance.address, type: block.type, reason: excludedReason });
        continue;
      }
      const rule = RULES[block.type];
      const hostService = serviceOfInstance(instance.attributes) ?? service;
      const ctx: Context = { stack, tables, ...(region ? { region } : {}), ...(hostService ? { service: hostService } : {}) };
      const charges = rule
        ? rule(instance.attributes, ctx)
        : [{ cloud: block.type.startsWith("aws_") ? "public" : "private", what: block.type, servingHost: false, unpriced: `no cost rule for resource type ${block.type}` } as const];
      for (const c of charges) items.push({ stack, address: instance.address, ...(hostService ? { service: hostService } : {}), ...c });
    }
  }
  return { stack, items, excluded };
}

/** Region of the stack's default AWS provider. */
function awsRegionOf(tf: TerraformJson): string | undefined {
  const configs = tf.provider?.aws;
  const list = (Array.isArray(configs) ? configs : configs ? [configs] : []) as TfConfig[];
  const region = list.find((c) => c.alias === undefined)?.region;
  return typeof region === "string" ? region : undefined;
}

/** Services of a stack: the `estate_service` metadata / `estate:service` tag of its fleets. */
function servicesOf(tf: TerraformJson): Set<string> {
  const out = new Set<string>();
  for (const block of blocksOf(tf, "managed")) {
    const s = serviceOfInstance(block.config);
    if (s) out.add(s);
  }
  return out;
}

function serviceOfInstance(attributes: TfConfig): string | undefined {
  const metadata = attributes.metadata as Record<string, unknown> | undefined;
  const tags = attributes.tags as Record<string, unknown> | undefined;
  const s = metadata?.estate_service ?? tags?.["estate:service"];
  return typeof s === "string" ? s : undefined;
}

/** A service's load balancer and VIP live under the service's construct (`<stack>/<service>/LoadBalancer/...`). */
function serviceOfBlock(config: TfConfig, services: ReadonlySet<string>): string | undefined {
  const path = ((config["//"] as Record<string, Record<string, unknown>> | undefined)?.metadata?.path ?? "") as string;
  const segment = String(path).split("/")[1];
  return segment !== undefined && services.has(segment) ? segment : undefined;
}
