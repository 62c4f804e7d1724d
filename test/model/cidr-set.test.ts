/**
 * Sets of CIDRs are judged by what they cover: merged first, then measured against the public IPv4 space.
 */
import { CidrSet, coversPublicInternet, describeCoverage, PUBLIC_IPV4, publicCoverage } from "../../model";

describe("CidrSet", () => {
  it("merges overlapping and adjacent networks into the fewest CIDRs", () => {
    expect(CidrSet.of(["10.0.0.0/9", "10.128.0.0/9", "10.1.0.0/16"]).toCidrs()).toEqual(["10.0.0.0/8"]);
    expect(CidrSet.of(["192.0.2.64/26", "192.0.2.0/26", "198.51.100.0/24"]).toCidrs()).toEqual(["192.0.2.0/25", "198.51.100.0/24"]);
    expect(CidrSet.of([]).toCidrs()).toEqual([]);
  });

  it("subtracts, intersects and answers containment", () => {
    expect(CidrSet.of(["10.0.0.0/8"]).minus(CidrSet.of(["10.1.0.0/16"])).toCidrs()).toEqual([
      "10.0.0.0/16",
      "10.2.0.0/15",
      "10.4.0.0/14",
      "10.8.0.0/13",
      "10.16.0.0/12",
      "10.32.0.0/11",
      "10.64.0.0/10",
      "10.128.0.0/9",
    ]);
    expect(CidrSet.of(["10.0.0.0/8", "192.168.0.0/16"]).intersect(CidrSet.of(["10.20.0.0/16", "172.16.0.0/12"])).toCidrs()).toEqual(["10.20.0.0/16"]);
    expect(CidrSet.of(["10.0.0.0/9", "10.128.0.0/9"]).containsCidr("10.100.0.0/16")).toBe(true);
    expect(CidrSet.of(["10.0.0.0/9"]).containsCidr("10.128.0.0/9")).toBe(false);
    expect(CidrSet.of(["10.0.0.0/8"]).containsAddress("10.255.255.255")).toBe(true);
    expect(CidrSet.of(["0.0.0.0/0"]).size).toBe(4_294_967_296);
  });
});

describe("public coverage", () => {
  it("counts the public IPv4 space as every address outside the IANA special-purpose blocks", () => {
    expect(PUBLIC_IPV4.size).toBe(3_702_258_432);
  });

  it("sees 0.0.0.0/0 in any spelling", () => {
    expect(coversPublicInternet(["0.0.0.0/0"])).toBe(true);
    expect(coversPublicInternet(["0.0.0.0/1", "128.0.0.0/1"])).toBe(true);
    expect(coversPublicInternet(["0.0.0.0/1"])).toBe(false);
  });

  it("reports how much of the public space a large set reaches, and none for private networks", () => {
    expect(describeCoverage(publicCoverage(["0.0.0.0/1"]))).toBe("2,092,957,696 public addresses (56.5% of the public IPv4 space)");
    expect(publicCoverage(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])).toEqual({ addresses: 0, share: 0, whole: false, internetScale: false });
    expect(publicCoverage(["11.0.0.0/9", "11.128.0.0/9"]).internetScale).toBe(true);
    expect(publicCoverage(["11.0.0.0/9"]).internetScale).toBe(false);
  });
});
