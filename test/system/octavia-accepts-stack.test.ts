/**
 * Octavia's view of a synthesized OpenStack site stack: the load balancers, listeners, pools, health monitors and
 * members of `cdk.tf.json` are created, exactly as the stack's Terraform JSON describes them, with the openstack
 * client against the real Octavia of test/system/openstack/setup.sh, then read back: Octavia must accept every
 * value and store it as written. The fixture estate test/fixtures/openstack-local/octavia-kinds.yaml holds every
 * kind of value the site stack emits (listener and pool protocols, monitor types, timings at both ends of their
 * ranges, the three forms of expected codes, monitor ports, allowed CIDRs with the Route 53 health checkers).
 *
 * The stack is read the way Terraform reads it: `for_each` over the fleet's host map (a local) with `each.key` and
 * `each.value.ip` substituted (terraform-json/), template escapes (`$${`, `%%{`) turned back into
 * text, and each `${<type>.<name>.id}` reference replaced by the id of the object created for that address. The
 * network and subnet the VIPs and members live on are created from the stack's own network and subnet blocks.
 *
 * What it does not prove: Terraform's OpenStack provider is not run (no provider binary here), so the provider's
 * own translation is taken from its source, attribute by attribute, in the tables below. No amphora runs (noop
 * driver): Octavia's API and database accept and store the values; haproxy never renders them. This cloud has no
 * key manager (Barbican), so a TERMINATED_HTTPS listener stops at Octavia's certificate lookup: the test requires
 * exactly that refusal and nothing else for it, and does not create the pool, monitor and members behind it.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { blocksOf, instancesOf, type TerraformJson, type TfInstance } from "../../terraform-json";
import { synthesize } from "../../stacks/synthesize";
import { HOW_TO_START, openstack, openstackJson, openstackRaw, openstackRequired, openstackUnavailable } from "../support/openstack";
import { scratchDirs } from "../support/tools";

const FIXTURE = "test/fixtures/openstack-local/octavia-kinds.yaml";
const FIXTURE_ENV = "ovkinds";
const SITE = "os-a";
/** Every create waits for its load balancer to leave PENDING_*; noop amphorae take a second or two. */
const ACTIVE_DEADLINE_MS = 120_000;
const SETUP_TIMEOUT_MS = 1_500_000;

const unavailable = openstackUnavailable();
const skipped = unavailable !== undefined && !openstackRequired();
const title = `Octavia accepts a synthesized site stack${skipped ? ` (skipped: ${unavailable}; ${HOW_TO_START})` : ""}`;
const tempDir = scratchDirs();

/** The Octavia resource types of a site stack, in the order they are created (each refers to the one before). */
const LB_TYPES = ["openstack_lb_loadbalancer_v2", "openstack_lb_listener_v2", "openstack_lb_pool_v2", "openstack_lb_monitor_v2", "openstack_lb_member_v2"] as const;
type LbType = (typeof LB_TYPES)[number];

/**
 * How one Terraform attribute reaches Octavia. The provider (terraform-provider-openstack v3.x,
 * openstack/resource_openstack_lb_{loadbalancer,listener,pool,monitor,member}_v2.go) copies each attribute into the
 * gophercloud `CreateOpts` field that is sent as the Octavia API field of the same name (`vip_subnet_id`,
 * `protocol_port`, `allowed_cidrs`, `max_retries_down`, `monitor_port`...; `lb_method` is sent as `lb_algorithm`);
 * the openstack client (python3-octaviaclient 3.1.0) sends the same API field from its flag. Octavia's `show` answers
 * with that field, the parent references as the list of parents (`loadbalancers`, `listeners`, `pools`).
 */
interface AttributeRoute {
  /** The client flag; "positional" for the parent given as the command's argument; a boolean picks one of two flags. */
  readonly flag: string | "positional" | { readonly true: string; readonly false: string };
  /** A list attribute: the flag once per element. */
  readonly repeated?: boolean;
  /** The field `show -f json` reports it as. @default - the attribute's own name */
  readonly readAs?: string;
}

const ROUTES: Readonly<Record<LbType, Readonly<Record<string, AttributeRoute>>>> = {
  openstack_lb_loadbalancer_v2: {
    name: { flag: "--name" },
    vip_subnet_id: { flag: "--vip-subnet-id" },
    vip_address: { flag: "--vip-address" },
    admin_state_up: { flag: { true: "--enable", false: "--disable" } },
  },
  openstack_lb_listener_v2: {
    name: { flag: "--name" },
    loadbalancer_id: { flag: "positional", readAs: "loadbalancers" },
    protocol: { flag: "--protocol" },
    protocol_port: { flag: "--protocol-port" },
    allowed_cidrs: { flag: "--allowed-cidr", repeated: true },
    default_tls_container_ref: { flag: "--default-tls-container-ref" },
  },
  openstack_lb_pool_v2: {
    name: { flag: "--name" },
    listener_id: { flag: "--listener", readAs: "listeners" },
    protocol: { flag: "--protocol" },
    // The provider sends lb_method as the API field lb_algorithm (gophercloud pools.CreateOpts LBMethod).
    lb_method: { flag: "--lb-algorithm", readAs: "lb_algorithm" },
  },
  openstack_lb_monitor_v2: {
    name: { flag: "--name" },
    pool_id: { flag: "positional", readAs: "pools" },
    type: { flag: "--type" },
    delay: { flag: "--delay" },
    timeout: { flag: "--timeout" },
    max_retries: { flag: "--max-retries" },
    max_retries_down: { flag: "--max-retries-down" },
    url_path: { flag: "--url-path" },
    http_method: { flag: "--http-method" },
    expected_codes: { flag: "--expected-codes" },
  },
  openstack_lb_member_v2: {
    name: { flag: "--name" },
    // `member show <pool> <member>`: the pool is the lookup itself, so a member read back is in its pool.
    pool_id: { flag: "positional", readAs: "" },
    address: { flag: "--address" },
    protocol_port: { flag: "--protocol-port" },
    subnet_id: { flag: "--subnet-id" },
    monitor_port: { flag: "--monitor-port" },
    // The site stack owns a member's weight (1 in service, 0 while a rollout drains the host).
    weight: { flag: "--weight" },
  },
};

/** The `openstack loadbalancer ...` noun of each type. */
const NOUN: Readonly<Record<LbType, string[]>> = {
  openstack_lb_loadbalancer_v2: [],
  openstack_lb_listener_v2: ["listener"],
  openstack_lb_pool_v2: ["pool"],
  openstack_lb_monitor_v2: ["healthmonitor"],
  openstack_lb_member_v2: ["member"],
};

/** The parent reference attribute of each type (absent for the load balancer). */
const PARENT: Readonly<Record<LbType, string | undefined>> = {
  openstack_lb_loadbalancer_v2: undefined,
  openstack_lb_listener_v2: "loadbalancer_id",
  openstack_lb_pool_v2: "listener_id",
  openstack_lb_monitor_v2: "pool_id",
  openstack_lb_member_v2: "pool_id",
};

/**
 * What python3-octaviaclient 3.1.0 refuses before sending anything although Octavia takes it: `--max-retries` and
 * `--max-retries-down` are declared with `choices=range(1, 10)` (octaviaclient/osc/v2/health_monitor.py), so 10 is
 * refused, while Octavia accepts 1 to 10 (octavia/api/v2/types/health_monitor.py, `MIN_HM_RETRIES`..`MAX_HM_RETRIES`
 * in octavia/common/constants.py). Such a monitor is created through Octavia's API with the same fields instead.
 */
const CLIENT_REFUSES_RETRIES_10 = /argument --max-retries(?:-down)?: invalid choice: 10 \(choose from 1, 2, 3, 4, 5, 6, 7, 8, 9\)/;

/** Octavia's answer to a TERMINATED_HTTPS listener whose container it cannot fetch (no key manager here). */
const certificateNotRetrieved = (ref: string) => `Could not retrieve certificate: ['${ref}']`;

/** One Terraform resource instance and what became of it in Octavia. */
interface Outcome {
  readonly instance: TfInstance;
  readonly type: LbType;
  /** The instance's attributes with literals unescaped and references replaced by ids. */
  readonly attributes: Record<string, unknown>;
  /** The Octavia id, once created. */
  id?: string;
  /** Octavia's own message when it refused the object. */
  refused?: string;
  /** The client's message when it refused the value itself and the object was created through Octavia's API. */
  clientRefused?: string;
  /** Set when it was not attempted: its parent, which Octavia did not create. */
  blockedBy?: Outcome;
}

/** A literal of the stack as Terraform reads it: the template escapes `$${` and `%%{` are text `${` and `%{`. */
function unescapeTemplate(text: string): string {
  return text.replace(/([$%])\1\{/g, "$1{");
}

const REFERENCE_TO_ID = /^\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.id\}$/;

/** Replaces `${type.name.id}` by the created object's id and unescapes literals; any other expression is an error. */
function resolveValue(value: unknown, ids: ReadonlyMap<string, string>, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ids, where));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, ids, `${where}.${k}`)]));
  }
  if (typeof value !== "string") return value;
  const ref = REFERENCE_TO_ID.exec(value);
  if (ref) {
    const id = ids.get(ref[1]);
    if (id === undefined) throw new Error(`${where}: ${value} refers to ${ref[1]}, which this test did not create`);
    return id;
  }
  if (/(^|[^$])\$\{|(^|[^%])%\{/.test(value)) throw new Error(`${where}: ${JSON.stringify(value)} is an expression this test cannot evaluate`);
  return unescapeTemplate(value);
}

/** The client arguments that create `outcome`, from the route of each attribute. */
function createArgs(outcome: Outcome): string[] {
  const routes = ROUTES[outcome.type];
  const args = ["loadbalancer", ...NOUN[outcome.type], "create"];
  let positional: string | undefined;
  for (const [attribute, value] of Object.entries(outcome.attributes)) {
    const route = routes[attribute];
    if (!route) throw new Error(`${outcome.instance.address}: no client flag for attribute ${attribute}; add its route from the provider's source`);
    if (route.flag === "positional") positional = String(value);
    else if (typeof route.flag === "object") args.push(value === true ? route.flag.true : route.flag.false);
    else if (route.repeated) for (const element of value as unknown[]) args.push(route.flag, String(element));
    else args.push(route.flag, String(value));
  }
  return positional === undefined ? [...args, "--wait", "-f", "json"] : [...args, "--wait", positional, "-f", "json"];
}

/**
 * Creates a health monitor through Octavia's API (`POST /v2/lbaas/healthmonitors`), the request the provider makes:
 * every attribute of openstack_lb_monitor_v2 the stack writes is the API field of the same name. Returns the id, or
 * Octavia's own message.
 */
async function createMonitorThroughApi(attributes: Record<string, unknown>): Promise<{ id?: string; refused?: string }> {
  const token = (await openstack(["token", "issue", "-f", "value", "-c", "id"])).trim();
  const [endpoint] = await openstackJson<{ URL: string }[]>(["endpoint", "list", "--service", "load-balancer", "--interface", "public"]);
  const response = await fetch(`${endpoint.URL}/v2/lbaas/healthmonitors`, {
    method: "POST",
    headers: { "X-Auth-Token": token, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ healthmonitor: attributes }),
  });
  const body = (await response.json()) as { healthmonitor?: { id: string }; faultstring?: string };
  return response.ok ? { id: body.healthmonitor!.id } : { refused: `${body.faultstring ?? JSON.stringify(body)} (HTTP ${response.status})` };
}

/** What `show -f json` reports for one attribute, in the form Terraform wrote it. */
function storedValue(shown: Record<string, unknown>, attribute: string, route: AttributeRoute, emitted: unknown): unknown {
  const value = shown[route.readAs ?? attribute];
  // octaviaclient prints list fields as lines of one string: allowed_cidrs "a\nb", loadbalancers "<id>".
  if (Array.isArray(emitted)) return typeof value === "string" ? (value === "" ? [] : value.split("\n")) : value;
  return value;
}

/** Waits (after an API call; the client's --wait does it otherwise), within ACTIVE_DEADLINE_MS, until the load balancer is no longer PENDING_*; fails on ERROR. */
async function waitForActive(loadBalancerId: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_DEADLINE_MS;
  let status = "";
  while (Date.now() < deadline) {
    status = (await openstack(["loadbalancer", "show", loadBalancerId, "-c", "provisioning_status", "-f", "value"])).trim();
    if (status === "ACTIVE") return;
    if (status === "ERROR") throw new Error(`load balancer ${loadBalancerId} went to provisioning_status ERROR`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`load balancer ${loadBalancerId} still ${status} after ${ACTIVE_DEADLINE_MS / 1000} s`);
}

/** The site stack of a copy of the fixture renamed to `env`, synthesized as `estate synth` writes it. */
function synthesizeSiteStack(env: string): TerraformJson {
  const dir = tempDir("estate-octavia-");
  const file = join(dir, `${env}.yaml`);
  writeFileSync(file, readFileSync(FIXTURE, "utf8").replace(new RegExp(`^name: ${FIXTURE_ENV}$`, "m"), `name: ${env}`));
  const out = join(dir, "out");
  const result = synthesize({ environmentFiles: [file], outdir: out, include: (s) => s.kind === "openstack" && s.site === SITE });
  const stack = result.stacks.find((s) => s.site === SITE)!;
  return JSON.parse(readFileSync(join(out, stack.path), "utf8")) as TerraformJson;
}

/** The single block of `type` in the stack (network, subnet). */
function onlyBlock(tf: TerraformJson, type: string): TfInstance {
  const blocks = blocksOf(tf, "managed").filter((b) => b.type === type);
  if (blocks.length !== 1) throw new Error(`expected one ${type} in the stack, found ${blocks.length}`);
  return instancesOf(blocks[0], tf)[0];
}

describe("the fixture estate for Octavia holds every kind of value the site stack emits", () => {
  const tf = synthesizeSiteStack(FIXTURE_ENV);
  const all = (type: LbType) => blocksOf(tf, "managed").filter((b) => b.type === type).flatMap((b) => instancesOf(b, tf).map((i) => i.attributes));
  const kinds = (type: LbType, attribute: string) => [...new Set(all(type).map((a) => JSON.stringify(a[attribute])).filter((v) => v !== undefined))].sort();

  it("has each listener protocol, pool protocol, lb_method and monitor type", () => {
    expect(kinds("openstack_lb_listener_v2", "protocol")).toEqual(['"HTTP"', '"HTTPS"', '"TCP"', '"TERMINATED_HTTPS"', '"UDP"']);
    expect(kinds("openstack_lb_pool_v2", "protocol")).toEqual(['"HTTP"', '"HTTPS"', '"TCP"', '"UDP"']);
    expect(kinds("openstack_lb_pool_v2", "lb_method")).toEqual(['"ROUND_ROBIN"']);
    expect(kinds("openstack_lb_monitor_v2", "type")).toEqual(['"HTTP"', '"HTTPS"', '"TCP"', '"UDP-CONNECT"']);
  });

  it("has monitor timings at both ends of the ranges the model accepts, each form of expected codes, a path with a query", () => {
    expect(kinds("openstack_lb_monitor_v2", "delay")).toEqual(["10", "30", "300", "5"]);
    expect(kinds("openstack_lb_monitor_v2", "timeout")).toEqual(["1", "10", "5", "60"]);
    expect(kinds("openstack_lb_monitor_v2", "max_retries")).toEqual(["10", "2", "3", "4"]);
    expect(kinds("openstack_lb_monitor_v2", "max_retries_down")).toEqual(["10", "2", "3", "7"]);
    expect(kinds("openstack_lb_monitor_v2", "expected_codes")).toEqual(['"200,202"', '"200-299"', '"204"']);
    expect(kinds("openstack_lb_monitor_v2", "url_path")).toEqual(['"/healthz?probe=octavia"', '"/ready"', '"/status"']);
    expect(kinds("openstack_lb_monitor_v2", "http_method")).toEqual(['"GET"']);
  });

  it("has monitor ports apart from the backend port, ports 1 and 65535, and allowed CIDRs with the health checkers", () => {
    expect(kinds("openstack_lb_member_v2", "monitor_port")).toEqual(["8053", "9000"]);
    expect(kinds("openstack_lb_member_v2", "protocol_port")).toEqual(["1", "2525", "53", "5432", "8008", "8080", "8443"]);
    expect(kinds("openstack_lb_listener_v2", "protocol_port")).toContain("65535");
    expect(kinds("openstack_lb_listener_v2", "allowed_cidrs")).toEqual([
      '["0.0.0.0/0"]',
      '["10.0.0.0/8","172.16.0.0/12"]',
      '["100.64.0.0/10","107.23.255.0/26","15.177.0.0/18","176.34.159.192/26","198.51.100.0/24","54.228.16.0/26"]',
      '["107.23.255.0/26","15.177.0.0/18","176.34.159.192/26","203.0.113.0/24","54.228.16.0/26"]',
    ]);
  });

  it("uses only Octavia resource types and attributes this test knows how to create", () => {
    const types = [...new Set(blocksOf(tf, "managed").map((b) => b.type).filter((t) => t.startsWith("openstack_lb_")))].sort();
    expect(types).toEqual([...LB_TYPES].sort());
    for (const type of LB_TYPES) {
      const attributes = [...new Set(all(type).flatMap((a) => Object.keys(a)))].sort();
      expect(attributes.filter((a) => !(a in ROUTES[type])), type).toEqual([]);
    }
  });
});

describe.skipIf(skipped)(title, () => {
  const env = `ovk-${randomBytes(3).toString("hex")}`;
  const outcomes: Outcome[] = [];
  const ids = new Map<string, string>();
  let tf: TerraformJson;
  let networkId: string | undefined;

  /**
   * Creates one object and records Octavia's id or its refusal. The client's `--wait` polls the load balancer until
   * it is ACTIVE again and fails on ERROR; openstackRaw kills a call after 300 s, which bounds the wait.
   */
  async function create(outcome: Outcome, loadBalancerId: string | undefined): Promise<void> {
    const r = await openstackRaw(createArgs(outcome));
    if (r.status !== 0 && outcome.type === "openstack_lb_monitor_v2" && CLIENT_REFUSES_RETRIES_10.test(r.stderr)) {
      outcome.clientRefused = CLIENT_REFUSES_RETRIES_10.exec(r.stderr)![0];
      const api = await createMonitorThroughApi(outcome.attributes);
      if (api.refused) outcome.refused = api.refused;
      else {
        outcome.id = api.id;
        await waitForActive(loadBalancerId!);
      }
      return;
    }
    if (r.status !== 0) {
      outcome.refused = r.stderr.trim();
      return;
    }
    outcome.id = (JSON.parse(r.stdout) as { id: string }).id;
    ids.set(outcome.instance.block.address, outcome.id);
  }

  /** The network and subnet of the stack, created from its own blocks. */
  async function createNetwork(): Promise<void> {
    const network = onlyBlock(tf, "openstack_networking_network_v2");
    const subnet = onlyBlock(tf, "openstack_networking_subnet_v2");
    const s = subnet.attributes as { name: string; cidr: string; gateway_ip: string; allocation_pool: { start: string; end: string }[] };
    networkId = (await openstackJson<{ id: string }>(["network", "create", String(network.attributes.name)])).id;
    ids.set(network.block.address, networkId);
    const subnetId = (
      await openstackJson<{ id: string }>([
        "subnet", "create", s.name, "--network", networkId, "--subnet-range", s.cidr, "--gateway", s.gateway_ip,
        ...s.allocation_pool.flatMap((p) => ["--allocation-pool", `start=${p.start},end=${p.end}`]),
      ])
    ).id;
    ids.set(subnet.block.address, subnetId);
  }

  /** One load balancer and everything under it, parents first; a child of a refused parent is not attempted. */
  async function createTree(lb: Outcome): Promise<void> {
    await create(lb, undefined);
    const children = (parent: Outcome, type: LbType) =>
      outcomes.filter((o) => o.type === type && o.instance.attributes[PARENT[type]!] === `\${${parent.instance.block.address}.id}`);
    const attempt = async (parent: Outcome, type: LbType, then?: (o: Outcome) => Promise<void>) => {
      for (const child of children(parent, type)) {
        if (parent.id) {
          Object.assign(child.attributes, resolveValue(child.instance.attributes, ids, child.instance.address));
          await create(child, lb.id);
        } else {
          child.blockedBy = parent;
        }
        if (then) await then(child);
      }
    };
    await attempt(lb, "openstack_lb_listener_v2", (listener) =>
      attempt(listener, "openstack_lb_pool_v2", async (pool) => {
        await attempt(pool, "openstack_lb_monitor_v2");
        await attempt(pool, "openstack_lb_member_v2");
      }),
    );
  }

  const created = (type: LbType) => outcomes.filter((o) => o.type === type && o.id);
  const terminatedHttps = (o: Outcome) => o.type === "openstack_lb_listener_v2" && o.instance.attributes.protocol === "TERMINATED_HTTPS";
  /** Below a TERMINATED_HTTPS listener, which this cloud cannot create (see the file's header). */
  const belowTerminatedHttps = (o: Outcome): boolean => o.blockedBy !== undefined && (terminatedHttps(o.blockedBy) || belowTerminatedHttps(o.blockedBy));

  beforeAll(async () => {
    if (unavailable) throw new Error(`ESTATE_OPENSTACK_REQUIRED=1 but the local OpenStack is not usable: ${unavailable}; ${HOW_TO_START}`);
    tf = synthesizeSiteStack(env);
    for (const type of LB_TYPES) {
      for (const block of blocksOf(tf, "managed").filter((b) => b.type === type)) {
        for (const instance of instancesOf(block, tf)) outcomes.push({ instance, type, attributes: {} });
      }
    }
    await createNetwork();
    const lbs = outcomes.filter((o) => o.type === "openstack_lb_loadbalancer_v2");
    for (const lb of lbs) Object.assign(lb.attributes, resolveValue(lb.instance.attributes, ids, lb.instance.address));
    await Promise.all(lbs.map(createTree));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (unavailable) return;
    const lbs = await openstackJson<{ id: string; name: string }[]>(["loadbalancer", "list"]);
    await Promise.all(lbs.filter((l) => l.name.startsWith(`${env}-`)).map((l) => openstack(["loadbalancer", "delete", "--cascade", "--wait", l.id])));
    if (networkId) {
      const ports = await openstackJson<{ ID: string }[]>(["port", "list", "--network", networkId]);
      if (ports.length > 0) await openstack(["port", "delete", ...ports.map((p) => p.ID)]);
      await openstack(["network", "delete", networkId]);
    }
  }, SETUP_TIMEOUT_MS);

  it("accepts every load balancer, listener, pool, monitor and member the stack describes", () => {
    const refused = outcomes.filter((o) => o.refused && !terminatedHttps(o)).map((o) => `${o.instance.address}: ${o.refused}`);
    expect(refused, "Octavia refused").toEqual([]);
    const blocked = outcomes.filter((o) => o.blockedBy && !belowTerminatedHttps(o));
    expect(blocked.map((o) => `${o.instance.address}: not attempted, ${o.blockedBy!.instance.address} was not created`)).toEqual([]);
    expect(created("openstack_lb_loadbalancer_v2").length).toBe(5);
    expect(created("openstack_lb_listener_v2").length).toBe(8);
    expect(created("openstack_lb_pool_v2").length).toBe(8);
    expect(created("openstack_lb_monitor_v2").length).toBe(8);
    expect(created("openstack_lb_member_v2").length).toBe(16);
  });

  it("needs Octavia's API only for the retry counts of 10 that the Debian client refuses itself", () => {
    const throughApi = outcomes.filter((o) => o.clientRefused);
    expect(throughApi.map((o) => o.instance.address).sort()).toEqual([
      "openstack_lb_monitor_v2.api_load_balancer_port5432_monitor",
      "openstack_lb_monitor_v2.api_load_balancer_port8008_monitor",
    ]);
    for (const o of throughApi) expect([o.attributes.max_retries, o.attributes.max_retries_down], o.instance.address).toContain(10);
  });

  it("refuses the TERMINATED_HTTPS listener only because this cloud has no key manager to fetch its certificate from", () => {
    const listeners = outcomes.filter(terminatedHttps);
    expect(listeners.length).toBe(1);
    const [listener] = listeners;
    expect(listener.refused?.split(" (HTTP 400)")[0]).toBe(certificateNotRetrieved(String(listener.attributes.default_tls_container_ref)));
  });

  for (const type of LB_TYPES) {
    it(`stores every attribute of each ${type} as the stack wrote it`, async () => {
      const mismatches: string[] = [];
      expect(created(type).length, `${type} objects created`).toBeGreaterThan(0);
      const shows = await Promise.all(
        created(type).map((outcome) =>
          openstackJson<Record<string, unknown>>(
            type === "openstack_lb_member_v2"
              ? ["loadbalancer", "member", "show", String(outcome.attributes.pool_id), outcome.id!]
              : ["loadbalancer", ...NOUN[type], "show", outcome.id!],
          ),
        ),
      );
      for (const [i, outcome] of created(type).entries()) {
        const shown = shows[i];
        for (const [attribute, emitted] of Object.entries(outcome.attributes)) {
          const route = ROUTES[type][attribute];
          if (route.readAs === "") continue;
          const stored = storedValue(shown, attribute, route, emitted);
          if (JSON.stringify(stored) !== JSON.stringify(emitted)) {
            mismatches.push(`${outcome.instance.address}.${attribute}: wrote ${JSON.stringify(emitted)}, Octavia stored ${JSON.stringify(stored)}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    }, 600_000);
  }

  it("holds exactly the listeners, pools and members of the stack under each load balancer", async () => {
    expect(created("openstack_lb_loadbalancer_v2").length).toBeGreaterThan(0);
    const checkLoadBalancer = async (lb: Outcome) => {
      const listeners = await openstackJson<{ id: string }[]>(["loadbalancer", "listener", "list", "--loadbalancer", lb.id!]);
      const expected = created("openstack_lb_listener_v2").filter((l) => l.attributes.loadbalancer_id === lb.id);
      expect(listeners.map((l) => l.id).sort(), lb.instance.address).toEqual(expected.map((l) => l.id).sort());
      const pools = await openstackJson<{ id: string }[]>(["loadbalancer", "pool", "list", "--loadbalancer", lb.id!]);
      const expectedPools = created("openstack_lb_pool_v2").filter((p) => expected.some((l) => l.id === p.attributes.listener_id));
      expect(pools.map((p) => p.id).sort(), lb.instance.address).toEqual(expectedPools.map((p) => p.id).sort());
      for (const pool of expectedPools) {
        const members = await openstackJson<{ id: string; address: string; protocol_port: number }[]>(["loadbalancer", "member", "list", pool.id!]);
        const expectedMembers = created("openstack_lb_member_v2").filter((m) => m.attributes.pool_id === pool.id);
        expect(members.map((m) => `${m.address}:${m.protocol_port}`).sort(), pool.instance.address).toEqual(
          expectedMembers.map((m) => `${String(m.attributes.address)}:${String(m.attributes.protocol_port)}`).sort(),
        );
      }
    };
    await Promise.all(created("openstack_lb_loadbalancer_v2").map(checkLoadBalancer));
  }, 600_000);
});
