import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSealer, CookieKeyError, parseCookieKey } from "../../../src/posture/dashboard/seal.js";

const key = () => randomBytes(32).toString("base64");

describe("sealed cookie values", () => {
  const sealer = createSealer(key());
  const now = 1_800_000_000_000;

  it("opens what it sealed, until it expires", () => {
    const sealed = sealer.seal("prs_session", { sid: "abc", uid: 7 }, now + 1000);
    expect(sealer.open("prs_session", sealed, now)).toMatchObject({ sid: "abc", uid: 7 });
    expect(sealer.open("prs_session", sealed, now + 1000)).toBeUndefined();
  });

  it("hides the payload and changes with every seal (fresh IV)", () => {
    const a = sealer.seal("prs_session", { login: "alice-in-the-cookie" }, now + 1000);
    const b = sealer.seal("prs_session", { login: "alice-in-the-cookie" }, now + 1000);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url").toString("latin1")).not.toContain("alice");
  });

  it("refuses an altered value, another purpose, another key and junk", () => {
    const sealed = sealer.seal("prs_session", { sid: "abc" }, now + 1000);
    const bytes = Buffer.from(sealed, "base64url");
    for (const i of [0, 12, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[i]! ^= 1;
      expect(sealer.open("prs_session", altered.toString("base64url"), now)).toBeUndefined();
    }
    expect(sealer.open("prs_oauth", sealed, now)).toBeUndefined();
    expect(createSealer(key()).open("prs_session", sealed, now)).toBeUndefined();
    for (const junk of ["", "%%%", "a".repeat(10_000), "AAAA"]) expect(sealer.open("prs_session", junk, now)).toBeUndefined();
  });

  it("ties the CSRF token to the session", () => {
    const token = sealer.csrfToken("session-1");
    expect(sealer.checkCsrf("session-1", token)).toBe(true);
    expect(sealer.checkCsrf("session-2", token)).toBe(false);
    expect(sealer.checkCsrf("session-1", "")).toBe(false);
    expect(createSealer(key()).checkCsrf("session-1", token)).toBe(false);
  });

  it("wants a 32-byte key and says how to make one", () => {
    expect(parseCookieKey(key())).toHaveLength(32);
    expect(() => parseCookieKey(randomBytes(16).toString("base64"))).toThrow(CookieKeyError);
    expect(() => parseCookieKey("short")).toThrow(/openssl rand -base64 32/);
  });
});
