import { drainRedundancy, nPlusOneCapacity, redundancyReport, route53HealthCheckerAccess, serviceInEverySite, type TargetedResult } from "../../policy";
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

  it("GIVEN a site at weight 0 (active, not drained) THEN it does not serve and N+1 holds among the others", () => {
    const results = nPlusOneCapacity.check(devModel((env) => ((env.services[0].peakInstances = 7), (env.sites.aws.traffic.weight = 0))));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.web.peakInstances",
        service: "web",
        source: ["services", 0, "peakInstances"],
        result: { status: "non-compliant", detail: "peakInstances is 7: without os-a the other serving sites run 6; without os-b the other serving sites run 6; without os-c the other serving sites run 6" },
      },
    ]);
  });

  it("GIVEN os-a drained and web peak 9 (9 hosts left) THEN no error: the drain is allowed", () => {
    const peak9 = (env: any) => (env.services[0].peakInstances = 9);
    expect(nonCompliant(nPlusOneCapacity.check(devModel(peak9)))).toEqual([]);
    expect(nonCompliant(nPlusOneCapacity.check(devModel(peak9, ["os-a"])))).toEqual([]);
  });

  it("GIVEN os-a and os-b drained and web peak 9 THEN an error naming the drained sites, the serving sites and the numbers", () => {
    const results = nPlusOneCapacity.check(devModel((env) => (env.services[0].peakInstances = 9), ["os-a", "os-b"]));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.web.peakInstances",
        service: "web",
        source: ["services", 0, "peakInstances"],
        result: { status: "non-compliant", detail: "peakInstances is 9: with os-a, os-b drained, the serving sites run 6 (os-c 3, aws 3), 3 short" },
      },
    ]);
  });

  it("GIVEN os-a drained THEN a service os-a does not run keeps the N+1 check: api 2+2+2 with peak 5 is an error", () => {
    const results = nPlusOneCapacity.check(devModel((env) => ((env.services[1].instancesBySite = { "os-a": 0 }), (env.services[1].peakInstances = 5)), ["os-a"]));
    expect(nonCompliant(results)).toEqual([
      {
        target: "services.api.peakInstances",
        service: "api",
        source: ["services", 1, "peakInstances"],
        result: { status: "non-compliant", detail: "peakInstances is 5: without os-b the other serving sites run 4; without os-c the other serving sites run 4; without aws the other serving sites run 4" },
      },
    ]);
  });

  it("GIVEN a service without peakInstances THEN not applicable", () => {
    const results = nPlusOneCapacity.check(devModel((env) => delete env.services[1].peakInstances));
    expect(results.find((r) => r.service === "api")!.result).toEqual({ status: "not-applicable" });
  });
});

describe("EST-AVL-003 reduced redundancy while a site is drained", () => {
  it("GIVEN no drain THEN not applicable for every service", () => {
    expect(drainRedundancy.check(devModel()).map((r) => r.result.status)).toEqual(["not-applicable", "not-applicable"]);
  });

  it("GIVEN os-a drained and web peak 9 (margin 0) THEN a warning with the serving sites, margin and the losses that break peak", () => {
    const results = drainRedundancy.check(devModel((env) => (env.services[0].peakInstances = 9), ["os-a"]));
    expect(results).toEqual([
      {
        target: "services.web.peakInstances",
        service: "web",
        source: ["services", 0, "peakInstances"],
        result: {
          status: "non-compliant",
          detail: "peakInstances is 9: with os-a drained, the serving sites run 9 (os-b 3, os-c 3, aws 3), margin 0; losing os-b (6 left), os-c (6 left) or aws (6 left) would break peak capacity",
        },
      },
      // api: 2+2+2 = 6 with peak 4; losing one more site leaves 4: still N+1.
      { target: "services.api.peakInstances", service: "api", result: { status: "compliant" } },
    ]);
    expect(drainRedundancy.level).toBe("warning");
  });

  it("GIVEN os-a drained and a peak the serving sites cannot carry THEN EST-AVL-002 fails and EST-AVL-003 stays out of it", () => {
    const model = devModel((env) => (env.services[0].peakInstances = 10), ["os-a"]);
    expect(nonCompliant(nPlusOneCapacity.check(model)).map((r) => r.result)).toEqual([
      { status: "non-compliant", detail: "peakInstances is 10: with os-a drained, the serving sites run 9 (os-b 3, os-c 3, aws 3), 1 short" },
    ]);
    expect(drainRedundancy.check(model)[0].result).toEqual({ status: "not-applicable" });
  });
});

describe("redundancyReport", () => {
  it("GIVEN os-b drained in dev THEN per service: serving sites and hosts, peak, margin and the losses that break peak", () => {
    expect(redundancyReport(devModel(() => {}, ["os-b"]))).toEqual({
      env: "dev",
      drainedSites: ["os-b"],
      services: [
        {
          service: "web",
          peakInstances: 6,
          serving: [
            { site: "os-a", hosts: 3 },
            { site: "os-c", hosts: 3 },
            { site: "aws", hosts: 3 },
          ],
          drained: [{ site: "os-b", hosts: 3 }],
          servingHosts: 9,
          margin: 3,
          breakingLosses: [],
          verdict: "n-plus-one",
        },
        {
          service: "api",
          peakInstances: 4,
          serving: [
            { site: "os-a", hosts: 2 },
            { site: "os-c", hosts: 2 },
            { site: "aws", hosts: 2 },
          ],
          drained: [{ site: "os-b", hosts: 2 }],
          servingHosts: 6,
          margin: 2,
          breakingLosses: [],
          verdict: "n-plus-one",
        },
      ],
    });
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
