import { createHash, randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hasCanonicalCryptDigest, isCanonicalBcrypt, isLdapPasswordHash } from "../../../../src/checks/secrets/validators/crypt-hash.js";

const CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

/** A digest of `length` characters whose last one carries only `bits` bits, as crypt(3) writes it. */
function cryptDigest(length: number, bits: number): string {
  return pick(CRYPT, length - 1) + CRYPT[randomInt(2 ** bits)];
}

function bcrypt(): string {
  return `$2b$12$${pick(BCRYPT, 21)}${BCRYPT[16 * randomInt(4)]}${pick(BCRYPT, 30)}${BCRYPT[4 * randomInt(16)]}`;
}

describe("crypt(3) digests", () => {
  it("accepts digests whose last character holds only the leftover bits", () => {
    for (let n = 0; n < 100; n++) {
      expect(hasCanonicalCryptDigest(`$6$${pick(CRYPT, 16)}$${cryptDigest(86, 2)}`)).toBe(true);
      expect(hasCanonicalCryptDigest(`$6$rounds=5000$${pick(CRYPT, 8)}$${cryptDigest(86, 2)}`)).toBe(true);
      expect(hasCanonicalCryptDigest(`$5$${pick(CRYPT, 16)}$${cryptDigest(43, 4)}`)).toBe(true);
      expect(hasCanonicalCryptDigest(`$1$${pick(CRYPT, 8)}$${cryptDigest(22, 2)}`)).toBe(true);
      expect(hasCanonicalCryptDigest(`$apr1$${pick(CRYPT, 8)}$${cryptDigest(22, 2)}`)).toBe(true);
      expect(hasCanonicalCryptDigest(`$y$j9T$${pick(CRYPT, 22)}$${cryptDigest(43, 4)}`)).toBe(true);
    }
  });

  it("rejects a last character no encoder writes, wrong lengths and other schemes", () => {
    expect(hasCanonicalCryptDigest(`$6$salt$${pick(CRYPT, 85)}z`)).toBe(false);
    expect(hasCanonicalCryptDigest(`$5$salt$${pick(CRYPT, 42)}E`)).toBe(false);
    expect(hasCanonicalCryptDigest(`$1$salt$${pick(CRYPT, 21)}2`)).toBe(false);
    expect(hasCanonicalCryptDigest(`$y$j9T$salt$${pick(CRYPT, 42)}E`)).toBe(false);
    expect(hasCanonicalCryptDigest(`$6$salt$${cryptDigest(43, 2)}`)).toBe(false);
    expect(hasCanonicalCryptDigest(`$7$salt$${cryptDigest(43, 2)}`)).toBe(false);
  });

  it("rejects about 15 in 16 random look-alikes of MD5-crypt", () => {
    let accepted = 0;
    for (let n = 0; n < 2000; n++) if (hasCanonicalCryptDigest(`$1$${pick(CRYPT, 8)}$${pick(CRYPT, 22)}`)) accepted++;
    expect(accepted).toBeGreaterThan(60);
    expect(accepted).toBeLessThan(200);
  });
});

describe("bcrypt", () => {
  it("accepts canonical salts and digests", () => {
    for (let n = 0; n < 100; n++) expect(isCanonicalBcrypt(bcrypt())).toBe(true);
  });

  it("rejects a salt or digest end that bcrypt's encoder cannot write, and other shapes", () => {
    const hash = bcrypt();
    const salt22 = hash.slice(0, 29);
    expect(isCanonicalBcrypt(`${salt22.slice(0, -1)}P${hash.slice(29)}`)).toBe(false);
    expect(isCanonicalBcrypt(`${hash.slice(0, -1)}/`)).toBe(false);
    expect(isCanonicalBcrypt(hash.slice(0, -1))).toBe(false);
    expect(isCanonicalBcrypt(hash.replace("$2b$", "$2x$"))).toBe(false);
  });
});

describe("LDAP {SCHEME} hashes", () => {
  it("accepts digests of the scheme's length, salted ones with 4 to 64 bytes of salt", () => {
    const sha1 = createHash("sha1").update(randomBytes(8)).digest();
    expect(isLdapPasswordHash(`{SHA}${sha1.toString("base64")}`)).toBe(true);
    expect(isLdapPasswordHash(`{SSHA}${Buffer.concat([sha1, randomBytes(4)]).toString("base64")}`)).toBe(true);
    expect(isLdapPasswordHash(`{ssha512}${randomBytes(72).toString("base64")}`)).toBe(true);
    expect(isLdapPasswordHash(`{MD5}${randomBytes(16).toString("base64")}`)).toBe(true);
  });

  it("rejects wrong lengths, salts missing from salted schemes and bad base64", () => {
    expect(isLdapPasswordHash(`{SHA}${randomBytes(21).toString("base64")}`)).toBe(false);
    expect(isLdapPasswordHash(`{SSHA}${randomBytes(20).toString("base64")}`)).toBe(false);
    expect(isLdapPasswordHash(`{SSHA}${randomBytes(90).toString("base64")}`)).toBe(false);
    expect(isLdapPasswordHash("{SHA}not*base64")).toBe(false);
    expect(isLdapPasswordHash(`{CRYPT}${randomBytes(20).toString("base64")}`)).toBe(false);
  });
});
