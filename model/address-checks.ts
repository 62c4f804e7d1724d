/**
 * Addresses the cloud will never hand out, or hands to someone else: every fixed address the file names (route next
 * hops, DNS servers on the site subnet, public VIPs) against the address plan and the networks it lies in.
 *
 * Neutron rules encoded here (neutron/db/extraroute_db.py, `_validate_routes_nexthop`; ipam allocation):
 * - a router route's next hop must be on a subnet of the router, and must not be one of the router's own
 *   addresses (the subnet gateway);
 * - Neutron does not reserve a next hop: an address of the allocation pool named as a next hop is still given to
 *   the next port that asks (seen on a real Neutron: a new port took the next hop of an existing route);
 * - the network and broadcast addresses of a subnet are never assigned to a port, so a VIP or next hop there is
 *   never reachable.
 * A route whose destination equals or lies inside the site subnet would shadow the connected route of the subnet;
 * a covering supernet (10.0.0.0/8 around a 10.10.0.0/20 site) is normal and accepted.
 */
import { builderIp, dhcpPool, gatewayIp, lbVipAddress, routerOffset, siteAddress } from "./address-plan";
import type { ConfigProblem } from "./errors";
import { cidrContains, intToIp, ipToInt, isValidCidr, isValidIpv4, parseCidr, type Cidr } from "./ipam";
import type { EnvironmentFile } from "./schema";

type Path = (string | number)[];
type Add = (path: Path, message: string) => void;

export function checkFixedAddresses(env: EnvironmentFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add: Add = (path, message) => problems.push({ path, message });
  env.sites.openstack.forEach((site, si) => {
    const base: Path = ["sites", "openstack", si];
    if (!isValidCidr(site.subnetCidr)) return;
    const subnet = parseCidr(site.subnetCidr);
    const used = usedAddresses(env, site.subnetCidr);
    site.routes.forEach((route, ri) => {
      if (isValidIpv4(route.nextHop) && cidrContains(subnet, ipToInt(route.nextHop))) {
        const why = used(ipToInt(route.nextHop));
        if (why) add([...base, "routes", ri, "nextHop"], `next hop ${route.nextHop} is ${why}; a next hop must be an address nothing else on ${site.subnetCidr} uses: write ${suggestNextHop(env, site.subnetCidr)} (the address the plan keeps out of the allocation pool for a router)`);
      }
      if (isValidCidr(route.destination)) {
        const dest = parseCidr(route.destination);
        if (dest.base === subnet.base && dest.prefix === subnet.prefix) {
          add([...base, "routes", ri, "destination"], `route destination ${route.destination} is the site subnet itself, which the router already reaches directly; route the networks beyond it (e.g. a covering supernet such as ${supernetExample(subnet)}) or remove the route`);
        } else if (dest.prefix > subnet.prefix && cidrContains(subnet, dest.base)) {
          add([...base, "routes", ri, "destination"], `route destination ${route.destination} lies inside the site subnet ${site.subnetCidr}: its addresses are on the subnet and a route would send their traffic away from it; remove the route, or route a network outside ${site.subnetCidr}`);
        }
      }
    });
    site.dnsServers.forEach((server, di) => {
      if (!isValidIpv4(server) || !cidrContains(subnet, ipToInt(server))) return;
      const edge = edgeAddress(subnet, ipToInt(server));
      if (edge) add([...base, "dnsServers", di], `DNS server ${server} is the ${edge} address of the site subnet ${site.subnetCidr}, which no host can hold; write the address of the name server`);
    });
    if (isValidCidr(site.externalNetwork.cidr)) {
      const external = parseCidr(site.externalNetwork.cidr);
      for (const [service, vip] of Object.entries(site.vips)) {
        if (!isValidIpv4(vip) || !cidrContains(external, ipToInt(vip))) continue;
        const edge = edgeAddress(external, ipToInt(vip));
        const range = `pick an address from ${intToIp(external.base + 2)} to ${intToIp(external.base + external.size - 2)}`;
        if (edge) add([...base, "vips", service], `VIP ${vip} is the ${edge} address of the external network ${site.externalNetwork.cidr}, which Neutron never assigns to a floating IP; ${range}`);
        // Neutron gives a subnet the first address as its gateway unless told otherwise: the provider router's port.
        else if (ipToInt(vip) === external.base + 1) add([...base, "vips", service], `VIP ${vip} is the gateway address of the external network ${site.externalNetwork.cidr} (Neutron's default gateway_ip, the upstream router), never a floating IP; ${range}`);
      }
    }
  });
  return problems;
}

/**
 * What uses an address of a site subnet, in words, or undefined when it is free: the subnet's network and broadcast
 * addresses, the gateway, the builder, every load-balancer VIP, every service's address block, the allocation pool.
 */
function usedAddresses(env: EnvironmentFile, subnetCidr: string): (ip: number) => string | undefined {
  const subnet = parseCidr(subnetCidr);
  const blockSize = env.ipam.blockSize;
  const fixed = new Map<number, string>([
    [ipToInt(gatewayIp(subnetCidr)), "the subnet's gateway (the router's own address on it)"],
    [ipToInt(builderIp(subnetCidr)), "the image builder's address"],
  ]);
  for (const svc of env.services) fixed.set(ipToInt(lbVipAddress(subnetCidr, svc.ipBlock)), `the load-balancer VIP of service "${svc.name}"`);
  const pool = dhcpPool(subnetCidr, blockSize);
  const [poolStart, poolEnd] = [ipToInt(pool.start), ipToInt(pool.end)];
  return (ip) => {
    const edge = edgeAddress(subnet, ip);
    if (edge) return `the ${edge} address of ${subnetCidr}, which no port can hold`;
    const owner = fixed.get(ip);
    if (owner) return owner;
    if (ip >= poolStart && ip <= poolEnd) return `in the allocation pool ${pool.start}-${pool.end}, so Neutron can give it to a new port (DHCP, an amphora, a server)`;
    const block = Math.floor((ip - subnet.base) / blockSize);
    const svc = env.services.find((s) => s.ipBlock === block);
    if (svc) return `in address block ${block} of service "${svc.name}" (${siteAddress(subnetCidr, blockSize, block, 0)}/${32 - Math.log2(blockSize)}), whose hosts take its addresses as the fleet grows`;
    return undefined;
  };
}

function edgeAddress(cidr: Cidr, ip: number): "network" | "broadcast" | undefined {
  if (cidr.prefix >= 31) return undefined;
  if (ip === cidr.base) return "network";
  if (ip === cidr.base + cidr.size - 1) return "broadcast";
  return undefined;
}

/** The address the plan keeps for a router, when nothing else holds it. */
function suggestNextHop(env: EnvironmentFile, subnetCidr: string): string {
  return siteAddress(subnetCidr, env.ipam.blockSize, 0, routerOffset(env.ipam.blockSize));
}

function supernetExample(subnet: Cidr): string {
  const prefix = Math.max(0, Math.min(8, subnet.prefix - 1));
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `${intToIp((subnet.base & mask) >>> 0)}/${prefix}`;
}
