/**
 * JetBrains IDEs wrote deployment passwords into `WebServers.xml` "obfuscated": every UTF-16 code
 * unit XOR 0xDFAA, written as hex (`Integer.toHexString`, so four digits for every character below
 * U+2000 after the XOR, which is all of ASCII). It is no encryption: anyone reverses it, so the
 * value is a stored password. Decoded only to judge it (an empty or placeholder password is not
 * reported); the finding shows the value as it stands in the file.
 */

const KEY = 0xdfaa;
/** Longer values are no password field; bounds the work on hostile input. */
const MAX_HEX = 4 * 1024;

/** The password, or `undefined` when `hex` is not in JetBrains' format (odd length, not hex, control characters). */
export function decodeJetBrainsPassword(hex: string): string | undefined {
  if (hex.length === 0 || hex.length > MAX_HEX || hex.length % 4 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  let out = "";
  for (let i = 0; i < hex.length; i += 4) {
    const code = Number.parseInt(hex.slice(i, i + 4), 16) ^ KEY;
    if (code < 0x20 || code === 0x7f) return undefined;
    out += String.fromCharCode(code);
  }
  return out;
}

/** The inverse, for tests and fixtures. */
export function encodeJetBrainsPassword(password: string): string {
  let out = "";
  for (let i = 0; i < password.length; i++) out += (password.charCodeAt(i) ^ KEY).toString(16);
  return out;
}
