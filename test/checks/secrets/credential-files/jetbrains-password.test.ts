import { describe, expect, it } from "vitest";
import { decodeJetBrainsPassword, encodeJetBrainsPassword } from "../../../../src/checks/secrets/credential-files/jetbrains-password.js";
import { BASE62, randomFrom } from "../harness.js";

describe("JetBrains password obfuscation", () => {
  it("matches the scheme: each character XOR 0xDFAA in hex ('P' is dffa)", () => {
    expect(encodeJetBrainsPassword("P")).toBe("dffa");
    expect(decodeJetBrainsPassword("dffadfcbdfd9dfd9dfdddfc5dfd8dfce")).toBe("Password");
  });

  it("round-trips generated passwords, symbols included", () => {
    for (let i = 0; i < 20; i++) {
      const password = `${randomFrom(BASE62, 10)}!#&<"`;
      expect(decodeJetBrainsPassword(encodeJetBrainsPassword(password))).toBe(password);
    }
  });

  it("refuses what is not in the format", () => {
    for (const value of ["", "dffa1", "zzzzdffa", "hunter2", "dfaa", "x".repeat(8192)]) expect(decodeJetBrainsPassword(value), value.slice(0, 20)).toBeUndefined();
  });
});
