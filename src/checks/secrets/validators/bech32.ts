/**
 * Bech32 checksums (BIP-173), for credentials that wrap their key in one. age identities are
 * `AGE-SECRET-KEY-1` + the bech32 encoding of a 32-byte X25519 key: human-readable part
 * "age-secret-key-" (upper-cased in the key file), separator `1`, 52 data characters and a
 * 6-character checksum; post-quantum identities (`age-keygen -pq`, age 1.3) are the same with
 * "age-secret-key-pq-". age uses the original bech32 constant, not bech32m (BIP-350), and lifts
 * BIP-173's 90-character limit, which its post-quantum recipients exceed.
 * https://github.com/C2SP/C2SP/blob/main/age.md
 *
 * A key typed by hand, cut short or with one character changed fails the checksum (BIP-173
 * guarantees detection of up to four substituted characters), so it is not a usable identity.
 */
import { bech32 } from "@scure/base";

/** Longer than any identity we match; bounds the work on hostile input. */
const MAX_LENGTH = 2048;

/** The lower-cased human-readable part and the decoded payload, or undefined when the checksum fails. */
export function decodeBech32(text: string): { prefix: string; bytes: Uint8Array } | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const decoded = bech32.decodeUnsafe(text, false);
  if (!decoded) return undefined;
  const bytes = bech32.fromWordsUnsafe(decoded.words);
  return bytes ? { prefix: decoded.prefix, bytes } : undefined;
}

export function hasValidBech32Checksum(text: string): boolean {
  return decodeBech32(text) !== undefined;
}

/** X25519 identities, and the post-quantum ML-KEM-768 + X25519 ones of `age-keygen -pq` (age 1.3): both hold a 32-byte seed. */
const AGE_HRPS = new Set(["age-secret-key-", "age-secret-key-pq-"]);

/**
 * The whole identity from what a rule captured: the identity itself, what follows
 * `AGE-SECRET-KEY-` (`1…` or `PQ-1…`), or the bare X25519 body (bech32 has no `1` in its alphabet,
 * so a body never starts with one).
 */
function ageIdentity(key: string): string {
  if (/^AGE-SECRET-KEY-/i.test(key)) return key;
  if (/^(?:PQ-)?1/i.test(key)) return `AGE-SECRET-KEY-${key}`;
  return `AGE-SECRET-KEY-1${key}`;
}

/** True for an age identity (X25519 or post-quantum) with a valid checksum and a 32-byte key. */
export function isAgeSecretKey(key: string): boolean {
  const decoded = decodeBech32(ageIdentity(key));
  return decoded !== undefined && AGE_HRPS.has(decoded.prefix) && decoded.bytes.length === 32;
}
