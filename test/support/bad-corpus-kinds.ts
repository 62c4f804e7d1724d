/**
 * Bad environment files a cloud (or a careful reader) would refuse, by kind: references that point nowhere (5),
 * strange bytes and characters (6), cloud limits the model can know (7) and policy findings located in the file
 * (8). Each row gives the exact message, the path and the line; `stage` says whether the loader refuses the file
 * or the policy pass (`estate synth` / `estate validate`) reports it. test/model/bad-input-kinds.test.ts asserts every
 * row; test/fixtures/bad/README.md renders the same table.
 */
export interface KindCase {
  /** File name under test/fixtures/bad/. */
  readonly file: string;
  readonly kind: 5 | 6 | 7 | 8;
  /** The API rule, quota or format the case encodes. */
  readonly rule: string;
  /** load: the loader refuses the file; policy: the policy pass reports it (`estate validate`). */
  readonly stage: "load" | "policy";
  /** Path inside the file as reports print it (`formatPath`). */
  readonly path: string;
  /** 1-based line; undefined for a problem of the whole file. */
  readonly line?: number;
  /** The whole message (for a policy finding: "<rule message>: <detail>"). */
  readonly message: string;
  /** A policy finding's level. @default "error" */
  readonly level?: "error" | "warning";
}

const SAVE_AS_UTF8 = "environment files are UTF-8: save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)";
const POINTS_AT_NOTHING = "a suppression points at nothing";

export const KIND_CASES: readonly KindCase[] = [
  // 5: references that point nowhere
  { file: "suppression-unknown-rule.yaml", kind: 5, rule: "a suppression names a rule id of the pack", stage: "policy", path: "policy.suppressions[0].rule", line: 143, message: `${POINTS_AT_NOTHING}: no policy rule is named "EST-PLC-01"; did you mean "EST-PLC-001"? (rules: EST-NET-001, EST-LB-001, EST-PLC-001, EST-AVL-001, EST-AVL-002, EST-AVL-003, EST-STK-001, EST-AWS-001, EST-AWS-002, EST-TRF-001, EST-QTA-001, EST-REF-001)` },
  { file: "suppression-target-matches-nothing.yaml", kind: 5, rule: "a suppression target matches something in the whole estate", stage: "policy", path: "policy.suppressions[0].target", line: 144, message: `${POINTS_AT_NOTHING}: target "dev-os-d" matches no stack, site, service, model path or resource of environment "dev"; did you mean "dev-os-a"?` },
  { file: "limits-hypervisors-unknown-zone.yaml", kind: 5, rule: "hypervisor counts name availability zones of the site", stage: "load", path: "sites.openstack[0].limits.hypervisorsPerAvailabilityZone.az4", line: 37, message: 'site "os-a" has no availability zone "az4" (its zones: az1, az2, az3); name one of them' },
  { file: "image-used-nowhere.yaml", kind: 5, rule: "an image is used by a service or a bake (warning: a rollout keeps two)", stage: "policy", level: "warning", path: "images[1].name", line: 79, message: 'defined but used nowhere: image "debian13" is used by no service and produced by no bake' },
  // 6: strange bytes, characters and numbers
  { file: "encoding-utf16le-bom.yaml", kind: 6, rule: "YAML 1.2 encoding detection (5.2): UTF-16 LE with a byte order mark", stage: "load", path: "(top level)", message: `the file is UTF-16 (little-endian, with a byte order mark) text; ${SAVE_AS_UTF8}` },
  { file: "encoding-utf16be-no-bom.yaml", kind: 6, rule: "YAML 1.2 encoding detection (5.2): UTF-16 BE without a byte order mark", stage: "load", path: "(top level)", message: `the file is UTF-16 (big-endian) text; ${SAVE_AS_UTF8}` },
  { file: "encoding-utf32-bom.yaml", kind: 6, rule: "YAML 1.2 encoding detection (5.2): UTF-32 LE with a byte order mark", stage: "load", path: "(top level)", message: `the file is UTF-32 (little-endian, with a byte order mark) text; ${SAVE_AS_UTF8}` },
  { file: "stray-nul-in-value.yaml", kind: 6, rule: "YAML printable characters (5.1): no NUL", stage: "load", path: "(top level)", line: 82, message: "a NUL byte (0x00) is in the text here; it cannot be seen in most editors: delete it" },
  { file: "invisible-zero-width-space-in-key.yaml", kind: 6, rule: "names reach the cloud byte for byte: no invisible characters", stage: "load", path: 'services[0]["fla\u200bvor"]', line: 82, message: "a zero-width space (U+200B) is here; it cannot be seen but becomes part of the value: delete it (retype the word around it)" },
  { file: "invisible-bom-in-value.yaml", kind: 6, rule: "names reach the cloud byte for byte: no invisible characters", stage: "load", path: "sites.openstack[1].subnetCidr", line: 41, message: "a byte order mark (U+FEFF) is here; it cannot be seen but becomes part of the value: delete it (retype the word around it)" },
  { file: "invisible-no-break-space-indent.yaml", kind: 6, rule: "YAML indentation (6.1): spaces only", stage: "load", path: "services[1].image", line: 95, message: "this line is indented with a no-break space (U+00A0), which looks like a space but is not one; YAML indents with plain spaces: retype the indentation" },
  { file: "line-endings-cr-only.yaml", kind: 6, rule: "YAML line breaks (5.4): CR alone reads as one line here", stage: "load", path: "(top level)", message: "the file ends its lines with CR only (old Mac line endings), so it reads as a single line; save it with LF (Unix) or CRLF (Windows) line endings" },
  { file: "number-nan.yaml", kind: 6, rule: "YAML core schema: .nan is a float, not a count", stage: "load", path: "services[0].instancesPerSite", line: 84, message: 'instancesPerSite must be a whole number of instances (0 or more); expected a number, got .nan, which YAML reads as NaN ("not a number")' },
  { file: "number-inf.yaml", kind: 6, rule: "YAML core schema: .inf is a float; Route 53 weights are 0-255", stage: "load", path: "sites.aws.traffic.weight", line: 68, message: "weight must be a number from 0 to 255 (Route 53 weights); expected a number, got .inf, which YAML reads as infinity" },
  { file: "number-too-large.yaml", kind: 6, rule: "IEEE 754 doubles: 1e400 overflows to infinity", stage: "load", path: "services[1].peakInstances", line: 104, message: "expected a number, got 1e400, a number too large to hold (it reads as infinity)" },
  { file: "yaml-merge-key.yaml", kind: 6, rule: "YAML 1.2 has no merge keys (<<)", stage: "load", path: 'services[0].healthCheck["<<"]', line: 89, message: '"<<" is a YAML merge key, which environment files do not use (YAML 1.2 dropped merge keys): write the keys out' },
  { file: "nesting-too-deep.yaml", kind: 6, rule: "structures nested thousands deep (a stack overflow in any parser)", stage: "load", path: "policy", line: 142, message: "the file nests lists or mappings too deeply for any environment file (an environment file needs at most 6 levels); look for a run of [ or { brackets" },
  // 7: cloud limits
  { file: "limits-routes-over-max-routes.yaml", kind: 7, rule: "Neutron max_routes (30 routes per router)", stage: "load", path: "sites.openstack[0].routes[30]", line: 61, message: 'site "os-a" has 31 routes, over the 30 a Neutron router accepts (max_routes); Neutron refuses the router update. Summarize routes into covering networks, or, if the cloud\'s max_routes is higher, set sites.openstack[0].limits.routesPerRouter to it' },
  { file: "limits-server-groups-over-quota.yaml", kind: 7, rule: "Nova quota server_groups (10 per project)", stage: "load", path: "sites.openstack[1].limits.serverGroups", line: 49, message: 'site "os-b" needs 2 Nova server groups (one per 10 hosts of each service with a placement), over the project quota of 1 (server_groups); raise the quota and set sites.openstack[1].limits.serverGroups, or use placement: none for a service' },
  { file: "limits-hard-anti-affinity-too-few-hypervisors.yaml", kind: 7, rule: "Nova anti-affinity: one hypervisor per group member in the zone", stage: "load", path: "services[1].instancesPerSite", line: 99, message: 'service "api" places 2 members of one anti-affinity server group in zone "nova" of site "os-c", which has 1 hypervisor(s) (sites.openstack[2].limits.hypervisorsPerAvailabilityZone.nova); hard anti-affinity needs one hypervisor per member: lower the instances, use placement: soft-anti-affinity, or add hypervisors and raise the count' },
  { file: "limits-member-quota-zero.yaml", kind: 7, rule: "Nova quota server_group_members is a count of 1 or more", stage: "load", path: "sites.openstack[0].limits.serverGroupMembers", line: 36, message: "serverGroupMembers must be at least 1 (the cloud's Nova quota server_group_members); got the number 0" },
  { file: "limits-unknown-key.yaml", kind: 7, rule: "limits holds the quotas the model knows, by name", stage: "load", path: "sites.openstack[0].limits.securityGroupRule", line: 36, message: 'unknown key "securityGroupRule"; did you mean "securityGroupRules"?' },
  { file: "security-group-rules-over-quota.yaml", kind: 7, rule: "Neutron quota security_group_rule (100 per project, 2 default egress rules per group counted)", stage: "policy", path: "sites.openstack[0].limits.securityGroupRules", line: 36, message: "the site's security groups or rules exceed the project's Neutron quota: site os-a needs 16 security-group rules (counting dev-os-a, Neutron's 2 default egress rules per group and the 4 rules of the project's default group), over its quota of 12 (limits.securityGroupRules)" },
  { file: "scrape-cidr-whole-internet.yaml", kind: 7, rule: "node_exporter scrapers are listed networks, never 0.0.0.0/0", stage: "load", path: "monitoring.scrapeCidrs[1]", line: 139, message: "0.0.0.0/0 would open node_exporter (port 9100) on every host to the whole internet; list the networks your Prometheus servers scrape from" },
  // 8: policy findings located in the file
  { file: "policy-peak-over-capacity.yaml", kind: 8, rule: "N+1: the sites minus one carry peakInstances (EST-AVL-002)", stage: "policy", path: "services[0].peakInstances", line: 91, message: "not enough capacity for peakInstances (N+1; while a site that runs the service is drained, peak itself): peakInstances is 60: without os-a the other serving sites run 9; without os-b the other serving sites run 9; without os-c the other serving sites run 9; without aws the other serving sites run 9" },
  { file: "policy-service-missing-from-site.yaml", kind: 8, rule: "every OpenStack site runs every service (EST-AVL-001)", stage: "policy", path: "services[1].instancesBySite.os-c", line: 104, message: "service missing from an OpenStack site: api has 0 instances in os-c but runs in os-a (2), os-b (2)" },
  { file: "policy-no-health-checker-ranges.yaml", kind: 8, rule: "Route 53 health checkers reach private-only VIPs (EST-TRF-001)", stage: "policy", level: "warning", path: "traffic.healthCheckerCidrs", line: 113, message: "Route 53 health checkers cannot reach the service's OpenStack VIPs: api admits only 10.0.0.0/8 and traffic.healthCheckerCidrs is empty" },
];

/** The cases as the Markdown table test/fixtures/bad/README.md holds. */
export function renderKindTable(cases: readonly KindCase[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/[\u200b\ufeff]/g, "");
  const rows = cases.map(
    (c) => `| \`${c.file}\` | ${c.kind} | ${cell(c.rule)} | ${c.stage}${c.level === "warning" ? " (warning)" : ""} | \`${cell(c.path)}\`${c.line ? ` (line ${c.line})` : ""} | ${cell(c.message)} |`,
  );
  return ["| file | kind | rule it encodes | refused by | reported at | message |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}
