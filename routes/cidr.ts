/**
 * The CIDR arithmetic `estate routes` needs, on the `ip-num` library (IPv4 only: the site subnets and Neutron
 * extra routes of this toolkit are IPv4). Destinations are canonical `a.b.c.d/nn` strings everywhere else in
 * routes/; this module is the one place that turns them into ranges and back.
 */
import { IPv4, IPv4CidrRange, IPv4Mask, Pool, Validator } from "ip-num";

/** Link-local addresses (RFC 3927): never forwarded by a router. */
export const LINK_LOCAL_CIDR = "169.254.0.0/16";
/** The default route's destination. */
export const DEFAULT_DESTINATION = "0.0.0.0/0";

/** Why `value` is not an IPv4 address in dotted-quad form, or undefined when it is one. */
export function addressProblem(value: string): string | undefined {
  const [ok, why] = Validator.isValidIPv4String(value);
  return ok ? undefined : `"${value}" is not an IPv4 address (${why.join("; ")})`;
}

/**
 * A destination as routing tables print it, as a canonical CIDR: `default` is 0.0.0.0/0, a bare address is a
 * host route (/32), `mask` (route -n / netstat -rn Genmask) gives the prefix length.
 * @returns the CIDR, or the reason it is not one (host bits set, bad address, non-contiguous mask)
 */
export function toDestination(dst: string, mask?: string): { cidr: string } | { problem: string } {
  if (dst === "default") return { cidr: DEFAULT_DESTINATION };
  let cidr = dst.includes("/") ? dst : `${dst}/32`;
  if (mask !== undefined) {
    if (dst.includes("/")) return { problem: `destination "${dst}" already has a prefix length` };
    const maskWhy = addressProblem(mask);
    if (maskWhy) return { problem: `genmask ${maskWhy}` };
    let prefix: number;
    try {
      prefix = new IPv4Mask(mask).prefix;
    } catch {
      return { problem: `genmask ${mask} is not a contiguous netmask` };
    }
    cidr = `${dst}/${prefix}`;
  }
  const [notation, notationWhy] = Validator.isValidIPv4CidrNotation(cidr);
  if (!notation) return { problem: `"${cidr}" is not an IPv4 network a.b.c.d/nn (${notationWhy[0]})` };
  const [aligned] = Validator.isValidIPv4CidrRange(cidr);
  if (!aligned) {
    const range = toRange(cidr);
    return { problem: `"${cidr}" has host bits set (the network is ${range.getFirst().toString()}/${range.cidrPrefix.value})` };
  }
  return { cidr };
}

export function toRange(cidr: string): IPv4CidrRange {
  return IPv4CidrRange.fromCidr(cidr);
}

/** Whether `inner` lies inside `outer` (equal counts). */
export function cidrInside(inner: string, outer: string): boolean {
  return toRange(outer).contains(toRange(inner));
}

export function addressInside(address: string, cidr: string): boolean {
  return toRange(cidr).contains(IPv4.fromString(address));
}

export function prefixLength(cidr: string): number {
  return Number(cidr.slice(cidr.indexOf("/") + 1));
}

/**
 * The other half of the CIDR's parent, and that parent: `10.0.1.0/24` → `10.0.0.0/24`, `10.0.0.0/23`.
 * @returns undefined for 0.0.0.0/0, which has no parent
 */
export function siblingAndParent(cidr: string): { sibling: string; parent: string } | undefined {
  const range = toRange(cidr);
  if (range.cidrPrefix.value === 0n) return undefined;
  const neighbour = range.hasNextRange() ? range.nextRange() : undefined;
  const before = range.hasPreviousRange() ? range.previousRange() : undefined;
  // Exactly one of the two neighbours is the sibling: the one the range merges with into a CIDR.
  if (neighbour && range.isCidrMergeable(neighbour)) return { sibling: neighbour.toCidrString(), parent: range.merge(neighbour).toCidrString() };
  if (before && before.isCidrMergeable(range)) return { sibling: before.toCidrString(), parent: before.merge(range).toCidrString() };
  return undefined;
}

/**
 * The addresses covered by a set of CIDRs as sorted, non-overlapping, non-adjacent ranges (`first-last`):
 * two sets of CIDRs cover the same addresses exactly when these lists are equal.
 */
export function coveredRanges(cidrs: Iterable<string>): string[] {
  const ranges = [...cidrs].map(toRange);
  if (ranges.length === 0) return [];
  return Pool.fromCidrRanges(ranges)
    .aggregate()
    .getRanges()
    .map((r) => r.toRangeString());
}
