/**
 * Bad environment files whose values the clouds would refuse (or hand to someone else) at `terraform apply`, or that
 * would carry a credential into an artifact: each row names the kind of mistake and the API rule it encodes.
 * test/model/bad-input.test.ts asserts every row like the rest of the corpus; test/fixtures/bad/README.md renders them in
 * their own table.
 */
import type { BadCase } from "./bad-corpus";

export type CloudRefusalKind = "address" | "API format" | "exposure" | "secret";

export interface CloudRefusalCase extends BadCase {
  readonly kind: CloudRefusalKind;
  /** The API rule the case encodes, with its source. */
  readonly rule: string;
}

const NEUTRON_NEXT_HOP = "Neutron router routes: the next hop is on the router's subnet and not an address Neutron may give to a port (allocation pool, gateway, fixed addresses)";
const NEUTRON_EDGE = "Neutron never assigns a subnet's network or broadcast address to a port or floating IP";
const NEUTRON_DESTINATION = "a route inside the subnet shadows Neutron's connected route of that subnet";
const OCTAVIA_CODES = "Octavia expected_codes pattern ^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$ (octavia/api/v2/types/health_monitor.py)";
const AWS_MATCHER = "AWS target-group Matcher.HttpCode: 200-499 on an application load balancer, 200-599 on a network load balancer";
const DNS_NAME = "Route 53 and DNS: a name of RFC 1035 labels, no scheme, path or slash";
const COVERAGE = "union of the networks (ip-num), measured against the public IPv4 space (IANA special-purpose registry)";
const NO_SECRETS = "credentials stay in clouds.yaml, the AWS credential chain or the CI's secret store";

export const CLOUD_REFUSAL_CASES: readonly CloudRefusalCase[] = [
  // 1. Addresses the cloud will never hand out or the router already uses
  { kind: "address", rule: NEUTRON_NEXT_HOP, file: "next-hop-in-allocation-pool.yaml", mistake: "os-b route via 10.20.0.200, inside the DHCP allocation pool", path: "sites.openstack[1].routes[0].nextHop", line: 44, fragment: "next hop 10.20.0.200 is in the allocation pool 10.20.0.128-10.20.0.253, so Neutron can give it to a new port" },
  { kind: "address", rule: NEUTRON_NEXT_HOP, file: "next-hop-is-gateway.yaml", mistake: "os-a route via the subnet gateway 10.10.0.1", path: "sites.openstack[0].routes[0].nextHop", line: 31, fragment: "next hop 10.10.0.1 is the subnet's gateway (the router's own address on it)" },
  { kind: "address", rule: NEUTRON_NEXT_HOP, file: "next-hop-is-host.yaml", mistake: "os-c route via 10.30.1.2, the address of web host 2", path: "sites.openstack[2].routes[0].nextHop", line: 57, fragment: 'next hop 10.30.1.2 is in address block 1 of service "web" (10.30.1.0/24)' },
  { kind: "address", rule: NEUTRON_NEXT_HOP, file: "next-hop-is-load-balancer-vip.yaml", mistake: "os-a route via 10.10.0.17, the Octavia VIP of web", path: "sites.openstack[0].routes[0].nextHop", line: 31, fragment: 'next hop 10.10.0.17 is the load-balancer VIP of service "web"; a next hop must be an address nothing else on 10.10.0.0/20 uses: write 10.10.0.254' },
  { kind: "address", rule: NEUTRON_EDGE, file: "next-hop-network-address.yaml", mistake: "os-b route via 10.20.0.0, the subnet's network address", path: "sites.openstack[1].routes[0].nextHop", line: 44, fragment: "next hop 10.20.0.0 is the network address of 10.20.0.0/20, which no port can hold" },
  { kind: "address", rule: NEUTRON_DESTINATION, file: "route-destination-is-site-subnet.yaml", mistake: "os-a route to its own subnet 10.10.0.0/20", path: "sites.openstack[0].routes[0].destination", line: 31, fragment: "route destination 10.10.0.0/20 is the site subnet itself" },
  { kind: "address", rule: NEUTRON_DESTINATION, file: "route-destination-inside-site-subnet.yaml", mistake: "os-b route to 10.20.4.0/24, a part of its own subnet", path: "sites.openstack[1].routes[0].destination", line: 44, fragment: "route destination 10.20.4.0/24 lies inside the site subnet 10.20.0.0/20" },
  { kind: "address", rule: NEUTRON_EDGE, file: "vip-network-address.yaml", mistake: "web VIP 198.51.100.0, the external network's network address", path: "sites.openstack[0].vips.web", line: 33, fragment: "VIP 198.51.100.0 is the network address of the external network 198.51.100.0/26" },
  { kind: "address", rule: "Neutron gives a subnet its first address as gateway_ip (the provider router) unless told otherwise", file: "vip-gateway-address.yaml", mistake: "web VIP 198.51.100.1, the external network's gateway", path: "sites.openstack[0].vips.web", line: 33, fragment: "VIP 198.51.100.1 is the gateway address of the external network 198.51.100.0/26" },
  { kind: "address", rule: NEUTRON_EDGE, file: "vip-broadcast-address.yaml", mistake: "api VIP 198.51.100.191, the external network's broadcast address", path: "sites.openstack[2].vips.api", line: 60, fragment: "VIP 198.51.100.191 is the broadcast address of the external network 198.51.100.128/26" },
  { kind: "address", rule: NEUTRON_EDGE, file: "dns-server-broadcast-address.yaml", mistake: "DNS server 10.30.15.255, the site subnet's broadcast address", path: "sites.openstack[2].dnsServers[0]", line: 55, fragment: "DNS server 10.30.15.255 is the broadcast address of the site subnet 10.30.0.0/20" },
  // 2. Formats the APIs define
  { kind: "API format", rule: OCTAVIA_CODES, file: "expected-codes-list-and-range.yaml", mistake: 'expectedCodes "200-299,301" (a range and a list)', path: "services[0].healthCheck.expectedCodes", line: 88, fragment: 'expectedCodes "200-299,301" mixes a range and a list' },
  { kind: "API format", rule: AWS_MATCHER, file: "expected-codes-outside-aws-matcher.yaml", mistake: 'expectedCodes "200-503" on a service behind an AWS application load balancer', path: "services[0].healthCheck.expectedCodes", line: 88, fragment: "the application load balancer of this service in AWS accepts only 200 to 499" },
  { kind: "API format", rule: OCTAVIA_CODES, file: "expected-codes-range-backwards.yaml", mistake: 'expectedCodes "299-200"', path: "services[0].healthCheck.expectedCodes", line: 88, fragment: 'expectedCodes range "299-200" runs backwards; write 200-299' },
  { kind: "API format", rule: DNS_NAME, file: "hosted-zone-domain-is-url.yaml", mistake: "hosted-zone domain written as https://dev.example.net/", path: "traffic.hostedZone.domain", line: 107, fragment: 'a hosted-zone domain is a DNS name, not a URL: remove "https://" and the path' },
  { kind: "API format", rule: DNS_NAME, file: "hosted-zone-domain-trailing-slash.yaml", mistake: "hosted-zone domain with a trailing slash", path: "traffic.hostedZone.domain", line: 107, fragment: 'has a "/"; a DNS name has no path or trailing slash: write "dev.example.net"' },
  { kind: "API format", rule: DNS_NAME, file: "zabbix-server-is-url.yaml", mistake: "zabbixServer written as http://zabbix.dev.example.net", path: "monitoring.zabbixServer", line: 137, fragment: 'the Zabbix server\'s host name is a DNS name, not a URL: remove "http://"' },
  { kind: "API format", rule: "a login name as useradd takes it; cloud-init creates the user", file: "ssh-user-empty.yaml", mistake: 'ssh.user: ""', path: "ssh.user", line: 10, fragment: "the SSH login user is empty" },
  { kind: "API format", rule: "Nova keypair name (keypair_name_20: letters, digits, _, - and inner spaces); EC2 key pair names", file: "ssh-key-name-blank.yaml", mistake: 'ssh.keyName: " " (a space)', path: "ssh.keyName", line: 11, fragment: "the key pair name is empty" },
  { kind: "API format", rule: "Octavia url_path and AWS HealthCheckPath: an absolute path without spaces", file: "healthcheck-path-with-space.yaml", mistake: 'health-check path "/health check"', path: "services[0].healthCheck.path", line: 88, fragment: 'health-check path "/health check" holds a space or control character' },
  // 3. Exposure judged by coverage
  { kind: "exposure", rule: COVERAGE, file: "admin-cidrs-halves-of-internet.yaml", mistake: "adminCidrs 0.0.0.0/1 and 128.0.0.0/1 (0.0.0.0/0 in two halves)", path: "adminCidrs", line: 6, fragment: "these 2 networks together (0.0.0.0/1, 128.0.0.0/1) would open SSH to the whole internet" },
  { kind: "exposure", rule: COVERAGE, file: "admin-cidrs-union-internet-scale.yaml", mistake: "adminCidrs 11.0.0.0/9 and 11.128.0.0/9 (a /8 of public addresses in two halves)", path: "adminCidrs", line: 6, fragment: "would open SSH to 16,777,216 public addresses (0.5% of the public IPv4 space)" },
  { kind: "exposure", rule: COVERAGE, file: "internal-service-open-to-internet.yaml", mistake: "an internal service allowing 64.0.0.0/3 and 96.0.0.0/3", path: "services[1].allowedCidrs", line: 101, fragment: 'would open the listeners of internal service "api" to 1,052,770,304 public addresses (28.4% of the public IPv4 space)' },
  { kind: "exposure", rule: COVERAGE, file: "health-checker-cidrs-whole-internet.yaml", mistake: "0.0.0.0/1 and 128.0.0.0/1 added to the Route 53 health-checker ranges", path: "traffic.healthCheckerCidrs", line: 113, fragment: "these 17 networks together (the largest: 0.0.0.0/1, 128.0.0.0/1, 15.177.0.0/18) would open the listeners of every public service that admits only some networks to the whole internet" },
  // 4. Secrets anywhere
  { kind: "secret", rule: NO_SECRETS, file: "secret-url-userinfo.yaml", mistake: "a user and password in the Zabbix server URL", path: "monitoring.zabbixServer", line: 137, fragment: "value looks like a URL with user information" },
  { kind: "secret", rule: NO_SECRETS, file: "secret-token-in-warmup-query.yaml", mistake: "an access_token= query parameter in a warm-up path", path: "services[0].warmup[1]", line: 92, fragment: "value looks like a URL with a token in its query; write the URL without it" },
  { kind: "secret", rule: NO_SECRETS, file: "secret-signature-in-health-path.yaml", mistake: "an X-Amz-Signature= query parameter in the health-check path", path: "services[0].healthCheck.path", line: 88, fragment: "value looks like a URL with a token in its query" },
  { kind: "secret", rule: NO_SECRETS, file: "secret-jwt-as-cloud.yaml", mistake: "a JSON web token pasted as the clouds.yaml entry name", path: "sites.openstack[1].cloud", line: 37, fragment: "value looks like a JSON web token; remove it" },
  { kind: "secret", rule: NO_SECRETS, file: "secret-random-string-as-region.yaml", mistake: "a random 32-character secret pasted as a region name", path: "sites.openstack[2].region", line: 51, fragment: "value looks like a random secret (a long high-entropy string where a name belongs)" },
];

/** The cases as a Markdown table, as test/fixtures/bad/README.md holds it. */
export function renderCloudRefusalTable(cases: readonly CloudRefusalCase[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = cases.map((c) => `| ${c.kind} | \`${c.file}\` | ${cell(c.mistake)} | \`${c.path}\` (line ${c.line}) | ${cell(c.rule)} |`);
  return ["| kind | file | the mistake | reported at | API rule |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
