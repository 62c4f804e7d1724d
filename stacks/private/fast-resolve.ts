/**
 * A token resolver that walks plain data itself and hands only the values that can hold a token to cdktf.
 *
 * cdktf resolves every element of a stack value by value: each string, number, array and object gets its own
 * resolution context (three closures and a copied path) and each string several regular-expression scans. In an
 * estate almost every value is plain data (names, CIDRs, ports, tags) and only references carry tokens, so most of
 * that work finds nothing. `fastResolve` copies plain values directly and calls cdktf's own `Tokenization.resolve`
 * for every value that may hold a token, with the caller's options, so whatever is resolved is resolved by cdktf.
 *
 * What counts as "may hold a token" errs wide: any string with a brace (string, list and map tokens and `${`
 * escapes all have one) or with the shape of an encoded number, cdktf's marker strings, token-encoded numbers,
 * anything with a `resolve` method, arrays holding such a string or number and objects with such a key.
 */
import { Token, Tokenization, type ResolveOptions } from "cdktf";

// cdktf's number-token pattern, `[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`, needs one of these characters each side of an "e".
const NUMBER_SHAPED = /[-|\d.+]e[-|\d.eE+]/;
// cdktf refuses trees deeper than 200 levels; anything near that goes to cdktf whole.
const MAX_DEPTH = 100;

type Resolve = (obj: unknown, options: ResolveOptions) => unknown;

function stringMayHoldToken(s: string): boolean {
  return s.includes("{") || s.includes("}") || NUMBER_SHAPED.test(s) || s === Token.STRING_MAP_TOKEN_VALUE || s === Token.ANY_MAP_TOKEN_VALUE;
}

function numberIsToken(n: number): boolean {
  return n === Token.NUMBER_MAP_TOKEN_VALUE || Token.isUnresolved(n) || Token.isUnresolved([n]);
}

/** Whether cdktf would treat this array as a whole (a list token among its elements). */
function arrayMayBeListToken(xs: unknown[]): boolean {
  for (const x of xs) {
    if (typeof x === "string" ? stringMayHoldToken(x) : typeof x === "number" && numberIsToken(x)) return true;
  }
  return false;
}

function isConstructLike(x: object): boolean {
  return (x as { _children?: unknown })._children !== undefined && (x as { _metadata?: unknown })._metadata !== undefined;
}

/** Thrown inside the walk for what cdktf must judge with the whole value in view. */
class HandBack extends Error {}

/**
 * Resolves `obj` exactly as `original` (cdktf's Tokenization.resolve) would. When anything goes wrong (a value cdktf
 * refuses, a token that fails, a tree deeper than cdktf allows) the whole value is handed to cdktf, so its error
 * names the same path it always does.
 */
export function fastResolve(obj: unknown, options: ResolveOptions, original: Resolve): unknown {
  const walk = (x: unknown, depth: number): unknown => {
    switch (typeof x) {
      case "undefined":
      case "boolean":
      case "bigint":
      case "symbol":
        return x;
      case "string":
        return stringMayHoldToken(x) ? original(x, options) : x;
      case "number":
        return numberIsToken(x) ? original(x, options) : x;
      case "function":
        throw new HandBack();
    }
    if (x === null || x instanceof Date) return x;
    if (depth > MAX_DEPTH) throw new HandBack();
    if (Array.isArray(x)) {
      if (arrayMayBeListToken(x)) return original(x, options);
      const out: unknown[] = [];
      for (const item of x) {
        const value = walk(item, depth + 1);
        if (value !== undefined) out.push(value);
      }
      return out;
    }
    const record = x as Record<string, unknown>;
    if (isConstructLike(record)) throw new HandBack();
    if (Tokenization.isResolvable(record)) return original(record, options);
    const keys = Object.keys(record);
    for (const key of keys) if (stringMayHoldToken(key)) return original(record, options);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = walk(record[key], depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  try {
    return walk(obj, 0);
  } catch {
    return original(obj, options);
  }
}

let installed: Resolve | undefined;

/** Routes cdktf's Tokenization.resolve through `fastResolve` (idempotent); returns the function it replaced. */
export function installFastResolve(): Resolve {
  if (installed) return installed;
  const original = Tokenization.resolve.bind(Tokenization) as Resolve;
  Tokenization.resolve = ((obj: unknown, options: ResolveOptions) => fastResolve(obj, options, original)) as typeof Tokenization.resolve;
  installed = original;
  return original;
}
