/**
 * The resolved estate: plain, immutable data with every decision made once (names, addresses, placement).
 * Renderers read it; none recomputes it.
 */
import type { HealthProbeModel, PublicHealthCheckModel, TargetHealthCheckModel } from "./health-check";
import type { SiteLimits } from "./limits";
import type { ListenerProtocol, PlacementPolicy, S3Locking, TRAFFIC_STATES } from "./schema";

/** Kinds of site: an OpenStack cluster or the AWS counterpart. */
export type SiteKind = "openstack" | "aws";
/** Whether a site takes traffic (`active`) or is drained (weight 0 in Route 53). */
export type TrafficState = (typeof TRAFFIC_STATES)[number];

/** One host of the estate, as the model placed it: every renderer (Terraform, inventory, monitoring, CMDB) reads it. */
export interface HostModel {
  /** `<env>-<site>-<service>-<NNN>`: unique in the estate, the Terraform for_each key and the inventory name. */
  readonly name: string;
  /** Name of the site the host lives in, e.g. `os-a`. */
  readonly site: string;
  /** Kind of that site. */
  readonly siteKind: SiteKind;
  /** Name of the service the host runs. */
  readonly service: string;
  /** 1-based ordinal inside the site's fleet of that service. */
  readonly index: number;
  /** Fixed IPv4 address, from the service's IPAM block of the site subnet (OpenStack) or zone subnet (AWS). */
  readonly ip: string;
  /** Nova or AWS availability zone the host is placed in (round robin over the site's zones). */
  readonly availabilityZone: string;
  /** Name of the golden image the host boots (`images[].name`). */
  readonly image: string;
  /** Version of that image the host runs. */
  readonly imageVersion: string;
  /**
   * 1-based Nova server group of an OpenStack host whose service has a placement policy: an index into its site
   * service's `serverGroups`, fixed by the host's index (model/limits.ts serverGroupOrdinal).
   * @default - no server group (AWS hosts, placement: none)
   */
  readonly serverGroup?: number;
  /**
   * False while a golden-image rollout keeps the host out of service (model/rollout.ts): Octavia member weight 0,
   * AWS target deregistered. @default true
   */
  readonly inService?: boolean;
}

/** One listener of a service, resolved: ports, TLS and what its health checks probe. */
export interface ListenerModel {
  /** Listener protocol as the environment file names it (HTTP, HTTPS, TCP, UDP, TERMINATED_HTTPS). */
  readonly protocol: ListenerProtocol;
  /** Port clients connect to on the VIP or load balancer, 1-65535. */
  readonly port: number;
  /** Port the hosts serve on, 1-65535. @default - `port` */
  readonly backendPort: number;
  /** TLS termination of a TERMINATED_HTTPS / HTTPS listener. @default - none (no TLS at the load balancer) */
  readonly tls?: {
    /** Barbican secret container holding the certificate and key (Octavia `default_tls_container_ref`). */
    readonly openstackContainerRef: string;
    /** ACM certificate of the AWS listener (`certificate_arn`). */
    readonly awsCertificateArn: string;
  };
  /** What the Octavia monitor of this listener's pool probes (rule in model/health-check.ts). */
  readonly healthProbe: HealthProbeModel;
  /** What the AWS target group of this listener checks: the same, except that UDP pools are checked over TCP/HTTP(S). */
  readonly targetHealthCheck: TargetHealthCheckModel;
}

/** The service's health check as the environment file sets it, defaults filled in. */
export interface HealthCheckModel {
  /** Protocol of the check: HTTP, HTTPS or TCP. */
  readonly protocol: "HTTP" | "HTTPS" | "TCP";
  /** HTTP path, set for HTTP and HTTPS checks. */
  readonly path?: string;
  /** Port the members answer the service's health check on (rule in model/health-check.ts, never list order). */
  readonly port: number;
  /** Seconds between probes (Octavia `delay`, target group `interval`, Route 53 `request_interval`). */
  readonly intervalSec: number;
  /** Seconds a probe may take (Octavia `timeout`, target group `timeout`). */
  readonly timeoutSec: number;
  /** Consecutive successes before a member counts as up (Octavia `max_retries`, target group `healthy_threshold`). */
  readonly healthyThreshold: number;
  /** Consecutive failures before a member counts as down (Octavia `max_retries_down`, `unhealthy_threshold`). */
  readonly unhealthyThreshold: number;
  /** HTTP status codes that count as healthy (Octavia `expected_codes`, target group `matcher`). @default "200" */
  readonly expectedCodes: string;
}

/** One service of the estate (`services[]` in the environment file), resolved. */
export interface ServiceModel {
  /** Service name, part of every host and resource name (`web`). */
  readonly name: string;
  /** Golden image the hosts boot (`images[].name`). */
  readonly image: string;
  /** Version of that image, from `images[].version`. */
  readonly imageVersion: string;
  /** Nova flavor of the OpenStack hosts. */
  readonly flavor: string;
  /** EC2 instance type of the AWS hosts. */
  readonly instanceType: string;
  /** Index of the service's IPAM block in every site subnet; block 0 holds the network's own addresses. */
  readonly ipBlock: number;
  /** Listeners, in file order; at least one. */
  readonly listeners: readonly ListenerModel[];
  /** The health check, defaults filled in. */
  readonly healthCheck: HealthCheckModel;
  /** What Route 53 checks on each site's public entry point; absent when every listener is UDP. */
  readonly publicHealthCheck?: PublicHealthCheckModel;
  /** Nova server group policy of the OpenStack hosts. @default "soft-anti-affinity" */
  readonly placement: PlacementPolicy;
  /** public: public VIPs, internet-facing AWS load balancer, Route 53 records; internal: private networks only. */
  readonly exposure: "public" | "internal";
  /** Client networks let in on the listeners (Octavia `allowed_cidrs`, the load balancer's security group); required. */
  readonly allowedCidrs: readonly string[];
  /**
   * Whether the site stacks let Route 53's health checkers in on the service's listeners: true when the estate has
   * a traffic section, the service is public and its allowedCidrs do not already reach every public address. The
   * OpenStack listeners then also admit traffic.healthCheckerCidrs, the AWS security groups Route 53's managed prefix
   * list; rule EST-TRF-001 warns when the OpenStack side has no ranges to add.
   */
  readonly admitsRoute53HealthCheckers: boolean;
  /**
   * Hosts needed at peak; the N+1 rules check that the sites left after losing one can carry it.
   * @default - none (the capacity rules do not apply)
   */
  readonly peakInstances?: number;
  /** HTTP paths the rolling update requests before a host takes traffic again. @default [] */
  readonly warmup: readonly string[];
  /** Size of the root volume in GiB (Cinder volume / EBS gp3). @default 20 */
  readonly volumeSizeGiB: number;
}

/** A site's share of global traffic (`sites.*.traffic`). */
export interface TrafficModel {
  /** `active`, or `drained` (in the file or for this run only). */
  readonly state: TrafficState;
  /** Weight written in the file. */
  readonly weight: number;
  /** Weight the traffic stack uses: 0 when drained. */
  readonly effectiveWeight: number;
}

/** How one service lives in one site. */
export interface SiteServiceModel {
  /** The service (the same object as in `EstateModel.services`). */
  readonly service: ServiceModel;
  /** The service's hosts in this site, by index. */
  readonly hosts: readonly HostModel[];
}

/** How one service lives in one OpenStack site: hosts, VIPs and server groups. */
export interface OpenstackSiteServiceModel extends SiteServiceModel {
  /** Public VIP held by a floating IP on the external network; absent for internal services. */
  readonly publicVip?: string;
  /**
   * `<env>-<site>-<service>` (model/naming.ts): the name of the service's Neutron security group and Octavia load
   * balancer in this site.
   */
  readonly resourceName: string;
  /** Fixed address of the Octavia load balancer on the site subnet. */
  readonly lbVipAddress: string;
  /**
   * Names of the service's Nova server groups in this site, group 1 first: one per `limits.serverGroupMembers`
   * hosts. Empty for placement: none.
   */
  readonly serverGroups: readonly string[];
}

/** How an OpenStack site finds a golden image in Glance: exactly one of `id` and `name`. */
export interface OpenstackImageRef {
  /** Glance image ID. @default - none: looked up by `name` */
  readonly id?: string;
  /** Glance image name, the most recent image of that name. @default - none: `id` is set */
  readonly name?: string;
}

/** One OpenStack site (`sites.openstack[]`), resolved. */
export interface OpenstackSiteModel {
  /** Always `openstack`. */
  readonly kind: "openstack";
  /** Site name, e.g. `os-a`. */
  readonly name: string;
  /** Name of the site's stack, `<env>-<site>`. */
  readonly stackName: string;
  /** Entry of clouds.yaml the provider authenticates with (credentials stay there). */
  readonly cloud: string;
  /** OpenStack region, e.g. `RegionOne`. */
  readonly region: string;
  /** Nova availability zones hosts are spread over, in file order. */
  readonly availabilityZones: readonly string[];
  /** The provider network the site router uplinks to and floating IPs come from. */
  readonly externalNetwork: {
    /** Neutron name of the external network, e.g. `public`. */
    readonly name: string;
    /** Its IPv4 CIDR, where the public VIPs are. */
    readonly cidr: string;
  };
  /** IPv4 CIDR of the site subnet. */
  readonly subnetCidr: string;
  /** Router address on the subnet: its first address. */
  readonly gatewayIp: string;
  /** DHCP range: the upper half of block 0, away from every fixed address. */
  readonly allocationPool: {
    /** First address of the DHCP range. */
    readonly start: string;
    /** Last address of the DHCP range. */
    readonly end: string;
  };
  /** CIDR covering the DHCP range, where Octavia amphorae reach members from. */
  readonly loadBalancerSourceCidr: string;
  /** DNS servers DHCP hands out. @default [] */
  readonly dnsServers: readonly string[];
  /** Static routes on the site router, in file order. */
  readonly routes: readonly {
    /** Destination IPv4 CIDR. */
    readonly destination: string;
    /** Next hop on the site subnet. */
    readonly nextHop: string;
  }[];
  /** The site's share of global traffic. */
  readonly traffic: TrafficModel;
  /** The services placed in the site, in file order. */
  readonly services: readonly OpenstackSiteServiceModel[];
  /** Image reference per golden-image name, in this site. */
  readonly images: Readonly<Record<string, OpenstackImageRef>>;
  /** The version a rollout brings and its reference here, per golden-image name being rolled. @default {} */
  readonly rolloutImages?: Readonly<Record<string, RolloutImageRef<OpenstackImageRef>>>;
  /** The cloud's quotas and settings, defaults filled in. */
  readonly limits: SiteLimits;
}

/** One availability zone of the AWS site, with the subnets the model planned in it. */
export interface AwsZoneModel {
  /** Zone name, e.g. `eu-west-1a`. */
  readonly name: string;
  /** IPv4 CIDR of the zone's private subnet (hosts). */
  readonly privateSubnetCidr: string;
  /** IPv4 CIDR of the zone's public subnet (load balancers, NAT gateway). */
  readonly publicSubnetCidr: string;
}

/** How the AWS site finds a golden image: an AMI ID, or a name and owner to look it up by. */
export interface AwsImageRef {
  /** AMI ID (`ami-…`). @default - none: looked up by `amiName` and `owner` */
  readonly ami?: string;
  /** AMI name, the most recent one of that name. @default - none: `ami` is set */
  readonly amiName?: string;
  /** AWS account owning the AMI (12 digits). @default - none: `ami` is set */
  readonly owner?: string;
}

/** How one service lives in the AWS site: hosts and its load balancer. */
export interface AwsSiteServiceModel extends SiteServiceModel {
  /** Deterministic load balancer name (≤ 32 characters, model/naming.ts), so the traffic stack can look it up. */
  readonly loadBalancerName: string;
  /** `application` (ALB) for HTTP(S) listeners, `network` (NLB) for TCP/UDP. */
  readonly loadBalancerType: "application" | "network";
}

/** The AWS site (`sites.aws`), resolved. */
export interface AwsSiteModel {
  /** Always `aws`. */
  readonly kind: "aws";
  /** Site name, e.g. `aws`. */
  readonly name: string;
  /** Name of the site's stack, `<env>-<site>`. */
  readonly stackName: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Named profile of the shared AWS config. @default - none: the default credential chain */
  readonly profile?: string;
  /** IAM role the provider assumes. @default - none: no role is assumed */
  readonly assumeRoleArn?: string;
  /** IPv4 CIDR of the VPC. */
  readonly vpcCidr: string;
  /** Availability zones with their subnets; at least two. */
  readonly zones: readonly AwsZoneModel[];
  /** The site's share of global traffic. */
  readonly traffic: TrafficModel;
  /** The services placed in the site, in file order. */
  readonly services: readonly AwsSiteServiceModel[];
  /** AMI reference per golden-image name. */
  readonly images: Readonly<Record<string, AwsImageRef>>;
  /** The version a rollout brings and its reference here, per golden-image name being rolled. @default {} */
  readonly rolloutImages?: Readonly<Record<string, RolloutImageRef<AwsImageRef>>>;
}

/** The image a rollout brings to a site (`images[].rollout` in the environment file). */
export interface RolloutImageRef<R> {
  /** The version the rollout moves hosts to, e.g. `2026.12.1`. */
  readonly version: string;
  /** Where the site finds that version: a Glance id or name, or an AMI or AMI name. */
  readonly ref: R;
}

/** Any site. */
export type SiteModel = OpenstackSiteModel | AwsSiteModel;

/** Where every stack keeps its Terraform state (`backend` in the environment file): one state per stack. */
export type BackendModel =
  | {
      /** Local state files, one per stack. */
      readonly type: "local";
      /** Directory of the state files, relative to the project root. @default "terraform-state" */
      readonly directory: string;
    }
  | {
      /** S3 (or an S3-compatible store), one object per stack. */
      readonly type: "s3";
      /** Bucket holding the state objects. */
      readonly bucket: string;
      /** Region of the bucket. */
      readonly region: string;
      /** Prefix of the state objects' keys, `<prefix>/<stack>.tfstate`. @default "estate" */
      readonly keyPrefix: string;
      /** S3-compatible store's S3 API endpoint. @default - AWS's S3 endpoint of the region */
      readonly endpoint?: string;
      /** Which locks Terraform takes: `use_lockfile`, `dynamodb_table` or both (see S3_LOCKING_MODES). */
      readonly locking: S3Locking;
      /** Set exactly when locking is dynamodb or both. */
      readonly dynamodbTable?: string;
      /** DynamoDB-compatible endpoint of the lock table. @default - AWS's DynamoDB endpoint of the region */
      readonly dynamodbEndpoint?: string;
      /** Path-style S3 URLs, for S3-compatible stores. @default false */
      readonly usePathStyle: boolean;
    };

/** Kinds of stack an environment synthesizes. */
export type StackKind = "openstack" | "aws" | "traffic" | "bake";

/** One stack of an environment, by name and kind. */
export interface StackRef {
  /** Stack name: `<env>-<site>`, `<env>-traffic` or `<env>-<site>-bake`. */
  readonly name: string;
  /** What the stack holds. */
  readonly kind: StackKind;
  /** Site the stack belongs to; absent for the traffic stack. */
  readonly site?: string;
}

/** The golden-image builder of one OpenStack site (`bake`). */
export interface BuilderModel {
  /** Site the builder runs in. */
  readonly site: string;
  /** Name of the bake stack, `<env>-<site>-bake`. */
  readonly stackName: string;
  /** Nova name of the builder instance. */
  readonly name: string;
  /** Fixed address of the builder on the site subnet. */
  readonly ip: string;
  /** Availability zone of the builder: the site's first. */
  readonly availabilityZone: string;
  /** The golden image this bake produces, and its version. */
  readonly image: string;
  /** Version the bake produces. */
  readonly imageVersion: string;
  /** Glance name the snapshot is published under: the name the site stack looks the image up by. */
  readonly publishName: string;
}

/** A policy finding the environment file accepts, with its reason (`suppressions[]`). */
export interface Suppression {
  /** Rule id, e.g. `EST-CAP-001`. */
  readonly rule: string;
  /** Resource address or model path the suppression covers. @default - every target of the rule */
  readonly target?: string;
  /** Why the finding is accepted; shown with the finding. */
  readonly reason: string;
}

/** One environment, resolved: the single source of truth every renderer reads. */
export interface EstateModel {
  /** Environment name (`name`), the first part of every stack and host name. */
  readonly env: string;
  /** Path of the environment file, as given. */
  readonly sourceFile: string;
  /** Networks SSH is allowed from. */
  readonly adminCidrs: readonly string[];
  /** How Ansible reaches the hosts. */
  readonly ssh: {
    /** Login user of the golden images. @default "debian" (DEFAULT_SSH_USER) */
    readonly user: string;
    /** Key pair name in Nova and EC2. */
    readonly keyName: string;
    /** Public key the stacks register under `keyName`. @default - none: the key pair exists already */
    readonly publicKey?: string;
  };
  /** Where the stacks keep their state. */
  readonly backend: BackendModel;
  /** OpenStack sites, in file order. */
  readonly openstackSites: readonly OpenstackSiteModel[];
  /** The AWS site. @default - none: the estate runs on OpenStack only */
  readonly awsSite?: AwsSiteModel;
  /** Services, in file order. */
  readonly services: readonly ServiceModel[];
  /** Names of the golden images the file defines, in file order. */
  readonly imageNames: readonly string[];
  /** Every host of the estate: sites in file order, then services in file order, then index. */
  readonly hosts: readonly HostModel[];
  /** Global DNS traffic over Route 53. @default - none: no traffic stack */
  readonly traffic?: {
    /** `<env>-traffic` (model/naming.ts). */
    readonly stackName: string;
    /** ID of an existing Route 53 hosted zone. @default - none: `createZone` creates one */
    readonly zoneId?: string;
    /** Whether the traffic stack creates the hosted zone for `domain`. */
    readonly createZone: boolean;
    /** Domain the service records live under, e.g. `dev.example.com`. */
    readonly domain: string;
    /** TTL of the weighted records in seconds. @default 60 */
    readonly ttlSec: number;
    /** Where Route 53 health checkers connect from; let in on the VIPs of services not open to everyone. */
    readonly healthCheckerCidrs: readonly string[];
  };
  /** Golden-image builders. */
  readonly bake: {
    /** Whether bake stacks are built. */
    readonly enabled: boolean;
    /** Glance image the builders start from. @default - none: bake is off */
    readonly baseImage?: string;
    /** Nova flavor of the builders. @default - none: bake is off */
    readonly flavor?: string;
    /** One builder per OpenStack site. */
    readonly builders: readonly BuilderModel[];
  };
  /** Monitoring settings every site shares. */
  readonly monitoring: {
    /** Port of node_exporter on every host. @default 9100 */
    readonly nodeExporterPort: number;
    /** Zabbix server the agents report to. @default - none: no Zabbix agent */
    readonly zabbixServer?: string;
    /** Networks let in to node_exporter: `monitoring.scrapeCidrs`, else adminCidrs. */
    readonly scrapeCidrs: readonly string[];
  };
  /** Policy findings the file accepts, with their reasons. */
  readonly suppressions: readonly Suppression[];
  /** Every stack of the environment, in the order they are synthesized. */
  readonly stacks: readonly StackRef[];
}
