/**
 * The day-2 roles (octavia_member, image_publish, rolling_update) run for real, on Debian 12's own Ansible and
 * openstack CLI, against the local OpenStack control plane of test/system/openstack/setup.sh, from the
 * synthesized inventory of the fixture estate test/fixtures/openstack-local/local.yaml. The site's network,
 * servers (booted from volumes, like every fleet host), load balancer, listener, pool, health monitor and members
 * are created here with the openstack client, as the site stack describes them.
 *
 * What the fake drivers change: no guest runs, so the hosts' health endpoint is a local HTTP server the role is
 * pointed at (rolling_update_address), and the hosts Ansible logs into are this machine (ansible_connection=local)
 * or an address nothing answers on (the unreachable host). No amphora sends health reports: member
 * operating_status is written into Octavia's database where a test needs it (setMemberOperatingStatus).
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironment, type HostModel, type OpenstackSiteModel } from "../../model";
import { renderInventory } from "../../render";
import {
  ansiblePlaybookEnv,
  HOW_TO_START,
  LOCAL_ESTATE,
  openstack,
  openstackJson,
  openstackRequired,
  openstackUnavailable,
  setMemberOperatingStatus,
} from "../support/openstack";
import { scratchDirs } from "../support/tools";

const unavailable = openstackUnavailable();
const skipped = unavailable !== undefined && !openstackRequired();
const title = `day-2 roles against a real OpenStack${skipped ? ` (skipped: ${unavailable}; ${HOW_TO_START})` : ""}`;

const model = loadEnvironment(LOCAL_ESTATE);
const site = model.openstackSites.find((s) => s.name === "os-a") as OpenstackSiteModel;
const web = site.services.find((s) => s.service.name === "web")!;
const [host1, host2, host3] = web.hosts;
const builder = model.bake.builders.find((b) => b.site === site.name)!;
const CURRENT_IMAGE = site.images[web.hosts[0].image].name!;
const NEXT_IMAGE = "debian12-golden-2026.12.1";
const LB_NAME = `${site.stackName}-web`;
const PUBLISHED_IMAGE = `${builder.publishName}-published`;
const SETUP_TIMEOUT_MS = 1_200_000;
const PLAYBOOK_TIMEOUT_MS = 900_000;

const tempDir = scratchDirs();

interface Member {
  id: string;
  address: string;
  weight: number;
  admin_state_up: boolean;
  operating_status: string;
}

function run(playbook: string, inventories: readonly string[], args: readonly string[]): Promise<{ status: number; output: string }> {
  const { cwd, env } = ansiblePlaybookEnv();
  return new Promise((resolvePromise) => {
    execFile(
      "ansible-playbook",
      [...inventories.flatMap((i) => ["-i", i]), playbook, ...args],
      { cwd, env, timeout: PLAYBOOK_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolvePromise({ status, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function poolId(): Promise<string> {
  const pools = await openstackJson<{ id: string }[]>(["loadbalancer", "pool", "list", "--loadbalancer", LB_NAME]);
  return pools[0].id;
}

async function members(): Promise<Member[]> {
  return openstackJson<Member[]>(["loadbalancer", "member", "list", await poolId()]);
}

/** The host's member as `member show` gives it: `member list` leaves out admin_state_up. */
async function member(host: HostModel): Promise<Member> {
  const found = (await members()).find((m) => m.address === host.ip);
  if (!found) throw new Error(`no member for ${host.name} (${host.ip})`);
  return openstackJson<Member>(["loadbalancer", "member", "show", await poolId(), found.id]);
}

/** Stands in for the health reports of amphorae: every member of the pool ONLINE. */
async function setAllOnline(): Promise<void> {
  setMemberOperatingStatus((await members()).map((m) => m.id), "ONLINE");
}

async function status(server: string): Promise<string> {
  return (await openstack(["server", "show", server, "-c", "status", "-f", "value"])).trim();
}

/** The image a volume-backed server runs: its boot volume's image metadata (as rolling_update reads it). */
async function bootVolumeImageId(host: HostModel): Promise<string> {
  const server = await openstackJson<{ volumes_attached: { id: string }[] }>(["server", "show", host.name]);
  const volume = await openstackJson<{ volume_image_metadata: { image_id: string } }>(["volume", "show", server.volumes_attached[0].id]);
  return volume.volume_image_metadata.image_id;
}

/** Removes what an earlier run may have left: the load balancer (cascade), servers and images by name, the network. */
async function cleanUp(): Promise<void> {
  const lbs = await openstackJson<{ id: string; name: string }[]>(["loadbalancer", "list"]);
  for (const lb of lbs.filter((l) => l.name === LB_NAME)) await openstack(["loadbalancer", "delete", "--cascade", "--wait", lb.id]);
  const names = [...web.hosts.map((h) => h.name), builder.name];
  const servers = await openstackJson<{ ID: string; Name: string }[]>(["server", "list"]);
  const present = servers.filter((s) => names.includes(s.Name)).map((s) => s.ID);
  if (present.length > 0) await openstack(["server", "delete", "--wait", ...present]);
  for (const image of [NEXT_IMAGE, PUBLISHED_IMAGE]) {
    for (const found of await openstackJson<{ ID: string }[]>(["image", "list", "--name", image])) await openstack(["image", "delete", found.ID]);
  }
  const networks = await openstackJson<{ ID: string }[]>(["network", "list", "--name", site.stackName]);
  for (const network of networks) {
    const ports = await openstackJson<{ ID: string }[]>(["port", "list", "--network", network.ID]);
    if (ports.length > 0) await openstack(["port", "delete", ...ports.map((p) => p.ID)]);
    await openstack(["network", "delete", network.ID]);
  }
}

/** The site as its stack builds it: network, subnet, servers booted from volumes, load balancer. */
async function createSite(): Promise<void> {
  const net = await openstackJson<{ id: string }>(["network", "create", site.stackName]);
  await openstack([
    "subnet", "create", site.stackName, "--network", net.id, "--subnet-range", site.subnetCidr, "--gateway", site.gatewayIp,
    "--allocation-pool", `start=${site.allocationPool.start},end=${site.allocationPool.end}`,
  ]);
  const service = model.services.find((s) => s.name === "web")!;
  await Promise.all(
    web.hosts.map((host) =>
      openstack([
        "server", "create", "--flavor", service.flavor, "--image", CURRENT_IMAGE, "--boot-from-volume", String(service.volumeSizeGiB),
        "--availability-zone", host.availabilityZone, "--nic", `net-id=${net.id},v4-fixed-ip=${host.ip}`, "--wait", host.name,
      ]),
    ),
  );
  await openstack([
    "server", "create", "--flavor", model.bake.flavor!, "--image", model.bake.baseImage!, "--availability-zone", builder.availabilityZone,
    "--nic", `net-id=${net.id},v4-fixed-ip=${builder.ip}`, "--wait", builder.name,
  ]);

  const listener = service.listeners[0];
  const hc = service.healthCheck;
  const pool = `${LB_NAME}-${listener.port}`;
  await openstack(["loadbalancer", "create", "--name", LB_NAME, "--vip-subnet-id", site.stackName, "--vip-address", web.lbVipAddress, "--wait"]);
  await openstack(["loadbalancer", "listener", "create", "--name", pool, "--protocol", listener.protocol, "--protocol-port", String(listener.port), "--wait", LB_NAME]);
  await openstack(["loadbalancer", "pool", "create", "--name", pool, "--listener", pool, "--protocol", listener.protocol, "--lb-algorithm", "ROUND_ROBIN", "--wait"]);
  await openstack([
    "loadbalancer", "healthmonitor", "create", "--type", hc.protocol, "--delay", String(hc.intervalSec), "--timeout", String(hc.timeoutSec),
    "--max-retries", String(hc.healthyThreshold), "--url-path", hc.path!, "--expected-codes", hc.expectedCodes, "--wait", pool,
  ]);
  for (const host of web.hosts) {
    await openstack(["loadbalancer", "member", "create", "--address", host.ip, "--protocol-port", String(listener.backendPort), "--subnet-id", site.stackName, "--weight", "1", "--wait", pool]);
  }
}

describe.skipIf(skipped)(title, () => {
  let inventory: string;
  let health: Server;
  let healthPort: number;
  let hostsVars: string;

  beforeAll(async () => {
    if (unavailable) throw new Error(`ESTATE_OPENSTACK_REQUIRED=1 but the local OpenStack is not usable: ${unavailable}; ${HOW_TO_START}`);
    const dir = tempDir("estate-day2-");
    inventory = join(dir, "inventory.yml");
    writeFileSync(inventory, renderInventory(model));
    // The hosts Ansible logs into: this machine for host 1 and 3; host 2 keeps its fixed IP, where nothing answers.
    hostsVars = join(dir, "hosts.yml");
    const local = "{ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}";
    writeFileSync(
      hostsVars,
      `all:\n  hosts:\n    ${host1.name}: ${local}\n    ${host3.name}: ${local}\n    ${builder.name}: ${local}\n` +
        `    ${host2.name}: {ansible_ssh_common_args: "-o ConnectTimeout=3 -o BatchMode=yes"}\n`,
    );
    health = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
    });
    await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
    healthPort = (health.address() as AddressInfo).port;
    await cleanUp();
    await createSite();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (health) await new Promise((r) => health.close(r));
    if (!unavailable) await cleanUp();
  }, SETUP_TIMEOUT_MS);

  /** Extra vars that point the role's checks at the local health server. */
  const localChecks = () => ["-e", `rolling_update_address=127.0.0.1 rolling_update_health_port=${healthPort} rolling_update_warmup_port=${healthPort}`];

  describe("octavia_member", () => {
    const memberPlaybook = (state: string) => {
      const dir = tempDir("estate-member-");
      const file = join(dir, "member.yml");
      writeFileSync(file, `- name: Member\n  hosts: all\n  gather_facts: false\n  roles:\n    - role: octavia_member\n      octavia_member_state: ${state}\n`);
      return file;
    };

    // The site stack owns the weight (it sets it, a rollout sets 0) and ignores admin_state_up; the role drains by
    // admin state only. So the attribute Terraform compares, weight, is the same after the drain (no drift), and
    // the attribute the drain changed is one an apply never writes (no undone drain).
    it("drains a member by its admin state, leaving the weight Terraform owns, and restores it", async () => {
      await setAllOnline();
      const drained = await run(memberPlaybook("drained"), [inventory, hostsVars], ["--limit", host1.name, "-e", "octavia_member_wait_delay_sec=2"]);
      expect(drained.status, drained.output).toBe(0);
      expect(await member(host1)).toMatchObject({ weight: 1, admin_state_up: false });
      expect(await member(host2)).toMatchObject({ weight: 1, admin_state_up: true });

      await setAllOnline();
      const restored = await run(memberPlaybook("active"), [inventory, hostsVars], ["--limit", host1.name, "-e", "octavia_member_wait_delay_sec=2"]);
      expect(restored.status, restored.output).toBe(0);
      expect(await member(host1)).toMatchObject({ weight: 1, admin_state_up: true });
    }, PLAYBOOK_TIMEOUT_MS);

    it("leaves a weight the stack set to 0 (a rollout's drain) as it is, through a drain and a restore", async () => {
      await setAllOnline();
      const pool = await poolId();
      await openstack(["loadbalancer", "member", "set", "--weight", "0", "--wait", pool, (await member(host1)).id]);
      try {
        const drained = await run(memberPlaybook("drained"), [inventory, hostsVars], ["--limit", host1.name, "-e", "octavia_member_wait_delay_sec=2"]);
        expect(drained.status, drained.output).toBe(0);
        expect(await member(host1)).toMatchObject({ weight: 0, admin_state_up: false });
        await setAllOnline();
        const restored = await run(memberPlaybook("active"), [inventory, hostsVars], ["--limit", host1.name, "-e", "octavia_member_wait_delay_sec=2"]);
        expect(restored.status, restored.output).toBe(0);
        expect(await member(host1)).toMatchObject({ weight: 0, admin_state_up: true });
      } finally {
        await openstack(["loadbalancer", "member", "set", "--weight", "1", "--wait", pool, (await member(host1)).id]);
      }
    }, PLAYBOOK_TIMEOUT_MS);

    it("refuses to drain a member when the rest of its pool is unhealthy, with Ansible's message", async () => {
      await setAllOnline();
      setMemberOperatingStatus([(await member(host2)).id], "ERROR");
      setMemberOperatingStatus([(await member(host3)).id], "OFFLINE");
      const result = await run(memberPlaybook("drained"), [inventory, hostsVars], ["--limit", host1.name]);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(`draining ${host1.name} would leave fewer than 1 serving member(s) in a pool of ${web.lbVipAddress}`);
      expect(await member(host1)).toMatchObject({ weight: 1, admin_state_up: true });
      await setAllOnline();
    }, PLAYBOOK_TIMEOUT_MS);
  });

  describe("image_publish", () => {
    it("snapshots the builder into an active Glance image, and does nothing the second time", async () => {
      const name = PUBLISHED_IMAGE;
      const args = ["--tags", "publish", "--limit", builder.name, "-e", `golden_image_publish_name=${name} image_publish_poll_sec=2`];
      const first = await run("playbooks/golden-image.yml", [inventory, hostsVars], args);
      expect(first.status, first.output).toBe(0);
      const image = await openstackJson<{ status: string; disk_format: string }>(["image", "show", name]);
      expect(image.status).toBe("active");
      expect(await status(builder.name)).toBe("SHUTOFF");

      const second = await run("playbooks/golden-image.yml", [inventory, hostsVars], args);
      expect(second.status, second.output).toBe(0);
      expect(second.output).toMatch(new RegExp(`${builder.name}\\s*: ok=\\d+\\s+changed=0 `));
    }, PLAYBOOK_TIMEOUT_MS);
  });

  describe("rolling_update (rebuild)", () => {
    const queueOsA = ["-e", '{"rolling_update_queue_sites": ["os-a"]}'];
    const common = () => [
      ...queueOsA,
      ...localChecks(),
      "-e",
      "rolling_update_method=rebuild rolling_update_drain_sec=0 rolling_update_wait_for_cloud_init=false octavia_member_wait_delay_sec=2 rolling_update_poll_sec=2",
    ];

    it("plans nothing for a volume-backed host already on the golden image (read from its boot volume)", async () => {
      await setAllOnline();
      const result = await run("playbooks/rolling-update.yml", [inventory, hostsVars], [...common(), "--limit", host1.name]);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toMatch(/TASK \[Rolling update \| Take the host out of its pools\][^\n]*\nskipping/);
      expect(result.output).toMatch(/TASK \[rolling_update : Rolling update \| Update the host\][^\n]*\nskipping/);
      expect((await member(host1)).weight).toBe(1);
    }, PLAYBOOK_TIMEOUT_MS);

    it("drains, re-images the boot volume through compute API 2.93, and restores a host on an older image", async () => {
      // Nova gives Cinder reimage_timeout_per_gb per started GiB of the image to re-image the volume: an empty
      // image would leave it no time at all.
      const disk = join(tempDir("estate-image-"), "disk.raw");
      writeFileSync(disk, Buffer.alloc(1024 * 1024));
      const next = await openstackJson<{ id: string }>(["image", "create", "--disk-format", "raw", "--container-format", "bare", "--file", disk, NEXT_IMAGE]);
      await setAllOnline();
      const result = await run("playbooks/rolling-update.yml", [inventory, hostsVars], [...common(), "--limit", host1.name, "-e", `rolling_update_image=${NEXT_IMAGE}`]);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toMatch(/TASK \[octavia_member : Drain \| Set the member's admin state down\][^\n]*\nchanged/);
      expect(result.output).toMatch(/TASK \[rolling_update : Update \| Ask Nova to rebuild the server and re-image its boot volume\][^\n]*\nchanged/);
      expect(await bootVolumeImageId(host1)).toBe(next.id);
      expect(await status(host1.name)).toBe("ACTIVE");
      expect((await member(host1)).weight).toBe(1);
    }, PLAYBOOK_TIMEOUT_MS);

    it("stops at an unreachable host before draining the next one", async () => {
      await setAllOnline();
      const before = await bootVolumeImageId(host3);
      const result = await run("playbooks/rolling-update.yml", [inventory, hostsVars], [...common(), "--limit", `${host2.name},${host3.name}`, "-e", "rolling_update_force=true"]);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(new RegExp(`TASK \\[rolling_update : Reach \\| Reach the host and gather its facts\\][^\\n]*\\nfatal: \\[${host2.name}\\]: UNREACHABLE!`));
      const updatePlay = result.output.slice(result.output.indexOf("PLAY [Rolling update | Update one host at a time]"));
      expect(updatePlay).toContain(`[${host2.name}]`);
      expect(updatePlay).not.toContain(`[${host3.name}]`);
      expect((await member(host2)).weight).toBe(1);
      expect((await member(host3)).weight).toBe(1);
      expect(await bootVolumeImageId(host3)).toBe(before);
    }, PLAYBOOK_TIMEOUT_MS);
  });
});
