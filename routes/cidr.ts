/**
 * The CIDR arithmetic `estate routes` needs, on the `ip-num` library (IPv4 only: the site subnets and Neutron
 * extra routes of this toolkit are IPv4). Destinations are canonical `a.b.c.d/nn` strings everywhere else in
 * routes/; this module is the one place that turns them into ranges and back.
 */
import { IPv4CidrRange, IPv4Mask, IPv4Prefix, Pool, Validator } from "ip-num";

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
 * @returns the CIDR, or the reason it is not one, a sentence naming the destination or genmask (host bits set, bad
 *   address, non-contiguous mask)
 */
export function toDestination(dst: string, mask?: string): { cidr: string } | { problem: string } {
  if (dst === "default") return { cidr: DEFAULT_DESTINATION };
  let cidr = dst.includes("/") ? dst : `${dst}/32`;
  if (mask !== undefined) {
    if (dst.includes("/")) return { problem: `destination "${dst}" already has a prefix length` };
    const maskWhy = addressProblem(mask);
    if (maskWhy) return { problem: `genmask ${maskWhy}` };
    const prefix = maskPrefix(mask);
    if (prefix === undefined) return { problem: `genmask ${mask} is not a contiguous netmask` };
    cidr = `${dst}/${prefix}`;
  }
  const [notation, notationWhy] = Validator.isValidIPv4CidrNotation(cidr);
  if (!notation) return { problem: `destination "${cidr}" is not an IPv4 network a.b.c.d/nn (${notationWhy[0]})` };
  const [aligned] = Validator.isValidIPv4CidrRange(cidr);
  if (!aligned) {
    const range = toRange(cidr);
    return { problem: `destination "${cidr}" has host bits set (the network is ${range.getFirst().toString()}/${range.cidrPrefix.value})` };
  }
  return { cidr };
}

const masks = new Map<string, number | undefined>();

/** The prefix length of a dotted netmask (255.255.240.0 → 20), or undefined when its ones are not contiguous. */
function maskPrefix(mask: string): number | undefined {
  if (!masks.has(mask)) {
    try {
      masks.set(mask, new IPv4Mask(mask).prefix);
    } catch {
      masks.set(mask, undefined);
    }
  }
  return masks.get(mask);
}

/** Ranges are immutable: each CIDR is parsed once (an estate repeats a few thousand destinations). */
const ranges = new Map<string, IPv4CidrRange>();

export function toRange(cidr: string): IPv4CidrRange {
  let range = ranges.get(cidr);
  if (!range) ranges.set(cidr, (range = IPv4CidrRange.fromCidr(cidr)));
  return range;
}

/** The first address of a CIDR as a number, to sort by. */
export function firstAddress(cidr: string): bigint {
  return bounds(cidr)[0];
}

const boundsByCidr = new Map<string, readonly [bigint, bigint]>();

/** First and last address of a CIDR as numbers (the library's `contains` works on bit strings: too slow for 10⁵ calls). */
function bounds(cidr: string): readonly [bigint, bigint] {
  let b = boundsByCidr.get(cidr);
  if (!b) {
    const range = toRange(cidr);
    boundsByCidr.set(cidr, (b = [range.getFirst().value, range.getLast().value]));
  }
  return b;
}

/** Whether `inner` lies inside `outer` (equal counts). */
export function cidrInside(inner: string, outer: string): boolean {
  const [innerFirst, innerLast] = bounds(inner);
  const [outerFirst, outerLast] = bounds(outer);
  return outerFirst <= innerFirst && innerLast <= outerLast;
}

export function addressInside(address: string, cidr: string): boolean {
  return cidrInside(`${address}/32`, cidr);
}

/** The network of the given prefix length that holds `cidr`'s addresses: (10.1.2.0/24, 16) → 10.1.0.0/16. */
export function supernet(cidr: string, length: number): string {
  const network = new IPv4CidrRange(toRange(cidr).getFirst(), IPv4Prefix.fromNumber(BigInt(length))).getFirst();
  return `${network.toString()}/${length}`;
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
