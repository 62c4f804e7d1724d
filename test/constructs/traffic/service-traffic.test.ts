import { ServiceTraffic, type ServiceTrafficProps } from "../../../constructs/traffic";
import { resourcesOf, synthJson } from "../../support/synth";
import { trafficErrorOf, trafficTestStack } from "./fixtures";

const TRAFFIC: ServiceTrafficProps = {
  zoneId: "Z1",
  recordName: "web.example.net",
  publicHealthCheck: { protocol: "HTTP", listenerPort: 80, path: "/healthz" },
  healthCheck: { intervalSec: 10, unhealthyThreshold: 3 },
  endpoints: [
    { site: "os-a", weight: 100, target: { ipAddress: "198.51.100.10" } },
    { site: "aws", weight: 50, target: { loadBalancerName: "dev-web" } },
  ],
};

describe("ServiceTraffic", () => {
  it("writes one weighted record and health check per site (defaults)", () => {
    const stack = trafficTestStack();
    new ServiceTraffic(stack, "web", TRAFFIC);
    const tf = synthJson(stack);
    const records = resourcesOf(tf, "aws_route53_record");
    expect(Object.keys(records).sort()).toEqual(["web_aws_record", "web_os_a_record"]);
    expect(records.web_os_a_record).toMatchObject({ ttl: 60, set_identifier: "os-a", weighted_routing_policy: { weight: 100 } });
    expect(resourcesOf(tf, "aws_route53_health_check").web_aws_health_check).toMatchObject({ type: "HTTP", port: 80, resource_path: "/healthz", request_interval: 10 });
  });

  it("probes the listener the model chose, with the TTL given (all options)", () => {
    const stack = trafficTestStack();
    new ServiceTraffic(stack, "dns", {
      ...TRAFFIC,
      ttlSec: 15,
      publicHealthCheck: { protocol: "TCP", listenerPort: 53 },
      healthCheck: { intervalSec: 30, unhealthyThreshold: 5 },
    });
    const tf = synthJson(stack);
    expect(resourcesOf(tf, "aws_route53_record").dns_os_a_record.ttl).toBe(15);
    expect(resourcesOf(tf, "aws_route53_health_check").dns_os_a_health_check).toMatchObject({ type: "TCP", port: 53, failure_threshold: 5, request_interval: 30 });
    expect(resourcesOf(tf, "aws_route53_health_check").dns_os_a_health_check.resource_path).toBeUndefined();
  });

  it("refuses a set whose weights are all 0", () => {
    const endpoints = TRAFFIC.endpoints.map((e) => ({ ...e, weight: 0 }));
    expect(trafficErrorOf((s) => new ServiceTraffic(s, "web", { ...TRAFFIC, endpoints }))).toBe(
      "test/web: every record of web.example.net has weight 0 (sites: os-a, aws); Route 53 treats a set whose weights are all 0 as equally weighted and would send traffic to drained sites; keep at least one site that runs the service active with a weight above 0",
    );
  });
});
