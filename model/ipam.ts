/**
 * IPv4 address arithmetic for the model's address plan. Parsing and validation come from ipaddr.js;
 * what stays here is integer offset math on top of it.
 */
import ipaddr from "ipaddr.js";

export interface Cidr {
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

export function isValidIpv4(value: string): boolean {
  return typeof value === "string" && ipaddr.IPv4.isValidFourPartDecimal(value);
}

export function isValidCidr(value: string): boolean {
  if (typeof value !== "string") return false;
  const [addr, len, ...rest] = value.split("/");
  if (rest.length > 0 || len === undefined || !/^\d{1,2}$/.test(len) || !isValidIpv4(addr)) return false;
  const prefix = Number(len);
  if (prefix > 32) return false;
  // Reject host bits set (10.0.0.1/24): a typo that would otherwise silently move the network.
  return (ipToInt(addr) & ~maskOf(prefix)) >>> 0 === 0;
}

export function ipToInt(ip: string): number {
  const b = ipaddr.IPv4.parse(ip).octets;
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseCidr(value: string): Cidr {
  const [addr, len] = value.split("/");
  const prefix = Number(len);
  return { base: ipToInt(addr), prefix, size: 2 ** (32 - prefix) };
}

export function cidrContains(outer: Cidr, ip: number): boolean {
  return ip >= outer.base && ip < outer.base + outer.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** The n-th subnet of `prefix` length inside `outer`, or undefined when it does not fit. */
export function nthSubnet(outer: Cidr, prefix: number, n: number): string | undefined {
  if (prefix < outer.prefix) return undefined;
  const size = 2 ** (32 - prefix);
  const base = outer.base + n * size;
  if (base + size > outer.base + outer.size) return undefined;
  return `${intToIp(base)}/${prefix}`;
}
