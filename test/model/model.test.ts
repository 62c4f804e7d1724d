import { EnvironmentError, loadEnvironment, parseCidr, cidrContains, ipToInt } from "../../model";
import { devModel, DEV_ENV, writeEnvironment, devEnvironment } from "../support/env";

function ipsByHost(model: ReturnType<typeof devModel>): Map<string, string> {
  return new Map(model.hosts.map((h) => [h.name, h.ip]));
}

function problemsOf(mutate: (env: any) => void): string[] {
  const env = devEnvironment();
  mutate(env);
  try {
    loadEnvironment(writeEnvironment(env));
  } catch (err) {
    if (err instanceof EnvironmentError) return err.problems.map((p) => `${p.path.join(".")}: ${p.message}`);
    throw err;
  }
  throw new Error("expected the environment to be rejected");
}

describe("model resolution", () => {
  it("names hosts <env>-<site>-<service>-<NNN> and stacks <env>-<site>", () => {
    const model = loadEnvironment(DEV_ENV);
    expect(model.stacks.map((s) => s.name)).toEqual(["dev-os-a", "dev-os-b", "dev-os-c", "dev-aws", "dev-traffic"]);
    const webA = model.hosts.filter((h) => h.site === "os-a" && h.service === "web").map((h) => h.name);
    expect(webA).toEqual(["dev-os-a-web-001", "dev-os-a-web-002", "dev-os-a-web-003"]);
    expect(model.hosts).toHaveLength(4 * (3 + 2));
  });

  it("gives every host a unique fixed IP inside its site network", () => {
    const model = loadEnvironment(DEV_ENV);
    const ips = model.hosts.map((h) => h.ip);
    expect(new Set(ips).size).toBe(ips.length);
    for (const site of model.openstackSites) {
      for (const h of site.services.flatMap((s) => s.hosts)) {
        expect(cidrContains(parseCidr(site.subnetCidr), ipToInt(h.ip))).toBe(true);
      }
    }
    for (const svc of model.awsSite!.services) {
      for (const h of svc.hosts) {
        const zone = model.awsSite!.zones.find((z) => z.name === h.availabilityZone)!;
        expect(cidrContains(parseCidr(zone.privateSubnetCidr), ipToInt(h.ip))).toBe(true);
      }
    }
  });

  it("places a service's hosts in its own address block", () => {
    const model = loadEnvironment(DEV_ENV);
    const site = model.openstackSites[0];
    expect(site.services.find((s) => s.service.name === "web")!.hosts.map((h) => h.ip)).toEqual(["10.10.1.1", "10.10.1.2", "10.10.1.3"]);
    expect(site.services.find((s) => s.service.name === "api")!.hosts.map((h) => h.ip)).toEqual(["10.10.2.1", "10.10.2.2"]);
    expect(site.gatewayIp).toBe("10.10.0.1");
    expect(site.allocationPool).toEqual({ start: "10.10.0.128", end: "10.10.0.253" });
    expect(site.loadBalancerSourceCidr).toBe("10.10.0.128/25");
    expect(site.services.map((s) => s.lbVipAddress)).toEqual(["10.10.0.17", "10.10.0.18"]);
  });

  it("keeps every existing address when a service grows", () => {
    const before = ipsByHost(devModel());
    const after = ipsByHost(devModel((env) => (env.services[0].instancesPerSite = 7)));
    for (const [name, ip] of before) expect(after.get(name)).toBe(ip);
    expect(after.size).toBe(before.size + 4 * 4);
  });

  it("keeps every existing address when a service is added before the others", () => {
    const before = ipsByHost(devModel());
    const after = ipsByHost(
      devModel((env) => {
        env.services.unshift({ ...env.services[0], name: "cache", ipBlock: 3, listeners: [{ protocol: "TCP", port: 6379 }], healthCheck: { protocol: "TCP" } });
        for (const site of env.sites.openstack) site.vips.cache = site.vips.web.replace(/\.(\d+)$/, (_: string, d: string) => `.${Number(d) + 20}`);
      }),
    );
    for (const [name, ip] of before) expect(after.get(name)).toBe(ip);
    expect([...after.keys()].filter((n) => n.includes("-cache-"))).toHaveLength(12);
  });

  it("spreads hosts round-robin over the site's availability zones", () => {
    const model = devModel((env) => (env.services[0].instancesPerSite = 5));
    const web = model.hosts.filter((h) => h.site === "os-a" && h.service === "web").map((h) => h.availabilityZone);
    expect(web).toEqual(["az1", "az2", "az3", "az1", "az2"]);
    const single = model.hosts.filter((h) => h.site === "os-c").map((h) => h.availabilityZone);
    expect(new Set(single)).toEqual(new Set(["nova"]));
    const aws = model.hosts.filter((h) => h.siteKind === "aws" && h.service === "web").map((h) => `${h.availabilityZone} ${h.ip}`);
    expect(aws).toEqual(["eu-west-1a 10.40.1.1", "eu-west-1b 10.40.17.1", "eu-west-1c 10.40.33.1", "eu-west-1a 10.40.1.2", "eu-west-1b 10.40.17.2"]);
  });

  it("takes per-site instance counts, including zero", () => {
    const model = devModel((env) => (env.services[1].instancesBySite = { "os-b": 0, aws: 4 }));
    expect(model.openstackSites[1].services.map((s) => s.service.name)).toEqual(["web"]);
    expect(model.awsSite!.services.find((s) => s.service.name === "api")!.hosts).toHaveLength(4);
  });

  it("gives AWS services an ALB only when it can carry every listener and the health check", () => {
    const lbType = (mutate: (env: any) => void) => devModel(mutate).awsSite!.services.find((s) => s.service.name === "web")!.loadBalancerType;
    expect(lbType(() => {})).toBe("application");
    expect(lbType((env) => (env.services[0].healthCheck = { protocol: "TCP", port: 8080 }))).toBe("network");
    expect(lbType((env) => env.services[0].listeners.push({ protocol: "HTTPS", port: 443, backendPort: 8443 }))).toBe("network");
    expect(devModel().awsSite!.services.find((s) => s.service.name === "api")!.loadBalancerType).toBe("network");
  });

  it("gives internal services no public VIP, and refuses one in the file", () => {
    const internal = (env: any) => {
      env.services[1].exposure = "internal";
      for (const site of env.sites.openstack) delete site.vips.api;
    };
    const model = devModel(internal);
    const api = model.openstackSites[0].services.find((s) => s.service.name === "api")!;
    expect(api.publicVip).toBeUndefined();
    expect(api.lbVipAddress).toBe("10.10.0.18");
    expect(model.services[1].exposure).toBe("internal");
    expect(problemsOf((env) => (env.services[1].exposure = "internal"))).toEqual([
      expect.stringMatching(/^sites\.openstack\.0\.vips\.api: service "api" is internal and gets no public VIP/),
      expect.stringMatching(/^sites\.openstack\.1\.vips\.api: /),
      expect.stringMatching(/^sites\.openstack\.2\.vips\.api: /),
    ]);
  });

  it("drains a site for one run: weight 0 while the file's weight is kept", () => {
    const model = devModel(() => {}, ["os-b"]);
    const b = model.openstackSites[1].traffic;
    expect(b).toEqual({ state: "drained", weight: 100, effectiveWeight: 0 });
    expect(model.openstackSites[0].traffic.effectiveWeight).toBe(100);
  });

  it("adds a bake stack per site only when baking is enabled", () => {
    expect(devModel().stacks.filter((s) => s.kind === "bake")).toEqual([]);
    const model = devModel((env) => (env.bake.enabled = true));
    expect(model.stacks.filter((s) => s.kind === "bake").map((s) => s.name)).toEqual(["dev-os-a-bake", "dev-os-b-bake", "dev-os-c-bake"]);
    expect(model.bake.builders[0]).toMatchObject({ name: "dev-os-a-builder", ip: "10.10.0.5" });
  });

  it("decides which golden image a bake produces and the Glance name it is published under", () => {
    const dev = devModel((env) => (env.bake.enabled = true));
    expect(dev.bake.builders[0]).toMatchObject({ image: "debian12", imageVersion: "2026.11.1", publishName: "debian12-golden-2026.11.1" });
    const prod = loadEnvironment("environments/prod.yaml");
    expect(prod.bake.builders.map((b) => b.publishName)).toEqual(["debian12-golden-2026.11.3", "debian12-golden-2026.11.3", "debian12-2026.11.3"]);
    const search = devModel((env) => {
      env.bake.enabled = true;
      env.images.push({ ...env.images[0], name: "search-node", version: "7", openstack: { "os-a": { name: "sn-7" }, "os-b": { name: "sn-7" }, "os-c": { name: "sn-7" } } });
      env.bake.image = "search-node";
    });
    expect(search.bake.builders[2]).toMatchObject({ image: "search-node", imageVersion: "7", publishName: "sn-7" });
    expect(problemsOf((env) => (env.bake.image = "nope"))).toEqual([expect.stringMatching(/^bake\.image: no golden image named "nope"/)]);
  });
});

describe("model validation", () => {
  it("reports every problem of a file at once with its path", () => {
    const problems = problemsOf((env) => {
      env.sites.openstack[1].subnetCidr = env.sites.openstack[0].subnetCidr;
      env.services[1].ipBlock = 1;
      env.services[0].image = "nope";
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sites\.openstack\.1\.subnetCidr: 10\.10\.0\.0\/20 overlaps 10\.10\.0\.0\/20 of site "os-a"/),
        expect.stringMatching(/^services\.1\.ipBlock: ipBlock 1 is already used by service "web"/),
        expect.stringMatching(/^services\.0\.image: no golden image named "nope"/),
      ]),
    );
  });

  it("names the file, line and path of an unknown key", () => {
    const file = writeEnvironment(
      `${require("node:fs").readFileSync(DEV_ENV, "utf8")}`.replace("      subnetCidr: 10.20.0.0/20", "      subnetCidr: 10.20.0.0/20\n      subnetCdir: 10.20.0.0/20"),
    );
    expect(() => loadEnvironment(file)).toThrow(EnvironmentError);
    try {
      loadEnvironment(file);
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain(`${file}:`);
      expect(message).toMatch(/sites\.openstack\[1\]\.subnetCdir: unknown key "subnetCdir"/);
      expect((err as EnvironmentError).problems[0].line).toBeGreaterThan(1);
    }
  });

  it("refuses a VIP outside the external network", () => {
    expect(problemsOf((env) => (env.sites.openstack[0].vips.web = "203.0.113.9"))).toEqual([
      expect.stringMatching(/^sites\.openstack\.0\.vips\.web: VIP 203\.0\.113\.9 is outside the external network public \(198\.51\.100\.0\/26\)/),
    ]);
  });

  it("refuses draining every site", () => {
    expect(() => devModel(() => {}, ["os-a", "os-b", "os-c", "aws"])).toThrow(/every site is drained or has weight 0/);
  });

  it("refuses fewer than three OpenStack sites", () => {
    expect(problemsOf((env) => env.sites.openstack.pop())).toEqual([expect.stringMatching(/at least three OpenStack sites/)]);
  });

  it("refuses more instances than an address block holds", () => {
    expect(problemsOf((env) => (env.services[0].instancesPerSite = 300))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^services\.0\.instancesPerSite: 300 instances do not fit in one address block of 256/)]),
    );
  });

  it("refuses credentials pasted into the file", () => {
    expect(problemsOf((env) => (env.sites.openstack[0].password = "hunter2"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^sites\.openstack\.0\.password: "password" looks like a credential/)]),
    );
  });
});
