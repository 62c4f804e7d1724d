/**
 * The CIDR arithmetic `estate routes` needs (IPv4 only: the site subnets and Neutron extra routes of this toolkit
 * are IPv4). Destinations are canonical `a.b.c.d/nn` strings everywhere else in routes/; this module is the one
 * place that turns them into ranges and back. Parsing and validation (addresses, prefix lengths, host bits,
 * netmasks) and supernets use the `ip-num` library (and the tests check results with its address-set aggregation); containment and sibling/parent steps, which run
 * for every distinct route, use the model's integer form of an already validated CIDR (model/ipam.ts).
 */
import { IPv4CidrRange, IPv4Mask, IPv4Prefix, Validator } from "ip-num";
import { WORLD_IPV4_CIDR } from "../model/cidr-set";
import { intToIp, parseCidr } from "../model/ipam";

/** Link-local addresses (RFC 3927): never forwarded by a router. */
export const LINK_LOCAL_CIDR = "169.254.0.0/16";

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
  if (dst === "default") return { cidr: WORLD_IPV4_CIDR };
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
export function firstAddress(cidr: string): number {
  return parseCidr(cidr).base;
}

/**
 * Whether `inner` lies inside `outer` (equal counts), on the model's integer form of a canonical CIDR: ip-num's
 * `contains` goes through bit strings, a tenth of a millisecond a call, and this runs for every distinct route.
 */
export function cidrInside(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  return b.base <= a.base && a.base + a.size <= b.base + b.size;
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
 * The other half of the CIDR's parent, and that parent: `10.0.1.0/24` → `10.0.0.0/24`, `10.0.0.0/23`. Integer
 * arithmetic on the model's form (the sibling differs in the last prefix bit only): ip-num's nextRange /
 * isCidrMergeable / merge go through bit strings and cost seconds over a large estate.
 * @returns undefined for 0.0.0.0/0, which has no parent
 */
export function siblingAndParent(cidr: string): { sibling: string; parent: string } | undefined {
  const { base, prefix, size } = parseCidr(cidr);
  if (prefix === 0) return undefined;
  const sibling = (base ^ size) >>> 0;
  return { sibling: `${intToIp(sibling)}/${prefix}`, parent: `${intToIp(Math.min(base, sibling))}/${prefix - 1}` };
}
