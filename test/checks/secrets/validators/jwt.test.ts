import { describe, expect, it } from "vitest";
import { isDecodableJwt } from "../../../../src/checks/secrets/validators/jwt.js";

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const SIGNATURE = "q3Vd9kLmT2xWc8NbJ4hF6sYa1GeUpR7zQ0oI5uE";

describe("isDecodableJwt", () => {
  it("accepts a header naming alg and a JSON payload", () => {
    expect(isDecodableJwt(`${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "u1", exp: 1900000000 })}.${SIGNATURE}`)).toBe(true);
    expect(isDecodableJwt(`${b64({ alg: "none" })}.${b64({ sub: "u1" })}.`)).toBe(true);
  });

  it("rejects a header without alg, non-JSON parts and wrong part counts", () => {
    expect(isDecodableJwt(`${b64({ typ: "JWT" })}.${b64({ sub: "u1" })}.${SIGNATURE}`)).toBe(false);
    expect(isDecodableJwt(`${b64({ alg: "" })}.${b64({ sub: "u1" })}.${SIGNATURE}`)).toBe(false);
    expect(isDecodableJwt(`eyJhbGciOiJIUzI1Ni.${b64({ sub: "u1" })}.${SIGNATURE}`)).toBe(false);
    expect(isDecodableJwt(`${b64({ alg: "HS256" })}.bm90IGpzb24.${SIGNATURE}`)).toBe(false);
    expect(isDecodableJwt(`${b64({ alg: "HS256" })}.${b64({ sub: "u1" })}`)).toBe(false);
    expect(isDecodableJwt(`${b64({ alg: "HS256" })}.${b64([1, 2])}.${SIGNATURE}`)).toBe(false);
  });
});
