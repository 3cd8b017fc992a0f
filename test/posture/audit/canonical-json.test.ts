import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, chainHash, GENESIS_HASH, type CanonicalValue } from "../../../src/posture/audit/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units, drops undefined members, writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], é: { z: 0, Z: -1 }, skip: undefined })).toBe('{"a":[true,null,"x"],"b":1,"é":{"Z":-1,"z":0}}');
    // RFC 8785's own ordering example: code units, not code points ("\u{1F600}" is two units starting 0xD83D).
    expect(canonicalJson({ "\u{1F600}": 1, "\uFB33": 2, "\r": 3 })).toBe('{"\\r":3,"\u{1F600}":1,"\uFB33":2}');
  });

  it("is the same for any key order, and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value as CanonicalValue);
        expect(canonicalJson(JSON.parse(text) as CanonicalValue)).toBe(text);
      }),
    );
  });

  it("refuses what JSON cannot hold", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
  });
});

describe("chainHash", () => {
  it("is SHA-256 of the canonical {content, prev_hash} object", () => {
    const content = canonicalJson({ seq: 1, repository: "o/r" });
    const expected = createHash("sha256").update(canonicalJson({ content: JSON.parse(content) as CanonicalValue, prev_hash: GENESIS_HASH })).digest("hex");
    expect(chainHash(content, GENESIS_HASH)).toBe(expected);
    expect(chainHash(content, "1".repeat(64))).not.toBe(expected);
  });
});

describe("canonicalJson with integer-like keys", () => {
  it("orders them as strings, as JCS does, not numerically as JavaScript objects do", () => {
    expect(canonicalJson({ "10": 1, "2": 2, a: { "1": true, "0": false } })).toBe('{"10":1,"2":2,"a":{"0":false,"1":true}}');
  });
});

describe("canonicalJson with a __proto__ key", () => {
  it("keeps it as a member", () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":1}}') as CanonicalValue;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"b":1}');
  });
});
