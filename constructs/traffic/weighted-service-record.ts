import { Construct } from "constructs";
import ipaddr from "ipaddr.js";
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { isValidIpv4, UNREACHABLE_RANGES } from "../../model";
import { terraformLiteral } from "../terraform-literal";
import { ValidationError } from "../core";

/** Route 53 health-check types the toolkit renders (aws_route53_health_check `type`). */
export type Route53HealthCheckType = "HTTP" | "HTTPS" | "TCP";

/** Default for {@link WeightedServiceRecordProps.ttlSec}. */
export const DEFAULT_RECORD_TTL_SEC = 60;
/** Default for {@link WeightedServiceRecordProps.failureThreshold}: Route 53's own default. */
export const DEFAULT_FAILURE_THRESHOLD = 3;
/** Default for {@link WeightedServiceRecordProps.requestIntervalSec}: Route 53's standard interval. */
export const DEFAULT_REQUEST_INTERVAL_SEC = 30;
/** The only request intervals Route 53 offers: fast (10 s) and standard (30 s). */
export const ROUTE53_REQUEST_INTERVALS: readonly number[] = [10, 30];
/** Route 53 weights go from 0 to 255. */
export const MAX_ROUTE53_WEIGHT = 255;

/** Where the record points: a fixed public address, or an AWS load balancer found by its name. */
export type WeightedRecordTarget =
  | {
      /** Public IPv4 address (an OpenStack site's VIP): an A record, health-checked on that address. */
      readonly ipAddress: string;
    }
  | {
      /**
       * Name of an ALB or NLB in the provider's region, looked up with `data aws_lb` (no remote state, no
       * reference to the stack that owns it): an alias A record, health-checked on the load balancer's DNS name.
       */
      readonly loadBalancerName: string;
    };

/** Props of {@link WeightedServiceRecord}; every value comes from the model. */
export interface WeightedServiceRecordProps {
  /** Hosted zone the record lives in. */
  readonly zoneId: string;
  /** Fully qualified record name, e.g. `web.dev.example.net`. */
  readonly recordName: string;
  /** Unique among the records of the same name: the site name. */
  readonly setIdentifier: string;
  /** Share of the traffic relative to the other records of the name, 0-255; 0 takes no traffic. */
  readonly weight: number;
  /** What the record answers with: an A record to a fixed address, or an alias to an AWS load balancer. */
  readonly target: WeightedRecordTarget;
  /** TTL of the A record (alias records take the target's). @default 60 */
  readonly ttlSec?: number;
  /** Route 53 health check type (`type`): HTTP, HTTPS or TCP. */
  readonly healthCheckType: Route53HealthCheckType;
  /** Port the health checkers connect to: the load balancer's public listener port. */
  readonly healthCheckPort: number;
  /** Request path of HTTP and HTTPS checks; must be absent for TCP. @default - none (required for HTTP/HTTPS) */
  readonly healthCheckPath?: string;
  /** Consecutive failed checks before the endpoint is unhealthy, 1-10. @default 3 */
  readonly failureThreshold?: number;
  /** Seconds between checks from each checker: 10 or 30. @default 30 */
  readonly requestIntervalSec?: number;
}

/**
 * One weighted A record of a service name pointing at one site, with a Route 53 health check of its own, so a
 * failed site leaves the rotation even while its weight is above 0. A weight of 0 keeps the record (and its
 * health check) but sends it no traffic: how a site is drained.
 */
export class WeightedServiceRecord extends Construct {
  /** ID of the `aws_route53_health_check`, a Terraform reference. */
  readonly healthCheckId: string;
  /** Fully qualified name of the record, as Route 53 reports it (`fqdn`). */
  readonly recordFqdn: string;

  constructor(scope: Construct, id: string, props: WeightedServiceRecordProps) {
    super(scope, id);
    this.validate(props);
    const http = props.healthCheckType !== "TCP";
    const lb = "loadBalancerName" in props.target ? new DataAwsLb(this, "LoadBalancer", { name: terraformLiteral(props.target.loadBalancerName) }) : undefined;

    const healthCheck = new Route53HealthCheck(this, "HealthCheck", {
      type: props.healthCheckType,
      port: props.healthCheckPort,
      ...(lb
        ? { fqdn: lb.dnsName }
        : // With an address, fqdn is not resolved: it becomes the Host header (and SNI name), as clients send it.
          { ipAddress: (props.target as { ipAddress: string }).ipAddress, ...(http ? { fqdn: terraformLiteral(props.recordName) } : {}) }),
      ...(http ? { resourcePath: terraformLiteral(props.healthCheckPath!) } : {}),
      failureThreshold: props.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
      requestInterval: props.requestIntervalSec ?? DEFAULT_REQUEST_INTERVAL_SEC,
      tags: { Name: terraformLiteral(`${props.recordName} ${props.setIdentifier}`) },
    });

    const record = new Route53Record(this, "Record", {
      zoneId: props.zoneId,
      name: terraformLiteral(props.recordName),
      type: "A",
      setIdentifier: terraformLiteral(props.setIdentifier),
      weightedRoutingPolicy: { weight: props.weight },
      healthCheckId: healthCheck.id,
      ...(lb
        ? { alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true } }
        : { ttl: props.ttlSec ?? DEFAULT_RECORD_TTL_SEC, records: [(props.target as { ipAddress: string }).ipAddress] }),
    });
    this.healthCheckId = healthCheck.id;
    this.recordFqdn = record.fqdn;
  }

  private validate(props: WeightedServiceRecordProps): void {
    if (!Number.isInteger(props.weight) || props.weight < 0 || props.weight > MAX_ROUTE53_WEIGHT) {
      throw new ValidationError(`weight must be a whole number from 0 to ${MAX_ROUTE53_WEIGHT}, got ${props.weight}`, this);
    }
    if (props.setIdentifier.length === 0 || props.setIdentifier.length > 128) {
      throw new ValidationError(`setIdentifier must be 1 to 128 characters, got "${props.setIdentifier}"`, this);
    }
    const ttl = props.ttlSec ?? DEFAULT_RECORD_TTL_SEC;
    if (!Number.isInteger(ttl) || ttl < 0) throw new ValidationError(`ttlSec must be a whole number of seconds, got ${ttl}`, this);
    if ("ipAddress" in props.target) {
      const ip = props.target.ipAddress;
      if (!isValidIpv4(ip)) throw new ValidationError(`target ipAddress must be an IPv4 address, got "${ip}"`, this);
      const range = ipaddr.IPv4.parse(ip).range();
      if (UNREACHABLE_RANGES.includes(range)) {
        throw new ValidationError(`target ipAddress ${ip} is a ${range} address; Route 53 health checkers probe from the internet and cannot reach it`, this);
      }
    } else if (props.target.loadBalancerName.length === 0) {
      throw new ValidationError(`target loadBalancerName is empty`, this);
    }
    const port = props.healthCheckPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ValidationError(`healthCheckPort must be from 1 to 65535, got ${port}`, this);
    if (props.healthCheckType === "TCP") {
      if (props.healthCheckPath !== undefined) throw new ValidationError(`a TCP health check has no path, got "${props.healthCheckPath}"`, this);
    } else if (!props.healthCheckPath?.startsWith("/")) {
      throw new ValidationError(`an ${props.healthCheckType} health check needs a healthCheckPath starting with "/", got "${props.healthCheckPath ?? ""}"`, this);
    }
    const threshold = props.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) throw new ValidationError(`failureThreshold must be from 1 to 10, got ${threshold}`, this);
    const interval = props.requestIntervalSec ?? DEFAULT_REQUEST_INTERVAL_SEC;
    if (!ROUTE53_REQUEST_INTERVALS.includes(interval)) {
      throw new ValidationError(`requestIntervalSec must be 10 or 30 (the intervals Route 53 offers), got ${interval}`, this);
    }
  }
}
