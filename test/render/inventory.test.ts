/**
 * The Ansible inventory, the Prometheus file_sd targets and the CMDB export, checked against the model they come
 * from. The inventory is read back by the real `ansible-inventory`, the way playbooks will read it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { loadEnvironment, type EstateModel, type HostModel } from "../../model";
import { renderAnsibleArtifacts, renderFileSd, renderHostExport, renderInventory, toInventoryYaml } from "../../render";
import { hasCommand, scratchDirs } from "../support/tools";

const DEV_ENV = "environments/dev.yaml";
const VALID_GROUP = /^[A-Za-z_][A-Za-z0-9_]*$/;

const HAS_ANSIBLE_INVENTORY = hasCommand("ansible-inventory");
/** The Python Debian's Ansible runs on (its PyYAML reads the inventory), else whatever python3 is first in PATH. */
const ANSIBLE_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const HAS_PYYAML = spawnSync(ANSIBLE_PYTHON, ["-c", "import yaml"]).status === 0;

const tempDir = scratchDirs();

/** A modified copy of the dev environment, written with the yaml package to a temp dir, then loaded. */
function devVariant(mutate: (env: any) => void): EstateModel {
  const env = parse(readFileSync(DEV_ENV, "utf8"));
  mutate(env);
  const file = join(tempDir("estate-inv-env-"), "env.yaml");
  writeFileSync(file, stringify(env));
  return loadEnvironment(file);
}

/** Writes every artifact the synth would write into a fresh output dir; returns the dir. */
function synthArtifacts(model: EstateModel): string {
  const out = tempDir("estate-inv-out-");
  for (const file of renderAnsibleArtifacts(model)) {
    mkdirSync(dirname(join(out, file.path)), { recursive: true });
    writeFileSync(join(out, file.path), file.content);
  }
  return out;
}

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } & Record<string, unknown>;
}

function ansibleInventoryList(inventoryFile: string): AnsibleList {
  const out = execFileSync("ansible-inventory", ["-i", inventoryFile, "--list"], {
    encoding: "utf8",
    env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: "true", ANSIBLE_NOCOLOR: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as AnsibleList;
}

/** Every group that holds the host, directly or through `children`, walking the --list output. */
function groupsOf(list: AnsibleList): Map<string, Set<string>> {
  const parentsOf = new Map<string, string[]>();
  const direct = new Map<string, string[]>();
  for (const [group, body] of Object.entries(list)) {
    if (group === "_meta") continue;
    for (const child of body.children ?? []) parentsOf.set(child, [...(parentsOf.get(child) ?? []), group]);
    for (const host of body.hosts ?? []) direct.set(host, [...(direct.get(host) ?? []), group]);
  }
  const result = new Map<string, Set<string>>();
  for (const [host, groups] of direct) {
    const all = new Set<string>();
    const queue = [...groups];
    while (queue.length > 0) {
      const g = queue.pop()!;
      if (all.has(g)) continue;
      all.add(g);
      queue.push(...(parentsOf.get(g) ?? []));
    }
    result.set(host, all);
  }
  return result;
}

/** The naming scheme of render/inventory.ts, spelled out independently. */
const u = (name: string) => name.replace(/-/g, "_");
function expectedGroups(model: EstateModel, host: HostModel): Set<string> {
  return new Set(["all", `env_${u(model.env)}`, `kind_${host.siteKind}`, `site_${u(host.site)}`, `service_${u(host.service)}`, `site_${u(host.site)}__${u(host.service)}`]);
}

describe("renderInventory", () => {
  const model = loadEnvironment(DEV_ENV);

  it("renders the same bytes for the same model (stable order, no timestamps)", () => {
    const first = renderInventory(model);
    expect(renderInventory(loadEnvironment(DEV_ENV))).toBe(first);
    expect(first).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("lists each host once, in its site×service leaf, with its vars inline", () => {
    const text = renderInventory(model);
    for (const host of model.hosts) {
      const lines = text.split("\n").filter((l) => l.trimStart().startsWith(`${host.name}:`));
      expect(lines, host.name).toHaveLength(1);
      expect(lines[0]).toContain(`ansible_host: ${host.ip},`);
    }
  });

  it("uses only valid Ansible group names, documented as the naming scheme", () => {
    const doc = parse(renderInventory(model), { version: "1.1" });
    const names: string[] = [];
    const walk = (groups: Record<string, any>) => {
      for (const [name, body] of Object.entries(groups)) {
        names.push(name);
        if (body?.children) walk(body.children);
      }
    };
    walk(doc.all.children);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name).toMatch(VALID_GROUP);
    expect(new Set(names)).toEqual(
      new Set(["env_dev", "kind_openstack", "kind_aws", "service_web", "service_api", "golden_image_builders",
        ...["os_a", "os_b", "os_c", "aws"].flatMap((s) => [`site_${s}`, `site_${s}__web`, `site_${s}__api`])]),
    );
  });

  it("handles 20,000 hosts in well under 300 ms", () => {
    const big = devVariant((env) => {
      env.ipam.blockSize = 8192;
      env.sites.openstack.forEach((site: any, i: number) => {
        site.subnetCidr = `10.${10 * (i + 1)}.0.0/16`;
        site.routes = [];
        // Quotas raised for fleets this large: one server group per service.
        site.limits = { serverGroupMembers: 4000 };
      });
      env.services[0].instancesPerSite = 4000;
      env.services[1].instancesPerSite = 2667;
      for (const svc of env.services) {
        svc.instancesBySite = { aws: 0 };
        delete svc.peakInstances;
      }
    });
    expect(big.hosts.length).toBeGreaterThanOrEqual(20_000);
    const times: number[] = [];
    let text = "";
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      text = renderInventory(big);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.info(`renderInventory, ${big.hosts.length} hosts: best ${times[0].toFixed(0)} ms, median ${times[3].toFixed(0)} ms, ${(text.length / 1e6).toFixed(1)} MB`);
    // Best of seven: the renderer's own cost, not whatever else the CI machine runs at the same moment.
    expect(times[0]).toBeLessThan(300);
    // One line per host (parsing 5 MB of YAML here would take longer than the whole test should).
    const hostCount = text.split("\n").filter((line) => /^ {16}[a-z0-9-]+: \{ansible_host: /.test(line)).length;
    expect(hostCount).toBe(big.hosts.length);
  });
});

describe("toInventoryYaml", () => {
  // Strings PyYAML (YAML 1.1, what Ansible reads with) would turn into booleans, numbers, dates or nulls.
  const tricky = {
    yes: "yes", no: "no", on: "On", off: "OFF", y: "y", n: "N", null: "null", tilde: "~", empty: "",
    float: "2026.10", int: "0755", octal: "0o17", hex: "0x1F", exp: "1e3", sexagesimal: "1:20", date: "2026-11-01",
    inf: ".inf", dash: "-x", colon: "a: b", hash: "#c", comma: "a, b", braces: "{x}", quote: "it's \"q\"",
    newline: "a\nb", unicode: "zürich", ip: "10.0.0.1", version: "2026.11.1", path: "/static/app.js",
  };
  const value = { top: { "key-with-dash": tricky, list: ["yes", 1, "2026.10", { a: "no", b: 2 }], empty: [], none: {}, hosts: { "h-1": tricky } } };

  it("round-trips through the yaml package in YAML 1.1 mode", () => {
    expect(parse(toInventoryYaml(value), { version: "1.1" })).toEqual(value);
  });

  // Ansible's loader is PyYAML's SafeLoader plus its own tags; `!unsafe` (strings holding "{") reads as the plain string.
  const PYYAML_AS_ANSIBLE =
    "import json, sys, yaml; yaml.SafeLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node)); print(json.dumps(yaml.safe_load(sys.stdin)))";

  it.skipIf(!HAS_PYYAML)("round-trips through PyYAML, the parser Ansible uses", () => {
    const json = execFileSync(ANSIBLE_PYTHON, ["-c", PYYAML_AS_ANSIBLE], {
      input: toInventoryYaml(value),
      encoding: "utf8",
    });
    expect(JSON.parse(json)).toEqual(value);
  });

  it("refuses values it cannot write", () => {
    expect(() => toInventoryYaml({ a: Number.NaN })).toThrow(/cannot be written as YAML/);
    expect(() => toInventoryYaml({ a: undefined })).toThrow(/cannot be written as YAML/);
  });
});

describe.skipIf(!HAS_ANSIBLE_INVENTORY)(
  `ansible-inventory reads the synthesized inventory${HAS_ANSIBLE_INVENTORY ? "" : " (skipped: ansible-inventory is not installed; apt-get install ansible)"}`,
  () => {
    const model = loadEnvironment(DEV_ENV);
    let list: AnsibleList;
    let groups: Map<string, Set<string>>;

    beforeAll(() => {
      const out = synthArtifacts(model);
      list = ansibleInventoryList(join(out, "ansible", model.env, "inventory.yml"));
      groups = groupsOf(list);
    });

    it("holds every model host exactly once, and nothing else", () => {
      expect(Object.keys(list._meta.hostvars).sort()).toEqual(model.hosts.map((h) => h.name).sort());
      // Exactly one group lists each host directly: its site×service leaf.
      for (const host of model.hosts) {
        const direct = Object.entries(list).filter(([g, body]) => g !== "_meta" && (body.hosts ?? []).includes(host.name));
        expect(direct.map(([g]) => g), host.name).toEqual([`site_${u(host.site)}__${u(host.service)}`]);
      }
    });

    it("puts each host in its environment, kind, site, service and site×service groups through children", () => {
      for (const host of model.hosts) expect(groups.get(host.name), host.name).toEqual(expectedGroups(model, host));
      expect(list.all.children).toEqual(expect.arrayContaining(["env_dev", "service_web", "service_api", "kind_openstack", "kind_aws"]));
      expect(list.env_dev.children).toEqual(["site_os_a", "site_os_b", "site_os_c", "site_aws", "golden_image_builders"]);
      expect(list.kind_openstack.children).toEqual(["site_os_a", "site_os_b", "site_os_c"]);
      expect(list.service_web.children).toEqual(["site_os_a__web", "site_os_b__web", "site_os_c__web", "site_aws__web"]);
      for (const name of Object.keys(list)) if (name !== "_meta") expect(name).toMatch(VALID_GROUP);
    });

    it("gives each host the model's fixed IP and identity as host vars", () => {
      for (const host of model.hosts) {
        const vars = list._meta.hostvars[host.name];
        expect(vars, host.name).toMatchObject({
          ansible_host: host.ip,
          ansible_user: model.ssh.user,
          estate_env: model.env,
          estate_site: host.site,
          estate_site_kind: host.siteKind,
          estate_service: host.service,
          estate_availability_zone: host.availabilityZone,
          golden_image_name: host.image,
          golden_image_version: host.imageVersion,
        });
      }
      const ips = model.hosts.map((h) => list._meta.hostvars[h.name].ansible_host);
      expect(new Set(ips).size).toBe(model.hosts.length);
    });

    it("gives hosts their group vars: environment monitoring, site cloud, service health check, pool VIP", () => {
      for (const host of model.hosts) {
        const vars = list._meta.hostvars[host.name];
        const service = model.services.find((s) => s.name === host.service)!;
        expect(vars.estate_node_exporter_port).toBe(model.monitoring.nodeExporterPort);
        expect(vars.estate_zabbix_server).toBe(model.monitoring.zabbixServer);
        expect(vars.estate_openstack_sites).toEqual(["os-a", "os-b", "os-c"]);
        expect(vars.estate_health_check_protocol).toBe(service.healthCheck.protocol);
        expect(vars.estate_health_check_port).toBe(service.healthCheck.port);
        expect(vars.estate_warmup_paths).toEqual(service.warmup);
        expect(vars.estate_listeners).toEqual(service.listeners.map((l) => ({ protocol: l.protocol, port: l.port, backend_port: l.backendPort })));
        if (host.siteKind === "openstack") {
          const site = model.openstackSites.find((s) => s.name === host.site)!;
          const siteService = site.services.find((s) => s.service.name === host.service)!;
          expect(vars).toMatchObject({ estate_cloud: site.cloud, estate_region: site.region, estate_lb_vip_address: siteService.lbVipAddress, estate_public_vip: siteService.publicVip });
          expect(vars.estate_openstack_image).toBe(site.images[host.image].name);
        } else {
          expect(vars.estate_cloud).toBeUndefined();
          expect(vars.estate_region).toBe(model.awsSite!.region);
          expect(vars.estate_aws_load_balancer_name).toBe(model.awsSite!.services.find((s) => s.service.name === host.service)!.loadBalancerName);
        }
      }
      const web = list._meta.hostvars["dev-os-a-web-001"];
      expect(web).toMatchObject({ estate_health_check_path: "/healthz", estate_health_check_status_codes: [200], estate_warmup_port: 8080, estate_warmup_scheme: "http" });
      expect(list._meta.hostvars["dev-os-a-api-001"].estate_health_check_path).toBeUndefined();
    });

    it("keeps golden_image_builders empty while bake is disabled", () => {
      expect(model.bake.enabled).toBe(false);
      expect(list.golden_image_builders?.hosts ?? []).toEqual([]);
      const doc = parse(renderInventory(model), { version: "1.1" });
      expect(doc.all.children.env_dev.children.golden_image_builders).toEqual({ hosts: {} });
    });

    it("puts the bake builders into golden_image_builders when bake is enabled", () => {
      const baking = devVariant((env) => (env.bake = { enabled: true, baseImage: "debian-12-genericcloud", flavor: "m1.small" }));
      expect(baking.bake.builders).toHaveLength(3);
      const out = synthArtifacts(baking);
      const bakeList = ansibleInventoryList(join(out, "ansible", baking.env, "inventory.yml"));
      expect([...(bakeList.golden_image_builders.hosts ?? [])].sort()).toEqual(baking.bake.builders.map((b) => b.name).sort());
      const bakeGroups = groupsOf(bakeList);
      for (const builder of baking.bake.builders) {
        const site = baking.openstackSites.find((s) => s.name === builder.site)!;
        expect(bakeGroups.get(builder.name)).toEqual(new Set(["all", "env_dev", "golden_image_builders"]));
        expect(bakeList._meta.hostvars[builder.name]).toMatchObject({
          ansible_host: builder.ip,
          ansible_user: baking.ssh.user,
          estate_site: builder.site,
          estate_cloud: site.cloud,
          estate_region: site.region,
          estate_zabbix_server: baking.monitoring.zabbixServer,
          golden_image_name: "debian12",
          golden_image_version: "2026.11.1",
          golden_image_publish_name: site.images.debian12.name,
        });
      }
      // Service hosts are untouched by the bake.
      expect(Object.keys(bakeList._meta.hostvars).length).toBe(baking.hosts.length + baking.bake.builders.length);
    });

    it("keeps names and versions that YAML 1.1 would misread as strings", () => {
      const odd = devVariant((env) => {
        env.sites.openstack[2].name = "no";
        env.images[0].openstack.no = env.images[0].openstack["os-c"];
        delete env.images[0].openstack["os-c"];
        env.images[0].version = "2026.10";
      });
      const oddList = ansibleInventoryList(join(synthArtifacts(odd), "ansible", odd.env, "inventory.yml"));
      const host = odd.hosts.find((h) => h.site === "no")!;
      expect(oddList._meta.hostvars[host.name]).toMatchObject({ estate_site: "no", golden_image_version: "2026.10" });
      expect(oddList.site_no.children).toEqual(["site_no__web", "site_no__api"]);
    });
  },
);

describe("renderFileSd", () => {
  const model = loadEnvironment(DEV_ENV);
  const files = renderFileSd(model);

  it("writes one target file per site×service, under monitoring/<env>/file_sd/", () => {
    const expected = [...model.openstackSites, model.awsSite!].flatMap((site) => site.services.map((s) => `monitoring/dev/file_sd/${site.name}-${s.service.name}.json`));
    expect(files.map((f) => f.path)).toEqual(expected);
    expect(expected).toHaveLength(8);
  });

  it("targets every host's node_exporter once, labelled with env, site, service, az and host", () => {
    const groups = files.flatMap((f) => JSON.parse(f.content) as { targets: string[]; labels: Record<string, string> }[]);
    expect(groups).toHaveLength(model.hosts.length);
    for (const host of model.hosts) {
      const mine = groups.filter((g) => g.labels.host === host.name);
      expect(mine, host.name).toHaveLength(1);
      expect(mine[0]).toEqual({
        targets: [`${host.ip}:${model.monitoring.nodeExporterPort}`],
        labels: { env: "dev", site: host.site, site_kind: host.siteKind, service: host.service, az: host.availabilityZone, host: host.name },
      });
    }
    const osAWeb = JSON.parse(files.find((f) => f.path.endsWith("/os-a-web.json"))!.content);
    expect(osAWeb.map((g: any) => g.targets[0])).toEqual(["10.10.1.1:9100", "10.10.1.2:9100", "10.10.1.3:9100"]);
  });

  it("uses the environment's node_exporter port and only valid Prometheus label names", () => {
    const custom = devVariant((env) => (env.monitoring.nodeExporterPort = 9200));
    const targets = renderFileSd(custom).flatMap((f) => JSON.parse(f.content).flatMap((g: any) => g.targets as string[]));
    expect(targets).toHaveLength(custom.hosts.length);
    for (const t of targets) expect(t).toMatch(/^\d+\.\d+\.\d+\.\d+:9200$/);
    for (const f of files) for (const g of JSON.parse(f.content)) for (const label of Object.keys(g.labels)) expect(label).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
  });
});

describe("renderHostExport", () => {
  const model = loadEnvironment(DEV_ENV);

  it("exports every host with its site, service, AZ, IP and image", () => {
    const doc = JSON.parse(renderHostExport(model));
    expect(doc).toMatchObject({ schemaVersion: 1, env: "dev", hostCount: model.hosts.length });
    expect(doc.hosts).toEqual(
      model.hosts.map((h) => ({ name: h.name, env: "dev", site: h.site, siteKind: h.siteKind, service: h.service, availabilityZone: h.availabilityZone, ip: h.ip, image: h.image, imageVersion: h.imageVersion })),
    );
  });
});

describe("renderAnsibleArtifacts", () => {
  const model = loadEnvironment(DEV_ENV);

  it("returns the inventory, the file_sd targets and the CMDB export, paths relative to the output dir", () => {
    const files = renderAnsibleArtifacts(model);
    expect(files[0]).toEqual({ path: "ansible/dev/inventory.yml", content: renderInventory(model) });
    expect(files[files.length - 1]).toEqual({ path: "cmdb/dev/hosts.json", content: renderHostExport(model) });
    expect(files.slice(1, -1)).toEqual(renderFileSd(model));
    for (const f of files) {
      expect(f.path).not.toMatch(/^\/|\.\./);
      expect(f.content.endsWith("\n")).toBe(true);
    }
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
  });

  it("is deterministic", () => {
    expect(renderAnsibleArtifacts(loadEnvironment(DEV_ENV))).toEqual(renderAnsibleArtifacts(model));
  });
});
