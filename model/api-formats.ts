/**
 * Values whose format an API defines, checked the way that API checks them, so a typo fails at load with the
 * file's line rather than at `terraform apply`:
 *
 * - healthCheck.expectedCodes: Octavia's `expected_codes` pattern `^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$`
 *   (octavia/api/v2/types/health_monitor.py: a list or a range, never both) and the AWS target-group matcher
 *   (ELBv2 API `Matcher.HttpCode`: "200,202" or "200-299"; 200 to 499 on an application load balancer, 200 to 599
 *   on a network load balancer);
 * - healthCheck.path: an absolute HTTP path (Octavia `url_path`, AWS `HealthCheckPath`, at most 1024 characters),
 *   no spaces, no scheme, no fragment;
 * - traffic.hostedZone.domain and monitoring.zabbixServer: DNS names (RFC 1035 labels of at most 63 characters,
 *   253 in all), without a scheme, a path or a trailing slash; the Zabbix server may also be an IPv4 address;
 * - ssh.user: a login name as useradd takes it (lower-case letter or "_" first, then letters, digits, "_" or "-",
 *   at most 32 characters);
 * - ssh.keyName: a Nova keypair name (nova/api/validation/validators.py, `keypair_name_20`: letters, digits, "_",
 *   "-" and spaces, 1 to 255 characters, no leading or trailing space), which EC2 key pair names also accept;
 * - warmup[]: request paths like the health-check path;
 * - listeners[].tls.openstackContainerRef: a Barbican container href, an http(s) URL with a host;
 * - listeners[].tls.awsCertificateArn: an ACM certificate ARN in the AWS site's region.
 */
import type { ConfigProblem } from "./errors";
import { isValidIpv4 } from "./ipam";
import { awsLoadBalancerType } from "./load-balancer-type";
import type { EnvironmentFile } from "./schema";
import { secretIn } from "./secret-scan";
import { instancesIn } from "./validate";

type Path = (string | number)[];

/** Octavia's expected_codes pattern, verbatim from octavia/api/v2/types/health_monitor.py. */
export const OCTAVIA_EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
/** Status codes the AWS target-group matcher accepts, by load balancer type (ELBv2 API, Matcher.HttpCode). */
export const AWS_MATCHER_CODES = { application: [200, 499], network: [200, 599] } as const;
/** Longest health-check path AWS accepts (ELBv2 API, CreateTargetGroup HealthCheckPath). */
export const MAX_HEALTH_CHECK_PATH = 1024;

export function checkApiFormats(env: EnvironmentFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: Path, message: string | undefined) => {
    if (message) problems.push({ path, message });
  };
  const aws = env.sites.aws;
  env.services.forEach((svc, i) => {
    const hc = svc.healthCheck;
    svc.listeners.forEach((l, li) => {
      if (!l.tls) return;
      add(["services", i, "listeners", li, "tls", "openstackContainerRef"], containerRefProblem(l.tls.openstackContainerRef));
      if (aws && instancesIn(svc, aws.name) > 0) add(["services", i, "listeners", li, "tls", "awsCertificateArn"], certificateRegionProblem(l.tls.awsCertificateArn, aws.region));
    });
    if (hc.protocol === "TCP") return;
    const lbType = aws && instancesIn(svc, aws.name) > 0 ? awsLoadBalancerType(svc.listeners, hc.protocol) : undefined;
    add(["services", i, "healthCheck", "expectedCodes"], expectedCodesProblem(hc.expectedCodes, lbType));
    if (hc.path !== undefined) add(["services", i, "healthCheck", "path"], httpPathProblem(hc.path));
    svc.warmup.forEach((path, wi) => add(["services", i, "warmup", wi], httpPathProblem(path, "warm-up path")));
  });
  if (env.traffic) add(["traffic", "hostedZone", "domain"], dnsNameProblem(env.traffic.hostedZone.domain, "a hosted-zone domain", "example.org"));
  const zabbix = env.monitoring.zabbixServer;
  if (zabbix !== undefined && !isValidIpv4(zabbix)) add(["monitoring", "zabbixServer"], dnsNameProblem(zabbix, "the Zabbix server's host name", "zabbix.example.org"));
  add(["ssh", "user"], loginUserProblem(env.ssh.user));
  add(["ssh", "keyName"], keyNameProblem(env.ssh.keyName));
  return problems;
}

/**
 * Why `codes` is not accepted by Octavia, and by the AWS matcher when the service has an AWS load balancer of type
 * `lbType`; undefined when it is accepted.
 */
export function expectedCodesProblem(codes: string, lbType?: "application" | "network"): string | undefined {
  const forms = 'write one code ("200"), a list ("200,202") or a range ("200-299")';
  if (codes.includes("-") && codes.includes(",")) {
    return `expectedCodes ${JSON.stringify(codes)} mixes a range and a list; Octavia and the AWS target-group matcher take one or the other: ${forms}`;
  }
  if (!OCTAVIA_EXPECTED_CODES.test(codes)) return `expectedCodes ${JSON.stringify(codes)} is not a list or range of 3-digit HTTP status codes; ${forms}`;
  if (/\s/.test(codes)) return `expectedCodes ${JSON.stringify(codes)} has spaces, which the AWS target-group matcher does not take; write ${JSON.stringify(codes.replace(/\s+/g, ""))}`;
  const written = codes.split(/[,-]/);
  const numbers = written.map(Number);
  const bad = written.find((code) => Number(code) < 100 || Number(code) > 599);
  if (bad !== undefined) return `expectedCodes ${JSON.stringify(codes)} holds ${bad}, which is not an HTTP status code (100 to 599)`;
  if (codes.includes("-") && numbers[0] > numbers[1]) return `expectedCodes range ${JSON.stringify(codes)} runs backwards; write ${numbers[1]}-${numbers[0]}`;
  if (lbType) {
    const [low, high] = AWS_MATCHER_CODES[lbType];
    const outside = numbers.find((n) => n < low || n > high);
    if (outside !== undefined) {
      return `expectedCodes ${JSON.stringify(codes)} holds ${outside}, but the ${lbType} load balancer of this service in AWS accepts only ${low} to ${high} (target-group matcher); use codes from that range`;
    }
  }
  return undefined;
}

/** Why `path` is not an HTTP request path the load balancers (and Ansible's uri module) send as is. */
function httpPathProblem(path: string, what = "health-check path"): string | undefined {
  // A credential in the path is reported by the loader's secret scan, which never repeats the value.
  if (secretIn(path)) return undefined;
  if (path.length > MAX_HEALTH_CHECK_PATH) return `a ${what} is at most ${MAX_HEALTH_CHECK_PATH} characters (AWS HealthCheckPath); this one has ${path.length}`;
  if ([...path].some((ch) => /\s/.test(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return `${what} ${JSON.stringify(path)} holds a space or control character; percent-encode it (%20) or use a path without one`;
  if (path.startsWith("//") || path.includes("://")) return `${what} ${JSON.stringify(path)} looks like a URL; write only the path, e.g. "/healthz"`;
  if (path.includes("#")) return `${what} ${JSON.stringify(path)} has a fragment ("#…"), which is never sent to the server; remove it`;
  return undefined;
}

/** Why `name` is not a DNS name (what), or undefined when it is one. A single trailing dot (the root) is accepted. */
export function dnsNameProblem(name: string, what: string, example: string): string | undefined {
  if (secretIn(name)) return undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(name);
  if (scheme) return `${what} is a DNS name, not a URL: remove ${JSON.stringify(scheme[0])}${name.slice(scheme[0].length).includes("/") ? " and the path" : ""}, e.g. ${JSON.stringify(example)}`;
  if (name.includes("/")) return `${what} ${JSON.stringify(name)} has a "/"; a DNS name has no path or trailing slash: write ${JSON.stringify(name.split("/")[0])}`;
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > 253) return `${what} must be a DNS name of 1 to 253 characters, e.g. ${JSON.stringify(example)}`;
  for (const label of bare.split(".")) {
    if (label.length === 0) return `${what} ${JSON.stringify(name)} has an empty label (two dots in a row, or a leading dot); write e.g. ${JSON.stringify(example)}`;
    if (label.length > 63) return `${what} ${JSON.stringify(name)} has a label of ${label.length} characters; DNS labels are at most 63`;
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label)) {
      return `${what} ${JSON.stringify(name)} has label ${JSON.stringify(label)}; DNS labels are letters, digits and inner dashes, e.g. ${JSON.stringify(example)}`;
    }
  }
  return undefined;
}

function loginUserProblem(user: string): string | undefined {
  if (user.trim() === "") return 'the SSH login user is empty; write the image\'s login user, e.g. "debian"';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) {
    return `the SSH login user ${JSON.stringify(user)} is not a login name: a lower-case letter or "_" first, then lower-case letters, digits, "_" or "-", at most 32 characters, e.g. "debian"`;
  }
  return undefined;
}

function keyNameProblem(name: string): string | undefined {
  if (name.trim() === "") return 'the key pair name is empty; write the name of the Nova keypair / EC2 key pair, e.g. "estate-admin"';
  if (name.length > 255 || !/^[A-Za-z0-9_ -]+$/.test(name) || name !== name.trim()) {
    return `key pair name ${JSON.stringify(name)} is not one Nova accepts: letters, digits, "_", "-" and inner spaces, at most 255 characters, e.g. "estate-admin"`;
  }
  return undefined;
}

/**
 * An AWS load balancer only takes an ACM certificate of its own region (ELBv2 CreateListener: "the certificate
 * must be in the same Region as the load balancer").
 */
function certificateRegionProblem(arn: string, region: string): string | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || !/^\d{12}$/.test(parts[4]) || !parts[5].startsWith("certificate/")) {
    return `awsCertificateArn must be an ACM certificate ARN, arn:aws:acm:${region}:<account id>:certificate/<id>`;
  }
  if (parts[3] !== region) return `the ACM certificate is in ${parts[3] || "no region"}, but the AWS site's load balancers are in ${region}, and a load balancer only takes a certificate of its own region; import or request the certificate in ${region}`;
  return undefined;
}

function containerRefProblem(ref: string): string | undefined {
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return "openstackContainerRef must be the Barbican container's URL, e.g. https://key-manager.example.net/v1/containers/<uuid>";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `openstackContainerRef must be an https URL of the Barbican container, not a ${url.protocol} URL`;
  if (url.hostname === "") return "openstackContainerRef has no host; write the Barbican container's URL, e.g. https://key-manager.example.net/v1/containers/<uuid>";
  return undefined;
}
