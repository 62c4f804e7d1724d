import { WeightedServiceRecord, type WeightedServiceRecordProps } from "../../../constructs/traffic";
import { resourcesOf, synthJson } from "../../support/synth";
import { trafficErrorOf, trafficTestStack } from "./fixtures";

const RECORD: WeightedServiceRecordProps = {
  zoneId: "Z1",
  recordName: "web.example.net",
  setIdentifier: "os-a",
  weight: 100,
  target: { ipAddress: "198.51.100.10" },
  healthCheckType: "HTTP",
  healthCheckPort: 80,
  healthCheckPath: "/healthz",
};

describe("WeightedServiceRecord", () => {
  it("points an A record at an address, with its own HTTP health check (defaults)", () => {
    const stack = trafficTestStack();
    new WeightedServiceRecord(stack, "Record", RECORD);
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_route53_record").record_record).toEqual({
      zone_id: "Z1",
      name: "web.example.net",
      type: "A",
      set_identifier: "os-a",
      weighted_routing_policy: { weight: 100 },
      health_check_id: "${aws_route53_health_check.record_health_check.id}",
      ttl: 60,
      records: ["198.51.100.10"],
    });
    expect(resourcesOf(tf, "aws_route53_health_check").record_health_check).toEqual({
      type: "HTTP",
      ip_address: "198.51.100.10",
      fqdn: "web.example.net",
      port: 80,
      resource_path: "/healthz",
      failure_threshold: 3,
      request_interval: 30,
      tags: { Name: "web.example.net os-a" },
    });
  });

  it("aliases a load balancer looked up by name, with TTL, threshold and interval as given (all options)", () => {
    const stack = trafficTestStack();
    new WeightedServiceRecord(stack, "Record", {
      ...RECORD,
      setIdentifier: "aws",
      weight: 0,
      target: { loadBalancerName: "dev-api" },
      ttlSec: 30,
      healthCheckType: "TCP",
      healthCheckPort: 5432,
      healthCheckPath: undefined,
      failureThreshold: 2,
      requestIntervalSec: 10,
    });
    const tf = synthJson(stack);
    expect(tf.data.aws_lb.record_load_balancer).toEqual({ name: "dev-api" });
    const record = resourcesOf(tf, "aws_route53_record").record_record;
    expect(record.alias).toEqual({ name: "${data.aws_lb.record_load_balancer.dns_name}", zone_id: "${data.aws_lb.record_load_balancer.zone_id}", evaluate_target_health: true });
    expect(record.weighted_routing_policy).toEqual({ weight: 0 });
    expect(record.ttl).toBeUndefined();
    expect(resourcesOf(tf, "aws_route53_health_check").record_health_check).toEqual({
      type: "TCP",
      fqdn: "${data.aws_lb.record_load_balancer.dns_name}",
      port: 5432,
      failure_threshold: 2,
      request_interval: 10,
      tags: { Name: "web.example.net aws" },
    });
  });

  it("refuses a weight Route 53 does not take", () => {
    expect(trafficErrorOf((s) => new WeightedServiceRecord(s, "Record", { ...RECORD, weight: 256 }))).toBe("test/Record: weight must be a whole number from 0 to 255, got 256");
  });

  it("refuses a private address health checkers cannot reach", () => {
    expect(trafficErrorOf((s) => new WeightedServiceRecord(s, "Record", { ...RECORD, target: { ipAddress: "10.10.0.17" } }))).toBe(
      "test/Record: target ipAddress 10.10.0.17 is a private address; Route 53 health checkers probe from the internet and cannot reach it",
    );
  });

  it("refuses a request interval Route 53 does not offer", () => {
    expect(trafficErrorOf((s) => new WeightedServiceRecord(s, "Record", { ...RECORD, requestIntervalSec: 15 }))).toBe(
      "test/Record: requestIntervalSec must be 10 or 30 (the intervals Route 53 offers), got 15",
    );
  });

  it("refuses an HTTP check without a path", () => {
    expect(trafficErrorOf((s) => new WeightedServiceRecord(s, "Record", { ...RECORD, healthCheckPath: undefined }))).toBe(
      'test/Record: an HTTP health check needs a healthCheckPath starting with "/", got ""',
    );
  });
});
