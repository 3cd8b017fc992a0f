/**
 * GitHub fine-grained personal access tokens: `github_pat_` + 22 + `_` + 59 characters. GitHub
 * has not published the layout; public scanners and real (revoked) tokens agree that characters
 * 78-85 are the first 8 characters of the RFC 4648 base32 encoding of the SHA-256 of the first 77
 * (prefix included). Every fine-grained token leaked in public code that we checked follows it,
 * and a random string passes with odds of 1 in 32^8 (about 10^12).
 */
import { createHash } from "node:crypto";

const SHAPE = /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/;
const BODY_LENGTH = 77;
const CHECKSUM_LENGTH = 8;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31]!;
  return out;
}

/** The 8 checksum characters expected after a 77-character token body. */
export function fineGrainedPatChecksum(body: string): string {
  return base32(createHash("sha256").update(body, "latin1").digest()).slice(0, CHECKSUM_LENGTH);
}

export function hasValidFineGrainedPatChecksum(token: string): boolean {
  if (!SHAPE.test(token)) return false;
  return fineGrainedPatChecksum(token.slice(0, BODY_LENGTH)) === token.slice(BODY_LENGTH, BODY_LENGTH + CHECKSUM_LENGTH);
}
