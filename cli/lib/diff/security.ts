/**
 * The security-relevant part of a diff, for its own table: firewall rules added, removed or changed (with
 * widening and opening to the internet called out), listener protocols, TLS and allowed CIDRs, instance
 * metadata options, encryption and public addresses.
 */
import {
  cidrWidens,
  compareStrings,
  describePorts,
  FIREWALL_RULE_TYPES,
  firewallRulesOf,
  isWorld,
  portSpan,
  type FirewallRule,
  type TfConfig,
} from "../../../constructs/policy";
import { normalizePath } from "./force-new";
import type { AttributeChange, ResourceChange, SecurityChange, StackDiff } from "./types";

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
      compareStrings(a.stack, b.stack) || Number(!a.risk) - Number(!b.risk) || compareStrings(a.address, b.address) || compareStrings(a.subject, b.subject),
  );
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
      const open = a.rule.direction === "ingress" && a.rule.sources.some(isWorld);
      rows.push({ stack: stack.name, address: a.address, change: "added", subject, after: sources(a.rule), ...(open ? { risk: "opens to the internet" } : {}) });
      continue;
    }
    const [r] = unpaired.splice(i, 1);
    const risk = widening(r.rule, a.rule);
    rows.push({
      stack: stack.name,
      address: pairAddress(r.address, a.address),
      change: "changed",
      subject,
      before: sources(r.rule),
      after: sources(a.rule),
      ...(risk ? { risk } : {}),
    });
  }
  for (const r of unpaired) {
    rows.push({ stack: stack.name, address: r.address, change: "removed", subject: `${r.rule.direction} ${describePorts(r.rule)}`, before: sources(r.rule) });
  }
  // Port ranges changed on the same sources (a port moved or widened) pair up above only when the traffic is the
  // same; anything else stays as removed + added rows.
  return rows;
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

function widening(before: FirewallRule, after: FirewallRule): string | undefined {
  const reasons: string[] = [];
  if (after.direction === "ingress" && after.sources.some(isWorld) && !before.sources.some(isWorld)) reasons.push("opens to the internet");
  else {
    const widened = after.sources.filter((t) => before.sources.some((s) => cidrWidens(s, t)));
    if (widened.length > 0) reasons.push(`widens ${before.sources.join(", ")} to ${widened.join(", ")}`);
  }
  if (portSpan(after) > portSpan(before)) reasons.push(`widens ports ${describePorts(before)} to ${describePorts(after)}`);
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

function listenerChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address };
  if (change.action === "create" || change.action === "delete") {
    const a = (change.afterAttributes ?? change.beforeAttributes)!;
    const cidrs = Array.isArray(a.allowed_cidrs) ? (a.allowed_cidrs as string[]) : undefined;
    const summary = `${String(a.protocol ?? "?")}:${String(a.protocol_port ?? a.port ?? "?")}${cidrs ? ` allowed ${cidrs.length > 0 ? cidrs.join(", ") : "from anywhere"}` : ""}`;
    const open = change.action === "create" && cidrs !== undefined && (cidrs.length === 0 || cidrs.some(isWorld));
    return [
      {
        ...base,
        change: change.action === "create" ? "added" : "removed",
        subject: "listener",
        ...(change.action === "create" ? { after: summary } : { before: summary }),
        ...(open ? { risk: "listens to the internet" } : {}),
      },
    ];
  }
  return relevant(change).map((attr) => {
    const risk = listenerRisk(attr);
    return { ...base, change: "changed", subject: attr.path, before: show(attr.before), after: show(attr.after), ...(risk ? { risk } : {}) };
  });
}

function listenerRisk(attr: AttributeChange): string | undefined {
  const path = normalizePath(attr.path);
  if (path === "allowed_cidrs") {
    const before = Array.isArray(attr.before) ? (attr.before as string[]) : [];
    const after = Array.isArray(attr.after) ? (attr.after as string[]) : [];
    // Octavia: no allowed CIDRs means every client.
    if ((after.length === 0 || after.some(isWorld)) && before.length > 0 && !before.some(isWorld)) return "opens to the internet";
    const widened = after.filter((t) => !before.includes(t) && (before.length === 0 || !before.some((s) => cidrWidens(t, s))));
    if (widened.length > 0) return `admits ${widened.join(", ")}`;
  }
  if (path === "protocol" && TLS_PROTOCOLS.includes(String(attr.before)) && !TLS_PROTOCOLS.includes(String(attr.after))) return "drops TLS";
  if (path === "default_tls_container_ref" || path === "certificate_arn") return attr.after === undefined ? "removes the certificate" : undefined;
  if (path === "ssl_policy") return "TLS policy changes";
  return undefined;
}

function publicAddressChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address, subject: "public address" };
  const a = (change.afterAttributes ?? change.beforeAttributes ?? {}) as TfConfig;
  const what = String(a.address ?? a.floating_ip ?? a.public_ip ?? a.pool ?? a.domain ?? "");
  if (change.action === "create") return [{ ...base, change: "added", after: what, risk: "new public address" }];
  if (change.action === "delete") return [{ ...base, change: "removed", before: what }];
  return change.attributes.map((attr) => ({ ...base, change: "changed", subject: `public address: ${attr.path}`, before: show(attr.before), after: show(attr.after) }));
}

function attributeChanges(change: ResourceChange): SecurityChange[] {
  const base = { stack: change.stack, address: change.address };
  if (change.action === "delete") return [];
  if (change.action === "create") {
    // New resources only show when they come up weaker than the rules want.
    const a = change.afterAttributes ?? {};
    const risks = creationRisks(change.type, a);
    return risks.map((risk) => ({ ...base, change: "added", subject: risk.subject, after: risk.value, risk: risk.risk }));
  }
  return relevant(change).map((attr) => {
    const risk = attributeRisk(attr);
    return { ...base, change: "changed", subject: attr.path, before: show(attr.before), after: show(attr.after), ...(risk ? { risk } : {}) };
  });
}

function relevant(change: ResourceChange): AttributeChange[] {
  const watched = SECURITY_ATTRIBUTES[change.type] ?? [];
  return change.attributes.filter((attr) => {
    const path = normalizePath(attr.path);
    return watched.some((w) => path === w || path.startsWith(`${w}.`) || w.startsWith(`${path}.`));
  });
}

function attributeRisk(attr: AttributeChange): string | undefined {
  const path = normalizePath(attr.path);
  if (path.endsWith("http_tokens") && attr.after !== "required") return "allows IMDSv1 (no session token)";
  if (path === "metadata_options" && !hasRequiredTokens(attr.after)) return "allows IMDSv1 (no session token)";
  if (path.endsWith("encrypted") && attr.before === true && attr.after !== true) return "disables encryption";
  if ((path.endsWith("associate_public_ip_address") || path === "map_public_ip_on_launch") && attr.after === true) return "gives instances public addresses";
  if (path === "internal" && attr.before === true && attr.after !== true) return "becomes internet-facing";
  if (path === "port_security_enabled" && attr.after === false) return "disables port security";
  if (path === "no_security_groups" && attr.after === true) return "removes every security group";
  return undefined;
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

export function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
