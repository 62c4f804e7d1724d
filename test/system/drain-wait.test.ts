/**
 * The drain gate (ansible/roles/rolling_update/tasks/drain.yml and its connection_drain module) run for real:
 * `ansible-playbook playbooks/rollout-gate.yml -e rollout_gate_phase=drain`, the command the rollout's step loop
 * runs, from the synthesized inventory of an estate whose web service listens on two backend ports of this
 * machine. The host is this machine (ansible_connection=local): the ports are real listening sockets of the test
 * process and the connections real TCP connections to them, which `ss` on the "host" counts.
 *
 * Timing is measured from the task banner that ansible-playbook prints when the drain task starts (the module
 * reports its own elapsed_sec too), so Ansible's start-up does not blur it.
 */
import { spawn } from "node:child_process";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { loadEnvironment } from "../../model";
import { renderInventory } from "../../render";
import { hasCommand, scratchDirs } from "../support/tools";

const ANSIBLE_DIR = resolve("ansible");
const HOST = "dev-os-a-web-001";
/** ansible-playbook is killed after this; a test may take a little longer. */
const PLAYBOOK_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const DRAIN_TASK = "TASK [rolling_update : Drain | Wait until no connection is open to the backend ports]";
const missingTool = ["ansible-playbook", "ss"].find((cmd) => !hasCommand(cmd));
const title = `drain gate on a host with real connections${missingTool ? ` (skipped: ${missingTool} is not installed; apt-get install ansible iproute2)` : ""}`;

const tempDir = scratchDirs();

interface Run {
  status: number | null;
  output: string;
  /** Milliseconds from the drain task's banner to the end of ansible-playbook. */
  drainMs: number;
  /** The drain task's result as the module returned it (ansible-playbook -v prints it). */
  result: { drained: boolean; connections: number; elapsed_sec: number; samples: number; peers: string[] } | undefined;
}

/** Runs the rollout gate's drain phase; `onDrainStart` runs when the drain task's banner appears. */
function drainGate(inventories: readonly string[], extraVars: string, onDrainStart?: () => void): Promise<Run> {
  return runPlaybook("playbooks/rollout-gate.yml", inventories, `rollout_gate_phase=drain ${extraVars}`, onDrainStart);
}

/** Runs `playbook` (path from ansible/) for HOST with `-v`, so the drain task's result is printed as JSON. */
function runPlaybook(playbook: string, inventories: readonly string[], extraVars: string, onDrainStart: () => void = () => undefined): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      "ansible-playbook",
      [...inventories.flatMap((i) => ["-i", i]), playbook, "--limit", HOST, "-v", "-e", extraVars],
      { cwd: ANSIBLE_DIR, env: { ...process.env, ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0", TERM: "dumb" } },
    );
    let output = "";
    let drainStart: number | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), PLAYBOOK_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (drainStart === undefined && output.includes(DRAIN_TASK)) {
        drainStart = Date.now();
        onDrainStart();
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      const line = output
        .split("\n")
        .find((l) => (l.startsWith(`ok: [${HOST}] => {`) || l.startsWith(`fatal: [${HOST}]: FAILED! => {`)) && l.includes('"samples":'));
      const result = line ? JSON.parse(line.slice(line.indexOf("{"))) : undefined;
      resolvePromise({ status, output, drainMs: drainStart === undefined ? NaN : Date.now() - drainStart, result });
    });
  });
}

/** A listening socket on 127.0.0.1 that keeps every connection it accepts until closed. */
async function listen(): Promise<{ server: Server; port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    socket.on("error", () => undefined);
    accepted.push(socket);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

/** Opens a client connection and resolves once it is established. */
function open(port: number): Promise<Socket> {
  return new Promise((r, reject) => {
    const socket = connect(port, "127.0.0.1", () => r(socket));
    socket.on("error", reject);
  });
}

describe.skipIf(missingTool !== undefined)(title, () => {
  let inventories: string[];
  let web: Awaited<ReturnType<typeof listen>>;
  let admin: Awaited<ReturnType<typeof listen>>;
  const clients: Socket[] = [];

  beforeAll(async () => {
    web = await listen();
    admin = await listen();
    // The web service's two listeners forward to the two ports held here; the health check uses the first.
    const env = parse(readFileSync("environments/dev.yaml", "utf8"));
    const service = env.services.find((s: { name: string }) => s.name === "web");
    service.listeners = [
      { protocol: "HTTP", port: 80, backendPort: web.port },
      { protocol: "TCP", port: 8443, backendPort: admin.port },
    ];
    service.healthCheck = { protocol: "HTTP", path: "/healthz", port: web.port };
    const dir = tempDir("estate-drain-");
    writeFileSync(join(dir, "env.yaml"), stringify(env));
    const inventory = join(dir, "inventory.yml");
    writeFileSync(inventory, renderInventory(loadEnvironment(join(dir, "env.yaml"))));
    const hostVars = join(dir, "hosts.yml");
    writeFileSync(hostVars, `all:\n  hosts:\n    ${HOST}: {ansible_connection: local, ansible_python_interpreter: /usr/bin/python3}\n`);
    inventories = [inventory, hostVars];
  });

  afterEach(() => {
    for (const socket of [...clients.splice(0), ...web.accepted.splice(0), ...admin.accepted.splice(0)]) socket.destroy();
  });

  afterAll(async () => {
    for (const { server } of [web, admin]) if (server) await new Promise((r) => server.close(r));
  });

  it("reads the backend ports from the synthesized inventory", () => {
    const rendered = parse(readFileSync(inventories[0], "utf8"));
    expect(rendered.all.children.service_web.vars.estate_listeners).toEqual([
      { protocol: "HTTP", port: 80, backend_port: web.port },
      { protocol: "TCP", port: 8443, backend_port: admin.port },
    ]);
  });

  it("returns at once when no connection is open", async () => {
    const run = await drainGate(inventories, "rollout_gate_drain_sec=30");
    expect(run.status, run.output).toBe(0);
    expect(run.result).toMatchObject({ drained: true, connections: 0, peers: [] });
    // Two samples one poll interval (1 s) apart.
    expect(run.result!.elapsed_sec).toBeLessThan(3);
    expect(run.drainMs).toBeLessThan(5_000);
    expect(run.output).not.toContain("[WARNING]");
  }, TEST_TIMEOUT_MS);

  it("is not held by health probes: short connections, one always open, never count", async () => {
    // Worse than any health monitor: a new 300 ms connection every 150 ms, so a connection is open at every
    // instant, each one for less than the 1 s between two samples.
    const prober = setInterval(() => {
      open(web.port)
        .then((socket) => setTimeout(() => socket.destroy(), 300))
        .catch(() => undefined);
    }, 150);
    try {
      const run = await drainGate(inventories, "rollout_gate_drain_sec=30");
      expect(run.status, run.output).toBe(0);
      expect(run.result).toMatchObject({ drained: true, connections: 0 });
      expect(run.result!.elapsed_sec).toBeLessThan(5);
    } finally {
      clearInterval(prober);
    }
  }, TEST_TIMEOUT_MS);

  it("waits for a connection held open 3 s, then returns once it closed", async () => {
    const HOLD_MS = 3_000;
    clients.push(await open(admin.port));
    let closedAfterMs = NaN;
    const run = await drainGate(inventories, "rollout_gate_drain_sec=30", () => {
      const start = Date.now();
      setTimeout(() => {
        for (const socket of clients) socket.destroy();
        closedAfterMs = Date.now() - start;
      }, HOLD_MS);
    });
    expect(run.status, run.output).toBe(0);
    expect(closedAfterMs).toBeGreaterThanOrEqual(HOLD_MS);
    expect(run.result).toMatchObject({ drained: true, connections: 0 });
    // It outlasted the connection, and ended within a few poll intervals of its close, far from the 30 s bound.
    expect(run.drainMs).toBeGreaterThanOrEqual(HOLD_MS);
    expect(run.result!.elapsed_sec).toBeGreaterThanOrEqual(2);
    expect(run.result!.elapsed_sec).toBeLessThan(8);
    expect(run.output).not.toContain("[WARNING]");
  }, TEST_TIMEOUT_MS);

  it("goes on at the bound with a warning naming the connections still open", async () => {
    const held = [await open(web.port), await open(admin.port)];
    clients.push(...held);
    const run = await drainGate(inventories, "rollout_gate_drain_sec=4");
    expect(run.status, run.output).toBe(0);
    const output = run.output.replace(/\s+/g, " ");
    expect(output).toContain(
      `[WARNING]: ${HOST} still has 2 connection(s) open to port(s) ${[web.port, admin.port].sort((a, b) => a - b).join(", ")} after the drain bound of 4 s`,
    );
    expect(output).toContain("; going on");
    for (const socket of held) expect(run.result!.peers).toContain(`127.0.0.1:${socket.localPort}`);
    expect(run.result).toMatchObject({ drained: false, connections: 2 });
    expect(run.result!.elapsed_sec).toBeGreaterThanOrEqual(4);
    expect(run.result!.elapsed_sec).toBeLessThan(6);
  }, TEST_TIMEOUT_MS);

  it("fails the gate at the bound when rollout_gate_drain_strict is true", async () => {
    clients.push(await open(web.port));
    const run = await drainGate(inventories, "rollout_gate_drain_sec=3 rollout_gate_drain_strict=true");
    expect(run.status).not.toBe(0);
    const output = run.output.replace(/\s+/g, " ");
    expect(output).toContain(`fatal: [${HOST}]: FAILED!`);
    expect(output).toContain(`"msg": "${HOST} still has 1 connection(s) open to port(s)`);
    expect(output).toContain("after the drain bound of 3 s");
    expect(output).not.toContain("going on");
  }, TEST_TIMEOUT_MS);

  it("skips the wait with a bound of 0", async () => {
    clients.push(await open(web.port));
    const run = await drainGate(inventories, "rollout_gate_drain_sec=0");
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/TASK \[rolling_update : Drain \| Wait until no connection is open to the backend ports\][^\n]*\nskipping/);
  }, TEST_TIMEOUT_MS);

  it("reads the rolling update's own bound and strict flag (rolling-update.yml imports the same task file)", async () => {
    clients.push(await open(admin.port));
    const play = join(tempDir("estate-drain-play-"), "drain.yml");
    writeFileSync(
      play,
      "- name: Drain\n  hosts: all\n  gather_facts: false\n  tasks:\n" +
        "    - name: Drain | Rolling update's drain wait\n      ansible.builtin.include_role:\n        name: rolling_update\n        tasks_from: drain.yml\n",
    );
    const run = await runPlaybook(play, inventories, "rolling_update_drain_sec=2 rolling_update_drain_strict=true");
    expect(run.status).not.toBe(0);
    expect(run.result).toMatchObject({ drained: false, connections: 1 });
    expect(run.output.replace(/\s+/g, " ")).toContain(`${HOST} still has 1 connection(s) open to port(s) ${[web.port, admin.port].sort((a, b) => a - b).join(", ")} after the drain bound of 2 s`);
  }, TEST_TIMEOUT_MS);

  it("refuses drain settings it cannot use before the rolling update drains anything", async () => {
    const play = join(tempDir("estate-drain-role-"), "update.yml");
    writeFileSync(play, "- name: Update\n  hosts: all\n  gather_facts: false\n  roles:\n    - role: rolling_update\n");
    const run = await runPlaybook(play, inventories, "rolling_update_drain_poll_sec=0");
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/TASK \[rolling_update : Precheck \| Assert the drain settings\][^\n]*\nfatal/);
    expect(run.output.replace(/\s+/g, " ")).toContain("rolling_update_drain_poll_sec above 0 (got 0)");
    expect(run.output).not.toContain("Take the host out of its pools");
  }, TEST_TIMEOUT_MS);
});
