import { bech32, bech32m } from "@scure/base";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeBech32, hasValidBech32Checksum, isAgeSecretKey } from "../../../../src/checks/secrets/validators/bech32.js";

const ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

function ageKey(bytes = randomBytes(32)): string {
  return bech32.encode("age-secret-key-", bech32.toWords(bytes), false).toUpperCase();
}

/** Replaces the character at `i` with another of the bech32 alphabet. */
function substitute(key: string, i: number): string {
  const c = key[i]!.toLowerCase();
  const other = ALPHABET[(ALPHABET.indexOf(c) + 1) % 32]!.toUpperCase();
  return key.slice(0, i) + other + key.slice(i + 1);
}

describe("bech32 (BIP-173)", () => {
  it("accepts what a bech32 encoder writes and rejects a changed checksum", () => {
    const text = bech32.encode("acme", bech32.toWords(randomBytes(20)));
    expect(hasValidBech32Checksum(text)).toBe(true);
    const upper = text.toUpperCase();
    expect(hasValidBech32Checksum(upper)).toBe(true);
    expect(hasValidBech32Checksum(substitute(upper, upper.length - 1))).toBe(false);
  });

  it("rejects mixed case, bech32m checksums and oversized input", () => {
    const key = ageKey();
    expect(hasValidBech32Checksum(key.slice(0, 20) + key.slice(20).toLowerCase())).toBe(false);
    // age uses bech32, not bech32m: the same payload under the BIP-350 constant fails.
    expect(isAgeSecretKey(bech32m.encode("age-secret-key-", bech32m.toWords(randomBytes(32)), false).toUpperCase())).toBe(false);
    expect(hasValidBech32Checksum(`a1${"q".repeat(3000)}`)).toBe(false);
  });

  it("decodes the payload and the lower-cased prefix", () => {
    const bytes = randomBytes(32);
    const decoded = decodeBech32(ageKey(bytes));
    expect(decoded?.prefix).toBe("age-secret-key-");
    expect(Buffer.from(decoded!.bytes).equals(bytes)).toBe(true);
  });
});

describe("age secret keys", () => {
  it("accepts generated keys, with or without the AGE-SECRET-KEY-1 marker", () => {
    for (let n = 0; n < 50; n++) {
      const key = ageKey();
      expect(key).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
      expect(isAgeSecretKey(key)).toBe(true);
      expect(isAgeSecretKey(key.slice("AGE-SECRET-KEY-1".length))).toBe(true);
    }
  });

  it("rejects any one substituted character", () => {
    const key = ageKey();
    for (let i = "AGE-SECRET-KEY-1".length; i < key.length; i++) expect(isAgeSecretKey(substitute(key, i)), `position ${i}`).toBe(false);
  });

  it("accepts post-quantum identities (age-keygen -pq), whole or after AGE-SECRET-KEY-", () => {
    const pq = bech32.encode("age-secret-key-pq-", bech32.toWords(randomBytes(32)), false).toUpperCase();
    expect(pq).toMatch(/^AGE-SECRET-KEY-PQ-1[0-9A-Z]{58}$/);
    expect(isAgeSecretKey(pq)).toBe(true);
    expect(isAgeSecretKey(pq.slice("AGE-SECRET-KEY-".length))).toBe(true);
    expect(isAgeSecretKey(substitute(pq, pq.length - 3))).toBe(false);
    // The X25519 marker on a post-quantum body: the checksum covers the human-readable part.
    expect(isAgeSecretKey(pq.replace("-PQ-", "-"))).toBe(false);
  });

  it("rejects other human-readable parts and other key lengths", () => {
    const other = bech32.encode("age", bech32.toWords(randomBytes(32)), false).toUpperCase();
    expect(isAgeSecretKey(other)).toBe(false);
    const short = bech32.encode("age-secret-key-", bech32.toWords(randomBytes(31)), false).toUpperCase();
    expect(isAgeSecretKey(short)).toBe(false);
    expect(isAgeSecretKey("AGE-SECRET-KEY-1")).toBe(false);
  });
});
