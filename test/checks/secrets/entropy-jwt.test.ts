import { describe, expect, it } from "vitest";
import { shannonEntropy } from "../../../src/checks/secrets/entropy.js";
import { decodeJwt, describeJwt } from "../../../src/checks/secrets/jwt.js";
import { makeJwt } from "./harness.js";

describe("shannonEntropy", () => {
  it("measures bits per character", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abab")).toBe(1);
    expect(shannonEntropy("0123456789abcdef")).toBe(4);
  });
});

describe("decodeJwt", () => {
  const now = new Date("2025-01-01T00:00:00Z");

  it("reads alg, iss and exp, and says whether it expired", () => {
    const token = makeJwt({ iss: "https://login.example.test", exp: 1714521600 }, "RS256");
    const summary = decodeJwt(token, now)!;
    expect(summary).toEqual({ alg: "RS256", iss: "https://login.example.test", exp: "2024-05-01T00:00:00.000Z", expired: true, documentedExample: false });
    expect(describeJwt(summary)).toBe("JWT signed with RS256, issued by https://login.example.test, expired 2024-05-01");
  });

  it("says when there is no expiry", () => {
    expect(describeJwt(decodeJwt(makeJwt({ sub: "x" }), now)!)).toBe("JWT signed with HS256, no expiry");
  });

  it("recognises the documentation's example token by its claims", () => {
    const example = makeJwt({ sub: "1234567890", name: "John Doe", iat: 1516239022 });
    expect(decodeJwt(example, now)!.documentedExample).toBe(true);
    expect(decodeJwt(makeJwt({ sub: "1234567890", name: "Jane Roe" }), now)!.documentedExample).toBe(false);
  });

  it("rejects what only looks like a JWT", () => {
    expect(decodeJwt("eyJhbGciOi.eyJzdWIiOi.c2ln")).toBeUndefined();
    expect(decodeJwt("not.a.jwt")).toBeUndefined();
  });

  it("keeps hostile claims short and on one line", () => {
    const summary = decodeJwt(makeJwt({ iss: `evil\n${"x".repeat(500)}` }), now)!;
    expect(summary.iss).not.toContain("\n");
    expect(summary.iss!.length).toBeLessThanOrEqual(80);
  });
});
