import { describe, expect, it } from "vitest";
import { decodeFileZillaPassword } from "../../../../src/checks/secrets/credential-files/filezilla-password.js";

describe("FileZilla base64 passwords", () => {
  it("decodes base64 of printable text", () => {
    expect(decodeFileZillaPassword(Buffer.from("hunter2").toString("base64"))).toBe("hunter2");
    expect(decodeFileZillaPassword(Buffer.from("pässwört 2024").toString("base64"))).toBe("pässwört 2024");
  });

  it("refuses binary, malformed and empty values", () => {
    expect(decodeFileZillaPassword(Buffer.from([0, 1, 2, 3, 250]).toString("base64"))).toBeUndefined();
    expect(decodeFileZillaPassword("a")).toBeUndefined();
    expect(decodeFileZillaPassword("not base64!")).toBeUndefined();
    expect(decodeFileZillaPassword("")).toBeUndefined();
  });
});
