/**
 * Values whose format an API defines are accepted exactly when that API accepts them: health-check expected codes
 * (Octavia's expected_codes pattern and the AWS target-group matcher), DNS names, login users and key pair names.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { EnvironmentError, loadEnvironment } from "../../model";
import { devEnvironment, devModel, writeEnvironment } from "../support/env";

/** The messages the loader gives for a mutated dev (or prod) environment, or [] when it loads. */
function problemsOf(mutate: (env: any) => void, base = "dev"): string[] {
  const env = base === "dev" ? devEnvironment() : parse(readFileSync(`environments/${base}.yaml`, "utf8"));
  mutate(env);
  try {
    loadEnvironment(writeEnvironment(env));
    return [];
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    return err.problems.map((p) => `${p.path.join(".")}: ${p.message}`);
  }
}

describe("healthCheck.expectedCodes", () => {
  it.each(["200", "200,202,204", "200-299", "301-308"])("accepts %s on a service behind Octavia and an AWS application load balancer", (codes) => {
    expect(problemsOf((env) => (env.services[0].healthCheck.expectedCodes = codes))).toEqual([]);
  });

  it("accepts codes up to 599 where the service gets an AWS network load balancer (HTTP check, TCP listener)", () => {
    const model = devModel((env) => {
      env.services[1].healthCheck = { protocol: "HTTP", path: "/ready", expectedCodes: "200-599" };
    });
    expect(model.awsSite!.services.find((s) => s.service.name === "api")!.loadBalancerType).toBe("network");
    expect(model.services[1].healthCheck.expectedCodes).toBe("200-599");
  });

  it.each([
    ["200-299,301", 'services.0.healthCheck.expectedCodes: expectedCodes "200-299,301" mixes a range and a list; Octavia and the AWS target-group matcher take one or the other: write one code ("200"), a list ("200,202") or a range ("200-299")'],
    ["2xx", 'services.0.healthCheck.expectedCodes: expectedCodes "2xx" is not a list or range of 3-digit HTTP status codes; write one code ("200"), a list ("200,202") or a range ("200-299")'],
    ["200, 202", 'services.0.healthCheck.expectedCodes: expectedCodes "200, 202" has spaces, which the AWS target-group matcher does not take; write "200,202"'],
    ["099", 'services.0.healthCheck.expectedCodes: expectedCodes "099" holds 099, which is not an HTTP status code (100 to 599)'],
    ["200-503", 'services.0.healthCheck.expectedCodes: expectedCodes "200-503" holds 503, but the application load balancer of this service in AWS accepts only 200 to 499 (target-group matcher); use codes from that range'],
  ])("refuses %s", (codes, message) => {
    expect(problemsOf((env) => (env.services[0].healthCheck.expectedCodes = codes))).toEqual([message]);
  });

  it("accepts 200-503 when the service does not run in AWS (Octavia takes any status code)", () => {
    expect(
      problemsOf((env) => {
        env.services[0].healthCheck.expectedCodes = "200-503";
        env.services[0].instancesBySite = { aws: 0 };
      }),
    ).toEqual([]);
  });
});

describe("TLS and warm-up paths", () => {
  it("refuses an ACM certificate from another region than the AWS site's", () => {
    expect(
      problemsOf((env) => {
        env.services[0].listeners[0].tls.awsCertificateArn = "arn:aws:acm:us-east-1:210987654321:certificate/0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5";
      }, "prod"),
    ).toEqual([
      "services.0.listeners.0.tls.awsCertificateArn: the ACM certificate is in us-east-1, but the AWS site's load balancers are in eu-central-1, and a load balancer only takes a certificate of its own region; import or request the certificate in eu-central-1",
    ]);
  });

  it("refuses a Barbican reference that is not an http(s) URL", () => {
    expect(problemsOf((env) => (env.services[0].listeners[0].tls.openstackContainerRef = "barbican:containers/3f1c2d7e"), "prod")).toEqual([
      "services.0.listeners.0.tls.openstackContainerRef: openstackContainerRef must be an https URL of the Barbican container, not a barbican: URL",
    ]);
  });

  it("refuses a warm-up path with a space", () => {
    expect(problemsOf((env) => (env.services[0].warmup = ["/", "/static/app .js"]))).toEqual([
      'services.0.warmup.1: warm-up path "/static/app .js" holds a space or control character; percent-encode it (%20) or use a path without one',
    ]);
  });
});

describe("DNS names, login users and key pair names", () => {
  it("accepts a hosted-zone domain with the root's trailing dot, and an IPv4 Zabbix server", () => {
    expect(
      problemsOf((env) => {
        env.traffic.hostedZone.domain = "dev.example.net.";
        env.monitoring.zabbixServer = "10.0.0.10";
      }),
    ).toEqual([]);
  });

  it.each([
    [(env: any) => (env.traffic.hostedZone.domain = "dev..example.net"), 'traffic.hostedZone.domain: a hosted-zone domain "dev..example.net" has an empty label (two dots in a row, or a leading dot); write e.g. "example.org"'],
    [(env: any) => (env.traffic.hostedZone.domain = "dev_env.example.net"), 'traffic.hostedZone.domain: a hosted-zone domain "dev_env.example.net" has label "dev_env"; DNS labels are letters, digits and inner dashes, e.g. "example.org"'],
    [(env: any) => (env.monitoring.zabbixServer = "zabbix.example.net/api"), 'monitoring.zabbixServer: the Zabbix server\'s host name "zabbix.example.net/api" has a "/"; a DNS name has no path or trailing slash: write "zabbix.example.net"'],
    [(env: any) => (env.ssh.user = "Debian"), 'ssh.user: the SSH login user "Debian" is not a login name: a lower-case letter or "_" first, then lower-case letters, digits, "_" or "-", at most 32 characters, e.g. "debian"'],
    [(env: any) => (env.ssh.keyName = "estate/admin"), 'ssh.keyName: key pair name "estate/admin" is not one Nova accepts: letters, digits, "_", "-" and inner spaces, at most 255 characters, e.g. "estate-admin"'],
  ])("refuses %#", (mutate, message) => {
    expect(problemsOf(mutate)).toEqual([message]);
  });
});
