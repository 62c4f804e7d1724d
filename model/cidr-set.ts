/**
 * Sets of IPv4 addresses written as CIDRs, judged by what they cover rather than by how they are spelled:
 * `[0.0.0.0/1, 128.0.0.0/1]` opens as much as `0.0.0.0/0`. Merging and subtraction come from ip-num (a typed,
 * dependency-free CIDR library); this module adds the questions the model asks of a set: how many addresses, how
 * much of the public internet, does it contain an address or a network.
 *
 * Shapes: every input is a list of valid "a.b.c.d/nn" strings (the schema checked them); sizes are numbers of
 * addresses (at most 2^32, exact in a JavaScript number).
 */
import { IPv4, IPv4CidrRange, Pool, RangedSet } from "ip-num";

type Range = RangedSet<IPv4>;

/** A merged set of IPv4 addresses. Immutable; build one with {@link CidrSet.of}. */
export class CidrSet {
  /** Sorted, non-overlapping, non-adjacent ranges. */
  private readonly ranges: readonly Range[];

  private constructor(ranges: readonly Range[]) {
    this.ranges = ranges;
  }

  /** The union of `cidrs` ("a.b.c.d/nn" each). */
  static of(cidrs: readonly string[]): CidrSet {
    if (cidrs.length === 0) return new CidrSet([]);
    const pool = Pool.fromCidrRanges(cidrs.map((c) => IPv4CidrRange.fromCidr(c)));
    return new CidrSet(sortRanges(pool.aggregate().getRanges() as Range[]));
  }

  /** Number of addresses in the set. */
  get size(): number {
    return this.ranges.reduce((sum, r) => sum + Number(r.getSize()), 0);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** The addresses of this set that are not in `other`. */
  minus(other: CidrSet): CidrSet {
    let remaining: Range[] = [...this.ranges];
    for (const cut of other.ranges) {
      remaining = remaining.flatMap((r) => {
        // ip-num subtracts only a range contained in the other: clip the cut to `r` first.
        const first = max(r.getFirst().getValue(), cut.getFirst().getValue());
        const last = min(r.getLast().getValue(), cut.getLast().getValue());
        if (first > last) return [r];
        return r.difference(new RangedSet(IPv4.fromNumber(first), IPv4.fromNumber(last))) as Range[];
      });
    }
    return new CidrSet(sortRanges(remaining));
  }

  /** The addresses in both sets. */
  intersect(other: CidrSet): CidrSet {
    return this.minus(this.minus(other));
  }

  /** True when every address of `cidr` is in the set. */
  containsCidr(cidr: string): boolean {
    return CidrSet.of([cidr]).minus(this).isEmpty;
  }

  /** True when `address` ("a.b.c.d") is in the set. */
  containsAddress(address: string): boolean {
    return this.containsCidr(`${address}/32`);
  }

  /** The set as the fewest CIDRs, in address order. */
  toCidrs(): string[] {
    const cidrs: string[] = [];
    for (const r of this.ranges) {
      let first = r.getFirst().getValue();
      const last = r.getLast().getValue();
      while (first <= last) {
        // The largest block that starts at `first` (aligned) and ends by `last`.
        let size = 1n;
        while (first % (size * 2n) === 0n && first + size * 2n - 1n <= last && size < 2n ** 32n) size *= 2n;
        cidrs.push(`${IPv4.fromNumber(first).toString()}/${32 - size.toString(2).length + 1}`);
        first += size;
      }
    }
    return cidrs;
  }
}

function sortRanges(ranges: Range[]): Range[] {
  return ranges.sort((a, b) => (a.getFirst().getValue() < b.getFirst().getValue() ? -1 : 1));
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Blocks that are not globally reachable, from the IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its
 * updates; https://www.iana.org/assignments/iana-ipv4-special-registry): this network, private use (RFC 1918),
 * shared address space (RFC 6598), loopback, link local, IETF protocol assignments, the three documentation
 * networks (RFC 5737), the deprecated 6to4 relay anycast, benchmarking, multicast and the reserved 240.0.0.0/4.
 */
export const NOT_GLOBALLY_REACHABLE_CIDRS: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
];

/**
 * Every IPv4 address: the world CIDR, written once. It is also the default route's destination and, in a firewall
 * rule, "from / to anywhere".
 */
export const WORLD_IPV4_CIDR = "0.0.0.0/0";
/** Every IPv6 address. */
export const WORLD_IPV6_CIDR = "::/0";
/** The world in either address family: a firewall source equal to one of them opens a port to the internet. */
export const WORLD_CIDRS: readonly string[] = [WORLD_IPV4_CIDR, WORLD_IPV6_CIDR];

/** The public IPv4 internet: every address minus {@link NOT_GLOBALLY_REACHABLE_CIDRS} (3,702,258,432 addresses). */
export const PUBLIC_IPV4: CidrSet = CidrSet.of([WORLD_IPV4_CIDR]).minus(CidrSet.of(NOT_GLOBALLY_REACHABLE_CIDRS));

/**
 * A set that reaches at least this many public addresses (a /8's worth) counts as "the internet" for every rule
 * that keeps a port away from the internet: no admin, internal-service or health-checker network is that large.
 */
export const INTERNET_SCALE_ADDRESSES = 2 ** 24;

/** How much of the public IPv4 internet a set of CIDRs reaches. */
export interface PublicCoverage {
  /** Public addresses the set reaches. */
  readonly addresses: number;
  /** The same as a share of the public IPv4 space, from 0 to 1. */
  readonly share: number;
  /** True when the set reaches every public address (whatever its spelling: 0.0.0.0/0, two /1s, ...). */
  readonly whole: boolean;
  /** True when the set reaches {@link INTERNET_SCALE_ADDRESSES} public addresses or more. */
  readonly internetScale: boolean;
}

export function publicCoverage(cidrs: readonly string[]): PublicCoverage {
  const addresses = CidrSet.of(cidrs).intersect(PUBLIC_IPV4).size;
  const total = PUBLIC_IPV4.size;
  return { addresses, share: addresses / total, whole: addresses === total, internetScale: addresses >= INTERNET_SCALE_ADDRESSES };
}

/** True when the CIDRs together reach every public IPv4 address: a service open to everyone. */
export function coversPublicInternet(cidrs: readonly string[]): boolean {
  return publicCoverage(cidrs).whole;
}

/** "the whole public IPv4 internet" or "1,862,270,976 public addresses (50.3% of the public IPv4 space)". */
export function describeCoverage(coverage: PublicCoverage): string {
  if (coverage.whole) return "the whole public IPv4 internet";
  const percent = coverage.share * 100;
  return `${coverage.addresses.toLocaleString("en-US")} public addresses (${percent < 0.1 ? "<0.1" : percent.toFixed(1)}% of the public IPv4 space)`;
}
