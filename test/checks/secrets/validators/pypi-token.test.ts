import { describe, expect, it } from "vitest";
import { isPypiMacaroon, pypiTokenLocation } from "../../../../src/checks/secrets/validators/pypi-token.js";

/** A v2 macaroon as PyPI issues them: version, location, identifier, caveats, signature. */
function macaroon(location: string, version = 2): string {
  const loc = Buffer.from(location);
  const id = Buffer.from('{"nonce":"4f1d8a0c9b7e","version":1}');
  const bytes = Buffer.concat([
    Buffer.from([version, 1, loc.length]),
    loc,
    Buffer.from([2, id.length]),
    id,
    Buffer.from([0, 0, 6, 32]),
    Buffer.alloc(32, 7),
  ]);
  return `pypi-${bytes.toString("base64url")}`;
}

describe("PyPI token macaroon structure", () => {
  it("reads the location of a constructed token", () => {
    const token = macaroon("pypi.org");
    expect(token.startsWith("pypi-AgEIcHlwaS5vcmc")).toBe(true);
    expect(pypiTokenLocation(token)).toBe("pypi.org");
    expect(isPypiMacaroon(token)).toBe(true);
  });

  it("tells TestPyPI tokens apart", () => {
    const token = macaroon("test.pypi.org");
    expect(token.startsWith("pypi-AgENdGVzdC5weXBpLm9yZw")).toBe(true);
    expect(isPypiMacaroon(token)).toBe(false);
    expect(isPypiMacaroon(token, "test.pypi.org")).toBe(true);
  });

  it("rejects values that are not v2 macaroons", () => {
    expect(pypiTokenLocation(macaroon("pypi.org", 1))).toBeUndefined();
    expect(pypiTokenLocation("pypi-AgEIcHlwaS5vcmc")).toBeUndefined();
    expect(pypiTokenLocation("pypi-Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA")).toBeUndefined();
    expect(pypiTokenLocation("pypi-***")).toBeUndefined();
    expect(pypiTokenLocation("AgEIcHlwaS5vcmc")).toBeUndefined();
  });
});
