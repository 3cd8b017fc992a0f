import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET } from "../../../../src/checks/secrets/validators/base62.js";
import { crc32 } from "../../../../src/checks/secrets/validators/crc32.js";
import {
  base62Crc32Checksum,
  hasValidBase62Crc32Checksum,
  hasValidNpmChecksum,
} from "../../../../src/checks/secrets/validators/github-token.js";

/** Random-looking bodies written for this test. */
const BODY_30 = "Xq7PzL2mRt9VbN4cKw8JhY1sDf6GaE";
const BODY_70 = "Rk2Wq9ZtLm4Pb7XcVn1JsHd8GyFa3EuTo6QiMr5NwKe0BjCl2DgSx7AhYp4UzOv9Ik1Lf3";

function tokenOf(prefix: string, body: string): string {
  return prefix + body + base62Crc32Checksum(body);
}

/** Every token that differs from `token` in exactly one character after the prefix. */
function* alterations(token: string, prefixLength: number): Generator<string> {
  for (let i = prefixLength; i < token.length; i++) {
    const current = token[i]!;
    const replacement = BASE62_ALPHABET[(BASE62_ALPHABET.indexOf(current) + 17) % 62]!;
    yield token.slice(0, i) + replacement + token.slice(i + 1);
  }
}

describe("GitHub token checksum", () => {
  it("is the CRC-32 of the body in 6 base62 digits", () => {
    expect(base62Crc32Checksum(BODY_30)).toMatch(/^[0-9A-Za-z]{6}$/);
    // Checksum of a body whose CRC-32 is known: crc32("123456789") = 0xCBF43926.
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(base62Crc32Checksum("123456789")).toBe("3jZRME");
  });

  for (const prefix of ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) {
    it(`accepts a constructed ${prefix} token and rejects every one-character alteration`, () => {
      const token = tokenOf(prefix, BODY_30);
      expect(token).toHaveLength(40);
      expect(hasValidBase62Crc32Checksum(token)).toBe(true);
      for (const altered of alterations(token, prefix.length)) expect(hasValidBase62Crc32Checksum(altered), altered).toBe(false);
    });
  }

  it("accepts 70-character refresh token bodies", () => {
    const token = tokenOf("ghr_", BODY_70);
    expect(token).toHaveLength(80);
    expect(hasValidBase62Crc32Checksum(token)).toBe(true);
    for (const altered of alterations(token, 4)) expect(hasValidBase62Crc32Checksum(altered)).toBe(false);
  });

  it("pads short checksums with leading zeros", () => {
    // Search a body whose checksum starts with "0" (CRC-32 below 62^5), so padding is exercised.
    let body = "";
    for (let n = 0; n < 200_000; n++) {
      const candidate = `Pad${n.toString(36).padStart(27, "q")}`;
      if (crc32(candidate) < 62 ** 5) {
        body = candidate;
        break;
      }
    }
    expect(body).not.toBe("");
    const token = tokenOf("ghp_", body);
    expect(token.slice(-6).startsWith("0")).toBe(true);
    expect(hasValidBase62Crc32Checksum(token)).toBe(true);
  });

  it("rejects wrong lengths, characters and placeholders", () => {
    expect(hasValidBase62Crc32Checksum("ghp_" + "x".repeat(36))).toBe(false);
    expect(hasValidBase62Crc32Checksum(tokenOf("ghp_", BODY_30).slice(0, -1))).toBe(false);
    expect(hasValidBase62Crc32Checksum("ghp_" + BODY_30.slice(0, 29) + "-" + base62Crc32Checksum(BODY_30))).toBe(false);
    expect(hasValidBase62Crc32Checksum("ghp_")).toBe(false);
    expect(hasValidBase62Crc32Checksum("")).toBe(false);
  });
});

describe("npm token checksum", () => {
  it("accepts the GitHub layout (checksum of the body)", () => {
    const token = tokenOf("npm_", BODY_30);
    expect(hasValidNpmChecksum(token)).toBe(true);
    for (const altered of alterations(token, 4)) expect(hasValidNpmChecksum(altered)).toBe(false);
  });

  it("does not accept a checksum computed over prefix and body", () => {
    const token = `npm_${BODY_30}${base62Crc32Checksum(`npm_${BODY_30}`)}`;
    expect(hasValidNpmChecksum(token)).toBe(false);
  });

  it("needs the npm_ prefix", () => {
    expect(hasValidNpmChecksum(tokenOf("ghp_", BODY_30))).toBe(false);
  });

  it("rejects a random tail", () => {
    expect(hasValidNpmChecksum(`npm_${BODY_30}abcdef`)).toBe(false);
  });
});
