/**
 * The security-relevant part of a diff, for its own table: firewall rules added, removed or changed, listener
 * protocols, TLS and allowed CIDRs, instance metadata options, encryption and public addresses. Every row says
 * which way it moves exposure (wider / narrower / other) and what it lets in or shuts out, naming each newly
 * admitted network as a public or private range.
 */
import { cidrWidens, describePorts, FIREWALL_RULE_TYPES, firewallRulesOf, isWorld, portSpan, type FirewallRule } from "../../../policy";
import type { TfConfig } from "../../../terraform-json";
import { compareStrings } from "../../../util";
import * as ipaddr from "ipaddr.js";
import { normalizePath } from "./force-new";
import type { AttributeChange, Exposure, ResourceChange, SecurityChange, SecurityGroup, StackDiff } from "./types";

/** Attributes (normalized paths, or their parents) whose changes a security review should see, by resource type. */
export const SECURITY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  openstack_lb_listener_v2: ["protocol", "protocol_port", "allowed_cidrs", "default_tls_container_ref", "sni_container_refs", "tls_versions", "tls_ciphers", "client_authentication", "client_ca_tls_container_ref"],
  aws_lb_listener: ["protocol", "port", "ssl_policy", "certificate_arn", "alpn_policy", "mutual_authentication"],
  aws_lb: ["internal", "security_groups", "drop_invalid_header_fields", "ip_address_type"],
  aws_instance: ["metadata_options", "root_block_device.encrypted", "root_block_device.kms_key_id", "ebs_block_device.encrypted", "ebs_block_device.kms_key_id", "associate_public_ip_address", "vpc_security_group_ids", "security_groups", "iam_instance_profile"],
  aws_launch_template: ["metadata_options", "block_device_mappings.ebs.encrypted", "block_device_mappings.ebs.kms_key_id", "network_interfaces.associate_public_ip_address", "vpc_security_group_ids", "iam_instance_profile"],
  aws_ebs_volume: ["encrypted", "kms_key_id"],
  aws_subnet: ["map_public_ip_on_launch"],
  openstack_networking_port_v2: ["security_group_ids", "no_security_groups", "port_security_enabled", "allowed_address_pairs"],
  openstack_compute_instance_v2: ["security_groups"],
  openstack_networking_secgroup_v2: ["stateful", "delete_default_rules"],
};

/** Resources that hold a public address: adding, removing or moving one changes what the internet can reach. */
export const PUBLIC_ADDRESS_TYPES: readonly string[] = ["aws_eip", "aws_eip_association", "openstack_networking_floatingip_v2", "openstack_networking_floatingip_associate_v2"];

const LISTENER_TYPES = ["openstack_lb_listener_v2", "aws_lb_listener"];
const TLS_PROTOCOLS = ["HTTPS", "TERMINATED_HTTPS", "TLS"];

/**
 * Address space that is not reachable from the internet: RFC 1918 private networks, RFC 6598 shared address
 * space, loopback (RFC 1122), link-local (RFC 3927, RFC 4291) and IPv6 unique local addresses (RFC 4193). A
 * source outside all of them is a public range.
 */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"];

/** Rows that lead a table: what widens exposure first. */
const EXPOSURE_ORDER: readonly Exposure[] = ["wider", "other", "narrower"];

export function classifySecurity(stacks: readonly StackDiff[]): SecurityChange[] {
  const rows: SecurityChange[] = [];
  for (const stack of stacks) {
    rows.push(...firewallChanges(stack));
    for (const change of stack.changes) {
      if (change.mode !== "managed") continue;
      if (LISTENER_TYPES.includes(change.type)) rows.push(...listenerChanges(change));
      else if (PUBLIC_ADDRESS_TYPES.includes(change.type)) rows.push(...publicAddressChanges(change));
      else if (SECURITY_ATTRIBUTES[change.type]) rows.push(...attributeChanges(change));
    }
  }
  return rows.sort(
    (a, b) =>
      compareStrings(a.stack, b.stack) ||
      EXPOSURE_ORDER.indexOf(a.exposure) - EXPOSURE_ORDER.indexOf(b.exposure) ||
      compareStrings(a.address, b.address) ||
      compareStrings(a.subject, b.subject),
  );
}

/**
 * Identical changes (same subject, values, exposure and label) made in several stacks or resources are one group:
 * adding an admin network to every site reads as one change, with the stacks and addresses it touches.
 */
export function groupSecurity(rows: readonly SecurityChange[]): SecurityGroup[] {
  const groups = new Map<string, { row: SecurityChange; where: Map<string, Set<string>> }>();
  for (const row of rows) {
    const key = JSON.stringify([row.change, row.subject, row.before ?? null, row.after ?? null, row.exposure, row.label]);
    const group = groups.get(key) ?? { row, where: new Map<string, Set<string>>() };
    const stacks = group.where.get(row.address) ?? new Set<string>();
    stacks.add(row.stack);
    group.where.set(row.address, stacks);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ row, where }) => {
      const byStacks = new Map<string, string[]>();
      for (const [address, stacks] of where) {
        const key = JSON.stringify([...stacks].sort(compareStrings));
        byStacks.set(key, [...(byStacks.get(key) ?? []), address]);
      }
      const places = [...byStacks.entries()]
        .map(([stacks, addresses]) => ({ stacks: JSON.parse(stacks) as string[], addresses: addresses.sort(compareStrings) }))
        .sort((a, b) => compareStrings(a.stacks.join(), b.stacks.join()) || compareStrings(a.addresses[0], b.addresses[0]));
      const stacks = [...new Set(places.flatMap((p) => p.stacks))].sort(compareStrings);
      return {
        change: row.change,
        subject: row.subject,
        ...(row.before !== undefined ? { before: row.before } : {}),
        ...(row.after !== undefined ? { after: row.after } : {}),
        exposure: row.exposure,
        label: row.label,
        stacks,
        places,
      };
    })
    .sort(
      (a, b) =>
        EXPOSURE_ORDER.indexOf(a.exposure) - EXPOSURE_ORDER.indexOf(b.exposure) ||
        compareStrings(a.subject, b.subject) ||
        compareStrings(a.label, b.label) ||
        compareStrings(a.stacks.join(), b.stacks.join()),
    );
}

/** `public range` or `private range` for a CIDR or address; undefined for anything else (a group reference). */
export function rangeKind(source: string): "public range" | "private range" | undefined {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = source.includes("/") ? ipaddr.parseCIDR(source) : [ipaddr.parse(source), source.includes(":") ? 128 : 32];
  } catch {
    return undefined;
  }
  const [address, prefix] = parsed;
  const inside = PRIVATE_RANGES.some((r) => {
    const [base, bits] = ipaddr.parseCIDR(r);
    return base.kind() === address.kind() && prefix >= bits && address.match(base, bits);
  });
  return inside ? "private range" : "public range";
}

/** A source as a label names it: `the internet`, `203.0.113.0/24 (public range)`, `group:sg-1`. */
function describeSource(source: string): string {
  if (isWorld(source)) return "the internet";
  const kind = rangeKind(source);
  return kind ? `${source} (${kind})` : source;
}

interface RuleEntry {
  readonly address: string;
  readonly group: string;
  readonly rule: FirewallRule;
}

/**
 * Firewall rules compared as a set per security group, so that a rule renamed by its CIDR (a new resource or
 * for_each key) reads as one rule changed from the old source to the new one.
 */
function firewallChanges(stack: StackDiff): SecurityChange[] {
  const removed: RuleEntry[] = [];
  const added: RuleEntry[] = [];
  for (const c of stack.changes) {
    if (c.mode !== "managed" || !FIREWALL_RULE_TYPES.includes(c.type)) continue;
    if (c.type === "aws_security_group" && c.action !== "create" && c.action !== "delete" && !c.attributes.some((a) => /^(ingress|egress)\b/.test(a.path))) continue;
    const beforeRules = c.action === "create" ? [] : rulesOf(c, c.beforeAttributes);
    const afterRules = c.action === "delete" ? [] : rulesOf(c, c.afterAttributes);
    const beforeKeys = new Set(beforeRules.map((r) => ruleKey(r.rule)));
    const afterKeys = new Set(afterRules.map((r) => ruleKey(r.rule)));
    removed.push(...beforeRules.filter((r) => !afterKeys.has(ruleKey(r.rule))));
    added.push(...afterRules.filter((r) => !beforeKeys.has(ruleKey(r.rule))));
  }
  const rows: SecurityChange[] = [];
  const unpaired = [...removed];
  for (const a of added) {
    const i = unpaired.findIndex((r) => r.group === a.group && sameTraffic(r.rule, a.rule));
    const subject = `${a.rule.direction} ${describePorts(a.rule)}`;
    if (i === -1) {
      rows.push({ stack: stack.name, address: a.address, change: "added", subject, after: sources(a.rule), exposure: "wider", label: admits(a.rule, a.rule.sources) });
      continue;
    }
    const [r] = unpaired.splice(i, 1);
    rows.push({ stack: stack.name, address: pairAddress(r.address, a.address), change: "changed", subject, before: sources(r.rule), after: sources(a.rule), ...ruleExposure(r.rule, a.rule) });
  }
  for (const r of unpaired) {
    const verb = r.rule.direction === "ingress" ? "no longer admits" : "no longer allows out to";
    rows.push({
      stack: stack.name,
      address: r.address,
      change: "removed",
      subject: `${r.rule.direction} ${describePorts(r.rule)}`,
      before: sources(r.rule),
      exposure: "narrower",
      label: `${verb} ${r.rule.sources.map(describeSource).join(", ") || "anything"} on ${describePorts(r.rule)}`,
    });
  }
  return rows;
}

/** What a rule newly lets through: `admits 203.0.113.0/24 (public range) on tcp/22`, `opens tcp/22 to the internet`. */
function admits(rule: FirewallRule, newSources: readonly string[]): string {
  if (newSources.some(isWorld)) return `opens ${describePorts(rule)} to the internet`;
  const who = newSources.map(describeSource).join(", ") || "nothing";
  return rule.direction === "ingress" ? `admits ${who} on ${describePorts(rule)}` : `allows ${describePorts(rule)} out to ${who}`;
}

/** True when `source` is `other` or inside it. */
function covers(other: string, source: string): boolean {
  return other === source || isWorld(other) || cidrWidens(source, other);
}

function ruleExposure(before: FirewallRule, after: FirewallRule): { exposure: Exposure; label: string } {
  const newSources = after.sources.filter((t) => !before.sources.some((s) => covers(s, t)));
  const lostSources = before.sources.filter((s) => !after.sources.some((t) => covers(t, s)));
  const wider: string[] = [];
  if (newSources.some(isWorld)) wider.push(`opens ${describePorts(after)} to the internet`);
  else if (newSources.length > 0) {
    const widened = newSources.every((t) => before.sources.some((s) => cidrWidens(s, t)));
    wider.push(widened ? `widens ${before.sources.join(", ")} to ${newSources.join(", ")}` : admits(after, newSources));
  }
  if (!portsWithin(after, before)) {
    const moved = portSpan(after) <= portSpan(before);
    wider.push(moved ? `opens ${describePorts(after)} instead of ${describePorts(before)}` : `widens ports ${describePorts(before)} to ${describePorts(after)}`);
  }
  if (wider.length > 0) return { exposure: "wider", label: wider.join("; ") };
  const narrower: string[] = [];
  if (lostSources.length > 0) {
    const narrowed = after.sources.every((t) => before.sources.some((s) => cidrWidens(t, s)));
    narrower.push(narrowed ? `narrows ${before.sources.join(", ")} to ${after.sources.join(", ")}` : `no longer admits ${lostSources.map(describeSource).join(", ")}`);
  }
  if (portSpan(after) < portSpan(before)) narrower.push(`narrows ports ${describePorts(before)} to ${describePorts(after)}`);
  return narrower.length > 0 ? { exposure: "narrower", label: narrower.join("; ") } : { exposure: "other", label: "same reach, rule rewritten" };
}

/** True when every port `inner` opens, `outer` opens too. */
function portsWithin(inner: FirewallRule, outer: FirewallRule): boolean {
  if (portSpan(outer) === 65536) return true;
  if (portSpan(inner) === 65536) return false;
  const lo = (r: FirewallRule) => r.fromPort ?? r.toPort ?? 0;
  const hi = (r: FirewallRule) => r.toPort ?? r.fromPort ?? 65535;
  return lo(outer) <= lo(inner) && hi(inner) <= hi(outer);
}

/** `res["old"] → res["new"]` reads better as `res["old" → "new"]` when one for_each resource holds both. */
function pairAddress(before: string, after: string): string {
  if (before === after) return after;
  const b = /^(.*)\[(.*)\]$/.exec(before);
  const a = /^(.*)\[(.*)\]$/.exec(after);
  if (b && a && b[1] === a[1]) return `${a[1]}[${b[2]} → ${a[2]}]`;
  return `${before} → ${after}`;
}

function rulesOf(change: ResourceChange, attributes: TfConfig | undefined): RuleEntry[] {
  if (!attributes) return [];
  const group = change.type === "aws_security_group" ? change.resource : String(attributes.security_group_id ?? change.resource);
  return firewallRulesOf(change.type, attributes).map((rule) => ({ address: change.address, group, rule }));
}

function ruleKey(rule: FirewallRule): string {
  return JSON.stringify([rule.direction, rule.protocol, rule.fromPort, rule.toPort, [...rule.sources].sort()]);
}

/** Same direction and protocol, and either the same ports (sources changed) or the same sources (ports changed). */
function sameTraffic(a: FirewallRule, b: FirewallRule): boolean {
  if (a.direction !== b.direction || a.protocol !== b.protocol) return false;
  const samePorts = a.fromPort === b.fromPort && a.toPort === b.toPort;
  const sameSources = JSON.stringify([...a.sources].sort()) === JSON.stringify([...b.sources].sort());
  return samePorts || sameSources;
}

function sources(rule: FirewallRule): string {
  const ports = rule.direction === "ingress" ? "from" : "to";
  return `${describePorts(rule)} ${ports} ${rule.sources.join(", ") || "nowhere"}`;
}

function listenerChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address };
  if (change.action === "create" || change.action === "delete") {
    const a = (change.afterAttributes ?? change.beforeAttributes)!;
    const cidrs = Array.isArray(a.allowed_cidrs) ? (a.allowed_cidrs as string[]) : undefined;
    const listener = `${String(a.protocol ?? "?")}:${String(a.protocol_port ?? a.port ?? "?")}`;
    const summary = `${listener}${cidrs ? ` allowed ${cidrs.length > 0 ? abbreviate(cidrs) : "from anywhere"}` : ""}`;
    if (change.action === "delete") return [{ ...base, change: "removed", subject: "listener", before: summary, exposure: "narrower", label: `stops listening on ${listener}` }];
    // Octavia: no allowed CIDRs means every client; an AWS listener's reach is its load balancer's security groups.
    const open = cidrs !== undefined && (cidrs.length === 0 || cidrs.some(isWorld));
    const who = cidrs === undefined ? "" : open ? " to the internet" : ` for ${abbreviate(cidrs.map(describeSource))}`;
    return [{ ...base, change: "added", subject: "listener", after: summary, exposure: "wider", label: `listens on ${listener}${who}` }];
  }
  return relevant(change).map((attr) => ({ ...base, change: "changed", subject: attr.path, ...values(attr), ...listenerExposure(attr) }));
}

function listenerExposure(attr: AttributeChange): { exposure: Exposure; label: string } {
  const path = normalizePath(attr.path);
  if (path === "allowed_cidrs") {
    const before = Array.isArray(attr.before) ? (attr.before as string[]) : [];
    const after = Array.isArray(attr.after) ? (attr.after as string[]) : [];
    // Octavia: no allowed CIDRs means every client.
    if ((after.length === 0 || after.some(isWorld)) && !(before.length === 0 || before.some(isWorld))) return { exposure: "wider", label: "opens to the internet" };
    const added = after.filter((t) => !before.some((s) => covers(s, t)));
    const lost = before.filter((s) => !after.some((t) => covers(t, s)));
    const lostText = lost.length > 0 ? `no longer admits ${abbreviate(lost.map(describeSource))}` : "";
    if (added.length > 0) return { exposure: "wider", label: [`admits ${abbreviate(added.map(describeSource))}`, lostText].filter(Boolean).join("; ") };
    if (lost.length > 0 || (after.length > 0 && before.length === 0)) return { exposure: "narrower", label: lostText || "admits only the listed CIDRs" };
    return { exposure: "other", label: "same networks, list rewritten" };
  }
  if (path === "protocol") {
    const was = TLS_PROTOCOLS.includes(String(attr.before));
    const is = TLS_PROTOCOLS.includes(String(attr.after));
    if (was && !is) return { exposure: "wider", label: "drops TLS" };
    if (!was && is) return { exposure: "narrower", label: "adds TLS" };
    return { exposure: "other", label: `protocol ${show(attr.before)} to ${show(attr.after)}` };
  }
  if (path === "protocol_port" || path === "port") return { exposure: "wider", label: `listens on ${show(attr.after)} instead of ${show(attr.before)}` };
  if (path === "default_tls_container_ref" || path === "certificate_arn") {
    return attr.after === undefined ? { exposure: "wider", label: "removes the certificate" } : { exposure: "other", label: "certificate changes" };
  }
  if (path === "ssl_policy" || path === "tls_versions" || path === "tls_ciphers") return { exposure: "other", label: "TLS policy changes" };
  return { exposure: "other", label: `${path} changes` };
}

function publicAddressChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address, subject: "public address" };
  const a = (change.afterAttributes ?? change.beforeAttributes ?? {}) as TfConfig;
  const what = String(a.address ?? a.floating_ip ?? a.public_ip ?? a.pool ?? a.domain ?? "");
  if (change.action === "create") return [{ ...base, change: "added", after: what, exposure: "wider", label: "new public address" }];
  if (change.action === "delete") return [{ ...base, change: "removed", before: what, exposure: "narrower", label: "public address released" }];
  return change.attributes.map((attr) => ({ ...base, change: "changed", subject: `public address: ${attr.path}`, ...values(attr), exposure: "other", label: "public address moves" }));
}

function attributeChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address };
  if (change.action === "delete") return [];
  if (change.action === "create") {
    // New resources only show when they come up weaker than the rules want.
    const a = change.afterAttributes ?? {};
    return creationRisks(change.type, a).map((risk) => ({ ...base, change: "added", subject: risk.subject, after: risk.value, exposure: "wider", label: risk.risk }));
  }
  return relevant(change).map((attr) => ({ ...base, change: "changed", subject: attr.path, ...values(attr), ...attributeExposure(attr) }));
}

function relevant(change: ResourceChange): AttributeChange[] {
  const watched = SECURITY_ATTRIBUTES[change.type] ?? [];
  return change.attributes.filter((attr) => {
    const path = normalizePath(attr.path);
    return watched.some((w) => path === w || path.startsWith(`${w}.`) || w.startsWith(`${path}.`));
  });
}

function attributeExposure(attr: AttributeChange): { exposure: Exposure; label: string } {
  const path = normalizePath(attr.path);
  const wider = (label: string) => ({ exposure: "wider" as const, label });
  const narrower = (label: string) => ({ exposure: "narrower" as const, label });
  if (path.endsWith("http_tokens")) return attr.after === "required" ? narrower("requires IMDSv2 session tokens") : wider("allows IMDSv1 (no session token)");
  if (path === "metadata_options") return hasRequiredTokens(attr.after) ? narrower("requires IMDSv2 session tokens") : wider("allows IMDSv1 (no session token)");
  if (path.endsWith("encrypted")) return attr.after === true ? narrower("enables encryption") : wider("disables encryption");
  if (path.endsWith("associate_public_ip_address") || path === "map_public_ip_on_launch") return attr.after === true ? wider("gives instances public addresses") : narrower("no public addresses");
  if (path === "internal") return attr.after === true ? narrower("becomes internal") : wider("becomes internet-facing");
  if (path === "port_security_enabled") return attr.after === false ? wider("disables port security") : narrower("enables port security");
  if (path === "no_security_groups") return attr.after === true ? wider("removes every security group") : narrower("security groups apply");
  return { exposure: "other", label: `${path} changes` };
}

function creationRisks(type: string, a: TfConfig): { subject: string; value: string; risk: string }[] {
  const out: { subject: string; value: string; risk: string }[] = [];
  if (type === "aws_instance" || type === "aws_launch_template") {
    const options = Array.isArray(a.metadata_options) ? a.metadata_options[0] : a.metadata_options;
    if (!hasRequiredTokens(options)) out.push({ subject: "metadata_options.http_tokens", value: show((options as TfConfig | undefined)?.http_tokens), risk: "allows IMDSv1 (no session token)" });
    if (a.associate_public_ip_address === true) out.push({ subject: "associate_public_ip_address", value: "true", risk: "gives instances public addresses" });
  }
  if (type === "aws_instance") {
    const root = Array.isArray(a.root_block_device) ? a.root_block_device[0] : a.root_block_device;
    if ((root as TfConfig | undefined)?.encrypted !== true) out.push({ subject: "root_block_device.encrypted", value: show((root as TfConfig | undefined)?.encrypted), risk: "unencrypted volume" });
  }
  if (type === "aws_ebs_volume" && a.encrypted !== true) out.push({ subject: "encrypted", value: show(a.encrypted), risk: "unencrypted volume" });
  if (type === "aws_subnet" && a.map_public_ip_on_launch === true) out.push({ subject: "map_public_ip_on_launch", value: "true", risk: "gives instances public addresses" });
  return out;
}

function hasRequiredTokens(options: unknown): boolean {
  const o = (Array.isArray(options) ? options[0] : options) as TfConfig | undefined;
  return o?.http_tokens === "required" || o?.http_endpoint === "disabled";
}

/** Before and after of a row: the elements removed and added for a list or set, the whole values otherwise. */
function values(attr: AttributeChange): { before?: string; after?: string } {
  if (!attr.elements) return { before: show(attr.before), after: show(attr.after) };
  const of = (action: "create" | "delete", sign: string) => attr.elements!.filter((e) => e.action === action).map((e) => `${sign} ${show(e.value)}`);
  const removed = of("delete", "-");
  const added = of("create", "+");
  return { ...(removed.length > 0 ? { before: removed.join(", ") } : {}), ...(added.length > 0 ? { after: added.join(", ") } : {}) };
}

/** At most three items, then a count: labels stay one line. */
function abbreviate(items: readonly string[]): string {
  return items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`;
}

export function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
