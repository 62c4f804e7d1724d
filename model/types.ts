/**
 * The resolved estate: plain, immutable data with every decision made once (names, addresses, placement).
 * Renderers read it; none recomputes it.
 */
import type { HealthProbeModel, PublicHealthCheckModel, TargetHealthCheckModel } from "./health-check";
import type { SiteLimits } from "./limits";
import type { ListenerProtocol, PlacementPolicy, S3Locking } from "./schema";

export type SiteKind = "openstack" | "aws";
export type TrafficState = "active" | "drained";

export interface HostModel {
  /** `<env>-<site>-<service>-<NNN>`: unique in the estate, the Terraform for_each key and the inventory name. */
  readonly name: string;
  readonly site: string;
  readonly siteKind: SiteKind;
  readonly service: string;
  /** 1-based ordinal inside the site's fleet of that service. */
  readonly index: number;
  readonly ip: string;
  readonly availabilityZone: string;
  readonly image: string;
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

export interface ListenerModel {
  readonly protocol: ListenerProtocol;
  readonly port: number;
  readonly backendPort: number;
  readonly tls?: { readonly openstackContainerRef: string; readonly awsCertificateArn: string };
  /** What the Octavia monitor of this listener's pool probes (rule in model/health-check.ts). */
  readonly healthProbe: HealthProbeModel;
  /** What the AWS target group of this listener checks: the same, except that UDP pools are checked over TCP/HTTP(S). */
  readonly targetHealthCheck: TargetHealthCheckModel;
}

export interface HealthCheckModel {
  readonly protocol: "HTTP" | "HTTPS" | "TCP";
  /** HTTP path, set for HTTP and HTTPS checks. */
  readonly path?: string;
  /** Port the members answer the service's health check on (rule in model/health-check.ts, never list order). */
  readonly port: number;
  readonly intervalSec: number;
  readonly timeoutSec: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly expectedCodes: string;
}

export interface ServiceModel {
  readonly name: string;
  readonly image: string;
  readonly imageVersion: string;
  readonly flavor: string;
  readonly instanceType: string;
  readonly ipBlock: number;
  readonly listeners: readonly ListenerModel[];
  readonly healthCheck: HealthCheckModel;
  /** What Route 53 checks on each site's public entry point; absent when every listener is UDP. */
  readonly publicHealthCheck?: PublicHealthCheckModel;
  readonly placement: PlacementPolicy;
  /** public: public VIPs, internet-facing AWS load balancer, Route 53 records; internal: private networks only. */
  readonly exposure: "public" | "internal";
  readonly allowedCidrs: readonly string[];
  readonly peakInstances?: number;
  readonly warmup: readonly string[];
  readonly volumeSizeGiB: number;
}

export interface TrafficModel {
  readonly state: TrafficState;
  /** Weight written in the file. */
  readonly weight: number;
  /** Weight the traffic stack uses: 0 when drained. */
  readonly effectiveWeight: number;
}

/** How one service lives in one site. */
export interface SiteServiceModel {
  readonly service: string;
  readonly hosts: readonly HostModel[];
}

export interface OpenstackSiteServiceModel extends SiteServiceModel {
  /** Public VIP held by a floating IP on the external network; absent for internal services. */
  readonly publicVip?: string;
  /** Fixed address of the Octavia load balancer on the site subnet. */
  readonly lbVipAddress: string;
  /**
   * Names of the service's Nova server groups in this site, group 1 first: one per `limits.serverGroupMembers`
   * hosts. Empty for placement: none.
   */
  readonly serverGroups: readonly string[];
}

export interface OpenstackImageRef {
  readonly id?: string;
  readonly name?: string;
}

export interface OpenstackSiteModel {
  readonly kind: "openstack";
  readonly name: string;
  readonly stackName: string;
  readonly cloud: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly externalNetwork: { readonly name: string; readonly cidr: string };
  readonly subnetCidr: string;
  readonly gatewayIp: string;
  /** DHCP range: the upper half of block 0, away from every fixed address. */
  readonly allocationPool: { readonly start: string; readonly end: string };
  /** CIDR covering the DHCP range, where Octavia amphorae reach members from. */
  readonly loadBalancerSourceCidr: string;
  readonly dnsServers: readonly string[];
  readonly routes: readonly { readonly destination: string; readonly nextHop: string }[];
  readonly traffic: TrafficModel;
  readonly services: readonly OpenstackSiteServiceModel[];
  /** Image reference per golden-image name, in this site. */
  readonly images: Readonly<Record<string, OpenstackImageRef>>;
  /** The version a rollout brings and its reference here, per golden-image name being rolled. @default {} */
  readonly rolloutImages?: Readonly<Record<string, { readonly version: string; readonly ref: OpenstackImageRef }>>;
  /** The cloud's quotas and settings, defaults filled in. */
  readonly limits: SiteLimits;
}

export interface AwsZoneModel {
  readonly name: string;
  readonly privateSubnetCidr: string;
  readonly publicSubnetCidr: string;
}

export interface AwsImageRef {
  readonly ami?: string;
  readonly amiName?: string;
  readonly owner?: string;
}

export interface AwsSiteServiceModel extends SiteServiceModel {
  /** Deterministic load balancer name (≤ 32 characters), so the traffic stack can look it up. */
  readonly loadBalancerName: string;
  readonly loadBalancerType: "application" | "network";
}

export interface AwsSiteModel {
  readonly kind: "aws";
  readonly name: string;
  readonly stackName: string;
  readonly region: string;
  readonly profile?: string;
  readonly assumeRoleArn?: string;
  readonly vpcCidr: string;
  readonly zones: readonly AwsZoneModel[];
  readonly traffic: TrafficModel;
  readonly services: readonly AwsSiteServiceModel[];
  readonly images: Readonly<Record<string, AwsImageRef>>;
  /** The version a rollout brings and its reference here, per golden-image name being rolled. @default {} */
  readonly rolloutImages?: Readonly<Record<string, { readonly version: string; readonly ref: AwsImageRef }>>;
}

export type SiteModel = OpenstackSiteModel | AwsSiteModel;

export type BackendModel =
  | { readonly type: "local"; readonly directory: string }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly region: string;
      readonly keyPrefix: string;
      /** S3-compatible store's S3 API endpoint. @default - AWS's S3 endpoint of the region */
      readonly endpoint?: string;
      /** Which locks Terraform takes: `use_lockfile`, `dynamodb_table` or both (see S3_LOCKING_MODES). */
      readonly locking: S3Locking;
      /** Set exactly when locking is dynamodb or both. */
      readonly dynamodbTable?: string;
      /** DynamoDB-compatible endpoint of the lock table. @default - AWS's DynamoDB endpoint of the region */
      readonly dynamodbEndpoint?: string;
      readonly usePathStyle: boolean;
    };

export type StackKind = "openstack" | "aws" | "traffic" | "bake";

export interface StackRef {
  readonly name: string;
  readonly kind: StackKind;
  /** Site the stack belongs to; absent for the traffic stack. */
  readonly site?: string;
}

export interface BuilderModel {
  readonly site: string;
  readonly stackName: string;
  readonly name: string;
  readonly ip: string;
  readonly availabilityZone: string;
  /** The golden image this bake produces, and its version. */
  readonly image: string;
  readonly imageVersion: string;
  /** Glance name the snapshot is published under: the name the site stack looks the image up by. */
  readonly publishName: string;
}

export interface Suppression {
  readonly rule: string;
  readonly target?: string;
  readonly reason: string;
}

export interface EstateModel {
  readonly env: string;
  /** Path of the environment file, as given. */
  readonly sourceFile: string;
  readonly adminCidrs: readonly string[];
  readonly ssh: { readonly user: string; readonly keyName: string; readonly publicKey?: string };
  readonly backend: BackendModel;
  readonly openstackSites: readonly OpenstackSiteModel[];
  readonly awsSite?: AwsSiteModel;
  readonly services: readonly ServiceModel[];
  /** Names of the golden images the file defines, in file order. */
  readonly imageNames: readonly string[];
  /** Every host of the estate: sites in file order, then services in file order, then index. */
  readonly hosts: readonly HostModel[];
  readonly traffic?: {
    readonly zoneId?: string;
    readonly createZone: boolean;
    readonly domain: string;
    readonly ttlSec: number;
    /** Where Route 53 health checkers connect from; let in on the VIPs of services not open to everyone. */
    readonly healthCheckerCidrs: readonly string[];
  };
  readonly bake: {
    readonly enabled: boolean;
    readonly baseImage?: string;
    readonly flavor?: string;
    readonly builders: readonly BuilderModel[];
  };
  readonly monitoring: {
    readonly nodeExporterPort: number;
    readonly zabbixServer?: string;
    /** Networks let in to node_exporter: `monitoring.scrapeCidrs`, else adminCidrs. */
    readonly scrapeCidrs: readonly string[];
  };
  readonly suppressions: readonly Suppression[];
  readonly stacks: readonly StackRef[];
}
