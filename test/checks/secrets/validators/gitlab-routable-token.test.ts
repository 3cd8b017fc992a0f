import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { gitlabRoutableChecksum, hasValidGitlabRoutableChecksum } from "../../../../src/checks/secrets/validators/gitlab-routable-token.js";

/** A routable token built as GitLab's design document describes, optionally with the version part. */
function routable(prefix: string, version?: string): string {
  const payload = Buffer.concat([Buffer.from("c:1\no:2s\nu:7vk"), randomBytes(16), Buffer.from([16])]).toString("base64url");
  const body = `${prefix}${payload}.${version ? `${version}.` : ""}${payload.length.toString(36).padStart(2, "0")}`;
  return body + gitlabRoutableChecksum(body);
}

function flip(token: string, i: number): string {
  const c = token[i]!;
  const other = c === "a" ? "b" : c === "0" ? "1" : /[0-9]/.test(c) ? "0" : "a";
  return token.slice(0, i) + other + token.slice(i + 1);
}

describe("GitLab routable token checksum", () => {
  it("is the CRC-32 of everything before it in 7 base36 characters", () => {
    // Worked out apart from the code (zlib.crc32 in base36, padded to 7).
    expect(gitlabRoutableChecksum("glpat-x.01.1a")).toBe("172knqo");
    expect(gitlabRoutableChecksum("glpat-x.01.1a")).toHaveLength(7);
  });

  it("accepts tokens with and without the version part, for any prefix", () => {
    for (let n = 0; n < 50; n++) {
      expect(hasValidGitlabRoutableChecksum(routable("glpat-", "01"))).toBe(true);
      expect(hasValidGitlabRoutableChecksum(routable("glpat-"))).toBe(true);
      expect(hasValidGitlabRoutableChecksum(routable("glrt-t1_", "01"))).toBe(true);
    }
  });

  it("rejects any changed character, including the prefix, which the checksum covers", () => {
    const token = routable("glpat-", "01");
    for (let i = 0; i < token.length; i++) {
      if (token[i] === ".") continue;
      expect(hasValidGitlabRoutableChecksum(flip(token, i)), `position ${i}`).toBe(false);
    }
    expect(hasValidGitlabRoutableChecksum(token.replace("glpat-", "glrt-"))).toBe(false);
  });

  it("passes tokens of the older format, which carry no checksum, and rejects dotted tails of another shape", () => {
    expect(hasValidGitlabRoutableChecksum(`glpat-${randomBytes(15).toString("base64url")}`)).toBe(true);
    expect(hasValidGitlabRoutableChecksum(`glpat-${randomBytes(30).toString("base64url")}.01.XY`)).toBe(false);
    expect(hasValidGitlabRoutableChecksum(`${routable("glpat-", "01")}0`)).toBe(false);
  });
});
