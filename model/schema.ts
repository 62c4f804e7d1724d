/**
 * The environment file schema: what a person writes in environments/<env>.yaml.
 *
 * Shape checks live here (zod); checks that need the whole estate (overlaps, collisions, references)
 * live in validate.ts so that every problem in a file is reported in one run.
 */
import { z } from "zod";
import { intToIp, ipToInt, isValidCidr, isValidIpv4 } from "./ipam";
import { DEFAULT_SITE_LIMITS, siteLimitsSchema } from "./limits";

/** Octavia listener protocols the toolkit renders (openstack_lb_listener_v2 `protocol`). */
export const LISTENER_PROTOCOLS = ["HTTP", "HTTPS", "TCP", "UDP", "TERMINATED_HTTPS"] as const;
export type ListenerProtocol = (typeof LISTENER_PROTOCOLS)[number];

/** Health-check kinds, in Octavia monitor vocabulary (openstack_lb_monitor_v2 `type`). */
export const HEALTH_CHECK_PROTOCOLS = ["HTTP", "HTTPS", "TCP"] as const;

/** Nova server-group policies (openstack_compute_servergroup_v2 `policies`), plus "none" to opt out. */
export const PLACEMENT_POLICIES = ["anti-affinity", "soft-anti-affinity", "none"] as const;
export type PlacementPolicy = (typeof PLACEMENT_POLICIES)[number];

/** An EC2 image id: "ami-" and 8 (older) or 17 hex digits. */
export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

export const DEFAULT_BLOCK_SIZE = 256;
/** A block larger than this could not fit twice (site block + one service) in any sensible site subnet. */
export const MAX_BLOCK_SIZE = 65_536;
/** Most instances of one service in one site. */
export const MAX_INSTANCES_PER_SITE = 100_000;
export const DEFAULT_SSH_USER = "debian";
export const DEFAULT_NODE_EXPORTER_PORT = 9100;

const NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const name = (what: string) =>
  z
    .string()
    .max(24, `${what} must be at most 24 characters (it becomes part of host and stack names)`)
    .regex(NAME_RE, `${what} must be lower-case letters, digits and single dashes, starting with a letter (e.g. "os-a")`);

const instanceCount = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of instances (0 or more)` })
    .int(`${what} must be a whole number of instances`)
    .min(0, `${what} must not be negative; use 0 to run no instances`)
    .max(MAX_INSTANCES_PER_SITE, `${what} must be at most ${MAX_INSTANCES_PER_SITE}`);

/** A site's traffic state: `active` takes its weight of the traffic, `drained` none (weight 0 in Route 53). */
export const TRAFFIC_STATES = ["active", "drained"] as const;

const cidr = z.string().superRefine((value, ctx) => {
  const why = cidrProblem(value);
  if (why) ctx.addIssue({ code: "custom", message: why });
});
const ipv4 = z.string().superRefine((value, ctx) => {
  const why = ipv4Problem(value);
  if (why) ctx.addIssue({ code: "custom", message: why });
});

/** Why `value` is not a dotted-quad IPv4 address, or undefined when it is one. */
export function ipv4Problem(value: string): string | undefined {
  if (isValidIpv4(value)) return undefined;
  const parts = value.split(".");
  if (parts.length === 4 && parts.every((p) => /^\d+$/.test(p))) {
    const big = parts.find((p) => Number(p) > 255);
    if (big !== undefined) return `${JSON.stringify(value)} is not an IPv4 address: ${big} is over 255`;
    return `${JSON.stringify(value)} is not an IPv4 address: write each of the four numbers without leading zeros`;
  }
  if (value.includes("/")) return `${JSON.stringify(value)} is a network (CIDR), not a single address: write it as a.b.c.d`;
  return `${JSON.stringify(value)} is not an IPv4 address: write it as a.b.c.d, e.g. 10.0.0.53`;
}

/**
 * Why `value` is not an AWS region name, or undefined when it looks like one: a geography, an optional partition
 * or sub-area, a compass direction and a number ("eu-west-1", "us-gov-west-1", "ap-southeast-2"). A typo in the
 * direction ("eu-wset-1") would otherwise only fail at `terraform plan`.
 */
export function awsRegionProblem(value: string): string | undefined {
  const direction = "(north|south|east|west|central|northeast|northwest|southeast|southwest)";
  if (new RegExp(`^[a-z]{2,4}(-[a-z]+)?-${direction}-\\d{1,2}$`).test(value)) return undefined;
  const zone = /^([a-z]{2,4}(-[a-z]+)?-[a-z]+-\d{1,2})[a-z]$/.exec(value);
  if (zone) return `${JSON.stringify(value)} is an availability zone, not a region; the region is probably ${JSON.stringify(zone[1])}`;
  return `${JSON.stringify(value)} is not an AWS region name: <area>-<direction>-<number>, e.g. "eu-west-1", "us-east-2", "ap-southeast-1"`;
}

/** Why `value` is not an IPv4 network in a.b.c.d/nn form, or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  if (isValidCidr(value)) return undefined;
  const example = 'write it as a.b.c.d/nn, e.g. "10.20.0.0/20"';
  const slash = value.indexOf("/");
  if (slash < 0) return isValidIpv4(value) ? `${JSON.stringify(value)} has no prefix length: ${example}` : `${JSON.stringify(value)} is not an IPv4 CIDR: ${example}`;
  const addr = value.slice(0, slash);
  const len = value.slice(slash + 1);
  const addrWhy = ipv4Problem(addr);
  if (addrWhy) return `${JSON.stringify(value)} is not an IPv4 CIDR: ${addrWhy.replace(`${JSON.stringify(addr)} is not an IPv4 address: `, `its address part ${JSON.stringify(addr)} is wrong: `)}`;
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return `${JSON.stringify(value)} is not an IPv4 CIDR: the prefix length after "/" must be a number from 0 to 32, got ${JSON.stringify(len)}`;
  const prefix = Number(len);
  const network = intToIp((ipToInt(addr) & (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0)) >>> 0);
  return `${JSON.stringify(value)} has host bits set: the /${prefix} network containing ${addr} is ${network}/${prefix}; write that, or fix the prefix length`;
}
const port = z
  .number({ error: "a port must be a number from 1 to 65535" })
  .int("a port must be a whole number")
  .min(1, "a port must be from 1 to 65535")
  .max(65535, "a port must be from 1 to 65535");
const weight = z
  .number({ error: "weight must be a number from 0 to 255 (Route 53 weights)" })
  .int("weight must be a whole number from 0 to 255")
  .min(0, "weight must not be negative: use 0, or state: drained, to stop traffic to a site")
  .max(255, "weight must be at most 255 (Route 53 weights)");

const traffic = z.strictObject({
  state: z.enum(TRAFFIC_STATES, { error: 'traffic.state must be "active" or "drained"' }).default("active"),
  weight,
});

const route = z.strictObject({ destination: cidr, nextHop: ipv4 });

const externalNetwork = z.strictObject({
  /** Name of the provider (external) network in Neutron; floating IPs are taken from it. */
  name: z.string().min(1),
  /** The external network's address range: every VIP of the site must fall inside it. */
  cidr,
});

export const openstackSiteSchema = z.strictObject({
  name: name("site name"),
  /** Entry in clouds.yaml that holds the credentials; never the credentials themselves. */
  cloud: z.string().min(1, "cloud must name a clouds.yaml entry"),
  region: z.string().min(1),
  availabilityZones: z.array(z.string().min(1)).min(1, "list at least one availability zone"),
  externalNetwork,
  subnetCidr: cidr,
  dnsServers: z.array(ipv4).default([]),
  routes: z.array(route).default([]),
  /** Fixed public VIP per service name, held by a floating IP on the external network. */
  vips: z.record(z.string(), ipv4).default({}),
  traffic,
  /** The cloud's quotas and settings where they differ from the defaults (model/limits.ts). */
  limits: siteLimitsSchema.default(DEFAULT_SITE_LIMITS),
});

export const awsSiteSchema = z.strictObject({
  name: name("site name"),
  region: z.string().superRefine((value, ctx) => {
    const why = awsRegionProblem(value);
    if (why) ctx.addIssue({ code: "custom", message: why });
  }),
  /** Named profile from the AWS shared config; credentials stay in the usual credential chain. */
  profile: z.string().min(1).optional(),
  assumeRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "not an IAM role ARN").optional(),
  vpcCidr: cidr,
  availabilityZones: z.array(z.string().min(1)).min(2, "an AWS site needs at least two availability zones for its load balancers"),
  /** Prefix length of each per-AZ subnet carved from the VPC (private subnets first, then public). */
  subnetPrefixLength: z
    .number({ error: "subnetPrefixLength must be a whole number from 16 to 28 (the /nn of each zone subnet)" })
    .int("subnetPrefixLength must be a whole number from 16 to 28 (the /nn of each zone subnet)")
    .min(16, "subnetPrefixLength must be from 16 to 28: AWS subnets are /16 to /28")
    .max(28, "subnetPrefixLength must be from 16 to 28: AWS subnets are /16 to /28")
    .default(20),
  traffic,
});

const awsImage = z.union(
  [
    z.strictObject({ ami: z.string().regex(AMI_ID_PATTERN, 'not an AMI id: "ami-" and 8 or 17 hex digits, e.g. "ami-0123456789abcdef0"') }),
    z.strictObject({
      amiName: z.string().min(1),
      owner: z.string().regex(/^(\d{12}|self|amazon|aws-marketplace)$/, 'owner must be a 12-digit AWS account id in quotes (e.g. "123456789012") or one of self, amazon, aws-marketplace'),
    }),
  ],
  { error: 'an AWS image reference is either {ami: "ami-…"} or {amiName: <AMI name>, owner: "<account id>"}' },
);

const openstackImage = z.union([z.strictObject({ id: z.guid("not an image UUID (8-4-4-4-12 hex digits, as Glance takes any UUID-like id)") }), z.strictObject({ name: z.string().min(1) })], {
  error: "an OpenStack image reference is either {name: <Glance image name>} or {id: <Glance image UUID>}",
});

const imageVersion = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, 'version must be letters, digits, ".", "_" or "-", e.g. "2026.11.1"');

/**
 * A golden-image rollout in progress (model/rollout.ts decides, per host, the version it runs and whether it is out
 * of service at `step`; `estate rollout` writes it).
 */
export const imageRolloutSchema = z.strictObject({
  /** Version rolled out. */
  version: imageVersion,
  /** Where each OpenStack site finds the new version, keyed by site name. */
  openstack: z.record(z.string(), openstackImage).default({}),
  aws: awsImage.optional(),
  /** Hosts of one site out of service at once. */
  batch: z.number({ error: "batch must be a whole number of hosts, 1 or more" }).int("batch must be a whole number of hosts").min(1, "batch must be 1 or more"),
  /** Sites in rollout order; every site that runs the image. */
  order: z.array(z.string().min(1)).min(1, "order lists the sites in the order they are rolled"),
  /** Current step: 0 = started, nothing out of service. */
  step: z.number({ error: "step must be a whole number, 0 or more" }).int("step must be a whole number").min(0, "step must be 0 or more"),
  /** Set by `estate rollout rollback`: the forward step the rollback started from; `step` then counts rollback steps. */
  rollbackFrom: z.number().int().min(0).optional(),
  /** Set by `estate rollout abort`: every host serving, versions as they are at `step`. */
  aborted: z.boolean().default(false),
  /**
   * Written by `estate rollout start`: the hosts the rollout cuts into batches, as their number and a digest of their
   * names in batch order (`rolloutHosts` in model/rollout.ts). Every load checks that they are still the image's
   * hosts. @default - not checked (a block written by hand)
   */
  hosts: z
    .strictObject({
      count: z.number().int().min(1),
      digest: z.string().regex(/^[0-9a-f]{16}$/, "digest is the 16 hex digits estate rollout start wrote"),
    })
    .optional(),
});

export const imageSchema = z.strictObject({
  name: name("image name"),
  version: imageVersion,
  /** How each OpenStack site finds the image: by Glance id or by name. Keyed by site name. */
  openstack: z.record(z.string(), openstackImage).default({}),
  aws: awsImage.optional(),
  /** A rollout to a new version in progress. @default - none */
  rollout: imageRolloutSchema.optional(),
});

const healthCheck = z.strictObject({
  protocol: z.enum(HEALTH_CHECK_PROTOCOLS).default("HTTP"),
  /** HTTP path; required for HTTP and HTTPS checks. */
  path: z.string().startsWith("/", 'a health-check path must start with "/", e.g. "/healthz"').optional(),
  /** Port the backends answer health checks on. @default - the first listener's backend port */
  port: port.optional(),
  intervalSec: z.number().int().min(5).max(300).default(10),
  timeoutSec: z.number().int().min(1).max(60).default(5),
  healthyThreshold: z.number().int().min(2).max(10).default(3),
  unhealthyThreshold: z.number().int().min(2).max(10).default(3),
  /** HTTP status codes that count as healthy: "200", "200,202" or "200-299" (checked in api-formats.ts). */
  expectedCodes: z.string().default("200"),
});

const listener = z.strictObject({
  protocol: z.enum(LISTENER_PROTOCOLS, {
    error: `listener protocol must be one of ${LISTENER_PROTOCOLS.join(", ")} (Octavia protocols)`,
  }),
  port,
  /** Port the members listen on. @default - same as `port` */
  backendPort: port.optional(),
  /** Certificate references, required for TERMINATED_HTTPS. */
  tls: z
    .strictObject({
      openstackContainerRef: z.string().url("openstackContainerRef must be a Barbican container URL"),
      awsCertificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:/, "awsCertificateArn must be an ACM certificate ARN"),
    })
    .optional(),
});

export const serviceSchema = z.strictObject({
  name: name("service name"),
  image: z.string().min(1),
  flavor: z.string().min(1),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'not an EC2 instance type, e.g. "t3.medium"'),
  /** Instances in each site. */
  instancesPerSite: instanceCount("instancesPerSite"),
  /** Per-site exceptions to instancesPerSite, keyed by site name (0 takes the service out of a site). */
  instancesBySite: z.record(z.string(), instanceCount("an instancesBySite count")).default({}),
  /** Stable address block of this service inside every site subnet (block 0 is reserved for the site). */
  ipBlock: z
    .number({ error: "ipBlock must be a whole number of 1 or more" })
    .int("ipBlock must be a whole number")
    .min(1, "ipBlock 0 is reserved for routers, load balancers and builders; use 1 or more"),
  listeners: z.array(listener).min(1, "a service needs at least one listener"),
  healthCheck,
  placement: z.enum(PLACEMENT_POLICIES).default("soft-anti-affinity"),
  /**
   * public: a public VIP in every OpenStack site, an internet-facing AWS load balancer and weighted Route 53 records.
   * internal: reached on the sites' private networks only (the Octavia VIP on the site subnet, an internal AWS load
   * balancer), with no public address and no DNS record.
   */
  exposure: z.enum(["public", "internal"]).default("public"),
  allowedCidrs: z.array(cidr).min(1, "list the client CIDRs allowed to reach the service"),
  /** Instances the service needs at peak, summed over all sites (N+1 capacity check). */
  peakInstances: z.number().int().min(0).optional(),
  /** Requests replayed against a host after an update, before it rejoins its pool. */
  warmup: z.array(z.string().startsWith("/", 'a warm-up request path must start with "/"')).default([]),
  volumeSizeGiB: z.number().int().min(1).max(16384).default(20),
});

/**
 * How the S3 backend locks a stack's state (Terraform 1.11 S3 backend, developer.hashicorp.com/terraform/language/backend/s3,
 * "State Locking"):
 * - `lockfile`: `use_lockfile = true`, a `<key>.tflock` object next to the state, created with a conditional write
 *   (S3's `If-None-Match`); the default. S3-compatible stores without conditional writes cannot use it.
 * - `dynamodb`: `dynamodb_table`, a lock item in a DynamoDB table (deprecated by Terraform 1.11).
 * - `both`: both arguments; Terraform takes both locks, so runners on either of the other two modes still exclude
 *   each other. The one-release step of a move from `dynamodb` to `lockfile` (README, "State backends").
 */
export const S3_LOCKING_MODES = ["lockfile", "dynamodb", "both"] as const;
/** Which locks Terraform's S3 backend takes: `lockfile` (`use_lockfile`), `dynamodb` (`dynamodb_table`) or `both`. */
export type S3Locking = (typeof S3_LOCKING_MODES)[number];
export const DEFAULT_S3_LOCKING: S3Locking = "lockfile";
export const DEFAULT_S3_KEY_PREFIX = "estate";
export const DEFAULT_LOCAL_STATE_DIRECTORY = "terraform-state";

/**
 * Why `value` is not a name S3 accepts for a general purpose bucket, or undefined when it is one (Amazon S3 user
 * guide, "General purpose bucket naming rules").
 */
export function s3BucketNameProblem(value: string): string | undefined {
  const bad = (why: string) => `bucket ${JSON.stringify(value)} ${why}; e.g. "estate-terraform-state"`;
  if (value.length < 3 || value.length > 63) return bad(`has ${value.length} characters; S3 bucket names have 3 to 63`);
  if (/[A-Z]/.test(value)) {
    const lower = value.toLowerCase();
    const fix = s3BucketNameProblem(lower) === undefined ? `write ${JSON.stringify(lower)}` : 'e.g. "estate-terraform-state"';
    return `bucket ${JSON.stringify(value)} has upper-case letters; S3 bucket names are lower case: ${fix}`;
  }
  const odd = /[^a-z0-9.-]/.exec(value);
  if (odd) return bad(`contains ${JSON.stringify(odd[0])}; S3 bucket names hold only lower-case letters, digits, dots and dashes`);
  if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) return bad("must begin and end with a letter or a digit");
  if (value.includes("..")) return bad("has two dots in a row, which S3 refuses");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return bad("is formatted as an IP address, which S3 refuses");
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => value.startsWith(p));
  if (prefix) return bad(`starts with ${JSON.stringify(prefix)}, a prefix S3 reserves`);
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((x) => value.endsWith(x));
  if (suffix) return bad(`ends with ${JSON.stringify(suffix)}, a suffix S3 reserves for access points and other bucket kinds`);
  return undefined;
}

/**
 * Why `value` cannot prefix the state keys (`<keyPrefix>/<stack>.tfstate`), or undefined. Terraform's S3 backend
 * refuses a key that starts or ends with "/" or holds "//" (internal/backend/remote-state/s3: validateStringS3Path,
 * validateStringDoesNotContain("//")); an empty prefix would start the key with "/".
 */
export function s3KeyPrefixProblem(value: string): string | undefined {
  const fix = `write it without slashes at either end, e.g. ${JSON.stringify(value.replace(/\/+/g, "/").replace(/^\/|\/$/g, "") || "estate")}`;
  if (value.trim() === "") return `keyPrefix is empty: the state keys would start with "/", which Terraform's S3 backend refuses; ${fix}`;
  if (value.startsWith("/") || value.endsWith("/")) return `keyPrefix ${JSON.stringify(value)} starts or ends with "/": the state keys (<keyPrefix>/<stack>.tfstate) would start with "/" or hold "//", which Terraform's S3 backend refuses; ${fix}`;
  if (value.includes("//")) return `keyPrefix ${JSON.stringify(value)} holds "//", which Terraform's S3 backend refuses in a key; ${fix}`;
  return undefined;
}

/**
 * Why `value` is not an endpoint the backend can use (an http or https URL of a host, optionally with a port and
 * a path), or undefined. Credentials never go into the URL: they come from the AWS credential chain.
 */
export function endpointUrlProblem(value: string, key: "endpoint" | "dynamodbEndpoint"): string | undefined {
  const example = 'e.g. "https://s3.example.net" or "http://minio.internal:9000"';
  // Never echo a password: whatever stands before an "@" in the authority is left out of every message.
  const shown = JSON.stringify(value.replace(/^([^/]*\/\/)?[^/]*@/, "$1…@"));
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return `${key} ${shown} is not a URL: write the scheme and host, ${example}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${key} ${shown} is not a URL: write the scheme and host, ${example}`;
  }
  if (url.username !== "" || url.password !== "") {
    return `${key} holds credentials (user:password@) in the URL; remove them: credentials come from the AWS credential chain (environment, profile or role), never from an environment file`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `${key} ${shown} uses ${JSON.stringify(url.protocol.slice(0, -1))}; the API is reached over https (or http), ${example}`;
  if (url.hostname === "") return `${key} ${shown} names no host, ${example}`;
  if (url.search !== "" || url.hash !== "") return `${key} ${shown} has a query or fragment (${JSON.stringify(url.search + url.hash)}); an endpoint is the scheme, host, port and path only, ${example}`;
  return undefined;
}

/** Why `value` is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, "_", "-", "."), or undefined. */
export function dynamodbTableProblem(value: string): string | undefined {
  if (/^[A-Za-z0-9_.-]{3,255}$/.test(value)) return undefined;
  return `dynamodbTable ${JSON.stringify(value)} is not a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or ".", e.g. "estate-terraform-locks"`;
}

/** Why `value` cannot hold local state (a directory relative to the project root, inside it), or undefined. */
export function localStateDirectoryProblem(value: string): string | undefined {
  const fix = `write a directory relative to the project root, e.g. ${JSON.stringify(DEFAULT_LOCAL_STATE_DIRECTORY)}`;
  if (value.trim() === "") return `directory is empty; ${fix}`;
  if (value.startsWith("/") || value.startsWith("\\") || /^[A-Za-z]:/.test(value) || value.startsWith("~")) {
    return `directory ${JSON.stringify(value)} is absolute: the synthesized state path would depend on the machine that ran synth; ${fix}`;
  }
  const depth = value.split(/[\\/]/).reduce((d, part) => (d < 0 ? d : part === ".." ? d - 1 : part === "" || part === "." ? d : d + 1), 0);
  return depth < 0 ? `directory ${JSON.stringify(value)} leads out of the project ("..") where no other run finds the state; ${fix}` : undefined;
}

const checked = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const why = problem(value);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });

const backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    /** Directory of the state files, relative to the project root. @default "terraform-state" */
    directory: checked(localStateDirectoryProblem).default(DEFAULT_LOCAL_STATE_DIRECTORY),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: checked(s3BucketNameProblem),
    /** AWS region of the bucket (and the DynamoDB table); any non-empty name for an s3-compatible `endpoint`. */
    region: z.string().min(1, "region must name the bucket's region, e.g. eu-west-1"),
    /** Object key prefix; each stack gets `<prefix>/<stack>.tfstate`. @default "estate" */
    keyPrefix: checked(s3KeyPrefixProblem).default(DEFAULT_S3_KEY_PREFIX),
    /** S3 API endpoint of an s3-compatible store (Ceph RGW, MinIO). @default - AWS's own S3 endpoint for the region */
    endpoint: checked((v) => endpointUrlProblem(v, "endpoint")).optional(),
    /** @default "lockfile" */
    locking: z.enum(S3_LOCKING_MODES, { error: `locking must be one of ${S3_LOCKING_MODES.join(", ")}` }).default(DEFAULT_S3_LOCKING),
    /** DynamoDB table with a string partition key LockID (Terraform `dynamodb_table`); for locking dynamodb and both. */
    dynamodbTable: checked(dynamodbTableProblem).optional(),
    /** DynamoDB API endpoint of a DynamoDB-compatible service (Terraform `endpoints.dynamodb`). @default - AWS's own for the region */
    dynamodbEndpoint: checked((v) => endpointUrlProblem(v, "dynamodbEndpoint")).optional(),
    /** Renamed dynamodbTable; kept as a key only to say so. */
    lockTable: z
      .unknown()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        ctx.addIssue({
          code: "custom",
          message:
            'lockTable is now dynamodbTable (Terraform\'s dynamodb_table), with a locking mode: write "locking: dynamodb" to keep locking as it was, or "locking: both" to start the move to the S3 lock file (README, "State backends")',
        });
      }),
    usePathStyle: z.boolean().default(false),
  }),
]);

const hostedZone = z.union(
  [
    z.strictObject({ id: z.string().regex(/^Z[0-9A-Z]+$/, 'hosted zone ids look like "Z0123456789ABC"'), domain: z.string().min(3) }),
    z.strictObject({ create: z.literal(true), domain: z.string().min(3) }),
  ],
  { error: "hostedZone is either {id: <existing Route 53 zone id>, domain: ...} or {create: true, domain: ...}, not both" },
);

const suppression = z.strictObject({
  rule: z.string().min(1),
  /** Stack, service or site the suppression applies to. @default - every target */
  target: z.string().optional(),
  reason: z.string().min(10, "write down why the rule is suppressed (at least a sentence)"),
});

export const environmentSchema = z.strictObject({
  name: name("environment name"),
  adminCidrs: z.array(cidr).min(1, "list the admin CIDRs allowed to SSH"),
  ssh: z
    .strictObject({
      user: z.string().default(DEFAULT_SSH_USER),
      /** Name of the Nova keypair / EC2 key pair on every site. */
      keyName: z.string().min(1),
      /** Public key to register under keyName. @default - the key pair already exists */
      publicKey: z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/, "publicKey must be an OpenSSH public key").optional(),
    })
    .default({ user: DEFAULT_SSH_USER, keyName: "estate-admin" }),
  ipam: z
    .strictObject({
      blockSize: z
        .number({ error: "blockSize must be a power of two, e.g. 256" })
        .int("blockSize must be a power of two, e.g. 256")
        .max(MAX_BLOCK_SIZE, `blockSize must be at most ${MAX_BLOCK_SIZE} addresses`)
        .default(DEFAULT_BLOCK_SIZE),
    })
    .default({ blockSize: DEFAULT_BLOCK_SIZE }),
  backend: backend.default({ type: "local", directory: DEFAULT_LOCAL_STATE_DIRECTORY }),
  sites: z.strictObject({
    openstack: z.array(openstackSiteSchema).min(3, "an estate needs at least three OpenStack sites (active-active)"),
    aws: awsSiteSchema.optional(),
  }),
  images: z.array(imageSchema).min(1, "list at least one golden image"),
  services: z.array(serviceSchema).min(1, "list at least one service"),
  traffic: z
    .strictObject({
      hostedZone,
      ttlSec: z.number().int().min(0).default(60),
      /**
       * Where Route 53 health checkers connect from (the ROUTE53_HEALTHCHECKS prefixes of AWS's ip-ranges.json).
       * Services open only to private networks let them in on their OpenStack VIPs, or their health checks fail.
       */
      healthCheckerCidrs: z.array(cidr).default([]),
    })
    .optional(),
  bake: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Image the builder boots from, by site: the plain distribution image. */
      baseImage: z.string().min(1),
      flavor: z.string().min(1),
      /** Golden image (from images[]) the bake produces. @default - the image of the first service */
      image: z.string().min(1).optional(),
    })
    .optional(),
  monitoring: z
    .strictObject({
      nodeExporterPort: port.default(DEFAULT_NODE_EXPORTER_PORT),
      zabbixServer: z.string().min(1).optional(),
      /**
       * Networks allowed to scrape node_exporter on every host (where the Prometheus servers are): one security-group
       * rule per network in every service's group of every OpenStack site. @default - adminCidrs
       */
      scrapeCidrs: z.array(cidr).min(1, "list the networks Prometheus scrapes from, or leave scrapeCidrs out to use adminCidrs").optional(),
    })
    .default({ nodeExporterPort: DEFAULT_NODE_EXPORTER_PORT }),
  policy: z.strictObject({ suppressions: z.array(suppression).default([]) }).default({ suppressions: [] }),
});

export type EnvironmentFile = z.infer<typeof environmentSchema>;
export type OpenstackSiteInput = z.infer<typeof openstackSiteSchema>;
export type AwsSiteInput = z.infer<typeof awsSiteSchema>;
export type ServiceInput = z.infer<typeof serviceSchema>;
export type ImageInput = z.infer<typeof imageSchema>;
export type ImageRolloutInput = z.infer<typeof imageRolloutSchema>;
