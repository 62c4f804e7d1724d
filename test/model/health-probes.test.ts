/**
 * Health checks probe what each pool's backend serves, decided per pool by a documented rule in the model: the
 * order of the listeners in the file changes nothing, and a check aimed at a port that speaks another protocol is
 * refused at load.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { EnvironmentError, loadEnvironment } from "../../model";
import { renderInventory } from "../../render/inventory";
import { synthesizeModels } from "../../stacks/synthesize";
import { writeEnvironment } from "../support/env";

const HTTP_HTTPS = "test/fixtures/safe-apply/health-http-https.yaml";
const UDP_TCP = "test/fixtures/safe-apply/health-udp-tcp.yaml";
const HTTP_ON_TLS_PORT = "test/fixtures/safe-apply/health-http-on-tls-port.yaml";

/** The fixture with the listeners of one service in reverse order. */
function reversedListeners(file: string, service: number): string {
  const env = parse(readFileSync(file, "utf8"));
  env.services[service].listeners.reverse();
  return writeEnvironment(env, "dev.yaml");
}

/** Synthesized Terraform JSON of every stack of an environment file, by stack name. */
function stacksOf(file: string): Map<string, any> {
  const out = join(mkdtempSync(join(tmpdir(), "estate-probes-")), "out");
  try {
    const result = synthesizeModels([loadEnvironment(file)], { outdir: out });
    return new Map(result.stacks.map((s) => [s.name, JSON.parse(readFileSync(join(out, s.path), "utf8"))]));
  } finally {
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
}

/** What the monitors, members, target-group checks and Route 53 checks of one service probe. */
function probes(stacks: Map<string, any>, service: string, ports: readonly number[]) {
  const os = stacks.get("dev-os-a").resource;
  const aws = stacks.get("dev-aws").resource;
  const traffic = stacks.get("dev-traffic").resource;
  const out: Record<string, unknown> = {};
  for (const port of ports) {
    const monitor = os.openstack_lb_monitor_v2[`${service}_load_balancer_port${port}_monitor`];
    const member = os.openstack_lb_member_v2[`${service}_load_balancer_port${port}_member`];
    const group = aws.aws_lb_target_group[`${service}_load_balancer_target_groups_${port}`];
    out[`listener ${port}`] = {
      octaviaMonitor: { type: monitor.type, url_path: monitor.url_path },
      memberPort: member.protocol_port,
      memberMonitorPort: member.monitor_port,
      awsTargetGroupCheck: { protocol: group.health_check.protocol, port: group.health_check.port, path: group.health_check.path },
    };
  }
  const check = traffic.aws_route53_health_check[`${service}_os_a_health_check`];
  out.route53 = { type: check.type, port: check.port, resource_path: check.resource_path };
  return out;
}

describe("health checks follow each pool's backend, not the order of the listeners", () => {
  it("HTTP 80→8080 and TLS pass-through 443→8443 with an HTTP check without a port", () => {
    const expected = {
      "listener 80": {
        octaviaMonitor: { type: "HTTP", url_path: "/healthz" },
        memberPort: 8080,
        memberMonitorPort: undefined,
        awsTargetGroupCheck: { protocol: "HTTP", port: "8080", path: "/healthz" },
      },
      "listener 443": {
        octaviaMonitor: { type: "HTTPS", url_path: "/healthz" },
        memberPort: 8443,
        memberMonitorPort: undefined,
        awsTargetGroupCheck: { protocol: "HTTPS", port: "8443", path: "/healthz" },
      },
      // TLS listeners first: the check takes the path most clients take.
      route53: { type: "HTTPS", port: 443, resource_path: "/healthz" },
    };
    expect(probes(stacksOf(HTTP_HTTPS), "web", [80, 443])).toEqual(expected);
    expect(probes(stacksOf(reversedListeners(HTTP_HTTPS, 0)), "web", [80, 443])).toEqual(expected);
  });

  it("warms hosts up on the listener Route 53 probes, whatever the order", () => {
    for (const file of [HTTP_HTTPS, reversedListeners(HTTP_HTTPS, 0)]) {
      const inventory = renderInventory(loadEnvironment(file));
      expect(inventory).toContain("estate_warmup_scheme: https\n");
      expect(inventory).toContain("estate_warmup_port: 8443\n");
    }
  });

  it("UDP 53→5353 and TCP 853 with a TCP check: the UDP pool probes its own port, AWS checks it over TCP", () => {
    const expected = {
      "listener 53": {
        octaviaMonitor: { type: "UDP-CONNECT", url_path: undefined },
        memberPort: 5353,
        memberMonitorPort: undefined,
        // Elastic Load Balancing checks UDP targets over TCP, HTTP or HTTPS: the service's TCP check port.
        awsTargetGroupCheck: { protocol: "TCP", port: "853", path: undefined },
      },
      "listener 853": {
        octaviaMonitor: { type: "TCP", url_path: undefined },
        memberPort: 853,
        memberMonitorPort: undefined,
        awsTargetGroupCheck: { protocol: "TCP", port: "853", path: undefined },
      },
      route53: { type: "TCP", port: 853, resource_path: undefined },
    };
    for (const file of [UDP_TCP, reversedListeners(UDP_TCP, 1)]) {
      const stacks = stacksOf(file);
      expect(probes(stacks, "api", [53, 853])).toEqual(expected);
      // Members get the ports they serve, with the transport they serve them on; nothing opens TCP on 5353.
      const rules = Object.keys(stacks.get("dev-os-a").resource.openstack_networking_secgroup_rule_v2).filter((r) => r.startsWith("api_security_group_") && /_(tcp|udp)\d+_/.test(r));
      expect(rules.sort()).toEqual(["api_security_group_tcp853_from10_10_0_128_25", "api_security_group_udp5353_from10_10_0_128_25"]);
    }
  });

  it("refuses a UDP-only service in an AWS site unless its check names a TCP port, which the target group then checks", () => {
    const env = parse(readFileSync(UDP_TCP, "utf8"));
    delete env.traffic;
    env.services[1].listeners = [{ protocol: "UDP", port: 53, backendPort: 5353 }];
    let error: unknown;
    try {
      loadEnvironment(writeEnvironment(env, "dev.yaml"));
    } catch (err) {
      error = err;
    }
    expect((error as EnvironmentError).problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
      'services.1.healthCheck.port: every listener is UDP, and Elastic Load Balancing checks UDP targets over TCP, HTTP or HTTPS only (site "aws" runs this service); give healthCheck.port: the TCP port the members answer health checks on',
    ]);
    env.services[1].healthCheck.port = 8053;
    const model = loadEnvironment(writeEnvironment(env, "dev.yaml"));
    expect(model.services[1].listeners[0].targetHealthCheck).toEqual({ protocol: "TCP", port: 8053 });
    expect(model.services[1].listeners[0].healthProbe).toEqual({ protocol: "UDP-CONNECT", port: 5353 });
  });

  it("refuses an HTTP check aimed at the port of a TLS pass-through listener, with its path", () => {
    let error: unknown;
    try {
      loadEnvironment(HTTP_ON_TLS_PORT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    const problems = (error as EnvironmentError).problems.map((p) => `${p.path.join(".")}: ${p.message}`);
    expect(problems).toEqual([
      "services.0.healthCheck.port: an HTTP health check on port 8443 would speak plain HTTP to a port where the members speak TLS (the HTTPS listener 443 → 8443); use protocol HTTPS, or the port of a backend that speaks HTTP",
    ]);
  });
});
