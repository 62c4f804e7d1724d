/**
 * The fast resolver gives the same result as cdktf's own Tokenization.resolve, for plain data, for every kind of
 * token cdktf encodes (string, list, number, map, lazy and IResolvable values, references, functions) and for the
 * inputs cdktf refuses (constructs, functions, list tokens in a scalar place).
 */
import { DefaultTokenResolver, Fn, Lazy, StringConcat, Token, Tokenization, type ResolveOptions } from "cdktf";
import fc from "fast-check";
import { Construct } from "constructs";
import { fastResolve } from "../../stacks/private/fast-resolve";
import { testStack } from "../support/synth";

const original = (obj: unknown, options: ResolveOptions) => Tokenization.resolve(obj, options);

function outcome(run: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: run() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("fastResolve", () => {
  const stack = testStack("fast-resolve");
  const options: ResolveOptions = { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) };
  const same = (value: unknown) => {
    const fast = outcome(() => fastResolve(value, options, original));
    const slow = outcome(() => original(value, options));
    expect(fast).toEqual(slow);
    return fast;
  };

  const tokens = {
    lazyString: Lazy.stringValue({ produce: () => "from-lazy" }),
    lazyNumber: Lazy.numberValue({ produce: () => 42 }),
    lazyList: Lazy.listValue({ produce: () => ["a", "b"] }),
    lazyAny: Lazy.anyValue({ produce: () => ({ nested: "value", gone: undefined }) }),
    asNumber: Token.asNumber(Lazy.anyValue({ produce: () => 7 })),
    asList: Token.asList(Lazy.anyValue({ produce: () => ["x", "y"] })),
    asNumberList: Token.asNumberList(Lazy.anyValue({ produce: () => [1, 2] })),
    asMap: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })),
    joined: Fn.join(",", ["a", "b"]),
    cidr: Fn.cidrsubnet("10.0.0.0/16", 8, 1),
    port: Token.asNumber(Fn.parseint("8080", 10)),
    ref: "${aws_vpc.main.id}",
  };

  it("resolves each kind of token as cdktf does", () => {
    for (const [name, token] of Object.entries(tokens)) {
      const result = same({ [name]: token, inList: [token] });
      expect(result.error).toBeUndefined();
      // Inside a longer string (a list token there is refused, by both).
      same({ interpolated: `prefix-${String(token)}-suffix` });
    }
  });

  it("copies plain data, drops undefined values and keeps strings that only look special", () => {
    const input = {
      name: "web-001",
      escaped: "literal ${not.a.token}",
      braces: "a { b } c",
      numberLike: "1e5 and -2.5e+3",
      exporter: "node-exporter",
      list: [1, "two", undefined, null, true, { deep: [[{ x: undefined, y: 0 }]] }],
      when: new Date(0),
      nothing: undefined,
    };
    const result = same(input);
    expect(result.value).not.toBe(input);
    expect(result.value).toMatchObject({ name: "web-001", list: [1, "two", null, true, { deep: [[{ y: 0 }]] }] });
  });

  it("refuses what cdktf refuses, with cdktf's message", () => {
    expect(same({ construct: new Construct(stack, "NotAValue") }).error).toMatch(/construct/i);
    expect(same({ fn: () => 1 }).error).toBeDefined();
    expect(same({ scalar: `x-${tokens.asList}` }).error).toBeDefined();
    expect(same({ marker: [Token.STRING_MAP_TOKEN_VALUE] }).error).toBeDefined();
    expect(same({ marker: Token.NUMBER_MAP_TOKEN_VALUE }).error).toBeDefined();
  });

  it("agrees with cdktf on random mixes of plain values and tokens", () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.constantFrom("${", "}", "1e3", "#{", "&{", "-e-", ...Object.values(tokens).filter((t) => typeof t === "string")),
      fc.double({ noNaN: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom(...Object.values(tokens)),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.string(), tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(tree, (value) => void same(value)), { numRuns: 300 });
  });
});
