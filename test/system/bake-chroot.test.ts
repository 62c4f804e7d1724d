/**
 * Bakes a golden image for real: a fresh Debian bookworm root file system (debootstrap), converged twice by
 * playbooks/golden-image.yml through Ansible's chroot connection, with the publish step switched off. The second
 * converge must change nothing, and the file system must carry the bake's effects. Then the baked file system
 * stands in for three hosts of two sites in playbooks/rolling-update.yml, against a fake Octavia (a stand-in
 * `openstack` CLI) and a local health endpoint. Needs root, debootstrap, ansible and a Debian mirror; nothing is
 * cached between runs (5 to 8 minutes, mostly package downloads).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { loadEnvironment, type EstateModel } from "../../model";
import { renderInventory } from "../../render";

const ANSIBLE_DIR = resolve("ansible");
const MIRROR = process.env.ESTATE_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
const STEP_TIMEOUT_MS = 15 * 60_000;

const hasChrootPlugin = (): boolean =>
  hasCommand("ansible-doc") && spawnSync("ansible-doc", ["-t", "connection", "community.general.chroot"], { encoding: "utf8" }).status === 0;

function skipReason(): string {
  if (process.platform !== "linux") return "needs Linux";
  if (process.getuid?.() !== 0) return "needs root (debootstrap, mount and chroot)";
  const missing = ["debootstrap", "ansible-playbook", "mount", "umount", "chroot"].filter((cmd) => !hasCommand(cmd));
  if (missing.length > 0) return `missing ${missing.join(", ")}; apt-get install debootstrap ansible`;
  if (!hasChrootPlugin()) return "the community.general collection (chroot connection) is not installed; apt-get install ansible";
  return "";
}
const SKIP = skipReason();
if (SKIP) console.warn(`bake-chroot.test.ts skipped: ${SKIP}`);

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command without blocking the test worker; minutes-long steps would starve vitest's RPC otherwise. */
function runAsync(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => child.kill("SIGTERM"), STEP_TIMEOUT_MS - 30_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, output: Buffer.concat(chunks).toString("utf8"), seconds: (Date.now() - started) / 1000 });
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      done({ status: -1, output: String(err), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const tail = (text: string, lines = 80) => text.split("\n").slice(-lines).join("\n");

interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

function recapOf(output: string, host: string): Recap | undefined {
  const line = output.split("\n").find((l) => l.startsWith(`${host} `) && l.includes(" ok="));
  const m = line?.match(/ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/);
  return m ? { ok: Number(m[1]), changed: Number(m[2]), unreachable: Number(m[3]), failed: Number(m[4]) } : undefined;
}

/**
 * A stand-in `openstack` CLI for the Octavia calls of roles/octavia_member, over a JSON state file. Every change of a
 * member's admin state (the role drains with `member set --disable` and restores with `--enable`; the weight is the
 * site stack's) is recorded with the addresses drained at that moment. Members listed in `never_healthy` go to
 * ERROR when they are enabled again, like a host that does not come back after its update.
 */
const FAKE_OPENSTACK = `#!/usr/bin/env python3
import json, os, sys
path = os.environ["FAKE_OCTAVIA_STATE"]
with open(path) as f:
    state = json.load(f)
args = sys.argv[1:]
opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
pos = [a for a in args if not a.startswith("--")]
lbs = state["loadbalancers"]

def reply(value):
    print(json.dumps(value))
    sys.exit(0)

def members_of(pool):
    return next(lb["members"] for lb in lbs if "pool-" + lb["id"] == pool)

if pos[:2] == ["loadbalancer", "list"]:
    # Like python3-octaviaclient 3.1.0 (Debian 12): no --vip-address filter; the role picks the VIP from the list.
    reply([{"id": lb["id"], "name": lb["name"], "vip_address": lb["vip"]} for lb in lbs if lb["cloud"] == opts["os-cloud"]])
if pos[:3] == ["loadbalancer", "pool", "list"]:
    reply([{"id": "pool-" + lb["id"], "name": "pool-" + lb["id"]} for lb in lbs if lb["id"] == opts["loadbalancer"]])
if pos[:3] == ["loadbalancer", "member", "list"]:
    reply(members_of(pos[3]))
if pos[:3] == ["loadbalancer", "member", "show"]:
    reply(next(m for m in members_of(pos[3]) if m["id"] == pos[4]))
if pos[:3] == ["loadbalancer", "member", "set"]:
    member = next(m for m in members_of(pos[3]) if m["id"] == pos[4])
    if "--weight" in " ".join(args):
        sys.stderr.write("fake openstack: the role must not set a member's weight (the site stack owns it)\\n")
        sys.exit(2)
    member["admin_state_up"] = "--enable" in args
    if member["admin_state_up"] and member["address"] in state["never_healthy"]:
        member["operating_status"] = "ERROR"
    drained = sorted(m["address"] for lb in lbs for m in lb["members"] if not m["admin_state_up"])
    state["events"].append({"address": member["address"], "admin_state_up": member["admin_state_up"], "drained": drained})
    with open(path, "w") as f:
        json.dump(state, f)
    sys.exit(0)
sys.stderr.write("fake openstack: unsupported call: " + " ".join(args) + "\\n")
sys.exit(2)
`;
import { hasCommand } from "../support/tools";

interface OctaviaEvent {
  address: string;
  admin_state_up: boolean;
  drained: string[];
}

/** Mount points at or below `dir`, deepest first, from the kernel's own table. */
function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((point): point is string => point !== undefined && (point === dir || point.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

describe.skipIf(SKIP !== "")(`golden-image bake in a Debian bookworm chroot${SKIP ? ` (skipped: ${SKIP})` : ""}`, () => {
  let work: string;
  let rootfs: string;
  let model: EstateModel;
  let inventories: string[];
  const runs: Run[] = [];

  const converge = () =>
    runAsync(
      "ansible-playbook",
      [...inventories.flatMap((i) => ["-i", i]), "--limit", rootfs, "-e", "image_publish_enabled=false", "playbooks/golden-image.yml"],
      {
        cwd: ANSIBLE_DIR,
        env: { ...process.env, ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0", DEBIAN_FRONTEND: "noninteractive" },
      },
    );
  const inRoot = (path: string) => join(rootfs, path);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "estate-bake-"));
    rootfs = join(work, "rootfs");

    const bootstrap = await runAsync("debootstrap", ["--variant=minbase", "--include=python3", "bookworm", rootfs, MIRROR]);
    console.info(`debootstrap: ${bootstrap.seconds.toFixed(0)} s`);
    if (bootstrap.status !== 0) throw new Error(`debootstrap failed (${bootstrap.status}):\n${tail(bootstrap.output)}`);

    // apt and maintainer scripts want /proc; policy-rc.d (exit 101) stops them starting daemons in the chroot.
    const mount = spawnSync("mount", ["-t", "proc", "proc", inRoot("proc")], { encoding: "utf8" });
    if (mount.status !== 0) throw new Error(`mount proc failed: ${mount.stderr}`);
    writeFileSync(inRoot("usr/sbin/policy-rc.d"), "#!/bin/sh\n# Test harness: no daemon starts inside the bake chroot.\nexit 101\n", { mode: 0o755 });

    // The synthesized inventory of the dev estate with bake enabled, plus the chroot as one more builder of it:
    // the roles get their variables (node_exporter port, Zabbix server) from the real inventory.
    const env = parse(readFileSync("environments/dev.yaml", "utf8"));
    env.bake = { enabled: true, baseImage: "debian-12-genericcloud", flavor: "m1.small" };
    writeFileSync(join(work, "env.yaml"), stringify(env));
    model = loadEnvironment(join(work, "env.yaml"));
    const synthesized = join(work, "inventory.yml");
    writeFileSync(synthesized, renderInventory(model));
    const chroot = join(work, "chroot.yml");
    writeFileSync(
      chroot,
      stringify({
        all: {
          children: {
            [`env_${model.env}`]: {
              children: {
                golden_image_builders: {
                  hosts: {
                    [rootfs]: {
                      ansible_connection: "community.general.chroot",
                      // Already root; the chroot has no sudo.
                      ansible_become: false,
                      ansible_python_interpreter: "/usr/bin/python3",
                      golden_image_name: "debian12",
                      golden_image_version: "2026.11.1",
                    },
                  },
                },
              },
            },
          },
        },
      }),
    );
    inventories = [synthesized, chroot];
  }, STEP_TIMEOUT_MS);

  afterAll(() => {
    if (!work) return;
    // Unmount before deleting, even after a failure: rm -rf through a mounted /proc would be a disaster.
    for (const point of mountsUnder(rootfs ?? work)) {
      if (spawnSync("umount", [point]).status !== 0) spawnSync("umount", ["--lazy", point]);
    }
    if (mountsUnder(work).length === 0) rmSync(work, { recursive: true, force: true });
    else console.warn(`left ${work} in place: still mounted`);
  }, 120_000);

  it("converges a fresh root file system", async () => {
    const run = await converge();
    runs.push(run);
    console.info(`first converge: ${run.seconds.toFixed(0)} s`);
    const recap = recapOf(run.output, rootfs);
    expect(recap, tail(run.output)).toBeDefined();
    expect(recap!.failed, tail(run.output)).toBe(0);
    expect(recap!.unreachable).toBe(0);
    expect(recap!.changed).toBeGreaterThan(5);
    expect(run.status, tail(run.output)).toBe(0);
  }, STEP_TIMEOUT_MS);

  it("changes nothing on the second converge", async () => {
    expect(runs, "the first converge must run first").toHaveLength(1);
    const run = await converge();
    runs.push(run);
    console.info(`second converge: ${run.seconds.toFixed(0)} s`);
    const recap = recapOf(run.output, rootfs);
    expect(recap, tail(run.output)).toBeDefined();
    expect(recap!.failed, tail(run.output)).toBe(0);
    const changedTasks = run.output.split("\n").filter((l) => l.startsWith("changed:"));
    expect({ changed: recap!.changed, changedTasks }).toEqual({ changed: 0, changedTasks: [] });
    expect(run.status).toBe(0);
  }, STEP_TIMEOUT_MS);

  it("skipped the publish step", () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.output).toContain("PLAY [Golden image | Publish the image in each site]");
      expect(run.output).not.toMatch(/TASK \[image_publish : Snapshot \|/);
    }
  });

  it("left an image with no identity: empty machine-id, no SSH host keys, no cloud-init state", () => {
    expect(statSync(inRoot("etc/machine-id")).size).toBe(0);
    expect(readdirSync(inRoot("etc/ssh")).filter((f) => f.startsWith("ssh_host_"))).toEqual([]);
    expect(existsSync(inRoot("var/lib/cloud/instance"))).toBe(false);
    expect(existsSync(inRoot("usr/bin/cloud-init"))).toBe(true);
  });

  it("hardened SSH with a drop-in and made sshd able to recreate missing host keys", () => {
    const dropIn = readFileSync(inRoot("etc/ssh/sshd_config.d/10-estate-hardening.conf"), "utf8");
    expect(dropIn).toMatch(/^PasswordAuthentication no$/m);
    expect(dropIn).toMatch(/^PermitRootLogin no$/m);
    expect(readFileSync(inRoot("etc/ssh/sshd_config"), "utf8")).toMatch(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m);
    expect(readFileSync(inRoot("etc/systemd/system/ssh.service.d/10-estate-host-keys.conf"), "utf8")).toMatch(/^ExecStartPre=\/usr\/bin\/ssh-keygen -A$/m);
  });

  it("enabled (not started) ssh, chrony, node_exporter and the Zabbix agent for the next boot", () => {
    const wants = inRoot("etc/systemd/system/multi-user.target.wants");
    for (const unit of ["ssh.service", "chrony.service", "prometheus-node-exporter.service", "zabbix-agent.service"]) {
      expect(lstatSync(join(wants, unit)).isSymbolicLink(), unit).toBe(true);
      expect(readlinkSync(join(wants, unit))).toBe(`/lib/systemd/system/${unit}`);
    }
  });

  it("configured the agents from the synthesized inventory", () => {
    expect(readFileSync(inRoot("etc/default/prometheus-node-exporter"), "utf8")).toContain(`--web.listen-address=:${model.monitoring.nodeExporterPort}`);
    const zabbix = readFileSync(inRoot("etc/zabbix/zabbix_agentd.conf"), "utf8");
    expect(zabbix).toMatch(new RegExp(`^Server=${model.monitoring.zabbixServer!.replace(/\./g, "\\.")}$`, "m"));
    expect(zabbix).toMatch(/^HostnameItem=system\.hostname$/m);
    expect(zabbix).not.toMatch(/^Hostname=/m);
  });

  it("hardened the kernel and set up time sync", () => {
    const sysctl = readFileSync(inRoot("etc/sysctl.d/90-estate-hardening.conf"), "utf8");
    expect(sysctl).toMatch(/^net\.ipv4\.conf\.all\.accept_redirects = 0$/m);
    expect(sysctl).toMatch(/^kernel\.kptr_restrict = 2$/m);
    expect(existsSync(inRoot("etc/chrony/sources.d/estate.sources"))).toBe(true);
  });

  it("left no apt caches, package lists or log content behind", () => {
    expect(readdirSync(inRoot("var/cache/apt/archives")).filter((f) => f.endsWith(".deb"))).toEqual([]);
    expect(readdirSync(inRoot("var/cache/apt")).filter((f) => f.endsWith(".bin"))).toEqual([]);
    expect(readdirSync(inRoot("var/lib/apt/lists")).filter((f) => statSync(inRoot(`var/lib/apt/lists/${f}`)).isFile() && f !== "lock")).toEqual([]);
    const logs: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        const st = lstatSync(path);
        if (st.isDirectory()) walk(path);
        else if (st.isFile() && st.size > 0) logs.push(path);
      }
    };
    walk(inRoot("var/log"));
    expect(logs).toEqual([]);
  });

  describe("then rolls the baked image through playbooks/rolling-update.yml", () => {
    // Three hosts of two sites, all played by the baked file system; Octavia knows them by their model IPs.
    const HOSTS = ["dev-os-a-web-001", "dev-os-a-web-002", "dev-os-b-web-001"];
    let server: Server;
    const requests: string[] = [];
    let statePath: string;

    beforeAll(async () => {
      server = createServer((req, res) => {
        requests.push(req.url ?? "");
        res.end("ok\n");
      });
      await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
      const port = (server.address() as AddressInfo).port;

      mkdirSync(join(work, "bin"), { recursive: true });
      writeFileSync(join(work, "bin", "openstack"), FAKE_OPENSTACK, { mode: 0o755 });
      statePath = join(work, "octavia.json");

      const hosts: Record<string, unknown> = {};
      for (const name of HOSTS) {
        const host = model.hosts.find((h) => h.name === name)!;
        hosts[name] = {
          ansible_connection: "community.general.chroot",
          ansible_host: rootfs,
          ansible_become: false,
          ansible_python_interpreter: "/usr/bin/python3",
          // The chroot path replaced ansible_host: point Octavia and the checks at the host's parts explicitly.
          octavia_member_address: host.ip,
          rolling_update_address: "127.0.0.1",
          rolling_update_health_port: port,
          rolling_update_warmup_port: port,
        };
      }
      writeFileSync(join(work, "rolling.yml"), stringify({ all: { hosts } }));
    }, STEP_TIMEOUT_MS);

    afterAll(async () => {
      await new Promise<void>((closed) => (server ? server.close(() => closed()) : closed()));
    });

    const resetOctavia = (neverHealthy: string[]) => {
      const loadbalancers = model.openstackSites.flatMap((site) =>
        site.services.map((s) => ({
          id: `lb-${site.name}-${s.service.name}`,
          name: s.resourceName,
          vip: s.lbVipAddress,
          cloud: site.cloud,
          members: s.hosts.map((h) => ({ id: `member-${h.name}`, address: h.ip, protocol_port: 8080, weight: 1, admin_state_up: true, operating_status: "ONLINE" })),
        })),
      );
      writeFileSync(statePath, JSON.stringify({ loadbalancers, never_healthy: neverHealthy, events: [] }));
    };
    const events = (): OctaviaEvent[] => JSON.parse(readFileSync(statePath, "utf8")).events;
    const roll = (extra: string[] = []) =>
      runAsync(
        "ansible-playbook",
        [
          ...[inventories[0], join(work, "rolling.yml")].flatMap((i) => ["-i", i]),
          "--limit", HOSTS.join(","),
          "-e", "rolling_update_force=true",
          "-e", "rolling_update_drain_sec=0",
          "-e", "rolling_update_warmup_rounds=2",
          ...extra,
          "playbooks/rolling-update.yml",
        ],
        {
          cwd: ANSIBLE_DIR,
          env: {
            ...process.env,
            PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`,
            FAKE_OCTAVIA_STATE: statePath,
            ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"),
            ANSIBLE_NOCOLOR: "1",
            DEBIAN_FRONTEND: "noninteractive",
          },
        },
      );
    const ip = (name: string) => model.hosts.find((h) => h.name === name)!.ip;

    it("drains, updates, checks, warms up and restores one host at a time, site after site", async () => {
      resetOctavia([]);
      requests.length = 0;
      const run = await roll();
      console.info(`rolling update of ${HOSTS.length} hosts: ${run.seconds.toFixed(0)} s`);
      expect(run.status, tail(run.output)).toBe(0);
      expect(events().map((e) => [e.address, e.admin_state_up])).toEqual(HOSTS.flatMap((h) => [[ip(h), false], [ip(h), true]]));
      for (const e of events()) expect(e.drained.length, JSON.stringify(e)).toBeLessThanOrEqual(1);
      expect(requests.filter((r) => r === "/healthz")).toHaveLength(HOSTS.length);
      // Each web host replays the service's warm-up paths, twice.
      const warmup = model.services.find((s) => s.name === "web")!.warmup;
      expect([...requests.filter((r) => r !== "/healthz")].sort()).toEqual(HOSTS.flatMap(() => [...warmup, ...warmup]).sort());
    }, STEP_TIMEOUT_MS);

    it("stops at the first host that does not come back, leaving the other sites untouched", async () => {
      resetOctavia([ip("dev-os-a-web-002")]);
      const run = await roll(["-e", "octavia_member_wait_retries=2", "-e", "octavia_member_wait_delay_sec=1"]);
      expect(run.status).not.toBe(0);
      expect(recapOf(run.output, "dev-os-a-web-002")?.failed, tail(run.output)).toBe(1);
      expect(events().map((e) => [e.address, e.admin_state_up])).toEqual([
        [ip("dev-os-a-web-001"), false],
        [ip("dev-os-a-web-001"), true],
        [ip("dev-os-a-web-002"), false],
        [ip("dev-os-a-web-002"), true],
      ]);
    }, STEP_TIMEOUT_MS);

    it("refuses to drain a host when the rest of its pool is not serving", async () => {
      resetOctavia([]);
      const state = JSON.parse(readFileSync(statePath, "utf8"));
      const pool = state.loadbalancers.find((lb: any) => lb.id === "lb-os-a-web");
      for (const m of pool.members) if (m.address !== ip("dev-os-a-web-001")) m.operating_status = "ERROR";
      writeFileSync(statePath, JSON.stringify(state));
      const run = await roll();
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/draining dev-os-a-web-001 would leave fewer than 1 serving member/);
      expect(events()).toEqual([]);
    }, STEP_TIMEOUT_MS);
  });
});
