import { describe, expect, it } from "vitest";
import { hasValidBase62Crc32Checksum } from "../../../src/checks/secrets/validators/github-token.js";
import { generateToken, isWellFormedToken, sameHash, TOKEN_LENGTH, tokenHash, tokenLabel } from "../../../src/posture/api/token-format.js";

describe("scan API tokens", () => {
  it("are prs_, 43 random base62 characters and a CRC-32 checksum, each different", () => {
    const tokens = Array.from({ length: 200 }, generateToken);
    for (const token of tokens) {
      expect(token).toMatch(/^prs_[0-9A-Za-z]{49}$/);
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(isWellFormedToken(token)).toBe(true);
      // The layout of GitHub's tokens, so the same checksum validator recognises them.
      expect(hasValidBase62Crc32Checksum(token)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("refuses a token with a changed character, a wrong prefix or length", () => {
    const token = generateToken();
    const flipped = `${token.slice(0, 20)}${token[20] === "a" ? "b" : "a"}${token.slice(21)}`;
    for (const bad of [flipped, `prx_${token.slice(4)}`, token.slice(0, -1), `${token}0`, `${token.slice(0, -1)}!`, ""]) expect(isWellFormedToken(bad), bad).toBe(false);
  });

  it("is stored as its SHA-256, listed by a label of prs_ and 8 characters", () => {
    const token = generateToken();
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(token)).not.toContain(token.slice(4, 12));
    expect(tokenLabel(token)).toBe(token.slice(0, 12));
    expect(sameHash(tokenHash(token), tokenHash(token))).toBe(true);
    expect(sameHash(tokenHash(token), tokenHash(generateToken()))).toBe(false);
    expect(sameHash(tokenHash(token), "")).toBe(false);
  });
});
