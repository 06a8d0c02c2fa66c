// The test server's wire format: floats as the Convex backend writes them, typed errors.
import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { decodeArgs, encodeValue, errorBody, stringify } from "./wire";

describe("wire", () => {
  test("numbers are written as floats, other values as JSON", () => {
    expect(stringify({ a: 3, b: [0, -2, 1.5, 1e21], c: "x", d: null, e: true })).toBe(
      '{"a":3.0,"b":[0.0,-2.0,1.5,1e+21],"c":"x","d":null,"e":true}',
    );
    expect(JSON.parse(stringify({ n: 7 }))).toEqual({ n: 7 });
  });

  test("special values keep Convex's encoding", () => {
    expect(encodeValue({ big: 5n, neg: -0 })).toEqual({ big: { $integer: "BQAAAAAAAAA=" }, neg: { $float: "AAAAAAAAAIA=" } });
    expect(decodeArgs({ big: { $integer: "BQAAAAAAAAA=" }, n: 2 })).toEqual({ big: 5n, n: 2 });
    expect(() => decodeArgs([1])).toThrow(/must be an object/);
  });

  test("a ConvexError carries its data; other errors only a message", () => {
    expect(errorBody(new ConvexError({ code: "LevelError", message: "too deep" }))).toMatchObject({
      status: "error",
      errorData: { code: "LevelError", message: "too deep" },
    });
    expect(errorBody(new Error("boom"))).toEqual({ status: "error", errorMessage: "Uncaught Error: boom" });
  });
});
