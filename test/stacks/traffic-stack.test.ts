import { Testing } from "cdktf";
import { loadEnvironment, type EstateModel } from "../../model";
import { AwsSiteStack } from "../../stacks/aws-site-stack";
import { TrafficStack } from "../../stacks/traffic-stack";
import { DEV_ENV, devModel } from "../support/env";
import { resourcesOf, synthJson } from "../support/synth";

function synthTraffic(estate: EstateModel): any {
  return synthJson(new TrafficStack(Testing.app(), estate));
}

/** Every stack this part of the toolkit owns, synthesized to its exact JSON text. */
function synthOwnStacks(estate: EstateModel): Record<string, string> {
  const app = Testing.app();
  const stacks = [new AwsSiteStack(app, estate, estate.awsSite!), new TrafficStack(app, estate)];
  return Object.fromEntries(stacks.map((s) => [s.node.id, Testing.synth(s, true)]));
}

/** The health check a record points at, resolved through its `${aws_route53_health_check.<name>.id}` reference. */
function healthCheckOf(tf: any, record: any): any {
  const m = /^\$\{aws_route53_health_check\.([a-z0-9_]+)\.id\}$/.exec(record.health_check_id);
  expect(m, `record ${record.name} ${record.set_identifier} has no health check`).not.toBeNull();
  const check = resourcesOf(tf, "aws_route53_health_check")[m![1]];
  expect(check).toBeDefined();
  return check;
}

describe("TrafficStack (dev estate)", () => {
  const estate = loadEnvironment(DEV_ENV);
  const tf = synthTraffic(estate);
  const records = Object.values<any>(resourcesOf(tf, "aws_route53_record"));

  it("is named <env>-traffic and keeps its own state", () => {
    expect(new TrafficStack(Testing.app(), estate).node.id).toBe("dev-traffic");
    expect(tf.terraform.backend.local.path).toBe("../../../terraform-state/dev-traffic.tfstate");
  });

  it("has one AWS provider in the AWS site's region and profile, without keys", () => {
    expect(tf.provider.aws).toEqual([{ region: "eu-west-1", profile: "estate-dev", default_tags: [{ tags: { "estate:env": "dev", "estate:stack": "dev-traffic" } }] }]);
    const text = JSON.stringify(tf);
    for (const secret of ["access_key", "secret_key", "token"]) expect(text).not.toContain(`"${secret}`);
    expect(tf.data.terraform_remote_state).toBeUndefined();
  });

  it("writes one weighted A record per site that runs the service, in the existing zone", () => {
    const summary = records.map((r) => `${r.name} ${r.set_identifier} ${r.weighted_routing_policy.weight} ${r.records?.join(",") ?? r.alias.name}`).sort();
    expect(summary).toEqual(
      [
        "api.dev.example.net aws 50 ${data.aws_lb.api_aws_load_balancer.dns_name}",
        "api.dev.example.net os-a 100 198.51.100.11",
        "api.dev.example.net os-b 100 198.51.100.75",
        "api.dev.example.net os-c 100 198.51.100.139",
        "web.dev.example.net aws 50 ${data.aws_lb.web_aws_load_balancer.dns_name}",
        "web.dev.example.net os-a 100 198.51.100.10",
        "web.dev.example.net os-b 100 198.51.100.74",
        "web.dev.example.net os-c 100 198.51.100.138",
      ].sort(),
    );
    for (const r of records) {
      expect(r.zone_id).toBe("Z0123456789EXAMPLE");
      expect(r.type).toBe("A");
      if (r.alias) expect(r.ttl).toBeUndefined();
      else expect(r.ttl).toBe(estate.traffic!.ttlSec);
    }
    expect(resourcesOf(tf, "aws_route53_zone")).toEqual({});
  });

  it("aliases the AWS site to its load balancer, found by the model's name, with target health", () => {
    for (const placed of estate.awsSite!.services) {
      expect(tf.data.aws_lb[`${placed.service.name}_aws_load_balancer`]).toEqual({ name: placed.loadBalancerName });
      const record = resourcesOf(tf, "aws_route53_record")[`${placed.service.name}_aws_record`];
      expect(record.alias).toEqual({
        name: `\${data.aws_lb.${placed.service.name}_aws_load_balancer.dns_name}`,
        zone_id: `\${data.aws_lb.${placed.service.name}_aws_load_balancer.zone_id}`,
        evaluate_target_health: true,
      });
      expect(healthCheckOf(tf, record).fqdn).toBe(`\${data.aws_lb.${placed.service.name}_aws_load_balancer.dns_name}`);
    }
  });

  it("health-checks every record on the service's first listener, the way the service is checked", () => {
    for (const record of records) {
      const service = estate.services.find((s) => record.name === `${s.name}.dev.example.net`)!;
      const hc = service.healthCheck;
      const listener = service.listeners[0];
      const check = healthCheckOf(tf, record);
      const type = hc.protocol === "TCP" || listener.protocol === "TCP" ? "TCP" : listener.protocol === "HTTP" ? "HTTP" : "HTTPS";
      expect(check, `${record.name} ${record.set_identifier}`).toMatchObject({
        type,
        port: listener.port,
        failure_threshold: hc.unhealthyThreshold,
        request_interval: hc.intervalSec <= 10 ? 10 : 30,
      });
      expect(check.resource_path).toBe(type === "TCP" ? undefined : hc.path);
      if (!record.alias) expect(check.ip_address).toBe(record.records[0]);
    }
    expect(resourcesOf(tf, "aws_route53_health_check").web_os_a_health_check).toEqual({
      type: "HTTP",
      ip_address: "198.51.100.10",
      fqdn: "web.dev.example.net",
      port: 80,
      resource_path: "/healthz",
      failure_threshold: 3,
      request_interval: 10,
      tags: { Name: "web.dev.example.net os-a" },
    });
    expect(Object.keys(resourcesOf(tf, "aws_route53_health_check"))).toHaveLength(records.length);
  });

  it("probes a TLS-terminating first listener over HTTPS", () => {
    const tls = {
      openstackContainerRef: "https://barbican.example.net:9311/v1/containers/0b6c6e6e-5f6a-4b9f-9d7e-1a2b3c4d5e6f",
      awsCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100",
    };
    const model = devModel((env) => (env.services[0].listeners = [{ protocol: "TERMINATED_HTTPS", port: 443, backendPort: 8080, tls }, { protocol: "HTTP", port: 80, backendPort: 8080 }]));
    expect(resourcesOf(synthTraffic(model), "aws_route53_health_check").web_os_b_health_check).toMatchObject({ type: "HTTPS", port: 443, resource_path: "/healthz" });
  });

  it("creates the hosted zone when asked to and points every record at it", () => {
    const tf2 = synthTraffic(devModel((env) => (env.traffic.hostedZone = { create: true, domain: "dev.example.net" })));
    expect(resourcesOf(tf2, "aws_route53_zone").hosted_zone).toMatchObject({ name: "dev.example.net" });
    for (const r of Object.values<any>(resourcesOf(tf2, "aws_route53_record"))) expect(r.zone_id).toBe("${aws_route53_zone.hosted_zone.zone_id}");
    expect(tf2.output.name_servers.value).toBe("${aws_route53_zone.hosted_zone.name_servers}");
  });

  it("gives sites where the service has no hosts no record", () => {
    const tf2 = synthTraffic(devModel((env) => (env.services[0].instancesBySite = { "os-c": 0, aws: 0 })));
    const web = Object.values<any>(resourcesOf(tf2, "aws_route53_record")).filter((r) => r.name.startsWith("web."));
    expect(web.map((r) => r.set_identifier).sort()).toEqual(["os-a", "os-b"]);
    expect(tf2.data.aws_lb.web_aws_load_balancer).toBeUndefined();
  });

  it("uses us-east-1 and no load balancer lookups without an AWS site", () => {
    const tf2 = synthTraffic(devModel((env) => delete env.sites.aws));
    expect(tf2.provider.aws).toEqual([{ region: "us-east-1", default_tags: [{ tags: { "estate:env": "dev", "estate:stack": "dev-traffic" } }] }]);
    expect(tf2.data?.aws_lb).toBeUndefined();
    expect(Object.keys(resourcesOf(tf2, "aws_route53_record"))).toHaveLength(6);
  });

  it("refuses a service whose every record would have weight 0", () => {
    const model = devModel((env) => (env.services[1].instancesBySite = { "os-a": 0, "os-c": 0, aws: 0 }), ["os-b"]);
    expect(() => new TrafficStack(Testing.app(), model)).toThrow(
      "dev-traffic/api: every record of api.dev.example.net has weight 0 (sites: os-b); Route 53 treats a set whose weights are all 0 as equally weighted and would send traffic to drained sites; keep at least one site that runs the service active with a weight above 0",
    );
  });

  it("refuses an estate without a traffic section", () => {
    const model = devModel((env) => delete env.traffic);
    expect(() => new TrafficStack(Testing.app(), model)).toThrow(
      'dev-traffic: environment "dev" has no traffic section; build a traffic stack only when traffic.hostedZone is set',
    );
  });
});

describe("draining a site", () => {
  const before = synthOwnStacks(loadEnvironment(DEV_ENV));
  const after = synthOwnStacks(loadEnvironment(DEV_ENV, { drain: ["os-b"] }));

  it("leaves the AWS site stack byte-identical and changes only the traffic stack", () => {
    expect(Object.keys(after)).toEqual(["dev-aws", "dev-traffic"]);
    expect(after["dev-aws"]).toBe(before["dev-aws"]);
    expect(after["dev-traffic"]).not.toBe(before["dev-traffic"]);
  });

  it("sets os-b's records to weight 0 and keeps every other weight and every health check", () => {
    const weights = (json: string) => {
      const tf = JSON.parse(json);
      return Object.fromEntries(Object.values<any>(resourcesOf(tf, "aws_route53_record")).map((r) => [`${r.name} ${r.set_identifier}`, r.weighted_routing_policy.weight]));
    };
    const was = weights(before["dev-traffic"]);
    const now = weights(after["dev-traffic"]);
    expect(Object.keys(now)).toEqual(Object.keys(was));
    for (const [record, weight] of Object.entries(now)) {
      if (record.endsWith(" os-b")) expect(weight, record).toBe(0);
      else expect(weight, record).toBe(was[record]);
    }
    expect(was["web.dev.example.net os-b"]).toBe(100);
    const checks = (json: string) => JSON.parse(json).resource.aws_route53_health_check;
    expect(checks(after["dev-traffic"])).toEqual(checks(before["dev-traffic"]));
  });
});
