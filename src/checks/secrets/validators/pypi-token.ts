/**
 * PyPI API tokens are `pypi-` followed by a base64url-encoded macaroon (version 2 binary format).
 * A v2 macaroon starts with the version byte 2, then the location field (type 1, length, bytes),
 * then the identifier field (type 2). PyPI's location is `pypi.org` (`test.pypi.org` on TestPyPI),
 * so every real token starts `pypi-AgEIcHlwaS5vcmc` and a random string after `pypi-` does not decode.
 * See https://pypi.org/help/#apitoken and the macaroon v2 binary format (libmacaroons).
 */
import { decodeBase64 } from "./base64.js";

const VERSION_2 = 2;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
export const PYPI_LOCATIONS = ["pypi.org", "test.pypi.org"] as const;

/** The macaroon location of a `pypi-` token, or undefined when the value is not a v2 macaroon. */
export function pypiTokenLocation(token: string): string | undefined {
  if (!token.startsWith("pypi-")) return undefined;
  // Only the head is needed: version, location, and the identifier field's type byte.
  const head = token.slice(5, 5 + 64);
  const bytes = decodeBase64(head.slice(0, head.length - (head.length % 4)));
  if (!bytes || bytes.length < 4) return undefined;
  if (bytes[0] !== VERSION_2 || bytes[1] !== FIELD_LOCATION) return undefined;
  const length = bytes[2]!;
  if (length === 0 || length > 64 || bytes.length < 3 + length + 1) return undefined;
  const location = bytes.subarray(3, 3 + length).toString("latin1");
  if (bytes[3 + length] !== FIELD_IDENTIFIER) return undefined;
  return location;
}

export function isPypiMacaroon(token: string, location = "pypi.org"): boolean {
  return pypiTokenLocation(token) === location;
}
