import { describeCoverage, isValidCidr, publicCoverage } from "../../model";
import { allowsTcpPort, describePorts, FIREWALL_RULE_TYPES, firewallRulesOf, isWorld } from "../firewall-rules";
import { compliant, nonCompliant, notApplicable, type ResourceRule } from "../rule";

/** Remote administration ports that must never face the internet. */
export const ADMIN_PORTS: readonly { readonly port: number; readonly name: string }[] = [
  { port: 22, name: "SSH" },
  { port: 3389, name: "RDP" },
];

/**
 * EST-NET-001: no security group rule opens SSH or RDP to 0.0.0.0/0 or ::/0, or to networks that together reach an
 * internet-sized share of the public IPv4 space (0.0.0.0/1 and 128.0.0.0/1 in one group open as much as 0.0.0.0/0).
 */
export const adminPortsOpenToWorld: ResourceRule = {
  id: "EST-NET-001",
  level: "error",
  kind: "resource",
  resourceTypes: FIREWALL_RULE_TYPES,
  message: "SSH (22) or RDP (3389) is open to the whole internet",
  explanation:
    "Remote administration ports facing 0.0.0.0/0 or ::/0 are scanned and brute-forced within minutes of going up; one weak key or unpatched daemon is a compromised host.",
  fix: "Allow SSH only from the admin networks (adminCidrs in the environment file) and reach hosts through them.",
  check: (resource) => {
    const ingress = firewallRulesOf(resource.block.type, resource.attributes).filter((r) => r.direction === "ingress");
    if (ingress.length === 0) return notApplicable();
    const open: string[] = [];
    for (const rule of ingress) {
      const world = rule.sources.filter(isWorld);
      if (world.length === 0) continue;
      for (const admin of ADMIN_PORTS) {
        if (allowsTcpPort(rule, admin.port)) open.push(`${admin.name} (${describePorts(rule)}) from ${world.join(", ")}`);
      }
    }
    for (const admin of ADMIN_PORTS) {
      const rules = ingress.filter((rule) => allowsTcpPort(rule, admin.port) && !rule.sources.some(isWorld));
      const cidrs = rules.flatMap((rule) => rule.sources.filter(isValidCidr));
      const reach = publicCoverage(cidrs);
      if (reach.internetScale) open.push(`${admin.name} from ${cidrs.join(", ")}, which reach ${describeCoverage(reach)}`);
    }
    return open.length > 0 ? nonCompliant(`open to the world: ${open.join("; ")}`) : compliant();
  },
};
