/**
 * Firewall rules of OpenStack and AWS security groups in one shape, so policy rules and the diff reason about
 * "who may reach which port" the same way whatever resource type holds the rule.
 */
import { cidrContains, isValidCidr, parseCidr, WORLD_CIDRS, WORLD_IPV4_CIDR, WORLD_IPV6_CIDR } from "../model";
import type { TfConfig } from "../terraform-json";

export type FirewallDirection = "ingress" | "egress";

export interface FirewallRule {
  readonly direction: FirewallDirection;
  /** `tcp`, `udp`, `icmp`, ... or `any`. */
  readonly protocol: string;
  /** Port range; both absent means every port. */
  readonly fromPort?: number;
  readonly toPort?: number;
  /** CIDRs, security-group references (`group:<id>`), prefix lists (`prefix-list:<id>`) or expressions. */
  readonly sources: readonly string[];
}

/** Resource types whose firewall rules this module reads. */
export const FIREWALL_RULE_TYPES: readonly string[] = [
  "openstack_networking_secgroup_rule_v2",
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
];

/** The rules a resource holds (an aws_security_group holds its inline ingress / egress blocks). */
export function firewallRulesOf(type: string, a: TfConfig): FirewallRule[] {
  switch (type) {
    case "openstack_networking_secgroup_rule_v2": {
      const remote = str(a.remote_ip_prefix);
      const group = str(a.remote_group_id);
      // Neutron: no remote prefix and no remote group means "from anywhere" for the rule's ethertype.
      const sources = remote ? [remote] : group ? [`group:${group}`] : [a.ethertype === "IPv6" ? WORLD_IPV6_CIDR : WORLD_IPV4_CIDR];
      return [{ direction: a.direction === "egress" ? "egress" : "ingress", protocol: protocolName(a.protocol), ...ports(a.port_range_min, a.port_range_max), sources }];
    }
    case "aws_security_group_rule":
      return [awsRule(a.type === "egress" ? "egress" : "ingress", a)];
    case "aws_vpc_security_group_ingress_rule":
    case "aws_vpc_security_group_egress_rule": {
      const protocol = protocolName(a.ip_protocol);
      const sources = [str(a.cidr_ipv4), str(a.cidr_ipv6), prefixed("group:", a.referenced_security_group_id), prefixed("prefix-list:", a.prefix_list_id)].filter(
        (s): s is string => s !== undefined,
      );
      return [
        {
          direction: type.endsWith("ingress_rule") ? "ingress" : "egress",
          protocol,
          ...(protocol === "any" ? {} : ports(a.from_port, a.to_port)),
          sources,
        },
      ];
    }
    case "aws_security_group":
      return [
        ...list(a.ingress).map((r) => awsRule("ingress", r as TfConfig)),
        ...list(a.egress).map((r) => awsRule("egress", r as TfConfig)),
      ];
    default:
      return [];
  }
}

function awsRule(direction: FirewallDirection, a: TfConfig): FirewallRule {
  const protocol = protocolName(a.protocol);
  const sources = [
    ...list(a.cidr_blocks).map(String),
    ...list(a.ipv6_cidr_blocks).map(String),
    ...list(a.security_groups).map((g) => `group:${String(g)}`),
    ...list(a.prefix_list_ids).map((p) => `prefix-list:${String(p)}`),
    ...(str(a.source_security_group_id) ? [`group:${str(a.source_security_group_id)}`] : []),
    ...(a.self === true ? ["group:self"] : []),
  ];
  return { direction, protocol, ...(protocol === "any" ? {} : ports(a.from_port, a.to_port)), sources };
}

export function isWorld(source: string): boolean {
  return WORLD_CIDRS.includes(source);
}

/** True when the rule lets `port`/tcp through. */
export function allowsTcpPort(rule: FirewallRule, port: number): boolean {
  if (rule.protocol !== "tcp" && rule.protocol !== "any") return false;
  if (rule.fromPort === undefined && rule.toPort === undefined) return true;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** `tcp/22`, `tcp/8000-8100`, `any`: how a rule is written in reports. */
export function describePorts(rule: FirewallRule): string {
  if (rule.protocol === "any") return "all traffic";
  if (rule.fromPort === undefined && rule.toPort === undefined) return `${rule.protocol}/all ports`;
  const from = rule.fromPort ?? rule.toPort;
  const to = rule.toPort ?? rule.fromPort;
  return from === to ? `${rule.protocol}/${from}` : `${rule.protocol}/${from}-${to}`;
}

export function describeRule(rule: FirewallRule): string {
  const sources = rule.sources.length > 0 ? rule.sources.join(", ") : "nowhere";
  return `${rule.direction} ${describePorts(rule)} ${rule.direction === "ingress" ? "from" : "to"} ${sources}`;
}

/** True when `wider` admits everything `narrower` admits and more (IPv4 CIDRs only). */
export function cidrWidens(narrower: string, wider: string): boolean {
  if (!isValidCidr(narrower) || !isValidCidr(wider) || narrower === wider) return false;
  const a = parseCidr(narrower);
  const b = parseCidr(wider);
  return b.prefix < a.prefix && cidrContains(b, a.base);
}

/** Number of ports a rule opens (65536 for every port). */
export function portSpan(rule: FirewallRule): number {
  if (rule.protocol === "any" || (rule.fromPort === undefined && rule.toPort === undefined)) return 65536;
  return Math.abs((rule.toPort ?? rule.fromPort ?? 0) - (rule.fromPort ?? rule.toPort ?? 0)) + 1;
}

function protocolName(value: unknown): string {
  if (value === undefined || value === null || value === "") return "any";
  const v = String(value).toLowerCase();
  if (v === "-1" || v === "all") return "any";
  if (v === "6") return "tcp";
  if (v === "17") return "udp";
  if (v === "1") return "icmp";
  return v;
}

function ports(from: unknown, to: unknown): { fromPort?: number; toPort?: number } {
  const f = num(from);
  const t = num(to);
  // Every port: Neutron leaves the range out, AWS writes 0-65535 (or -1 for ICMP).
  if ((f === undefined && t === undefined) || (f === 0 && t === 65535) || (f === -1 && t === -1)) return {};
  return { ...(f !== undefined ? { fromPort: f } : {}), ...(t !== undefined ? { toPort: t } : {}) };
}

function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function prefixed(prefix: string, value: unknown): string | undefined {
  const s = str(value);
  return s === undefined ? undefined : `${prefix}${s}`;
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // A single nested block may be rendered as an object, and a list held in an expression as a string.
  return value === undefined || value === null ? [] : [value];
}
