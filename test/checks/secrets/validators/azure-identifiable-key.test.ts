import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AZURE_KEY_FORMATS,
  checksumHoldsWhenSigned,
  hasValidAadClientSecretChecksum,
  hasValidIdentifiableChecksum,
  type IdentifiableKeyFormat,
} from "../../../../src/checks/secrets/validators/azure-identifiable-key.js";
import { marvin32, marvin64, seedFromName, type MarvinSeed } from "../../../../src/checks/secrets/validators/marvin32.js";

/**
 * Marvin32 written again from its description, apart from the code under test: BigInt state, the
 * input padded with 0x80 and zeros to whole 32-bit words, one block round per word, one more.
 */
function referenceMarvin32(data: Uint8Array, seed: MarvinSeed): number {
  const M = 0xffffffffn;
  const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (32n - r))) & M;
  let p0 = BigInt(seed.low);
  let p1 = BigInt(seed.high);
  const padded = [...data, 0x80];
  while (padded.length % 4) padded.push(0);
  const words: bigint[] = [];
  for (let i = 0; i < padded.length; i += 4) words.push(BigInt(padded[i]! + padded[i + 1]! * 256 + padded[i + 2]! * 65536 + padded[i + 3]! * 16777216));
  words.push(0n);
  for (const word of words) {
    p0 = (p0 + word) & M;
    p1 ^= p0;
    p0 = rotl(p0, 20n);
    p0 = (p0 + p1) & M;
    p1 = rotl(p1, 9n);
    p1 ^= p0;
    p0 = rotl(p0, 27n);
    p0 = (p0 + p1) & M;
    p1 = rotl(p1, 19n);
  }
  return Number(p0 ^ p1);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** An identifiable key as Microsoft's generator lays it out: random text, the signature, then the checksum bytes. */
function identifiableKey(format: IdentifiableKeyFormat, seedName = format.seeds[0]!): string {
  const length = Math.ceil((format.bytes * 4) / 3);
  const random = randomBytes(length);
  let text = "";
  for (const byte of random) text += B64[byte % 62]!;
  text = text.slice(0, length - 10) + format.signature + text.slice(length - 6);
  const bytes = Buffer.from(text, "base64");
  bytes.writeUInt32LE(marvin32(bytes.subarray(0, bytes.length - 4), seedFromName(seedName)), bytes.length - 4);
  const encoded = bytes.toString(format.urlSafe ? "base64url" : "base64");
  return format.urlSafe ? encoded.padEnd(Math.ceil(encoded.length / 4) * 4, "=") : encoded;
}

function changeAt(text: string, i: number): string {
  const c = text[i]!;
  const other = c === "A" ? "B" : "A";
  return text.slice(0, i) + other + text.slice(i + 1);
}

describe("Marvin32", () => {
  it("agrees with an independent BigInt implementation on every tail length and random seeds", () => {
    for (let length = 0; length < 70; length++) {
      const data = randomBytes(length);
      const seed = { high: randomBytes(4).readUInt32LE(0), low: randomBytes(4).readUInt32LE(0) };
      expect(marvin32(data, seed), `length ${length}`).toBe(referenceMarvin32(data, seed));
    }
  });

  it("gives the values worked out for this project", () => {
    // Computed with this implementation once it matched all 31 of .NET's published Marvin vectors
    // (System.Marvin's tests), which are not copied here; pinned so a change to it shows.
    expect(marvin32(Buffer.from("pr-sentinel", "latin1"), seedFromName("Default0"))).toBe(0x976dcaf6);
    expect(marvin32(new Uint8Array(0), seedFromName("AadPwd00"))).toBe(0x9790d346);
    expect(marvin32(Buffer.from("0123456789abcdef", "latin1"), seedFromName("Listen00"))).toBe(0x2783184c);
    const folded = marvin64(Buffer.from("pr-sentinel", "latin1"), seedFromName("Default0"));
    expect((folded.high ^ folded.low) >>> 0).toBe(0x976dcaf6);
  });

  it("reads a seed name as Microsoft's ComputeHisV1ChecksumSeed does (big-endian ASCII)", () => {
    expect(seedFromName("Default0")).toEqual({ high: 0x44656661, low: 0x756c7430 });
    expect(() => seedFromName("Default")).toThrow(/8 ASCII/);
  });
});

describe("Azure identifiable keys", () => {
  for (const [name, format] of Object.entries(AZURE_KEY_FORMATS) as [string, IdentifiableKeyFormat][]) {
    it(`${name}: accepts keys under each seed and rejects any changed character`, () => {
      for (const seedName of format.seeds) expect(hasValidIdentifiableChecksum(identifiableKey(format, seedName), format), seedName).toBe(true);
      const key = identifiableKey(format);
      const body = key.replace(/=+$/, "");
      for (let i = 0; i < body.length; i++) expect(hasValidIdentifiableChecksum(changeAt(key, i), format), `position ${i}`).toBe(false);
    });
  }

  it("rejects a key checksummed under another service's seed, cut short, or in the wrong alphabet", () => {
    const storage = AZURE_KEY_FORMATS.storage;
    expect(hasValidIdentifiableChecksum(identifiableKey(storage, "MastRW00"), storage)).toBe(false);
    const key = identifiableKey(storage);
    expect(hasValidIdentifiableChecksum(key.slice(4), storage)).toBe(false);
    const functions = AZURE_KEY_FORMATS.functions;
    const urlSafe = identifiableKey(functions);
    expect(hasValidIdentifiableChecksum(urlSafe, functions)).toBe(true);
    expect(hasValidIdentifiableChecksum(urlSafe.replace(/=+$/, ""), functions)).toBe(true);
    if (/[-_]/.test(urlSafe)) expect(hasValidIdentifiableChecksum(urlSafe.replace(/-/g, "+").replace(/_/g, "/"), functions)).toBe(false);
  });

  it("accepts Redis keys re-encoded with P and F for + and /", () => {
    const redis = AZURE_KEY_FORMATS.redis;
    let key = identifiableKey(redis);
    while (!/[+/]/.test(key)) key = identifiableKey(redis);
    const rewritten = key.replace(/\+/g, "P").replace(/\//g, "F");
    // The rewritten text decodes to other bytes; Microsoft checksums those and writes the result again.
    const bytes = Buffer.from(rewritten, "base64");
    bytes.writeUInt32LE(marvin32(bytes.subarray(0, bytes.length - 4), seedFromName("Access00")), bytes.length - 4);
    const reissued = bytes.toString("base64").replace(/\+/g, "P").replace(/\//g, "F");
    expect(hasValidIdentifiableChecksum(reissued, redis)).toBe(true);
    // Without the rewrite rule it holds only when the checksum's own encoding had no + or / to rewrite.
    const untouched = !/[+/]/.test(bytes.toString("base64"));
    expect(hasValidIdentifiableChecksum(reissued, { ...redis, plusSlashAsPF: false })).toBe(untouched);
  });

  it("judges only signed values when a rule also sees older keys", () => {
    const holds = checksumHoldsWhenSigned([AZURE_KEY_FORMATS.storage]);
    // A key from before the format: random bytes, no signature (1 in 64^4 would show one by chance).
    const legacy = randomBytes(64).toString("base64");
    expect(holds(legacy)).toBe(legacy.slice(76, 80) !== "+ASt");
    const key = identifiableKey(AZURE_KEY_FORMATS.storage);
    expect(holds(key)).toBe(true);
    expect(holds(changeAt(key, 3))).toBe(false);
  });
});

describe("Entra ID client secrets", () => {
  const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~";
  /** The checksum digits, written apart from the code under test: base 66, most significant first, 6 at least. */
  function checksumOf(text: string): string {
    let value = referenceMarvin32(Buffer.from(text, "latin1"), seedFromName("AadPwd00"));
    const digits: string[] = [];
    while (value > 0) {
      digits.unshift(ALPHABET[value % 66]!);
      value = Math.floor(value / 66);
    }
    while (digits.length < 6) digits.unshift("a");
    return digits.slice(0, 3).join("");
  }
  function secret(version: string): string {
    let text = "";
    for (const byte of randomBytes(37)) text += ALPHABET[byte % 66]!;
    const body = `${text.slice(0, 3)}${version}Q~${text.slice(6)}`;
    return version === "8" ? body + checksumOf(body) : body;
  }

  it("accepts 8Q~ secrets ending in their checksum and rejects any changed character", () => {
    for (let n = 0; n < 20; n++) expect(hasValidAadClientSecretChecksum(secret("8"))).toBe(true);
    const value = secret("8");
    for (let i = 0; i < value.length; i++) {
      if (i >= 3 && i <= 5) continue;
      const c = value[i]!;
      const changed = value.slice(0, i) + (c === "a" ? "b" : "a") + value.slice(i + 1);
      expect(hasValidAadClientSecretChecksum(changed), `position ${i}`).toBe(false);
    }
  });

  it("accepts 7Q~ secrets, which carry no checksum, and rejects other shapes", () => {
    expect(hasValidAadClientSecretChecksum(secret("7").slice(0, 37))).toBe(true);
    expect(hasValidAadClientSecretChecksum("abc8Q~short")).toBe(false);
  });
});
