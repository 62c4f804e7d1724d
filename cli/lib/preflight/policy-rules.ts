/**
 * The OpenStack API policy rules a synthesized site stack exercises, read from its resources and the attributes it
 * sets, with who passes each under the services' default policies in Zed (the release Debian 12 ships).
 *
 * Sources (the policy-in-code defaults of each service, Zed):
 * - Neutron 21 `neutron/conf/policies/{network,subnet,router,port,security_group,floatingip}.py`: `create_*` rules
 *   are ADMIN or PROJECT_MEMBER (`role:member and project_id:%(project_id)s`); `create_port:fixed_ips*` need the
 *   network's owner; `create_floatingip:floating_ip_address`,
 *   `create_router:external_gateway_info:external_fixed_ips` and `...:enable_snat` are ADMIN (`rule:admin_only`).
 * - Nova 26 `nova/policies/{servers,server_groups,keypairs}.py`: `os_compute_api:servers:create` (and
 *   `:attach_network`, `:attach_volume`) and `os-server-groups:create` are PROJECT_MEMBER_OR_ADMIN;
 *   `servers:create:zero_disk_flavor` and `:forced_host` are ADMIN; `os-keypairs:create` is admin or the key's user.
 * - Cinder 21 `cinder/policies/volumes.py`: `volume:create`, `volume:create_from_image` are SYSTEM_ADMIN_OR_PROJECT_MEMBER
 *   (Nova creates a boot volume with the user's token).
 * - Octavia 11 `octavia/policies/base.py`: `load-balancer:write` is `load-balancer:member_and_owner`
 *   (`role:load-balancer_member` in the project) or `load-balancer:admin` (`is_admin:True`, i.e. the admin role,
 *   or `role:load-balancer_admin`); every `os_load-balancer_api:<object>:post` rule is `load-balancer:write`.
 */
import { instancesOf, blocksOf, type TerraformJson, type TfInstance } from "../../../terraform-json";

/** Who passes a rule under the default policy. */
export type DefaultHolder =
  /** The `member` role in the project (the legacy rules Zed still honours let any project user through). */
  | "member"
  /** The `admin` role. */
  | "admin"
  /** Octavia's `load-balancer_member` role in the project, or `admin` / `load-balancer_admin`. */
  | "load-balancer_member";

/**
 * How preflight learns whether the user holds a rule: from the token's roles, or by trying the call (a floating IP
 * at a fixed address: clouds often grant it through a custom policy, not the admin role).
 */
export type RuleCheck = "role" | "try";

export interface PolicyRule {
  /** Service type in the Keystone catalog. */
  readonly service: "network" | "compute" | "volume" | "load-balancer";
  /** Policy rule name, as in the service's policy.yaml. */
  readonly rule: string;
  readonly holder: DefaultHolder;
  readonly check: RuleCheck;
  /** Why the stack needs it: the API call and what in the stack makes it. */
  readonly because: string;
}

export interface RuleUse extends PolicyRule {
  /** Terraform addresses of the resources that make the call (for_each keys collapsed to the block). */
  readonly resources: readonly string[];
}

const member = (service: PolicyRule["service"], rule: string, because: string): PolicyRule => ({ service, rule, holder: "member", check: "role", because });
const admin = (service: PolicyRule["service"], rule: string, because: string, check: RuleCheck = "role"): PolicyRule => ({ service, rule, holder: "admin", check, because });
const lbWrite = (object: string): PolicyRule => ({
  service: "load-balancer",
  rule: `os_load-balancer_api:${object}:post`,
  holder: "load-balancer_member",
  check: "role",
  because: `POST /v2/lbaas/${object === "healthmonitor" ? "healthmonitors" : object === "member" ? "pools/{id}/members" : `${object}s`} (rule load-balancer:write)`,
});

const has = (attrs: Readonly<Record<string, unknown>>, key: string): boolean => {
  const v = attrs[key];
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== false;
};

/** The rules one resource instance needs, by Terraform resource type and the attributes it sets. */
const RULES_BY_TYPE: Readonly<Record<string, (attrs: Readonly<Record<string, unknown>>) => PolicyRule[]>> = {
  openstack_networking_network_v2: (a) => [
    member("network", "create_network", "POST /v2.0/networks"),
    ...(has(a, "shared") ? [admin("network", "create_network:shared", "a shared network (shared = true)")] : []),
    ...(has(a, "external") ? [admin("network", "create_network:router:external", "an external network (external = true)")] : []),
    ...(has(a, "segments") ? [admin("network", "create_network:segments", "provider segments")] : []),
  ],
  openstack_networking_subnet_v2: () => [member("network", "create_subnet", "POST /v2.0/subnets on the stack's own network")],
  openstack_networking_router_v2: (a) => [
    member("network", "create_router", "POST /v2.0/routers"),
    ...(has(a, "external_network_id")
      ? [
          member("network", "create_router:external_gateway_info", "a router with an external gateway"),
          member("network", "create_router:external_gateway_info:network_id", "the gateway's external network (external_network_id)"),
        ]
      : []),
    ...(has(a, "enable_snat") ? [admin("network", "create_router:external_gateway_info:enable_snat", "enable_snat set on the gateway")] : []),
    ...(has(a, "external_fixed_ip") ? [admin("network", "create_router:external_gateway_info:external_fixed_ips", "fixed addresses on the gateway (external_fixed_ip)")] : []),
    ...(has(a, "distributed") ? [admin("network", "create_router:distributed", "a distributed router")] : []),
  ],
  openstack_networking_router_interface_v2: () => [member("network", "add_router_interface", "PUT /v2.0/routers/{id}/add_router_interface")],
  // terraform-provider-openstack writes one route by updating the router's routes (PUT /v2.0/routers/{id}).
  openstack_networking_router_route_v2: () => [member("network", "update_router", "PUT /v2.0/routers/{id} with the routes")],
  openstack_networking_port_v2: (a) => [
    member("network", "create_port", "POST /v2.0/ports"),
    ...(has(a, "fixed_ip")
      ? [
          member("network", "create_port:fixed_ips", "fixed_ips on the stack's own network (network owner)"),
          member("network", "create_port:fixed_ips:subnet_id", "a subnet in fixed_ips (network owner)"),
          member("network", "create_port:fixed_ips:ip_address", "a fixed address in fixed_ips (network owner)"),
        ]
      : []),
  ],
  openstack_networking_secgroup_v2: () => [member("network", "create_security_group", "POST /v2.0/security-groups")],
  openstack_networking_secgroup_rule_v2: () => [member("network", "create_security_group_rule", "POST /v2.0/security-group-rules on the stack's own group")],
  openstack_networking_floatingip_v2: (a) => [
    member("network", "create_floatingip", "POST /v2.0/floatingips"),
    ...(has(a, "address") ? [admin("network", "create_floatingip:floating_ip_address", "a floating IP at a fixed address (the public VIP)", "try")] : []),
  ],
  openstack_compute_servergroup_v2: () => [member("compute", "os_compute_api:os-server-groups:create", "POST /os-server-groups")],
  openstack_compute_keypair_v2: () => [member("compute", "os_compute_api:os-keypairs:create", "POST /os-keypairs (the key belongs to the clouds.yaml user)")],
  openstack_compute_instance_v2: (a) => [
    member("compute", "os_compute_api:servers:create", "POST /servers"),
    ...(has(a, "network") ? [member("compute", "os_compute_api:servers:create:attach_network", "a server on a given port")] : []),
    ...(bootsFromVolume(a)
      ? [
          member("compute", "os_compute_api:servers:create:attach_volume", "a server with a block device mapping (boot from volume)"),
          member("volume", "volume:create", "Nova creates the boot volume with the user's token"),
          member("volume", "volume:create_from_image", "the boot volume is made from the image"),
        ]
      : []),
    ...(typeof a.availability_zone === "string" && a.availability_zone.includes(":")
      ? [admin("compute", "os_compute_api:servers:create:forced_host", "availability_zone names a host (zone:host)")]
      : []),
  ],
  openstack_lb_loadbalancer_v2: () => [lbWrite("loadbalancer")],
  openstack_lb_listener_v2: () => [lbWrite("listener")],
  openstack_lb_pool_v2: () => [lbWrite("pool")],
  openstack_lb_monitor_v2: () => [lbWrite("healthmonitor")],
  openstack_lb_member_v2: () => [lbWrite("member")],
};

/** True when a server boots from a Cinder volume (block_device with destination_type volume). */
export function bootsFromVolume(attrs: Readonly<Record<string, unknown>>): boolean {
  const devices = attrs.block_device;
  return Array.isArray(devices) && devices.some((d) => (d as Record<string, unknown>)?.destination_type === "volume");
}

/**
 * Every rule the stacks exercise, once each, with the resources that need it; in the order the stacks would be
 * applied (network, compute, volume, load-balancer), then by rule name. A managed resource type this table does not
 * know is an error: preflight would otherwise pass a stack it never looked at.
 */
export function policyRulesOf(stacks: readonly TerraformJson[]): RuleUse[] {
  const uses = new Map<string, { rule: PolicyRule; resources: Set<string> }>();
  for (const tf of stacks) {
    for (const block of blocksOf(tf, "managed")) {
      const rulesFor = RULES_BY_TYPE[block.type];
      if (!rulesFor) throw new Error(`preflight knows no policy rules for ${block.type} (${block.address}); add it to cli/lib/preflight/policy-rules.ts`);
      for (const instance of instancesOf(block, tf) as TfInstance[]) {
        for (const rule of rulesFor(instance.attributes)) {
          const key = `${rule.service}\u0000${rule.rule}`;
          const use = uses.get(key) ?? { rule, resources: new Set<string>() };
          use.resources.add(block.address);
          uses.set(key, use);
        }
      }
    }
  }
  const order = ["network", "compute", "volume", "load-balancer"];
  return [...uses.values()]
    .map(({ rule, resources }) => ({ ...rule, resources: [...resources].sort() }))
    .sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** Whether token roles satisfy a default holder. */
export function rolesSatisfy(holder: DefaultHolder, roles: readonly string[]): boolean {
  switch (holder) {
    case "admin":
      return roles.includes("admin");
    case "member":
      return roles.includes("member") || roles.includes("admin");
    case "load-balancer_member":
      return roles.includes("load-balancer_member") || roles.includes("load-balancer_admin") || roles.includes("admin");
  }
}
