/**
 * Every name the estate gives: stacks, hosts, cloud resources, Terraform locals and outputs, DNS records. Names
 * join the environment's, sites' and services' names with dashes; `resolveEstate` records the results in the
 * model, `validateEstate` checks with the same functions that no two owners get one name, and stacks, renderers and
 * the CLI read them. A name here is public: it is a Terraform stack, a host name in the inventory, a cloud
 * resource's name or a Terraform address, so changing one renames or replaces real things.
 */

/** `<env>-<site>`: the Terraform stack of one OpenStack or AWS site, also its network's name. */
export function siteStackName(env: string, site: string): string {
  return `${env}-${site}`;
}

/** `<env>-traffic`: the Route 53 stack of an environment. */
export function trafficStackName(env: string): string {
  return `${env}-traffic`;
}

/** `<env>-<site>-bake`: the stack that bakes the golden image in one OpenStack site. */
export function bakeStackName(env: string, site: string): string {
  return `${siteStackName(env, site)}-bake`;
}

/**
 * `<env>-<site>-<service>`: one service's fleet in one site. The name of its Neutron security group, Octavia load
 * balancer and first Nova server group, and the prefix of its host names.
 */
export function fleetName(env: string, site: string, service: string): string {
  return `${env}-${site}-${service}`;
}

/** `<env>-<site>-<service>-<NNN>` (index 1-based, at least three digits): unique in the estate. */
export function hostName(env: string, site: string, service: string, index: number): string {
  return `${fleetName(env, site, service)}-${String(index).padStart(3, "0")}`;
}

/** `<fleet>` for group 1, `<fleet>-<n>` for group n (1-based): the Nova server groups of one fleet. */
export function serverGroupName(fleet: string, ordinal: number): string {
  return ordinal === 1 ? fleet : `${fleet}-${ordinal}`;
}

/** `<env>-<site>-builder`: the instance that bakes the golden image in one OpenStack site. */
export function builderName(env: string, site: string): string {
  return `${env}-${site}-builder`;
}

/** `<image>-<version>`: the Glance name a baked image is published under where the site pins no name of its own. */
export function bakedImageName(image: string, version: string): string {
  return `${image}-${version}`;
}

/** Longest name AWS accepts for an Application or Network Load Balancer (and for its target groups). */
export const AWS_LOAD_BALANCER_NAME_MAX_LENGTH = 32;

/**
 * `<env>-<service>`, or when that exceeds {@link AWS_LOAD_BALANCER_NAME_MAX_LENGTH} characters its first 25
 * characters, a dash and a 6-character base-36 hash of the whole: deterministic, so the traffic stack can look the
 * load balancer up by name.
 */
export function awsLoadBalancerName(env: string, service: string): string {
  const full = `${env}-${service}`;
  if (full.length <= AWS_LOAD_BALANCER_NAME_MAX_LENGTH) return full;
  let h = 0;
  for (const ch of full) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${full.slice(0, 25)}-${h.toString(36).padStart(6, "0").slice(0, 6)}`;
}

/** `<service>.<domain>`: the Route 53 record name of a public service. */
export function serviceRecordName(service: string, domain: string): string {
  return `${service}.${domain}`;
}

/** `estate-<stack>`: the session name a stack's AWS provider assumes its role under. */
export function assumeRoleSessionName(stack: string): string {
  return `estate-${stack}`;
}

/** `PascalCase`, `kebab-case` and `dotted.names` to `snake_case`: Terraform names and local names. */
export function snakeCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}

/** `hosts_<service>`: the Terraform local that holds one fleet's host map, in snake_case. */
export function hostsLocalName(service: string): string {
  return `hosts_${snakeCase(service)}`;
}

/** `<service>_lb_dns_name` (dashes as underscores): the AWS site stack's output of a load balancer's DNS name. */
export function loadBalancerDnsNameOutput(service: string): string {
  return `${service.replace(/-/g, "_")}_lb_dns_name`;
}
