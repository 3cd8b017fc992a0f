import { describe, expect, it } from "vitest";
import { atlassianChecksum, hasValidAtlassianChecksum } from "../../../../src/checks/secrets/validators/atlassian-token.js";
import { crc32 } from "../../../../src/checks/secrets/validators/crc32.js";
import {
  base32,
  fineGrainedPatChecksum,
  hasValidFineGrainedPatChecksum,
} from "../../../../src/checks/secrets/validators/github-fine-grained-pat.js";

/** Change the character at `i` to another one of the same class. */
function flip(token: string, i: number): string {
  const c = token[i]!;
  const replacement = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === "Q" ? "R" : c === "q" ? "r" : /[A-Z]/.test(c) ? "Q" : /[a-z]/.test(c) ? "q" : "A";
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

describe("base32", () => {
  it("follows RFC 4648 (test vectors, no padding)", () => {
    expect(base32(Buffer.from(""))).toBe("");
    expect(base32(Buffer.from("f"))).toBe("MY");
    expect(base32(Buffer.from("fo"))).toBe("MZXQ");
    expect(base32(Buffer.from("foo"))).toBe("MZXW6");
    expect(base32(Buffer.from("foob"))).toBe("MZXW6YQ");
    expect(base32(Buffer.from("fooba"))).toBe("MZXW6YTB");
    expect(base32(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
  });

  it("encodes SHA-256 as the checksum does", () => {
    // SHA-256("abc") in base32 starts with XJ4BNP4P.
    expect(fineGrainedPatChecksum("abc")).toBe("XJ4BNP4P");
  });
});

describe("GitHub fine-grained PAT checksum", () => {
  const body = "github_pat_11BQ7TNZA0" + "Kd8sWq2LmX9c" + "_" + "Rt5VbN1cKw8JhY3sDf6GaEzPq7LmR2xWc9NbJ4hF0sY";
  const token = body + fineGrainedPatChecksum(body) + "Ab3Cd5Ef";

  it("accepts a constructed token", () => {
    expect(body).toHaveLength(77);
    expect(token).toHaveLength(93);
    expect(hasValidFineGrainedPatChecksum(token)).toBe(true);
  });

  it("rejects any change to the body or the checksum", () => {
    for (let i = "github_pat_".length; i < 85; i++) {
      if (token[i] === "_") continue;
      expect(hasValidFineGrainedPatChecksum(flip(token, i)), `position ${i}`).toBe(false);
    }
  });

  it("ignores the last 8 characters, which the checksum does not cover", () => {
    expect(hasValidFineGrainedPatChecksum(token.slice(0, 85) + "Zz9Yy8Xx")).toBe(true);
  });

  it("rejects other shapes", () => {
    expect(hasValidFineGrainedPatChecksum(token.slice(0, 92))).toBe(false);
    expect(hasValidFineGrainedPatChecksum(token.replace("github_pat_", "github_pa_"))).toBe(false);
  });
});

describe("Atlassian token checksum", () => {
  const body = "ATATT3xFfGF0" + "q7LmR2xWc9NbJ4hF0sYRt5VbN1cKw8JhY3sDf6GaEzP".repeat(4).slice(0, 171) + "=";
  const token = body + atlassianChecksum(body);

  it("is the CRC-32 of everything before it, in upper-case hex", () => {
    expect(body).toHaveLength(184);
    expect(atlassianChecksum(body)).toBe(crc32(body).toString(16).toUpperCase().padStart(8, "0"));
    expect(hasValidAtlassianChecksum(token)).toBe(true);
    expect(hasValidAtlassianChecksum(`ATCTT3xFfGN0${body.slice(12)}${atlassianChecksum(`ATCTT3xFfGN0${body.slice(12)}`)}`)).toBe(true);
  });

  it("rejects changes, lower-case checksums and short values", () => {
    for (const i of [0, 12, 50, 100, 183, 184, 191]) expect(hasValidAtlassianChecksum(flip(token, i)), `position ${i}`).toBe(false);
    expect(hasValidAtlassianChecksum(`${body}abcdef12`)).toBe(false);
    expect(hasValidAtlassianChecksum("ATATT3xFfGF0=00000000")).toBe(false);
  });
});
