import { describe, expect, it } from "vitest";
import { encodeBase62 } from "../../../../src/checks/secrets/validators/base62.js";
import { crc32 } from "../../../../src/checks/secrets/validators/crc32.js";

describe("crc32", () => {
  it("matches the CRC-32/ISO-HDLC check value", () => {
    // The catalogue check value of CRC-32 (zlib, PNG, Ethernet) for "123456789".
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
  });

  it("is unsigned and changes with any character", () => {
    expect(crc32("a")).toBeGreaterThan(0);
    expect(crc32("abc")).not.toBe(crc32("abd"));
  });
});

describe("encodeBase62", () => {
  it("uses digits, then upper case, then lower case, left-padded", () => {
    expect(encodeBase62(0, 6)).toBe("000000");
    expect(encodeBase62(9, 6)).toBe("000009");
    expect(encodeBase62(10, 6)).toBe("00000A");
    expect(encodeBase62(36, 6)).toBe("00000a");
    expect(encodeBase62(61, 6)).toBe("00000z");
    expect(encodeBase62(62, 6)).toBe("000010");
    expect(encodeBase62(0xffffffff, 6)).toBe("4gfFC3");
  });
});
