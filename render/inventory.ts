/**
 * Renders the Ansible inventory of one environment from the EstateModel. Every name and address comes from the
 * model; this file only decides the inventory's shape and its group names.
 *
 * Group naming scheme (model names are lower-case letters, digits and single dashes, so replacing "-" with "_"
 * always gives a valid Ansible group name, and the prefixes plus the "__" separator keep every group distinct):
 *
 *   env_<env>                  the whole environment            env_dev
 *   kind_<site kind>           every site of one kind           kind_openstack, kind_aws
 *   site_<site>                one site                         site_os_a
 *   service_<service>          one service in every site        service_web
 *   site_<site>__<service>     one service in one site (leaf)   site_os_a__web
 *   golden_image_builders      the bake builders, one per OpenStack site (empty when bake is disabled)
 *
 * Groups feed groups through `children`: env → sites → site×service, kind → sites, service → site×service,
 * env → golden_image_builders. Each service host sits in exactly one leaf (site×service) group and carries its own
 * host vars; group vars sit on the group that owns them (env: monitoring; site: cloud and region; service: health
 * check, warm-up and listeners; site×service: load balancer and image references).
 */
import { basename } from "node:path";
import type {
  AwsSiteModel,
  AwsSiteServiceModel,
  BuilderModel,
  EstateModel,
  OpenstackSiteModel,
  OpenstackSiteServiceModel,
  ServiceModel,
  SiteKind,
  SiteModel,
} from "../model";

/** The group holding the golden-image builders; the golden-image playbook targets it. */
export const GOLDEN_IMAGE_BUILDERS_GROUP = "golden_image_builders";

/** A valid Ansible group name: letters, digits and underscores, not starting with a digit. */
export const ANSIBLE_GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envGroupName(env: string): string {
  return `env_${underscore(env)}`;
}

export function siteKindGroupName(kind: SiteKind): string {
  return `kind_${kind}`;
}

export function siteGroupName(site: string): string {
  return `site_${underscore(site)}`;
}

export function serviceGroupName(service: string): string {
  return `service_${underscore(service)}`;
}

export function siteServiceGroupName(site: string, service: string): string {
  return `site_${underscore(site)}__${underscore(service)}`;
}

type Vars = Record<string, unknown>;

/**
 * Host entries already rendered as `name: {var: value, ...}`. A large estate's hosts are rendered directly, in
 * one template per host: twice as fast as going through a map per host, and the bulk of the file.
 */
export class RenderedHosts {
  constructor(readonly entries: readonly string[]) {}
}

interface InventoryGroup {
  vars?: Vars;
  hosts?: Record<string, Vars> | RenderedHosts;
  children?: Record<string, InventoryGroup>;
}

/** A group already described elsewhere in the file: listing it again only adds a parent/child edge. */
const reference = (): InventoryGroup => ({});

export function renderInventory(model: EstateModel): string {
  const sites: SiteModel[] = [...model.openstackSites, ...(model.awsSite ? [model.awsSite] : [])];
  const hostsByLeaf = groupHostsByLeaf(model);

  const siteGroups: Record<string, InventoryGroup> = {};
  for (const site of sites) {
    const leaves: Record<string, InventoryGroup> = {};
    for (const siteService of site.services) {
      const leaf = siteServiceGroupName(site.name, siteService.service.name);
      leaves[leaf] = {
        vars: site.kind === "openstack" ? openstackLeafVars(site, siteService as OpenstackSiteServiceModel) : awsLeafVars(siteService as AwsSiteServiceModel),
        hosts: new RenderedHosts(hostsByLeaf.get(leaf) ?? []),
      };
    }
    siteGroups[siteGroupName(site.name)] = { vars: siteVars(site), children: leaves };
  }

  const envGroup: InventoryGroup = {
    vars: envVars(model, sites),
    children: { ...siteGroups, [GOLDEN_IMAGE_BUILDERS_GROUP]: buildersGroup(model) },
  };

  const serviceGroups: Record<string, InventoryGroup> = {};
  for (const service of model.services) {
    const children: Record<string, InventoryGroup> = {};
    for (const site of sites) {
      if (site.services.some((s) => s.service.name === service.name)) children[siteServiceGroupName(site.name, service.name)] = reference();
    }
    serviceGroups[serviceGroupName(service.name)] = { vars: serviceVars(service), children };
  }

  const kindGroups: Record<string, InventoryGroup> = {};
  for (const site of sites) {
    const name = siteKindGroupName(site.kind);
    const group = (kindGroups[name] ??= { children: {} });
    group.children![siteGroupName(site.name)] = reference();
  }

  const inventory = { all: { children: { [envGroupName(model.env)]: envGroup, ...serviceGroups, ...kindGroups } } };
  // The file's base name only: the same environment renders the same bytes from any checkout.
  const header = `# Ansible inventory of environment ${JSON.stringify(model.env)}, rendered from ${JSON.stringify(basename(model.sourceFile))}; do not edit.\n`;
  return header + toInventoryYaml(inventory);
}

/**
 * Host entries per leaf group, hosts in model order, each with its host vars: ansible_host, ansible_user,
 * estate_env, estate_site, estate_site_kind, estate_service, estate_availability_zone, golden_image_name and
 * golden_image_version (the same set the builders get, see builderVars); during a golden-image rollout, an OpenStack
 * host already on the rollout's version also gets estate_openstack_image, the rollout's Glance reference.
 */
function groupHostsByLeaf(model: EstateModel): Map<string, string[]> {
  const byLeaf = new Map<string, string[]>();
  const leaves = new Map<string, { entries: string[]; shared: string }>();
  const openstackSites = new Map(model.openstackSites.map((s) => [s.name, s]));
  for (const host of model.hosts) {
    const key = `${host.site}\u0000${host.service}`;
    let leaf = leaves.get(key);
    if (!leaf) {
      leaf = {
        entries: [],
        shared: flowPairs({ ansible_user: model.ssh.user, estate_env: model.env, estate_site: host.site, estate_site_kind: host.siteKind, estate_service: host.service }),
      };
      leaves.set(key, leaf);
      byLeaf.set(siteServiceGroupName(host.site, host.service), leaf.entries);
    }
    // A host a golden-image rollout already moved to the new version boots from the rollout's image, not the one its
    // site×service group names: a rebuild (rolling_update, method rebuild) must keep it there.
    const rolled = openstackSites.get(host.site)?.rolloutImages?.[host.image];
    const ref = rolled && rolled.version === host.imageVersion ? (rolled.ref.id ?? rolled.ref.name) : undefined;
    leaf.entries.push(
      `${scalar(host.name)}: {ansible_host: ${scalar(host.ip)}, ${leaf.shared}, estate_availability_zone: ${scalar(host.availabilityZone)}, ` +
        `golden_image_name: ${scalar(host.image)}, golden_image_version: ${scalar(host.imageVersion)}` +
        `${ref !== undefined ? `, estate_openstack_image: ${scalar(ref)}` : ""}}`,
    );
  }
  return byLeaf;
}

function envVars(model: EstateModel, sites: readonly SiteModel[]): Vars {
  return {
    estate_sites: sites.map((s) => s.name),
    estate_openstack_sites: model.openstackSites.map((s) => s.name),
    estate_site_groups: Object.fromEntries(sites.map((s) => [s.name, siteGroupName(s.name)])),
    estate_node_exporter_port: model.monitoring.nodeExporterPort,
    ...(model.monitoring.zabbixServer !== undefined ? { estate_zabbix_server: model.monitoring.zabbixServer } : {}),
  };
}

function siteVars(site: SiteModel): Vars {
  if (site.kind === "openstack") {
    return { estate_cloud: site.cloud, estate_region: site.region, estate_traffic_state: site.traffic.state };
  }
  return awsSiteVars(site);
}

function awsSiteVars(site: AwsSiteModel): Vars {
  return {
    estate_region: site.region,
    ...(site.profile !== undefined ? { estate_aws_profile: site.profile } : {}),
    estate_traffic_state: site.traffic.state,
  };
}

function openstackLeafVars(site: OpenstackSiteModel, siteService: OpenstackSiteServiceModel): Vars {
  return {
    estate_lb_vip_address: siteService.lbVipAddress,
    ...(siteService.publicVip ? { estate_public_vip: siteService.publicVip } : {}),
    ...openstackImageVar(site, siteService.hosts[0]?.image),
  };
}

/** The Glance reference hosts of this site×service boot from, as the site's Terraform looks it up. */
function openstackImageVar(site: OpenstackSiteModel, image: string | undefined): Vars {
  const ref = image !== undefined ? site.images[image] : undefined;
  const value = ref?.id ?? ref?.name;
  return value !== undefined ? { estate_openstack_image: value } : {};
}

function awsLeafVars(siteService: AwsSiteServiceModel): Vars {
  return { estate_aws_load_balancer_name: siteService.loadBalancerName, estate_aws_load_balancer_type: siteService.loadBalancerType };
}

function serviceVars(service: ServiceModel): Vars {
  const hc = service.healthCheck;
  // The listener Route 53 probes (the model's choice, never list order); a UDP-only service has none to warm up.
  const warmupListener = service.listeners.find((l) => l.port === service.publicHealthCheck?.listenerPort) ?? service.listeners[0];
  return {
    estate_health_check_protocol: hc.protocol,
    estate_health_check_port: hc.port,
    ...(hc.path !== undefined ? { estate_health_check_path: hc.path, estate_health_check_status_codes: expandStatusCodes(hc.expectedCodes) } : {}),
    estate_listeners: service.listeners.map((l) => ({ protocol: l.protocol, port: l.port, backend_port: l.backendPort })),
    estate_warmup_paths: [...service.warmup],
    // Members speak TLS only behind a pass-through HTTPS listener; TERMINATED_HTTPS talks plain HTTP to them.
    estate_warmup_scheme: warmupListener.protocol === "HTTPS" ? "https" : "http",
    estate_warmup_port: warmupListener.backendPort,
  };
}

function buildersGroup(model: EstateModel): InventoryGroup {
  const hosts: Record<string, Vars> = {};
  const site = new Map(model.openstackSites.map((s) => [s.name, s]));
  for (const builder of model.bake.builders) hosts[builder.name] = builderVars(model, builder, site.get(builder.site));
  return { hosts };
}

/** A builder's host vars: those of a service host (see groupHostsByLeaf) plus its site's cloud and the publish name. */
function builderVars(model: EstateModel, builder: BuilderModel, site: OpenstackSiteModel | undefined): Vars {
  return {
    ansible_host: builder.ip,
    ansible_user: model.ssh.user,
    estate_env: model.env,
    estate_site: builder.site,
    estate_site_kind: site?.kind ?? "openstack",
    estate_availability_zone: builder.availabilityZone,
    ...(site ? { estate_cloud: site.cloud, estate_region: site.region } : {}),
    golden_image_name: builder.image,
    golden_image_version: builder.imageVersion,
    golden_image_publish_name: builder.publishName,
  };
}

/** Octavia expected codes ("200", "200,202", "200-204") as the list ansible.builtin.uri wants. */
export function expandStatusCodes(expected: string): number[] {
  const codes: number[] = [];
  for (const part of expected.split(",")) {
    const [from, to] = part.trim().split("-").map((n) => Number.parseInt(n, 10));
    for (let code = from; code <= (to ?? from); code++) codes.push(code);
  }
  return codes;
}

/**
 * YAML for an Ansible inventory made of plain data (maps, lists, strings, numbers, booleans), in one pass into
 * one string: block style, except that each host under `hosts:` is one line with its vars as a flow mapping
 * (the shape of an INI inventory, and a one-line diff per host). The `yaml` package's stringify takes seconds on
 * an estate of 20,000 hosts; this takes tens of milliseconds.
 *
 * Ansible reads inventories with PyYAML (YAML 1.1), so a string stays plain only when neither YAML 1.1 nor 1.2
 * could read it as anything else; every other string is written as a JSON string, which is valid double-quoted
 * YAML. Tests read the output back with the `yaml` package in 1.1 mode, with PyYAML and with ansible-inventory.
 */
export function toInventoryYaml(value: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  writeMap(value, "", lines);
  return lines.join("");
}

function writeMap(map: Readonly<Record<string, unknown>>, indent: string, lines: string[]): void {
  for (const key in map) {
    const value = map[key];
    const name = scalar(key);
    if (typeof value !== "object" || value === null) {
      lines.push(`${indent}${name}: ${scalar(value)}\n`);
    } else if (Array.isArray(value)) {
      writeList(name, value, indent, lines);
    } else if (value instanceof RenderedHosts) {
      lines.push(`${indent}${name}:${value.entries.length === 0 ? " {}" : ""}\n`);
      for (const entry of value.entries) lines.push(`${indent}  ${entry}\n`);
    } else if (isEmpty(value)) {
      lines.push(`${indent}${name}: {}\n`);
    } else if (key === "hosts") {
      lines.push(`${indent}${name}:\n`);
      const hosts = value as Readonly<Record<string, Readonly<Record<string, unknown>>>>;
      for (const host in hosts) lines.push(`${indent}  ${scalar(host)}: {${flowPairs(hosts[host])}}\n`);
    } else {
      lines.push(`${indent}${name}:\n`);
      writeMap(value as Record<string, unknown>, `${indent}  `, lines);
    }
  }
}

function writeList(name: string, list: readonly unknown[], indent: string, lines: string[]): void {
  if (list.length === 0) {
    lines.push(`${indent}${name}: []\n`);
    return;
  }
  lines.push(`${indent}${name}:\n`);
  const itemIndent = `${indent}    `;
  for (const item of list) {
    if (typeof item !== "object" || item === null) {
      lines.push(`${indent}  - ${scalar(item)}\n`);
    } else if (Array.isArray(item) || isEmpty(item)) {
      throw new Error(`inventory key ${name}: lists may hold scalars or non-empty maps only`);
    } else {
      // "- " then the map's first key on the same line, its other keys aligned under it.
      const start = lines.length;
      writeMap(item as Record<string, unknown>, itemIndent, lines);
      lines[start] = `${indent}  - ${lines[start].slice(itemIndent.length)}`;
    }
  }
}

/** `key: value, key: value` of a flow mapping of scalars (host vars). */
function flowPairs(vars: Readonly<Record<string, unknown>>): string {
  const pairs: string[] = [];
  for (const key in vars) {
    const value = vars[key];
    if (typeof value === "object" && value !== null) throw new Error(`host var ${key} must be a scalar`);
    pairs.push(`${scalar(key)}: ${scalar(value)}`);
  }
  return pairs.join(", ");
}

function isEmpty(map: object): boolean {
  for (const _ in map) return false;
  return true;
}

/** Starts with a letter, "_" or "/" (so never a number, date, null or .inf) and holds no YAML indicator. */
const PLAIN_WORD = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** Dotted numbers with two or more dots (IP addresses, versions): a string in YAML 1.1 and 1.2 alike. */
const PLAIN_DOTTED = /^[0-9]+(\.[0-9]+){2,}$/;
/** Words YAML 1.1 reads as booleans or null. */
const YAML11_KEYWORD = /^(y|yes|n|no|true|false|on|off|null)$/i;

/**
 * Ansible templates every string variable when a play uses it: Jinja2's `{{ }}`, `{% %}` and `{# #}` in a value
 * would be evaluated on the controller (`{{ lookup('pipe', ...) }}` runs a command there). Every delimiter starts
 * with "{", and no value the toolkit computes holds one, so a string holding "{" came from the environment file
 * and is tagged `!unsafe`: Ansible hands it to tasks as written, never templated ("Advanced playbook syntax",
 * Unsafe or raw strings). Other values stay untagged so that the inventory reads as plain YAML.
 */
const JINJA2_DELIMITER_START = "{";

function scalar(value: unknown): string {
  if (typeof value === "string") {
    if (value.includes(JINJA2_DELIMITER_START)) return `!unsafe ${JSON.stringify(value)}`;
    return (PLAIN_WORD.test(value) && !YAML11_KEYWORD.test(value)) || PLAIN_DOTTED.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  throw new Error(`inventory value ${String(value)} cannot be written as YAML`);
}

function underscore(name: string): string {
  return name.replace(/-/g, "_");
}
