/**
 * Structural checks for password hashes in crypt(3) and related formats. Each encodes a digest
 * whose bit length is not a multiple of 6, so the last character of the encoding carries only
 * the digest's leftover bits and can take only a few values; a value typed by hand or cut from
 * elsewhere almost never has them (15 in 16 look-alikes fail). Checked against `openssl passwd`
 * output for `-1`, `-5`, `-6` and `-apr1`, and against libxcrypt's `crypt()` for bcrypt (which
 * also rewrites a salt's last character to its canonical value) and yescrypt:
 * https://akkadia.org/drepper/SHA-crypt.txt, https://www.openwall.com/crypt/
 *
 * LDAP `{SSHA}`-style values are base64 of the digest (and salt), so their decoded length says
 * which digest they are: RFC 2307 and OpenLDAP's `slappasswd`.
 */
import { decodeBase64 } from "./base64.js";

/** The crypt(3) alphabet (MD5-crypt, SHA-crypt): least significant bits first. */
const CRYPT = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** bcrypt's own alphabet, most significant bits first. */
const BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The value of the last character of `text` in `alphabet` is below `limit` (the leftover bits). */
function lastBelow(text: string, alphabet: string, limit: number): boolean {
  const value = alphabet.indexOf(text.slice(-1));
  return value >= 0 && value < limit;
}

/**
 * `$1$` and `$apr1$` (16-byte digest, 22 characters: 2 bits in the last) and `$6$` (64 bytes, 86
 * characters: 2 bits in the last); `$5$` and yescrypt's `$y$` (32 bytes, 43 characters: 4 bits in
 * the last).
 */
export function hasCanonicalCryptDigest(hash: string): boolean {
  const digest = hash.slice(hash.lastIndexOf("$") + 1);
  if (hash.startsWith("$5$") || hash.startsWith("$y$")) return digest.length === 43 && lastBelow(digest, CRYPT, 16);
  if (hash.startsWith("$6$")) return digest.length === 86 && lastBelow(digest, CRYPT, 4);
  if (hash.startsWith("$1$") || hash.startsWith("$apr1$")) return digest.length === 22 && lastBelow(digest, CRYPT, 4);
  return false;
}

/**
 * `$2b$12$` + 22 characters of salt (16 bytes: the last character holds 2 bits, a multiple of 16)
 * + 31 of hash (23 bytes: the last holds 4 bits, a multiple of 4).
 */
export function isCanonicalBcrypt(hash: string): boolean {
  const match = /^\$2[aby]\$[0-9]{2}\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!match) return false;
  const salt = BCRYPT.indexOf(match[1]!.slice(-1));
  const digest = BCRYPT.indexOf(match[2]!.slice(-1));
  return salt % 16 === 0 && digest % 4 === 0;
}

const DIGEST_BYTES: Readonly<Record<string, number>> = { MD5: 16, SHA: 20, SHA1: 20, SHA256: 32, SHA384: 48, SHA512: 64 };

/**
 * `{SHA}`, `{SSHA}`, `{SSHA512}`, `{MD5}`, `{SMD5}`...: base64 of exactly the digest, or of the
 * digest and a salt of 4 to 64 bytes for the salted (`S`) schemes.
 */
export function isLdapPasswordHash(value: string): boolean {
  const match = /^\{(S?)(MD5|SHA1?|SHA256|SHA384|SHA512)\}([A-Za-z0-9+/]+={0,2})$/i.exec(value);
  if (!match) return false;
  const bytes = decodeBase64(match[3]!);
  const digest = DIGEST_BYTES[match[2]!.toUpperCase()]!;
  if (!bytes) return false;
  return match[1] ? bytes.length >= digest + 4 && bytes.length <= digest + 64 : bytes.length === digest;
}
