import { Construct } from "constructs";
import { DEFAULT_RECORD_TTL_SEC, WeightedServiceRecord, type Route53HealthCheckType, type WeightedRecordTarget } from "./weighted-service-record";
import { ValidationError } from "../core";

/** Services that check their backends at least this often get Route 53's fast (10 s) interval, others 30 s. */
export const FAST_REQUEST_INTERVAL_UP_TO_SEC = 10;

/** One site that runs the service. */
export interface ServiceTrafficEndpoint {
  /** Site name: the record's set identifier and the construct id of its record. */
  readonly site: string;
  /** The site's effective weight (0 when drained). */
  readonly weight: number;
  /**
   * Where the site's record points: the fixed public VIP of an OpenStack site, or the AWS load balancer found by
   * name.
   */
  readonly target: WeightedRecordTarget;
}

/** Props of {@link ServiceTraffic}; every value comes from the model (`traffic` and `services[]`). */
export interface ServiceTrafficProps {
  /** ID of the Route 53 hosted zone the records go into. */
  readonly zoneId: string;
  /** Fully qualified service name, e.g. `web.dev.example.net`. */
  readonly recordName: string;
  /** @default 60 */
  readonly ttlSec?: number;
  /**
   * What the health checkers probe on each site's public entry point: protocol, public listener port and path, as
   * the model decides it (model/health-check.ts); PublicHealthCheckModel satisfies it.
   */
  readonly publicHealthCheck: {
    /** Route 53 health check type (`type`): HTTP, HTTPS or TCP. */
    readonly protocol: Route53HealthCheckType;
    /** Public listener port probed. */
    readonly listenerPort: number;
    /** Request path of HTTP and HTTPS checks. @default - none (required for HTTP and HTTPS) */
    readonly path?: string;
  };
  /** The service's health check: its interval (seconds) and failure count carry over to Route 53; HealthCheckModel satisfies it. */
  readonly healthCheck: {
    /**
     * Seconds between the service's own checks: up to {@link FAST_REQUEST_INTERVAL_UP_TO_SEC} gets Route 53's fast
     * 10-second `request_interval`, anything longer the standard 30.
     */
    readonly intervalSec: number;
    /** Consecutive failures before an endpoint is unhealthy: Route 53's `failure_threshold`, 1-10. */
    readonly unhealthyThreshold: number;
  };
  /** Sites that run the service, in a stable order. */
  readonly endpoints: readonly ServiceTrafficEndpoint[];
}

/**
 * The DNS name of one service, spread over every site that runs it: one weighted record per site, each with a
 * health check that probes the site's public entry point (OpenStack VIP or AWS load balancer) the way the load
 * balancers probe their members. Route 53 treats a set whose weights are all 0 as equally weighted, so a set that
 * would send nothing anywhere is refused.
 */
export class ServiceTraffic extends Construct {
  /** One weighted record with its health check per site that runs the service. */
  readonly records: readonly WeightedServiceRecord[];

  constructor(scope: Construct, id: string, props: ServiceTrafficProps) {
    super(scope, id);
    if (props.endpoints.length === 0) throw new ValidationError(`endpoints is empty; a service name needs at least one site to point at`, this);
    const sites = new Set<string>();
    for (const e of props.endpoints) {
      if (sites.has(e.site)) throw new ValidationError(`site "${e.site}" is listed twice; each site gets one weighted record`, this);
      sites.add(e.site);
    }
    if (props.endpoints.every((e) => e.weight === 0)) {
      throw new ValidationError(
        `every record of ${props.recordName} has weight 0 (sites: ${[...sites].join(", ")}); Route 53 treats a set whose weights are all 0 as equally weighted and would send traffic to drained sites; keep at least one site that runs the service active with a weight above 0`,
        this,
      );
    }
    const check = props.publicHealthCheck;
    this.records = props.endpoints.map(
      (e) =>
        new WeightedServiceRecord(this, e.site, {
          zoneId: props.zoneId,
          recordName: props.recordName,
          setIdentifier: e.site,
          weight: e.weight,
          target: e.target,
          ttlSec: props.ttlSec ?? DEFAULT_RECORD_TTL_SEC,
          healthCheckType: check.protocol,
          healthCheckPort: check.listenerPort,
          ...(check.protocol === "TCP" ? {} : { healthCheckPath: check.path }),
          failureThreshold: props.healthCheck.unhealthyThreshold,
          requestIntervalSec: props.healthCheck.intervalSec <= FAST_REQUEST_INTERVAL_UP_TO_SEC ? 10 : 30,
        }),
    );
  }
}
