import { nPlusOneCapacity, route53HealthCheckerAccess, serviceInEverySite, type TargetedResult } from "../../constructs/policy";
import { devModel } from "../support/env";

const nonCompliant = (results: readonly TargetedResult[]) => results.filter((r) => r.result.status === "non-compliant");

describe("EST-AVL-001 service missing from an OpenStack site", () => {
  it("GIVEN every service in every site THEN compliant", () => {
    const results = serviceInEverySite.check(devModel());
    expect(nonCompliant(results)).toEqual([]);
    expect(results).toHaveLength(2 * 3);
  });

  it("GIVEN api with 0 instances in os-c THEN non-compliant for that site only", () => {
    const results = serviceInEverySite.check(devModel((env) => (env.services[1].instancesBySite = { "os-c": 0 })));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.api.instancesBySite.os-c",
        site: "os-c",
        service: "api",
        source: ["services", 1, "instancesBySite", "os-c"],
        result: { status: "non-compliant", detail: "api has 0 instances in os-c but runs in os-a (2), os-b (2)" },
      },
    ]);
  });
});

describe("EST-AVL-002 N+1 capacity", () => {
  it("GIVEN dev (web: 12 hosts, peak 6; api: 8 hosts, peak 4) THEN compliant", () => {
    expect(nonCompliant(nPlusOneCapacity.check(devModel()))).toEqual([]);
  });

  it("GIVEN a peak the other sites cannot carry THEN non-compliant, naming the site whose loss hurts", () => {
    const results = nPlusOneCapacity.check(devModel((env) => (env.services[0].peakInstances = 10)));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.web.peakInstances",
        service: "web",
        source: ["services", 0, "peakInstances"],
        result: {
          status: "non-compliant",
          detail: "peakInstances is 10: without os-a the other serving sites run 9; without os-b the other serving sites run 9; without os-c the other serving sites run 9; without aws the other serving sites run 9",
        },
      },
    ]);
  });

  it("GIVEN a site already drained THEN it does not count: peak 9 holds with 4 sites, not with os-a drained", () => {
    const peak9 = (env: any) => (env.services[0].peakInstances = 9);
    expect(nonCompliant(nPlusOneCapacity.check(devModel(peak9)))).toEqual([]);
    expect(nonCompliant(nPlusOneCapacity.check(devModel(peak9, ["os-a"]))).map((r) => r.target)).toEqual(["services.web.peakInstances"]);
  });

  it("GIVEN a service without peakInstances THEN not applicable", () => {
    const results = nPlusOneCapacity.check(devModel((env) => delete env.services[1].peakInstances));
    expect(results.find((r) => r.service === "api")!.result).toEqual({ status: "not-applicable" });
  });
});

describe("EST-TRF-001 Route 53 health checkers reach the OpenStack VIPs", () => {
  it("GIVEN dev (api private-only, checker ranges listed) THEN compliant, and web (open to all) not applicable", () => {
    const results = route53HealthCheckerAccess.check(devModel());
    expect(results.map((r) => [r.target, r.result.status])).toEqual([
      ["services.web.allowedCidrs", "not-applicable"],
      ["services.api.allowedCidrs", "compliant"],
    ]);
  });

  it("GIVEN no checker ranges THEN the private-only service is non-compliant", () => {
    const results = route53HealthCheckerAccess.check(devModel((env) => (env.traffic.healthCheckerCidrs = [])));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.api.allowedCidrs",
        service: "api",
        result: { status: "non-compliant", detail: "api admits only 10.0.0.0/8 and traffic.healthCheckerCidrs is empty" },
        source: ["traffic", "healthCheckerCidrs"],
      },
    ]);
  });

  it("GIVEN no traffic stack THEN not applicable", () => {
    const results = route53HealthCheckerAccess.check(devModel((env) => delete env.traffic));
    expect(results.every((r) => r.result.status === "not-applicable")).toBe(true);
  });
});
