/**
 * The local OpenStack control plane of test/system/openstack/setup.sh, as tests see it: its clouds.yaml, the
 * openstack CLI against it, ansible-playbook with it, and the one database write that stands in for amphora
 * health reports.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** Where setup.sh writes clouds.yaml (its STATE_DIR); ESTATE_OPENSTACK_CLOUDS points elsewhere. */
export const CLOUDS_YAML = process.env.ESTATE_OPENSTACK_CLOUDS ?? "/var/lib/estate-openstack/clouds.yaml";
/** The fixture estate whose clouds (local-os-a|b|c) the control plane serves, and what setup.sh creates for it. */
export const LOCAL_ESTATE = resolve("test/fixtures/openstack-local/local.yaml");
export const ADMIN_CLOUD = "local-os-a";
export const MEMBER_CLOUD = "local-member";
/** Debian's openstack CLI (python3-openstackclient 6.0.0 with python3-octaviaclient 3.1.0). */
const OPENSTACK = "/usr/bin/openstack";
const ANSIBLE_DIR = resolve("ansible");
const CLI_TIMEOUT_MS = 300_000;

const cliEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, OS_CLIENT_CONFIG_FILE: CLOUDS_YAML };
  for (const key of Object.keys(env)) if (key.startsWith("OS_") && key !== "OS_CLIENT_CONFIG_FILE") delete env[key];
  return env;
};

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The openstack CLI kept running (test/support/openstack-client.py): each call runs the function /usr/bin/openstack
 * runs, in one of at most two long-lived Debian python3 processes per test worker, so a test pays Python's start-up
 * and the import of every client plugin once instead of on every call (about 1.3 s of CPU per call, which made a
 * suite of a few hundred calls take tens of minutes on 2 busy cores). Same commands, options, API calls and
 * messages as the CLI; calls beyond two at a time wait for a free process.
 */
const CLIENT_SCRIPT = join(__dirname, "openstack-client.py");
const MAX_CLIENTS = 2;

interface Client {
  readonly child: ChildProcessWithoutNullStreams;
  busy: boolean;
  buffer: string;
  answer?: (line: string) => void;
}

const clients: Client[] = [];
const waiting: (() => void)[] = [];

function startClient(): Client {
  const child = spawn("/usr/bin/python3", [CLIENT_SCRIPT], { stdio: ["pipe", "pipe", "pipe"], env: cliEnv() });
  const client: Client = { child, busy: false, buffer: "" };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    client.buffer += chunk;
    let nl: number;
    while ((nl = client.buffer.indexOf("\n")) >= 0) {
      const line = client.buffer.slice(0, nl);
      client.buffer = client.buffer.slice(nl + 1);
      const answer = client.answer;
      client.answer = undefined;
      answer?.(line);
    }
  });
  child.stderr.resume();
  child.on("exit", () => {
    clients.splice(clients.indexOf(client), 1);
    client.answer?.(JSON.stringify({ status: -1, stdout: "", stderr: "the openstack client process ended" }));
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  clients.push(client);
  return client;
}

async function acquireClient(): Promise<Client> {
  for (;;) {
    const free = clients.find((c) => !c.busy) ?? (clients.length < MAX_CLIENTS ? startClient() : undefined);
    if (free) {
      free.busy = true;
      return free;
    }
    await new Promise<void>((wake) => waiting.push(wake));
  }
}

function releaseClient(client: Client): void {
  client.busy = false;
  waiting.shift()?.();
}

process.on("exit", () => {
  for (const c of clients) c.child.kill();
});

/**
 * Runs the openstack CLI as `cloud`; never rejects. `cloudsYaml` names another clouds.yaml than the control plane's
 * own. A call that takes longer than 300 s ends its process and answers status -1.
 */
export async function openstackRaw(args: readonly string[], cloud = ADMIN_CLOUD, cloudsYaml = CLOUDS_YAML): Promise<CliResult> {
  const client = await acquireClient();
  try {
    const line = await new Promise<string>((answer) => {
      const timer = setTimeout(() => client.child.kill(), CLI_TIMEOUT_MS);
      client.answer = (l) => {
        clearTimeout(timer);
        answer(l);
      };
      client.child.stdin.write(`${JSON.stringify({ argv: [`--os-cloud=${cloud}`, ...args], env: { OS_CLIENT_CONFIG_FILE: cloudsYaml } })}\n`);
    });
    return JSON.parse(line) as CliResult;
  } finally {
    releaseClient(client);
  }
}

/** Runs the openstack CLI as `cloud` and returns its output; rejects with the CLI's own message on failure. */
export async function openstack(args: readonly string[], cloud = ADMIN_CLOUD, cloudsYaml = CLOUDS_YAML): Promise<string> {
  const r = await openstackRaw(args, cloud, cloudsYaml);
  if (r.status !== 0) throw new Error(`openstack ${args.join(" ")} (as ${cloud}) exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `openstack ... -f json`, parsed. */
export async function openstackJson<T = Record<string, unknown>>(args: readonly string[], cloud = ADMIN_CLOUD, cloudsYaml = CLOUDS_YAML): Promise<T> {
  return JSON.parse(await openstack([...args, "-f", "json"], cloud, cloudsYaml)) as T;
}

/**
 * Why the OpenStack tests cannot run here, or undefined when they can: the control plane answers a token request
 * through clouds.yaml.
 */
export function openstackUnavailable(): string | undefined {
  if (process.platform !== "linux" || !existsSync(OPENSTACK)) return `${OPENSTACK} is not installed`;
  if (!existsSync(CLOUDS_YAML)) return `no ${CLOUDS_YAML}`;
  const r = spawnSync(OPENSTACK, [`--os-cloud=${ADMIN_CLOUD}`, "token", "issue", "-f", "value", "-c", "expires"], { encoding: "utf8", env: cliEnv(), timeout: 120_000 });
  if (r.status !== 0) return `openstack token issue failed: ${(r.stderr ?? String(r.error)).trim().split("\n").pop()}`;
  return undefined;
}

/**
 * Whether a missing control plane fails the OpenStack tests instead of skipping them: .ci/run sets
 * ESTATE_OPENSTACK_REQUIRED=1 after starting it, so a broken install shows up red, not as skipped tests.
 */
export const openstackRequired = (): boolean => process.env.ESTATE_OPENSTACK_REQUIRED === "1";

/** The line a skipped OpenStack describe block carries, so a skip says what to run. */
export const HOW_TO_START = "start it with: sudo bash test/system/openstack/setup.sh";

/** Where and with what environment ansible-playbook runs: ansible/ (its ansible.cfg), the clouds of clouds.yaml. */
export function ansiblePlaybookEnv(): { cwd: string; env: NodeJS.ProcessEnv } {
  return {
    cwd: ANSIBLE_DIR,
    env: { ...cliEnv(), ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0", TERM: "dumb" },
  };
}

/**
 * Writes a member's operating_status into Octavia's database. With the noop amphora driver no amphora sends
 * health reports, so members of a monitored pool stay OFFLINE; a real amphora's health checks report ONLINE,
 * ERROR (monitor failing) or NO_MONITOR (pool without a health monitor) through the health manager, which writes
 * this same column. Needs root (MariaDB's unix-socket login), as setup.sh does.
 */
export function setMemberOperatingStatus(memberIds: readonly string[], status: "ONLINE" | "OFFLINE" | "ERROR" | "NO_MONITOR"): void {
  for (const id of memberIds) if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a member id: ${id}`);
  const ids = memberIds.map((id) => `'${id}'`).join(",");
  const r = spawnSync("mariadb", ["octavia", "-e", `UPDATE member SET operating_status='${status}' WHERE id IN (${ids})`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`setting members ${ids} ${status} failed: ${r.stderr}`);
}
