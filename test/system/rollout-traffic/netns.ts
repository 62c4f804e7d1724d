/**
 * The traffic proof's network: one namespace for the load balancer (HAProxy and the client process) and one per
 * host, each host linked to the load balancer by a veth pair on its own /24 of 10.250.0.0/16: `lb<i>` =
 * 10.250.<i>.1 in the load balancer's namespace, `eth0` = 10.250.<i>.2 in host i's. Nothing is added to the
 * machine's own namespace, so runs side by side do not meet; namespace names carry a prefix and the process id.
 */
import { runChecked } from "./processes";

export interface Network {
  /** The load balancer's namespace. */
  readonly lb: string;
  /** Per host, in order: its namespace and its address. */
  readonly hosts: readonly { readonly netns: string; readonly address: string }[];
}

/** Namespace names of this process's run: `<prefix><pid>-lb`, `<prefix><pid>-h<i>`. */
export function networkNames(prefix: string, hostCount: number): { lb: string; hosts: string[] } {
  const base = `${prefix}${process.pid}`;
  return { lb: `${base}-lb`, hosts: Array.from({ length: hostCount }, (_, i) => `${base}-h${i + 1}`) };
}

/** Create the namespaces and links (iproute2); on failure, removes what it made and throws. */
export async function createNetwork(prefix: string, hostCount: number): Promise<Network> {
  const names = networkNames(prefix, hostCount);
  const made: string[] = [];
  try {
    for (const netns of [names.lb, ...names.hosts]) {
      await runChecked("ip", ["netns", "add", netns]);
      made.push(netns);
      await runChecked("ip", ["-n", netns, "link", "set", "lo", "up"]);
    }
    const hosts = [];
    for (const [i, netns] of names.hosts.entries()) {
      const subnet = `10.250.${i + 1}`;
      const lbSide = `lb${i + 1}`;
      await runChecked("ip", ["link", "add", lbSide, "netns", names.lb, "type", "veth", "peer", "name", "eth0", "netns", netns]);
      await runChecked("ip", ["-n", names.lb, "addr", "add", `${subnet}.1/24`, "dev", lbSide]);
      await runChecked("ip", ["-n", names.lb, "link", "set", lbSide, "up"]);
      await runChecked("ip", ["-n", netns, "addr", "add", `${subnet}.2/24`, "dev", "eth0"]);
      await runChecked("ip", ["-n", netns, "link", "set", "eth0", "up"]);
      hosts.push({ netns, address: `${subnet}.2` });
    }
    return { lb: names.lb, hosts };
  } catch (e) {
    await removeNamespaces(made);
    throw e;
  }
}

/** Remove the namespaces (their veth pairs go with them); one that is already gone is no error. */
export async function removeNamespaces(names: readonly string[]): Promise<void> {
  for (const netns of names) await runChecked("ip", ["netns", "del", netns]).catch(() => undefined);
}

/**
 * The command line that runs `command` in `netns` at scheduling priority `niceness` (nice(1): -20..19, lower is
 * served first). `ip netns exec` and `nice` both exec the next program, so the process id is the command's own.
 */
export function inNetns(netns: string, niceness: number, command: string, args: readonly string[]): [string, string[]] {
  return ["ip", ["netns", "exec", netns, "nice", "-n", String(niceness), command, ...args]];
}
