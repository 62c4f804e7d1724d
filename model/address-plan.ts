/**
 * The address plan: where every fixed address of a site comes from. Both validation (does it fit?) and
 * resolution (which address?) use these functions, so the two can never disagree.
 *
 * A site subnet is cut into blocks of `blockSize` addresses. Block 0 belongs to the site itself (gateway,
 * builder, load-balancer VIPs, DHCP range, and its last usable address for a router that routes' next hops name);
 * block N belongs to the service whose `ipBlock` is N. Host n of a
 * service takes offset n inside its block, so adding hosts or services never moves an existing address.
 */
import { intToIp, parseCidr } from "./ipam";

export const GATEWAY_OFFSET = 1;
export const BUILDER_OFFSET = 5;
/** Load-balancer VIP of the service with ipBlock N sits at this offset + N inside block 0. */
export const LB_VIP_OFFSET = 16;
export const MIN_BLOCK_SIZE = 64;

/** Highest host ordinal a block holds: offsets 1 .. blockSize-2 (never the block's first or last address). */
export function blockCapacity(blockSize: number): number {
  return blockSize - 2;
}

/** Number of blocks that fit in a subnet. */
export function blocksIn(cidr: string, blockSize: number): number {
  return Math.floor(parseCidr(cidr).size / blockSize);
}

/** Largest ipBlock whose LB VIP still fits below the DHCP range in block 0. */
export function maxIpBlockForVip(blockSize: number): number {
  return blockSize / 2 - LB_VIP_OFFSET - 1;
}

/** Address of offset `offset` in block `block` of a subnet. */
export function siteAddress(subnetCidr: string, blockSize: number, block: number, offset: number): string {
  return blockAddresses(subnetCidr, blockSize, block)(offset);
}

/** Addresses of one block, by offset; parses the subnet once for a whole fleet. */
export function blockAddresses(subnetCidr: string, blockSize: number, block: number): (offset: number) => string {
  const start = parseCidr(subnetCidr).base + block * blockSize;
  return (offset) => intToIp(start + offset);
}

export function gatewayIp(subnetCidr: string): string {
  return intToIp(parseCidr(subnetCidr).base + GATEWAY_OFFSET);
}

export function builderIp(subnetCidr: string): string {
  return intToIp(parseCidr(subnetCidr).base + BUILDER_OFFSET);
}

export function lbVipAddress(subnetCidr: string, ipBlock: number): string {
  return intToIp(parseCidr(subnetCidr).base + LB_VIP_OFFSET + ipBlock);
}

/**
 * The subnet's allocation pool (Neutron hands these addresses to DHCP, amphora and any other new port): the upper
 * half of block 0, minus its last usable address, which stays free for a next-hop router (`.254` in a block of
 * 256). A route's next hop inside the pool could be given to a new port: Neutron does not reserve next hops.
 */
export function dhcpPool(subnetCidr: string, blockSize: number): { start: string; end: string } {
  const base = parseCidr(subnetCidr).base;
  return { start: intToIp(base + blockSize / 2), end: intToIp(routerOffset(blockSize) + base - 1) };
}

/** Offset in block 0 kept out of the allocation pool for a next-hop router: the block's last usable address. */
export function routerOffset(blockSize: number): number {
  return blockSize - 2;
}

/** The DHCP range as a CIDR: Octavia amphorae take their member-facing ports from it. */
export function dhcpCidr(subnetCidr: string, blockSize: number): string {
  const half = blockSize / 2;
  return `${intToIp(parseCidr(subnetCidr).base + half)}/${32 - Math.log2(half)}`;
}

/**
 * Index (0-based) of the availability zone host `index` (1-based) of a fleet goes to: round-robin over the site's
 * zones in file order, so growth never moves a host.
 */
export function zoneIndexOf(index: number, zoneCount: number): number {
  return (index - 1) % zoneCount;
}
