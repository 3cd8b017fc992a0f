/**
 * Scan API tokens: `prs_`, 43 base62 characters of 32 random bytes, and a 6-character base62
 * CRC-32 of those 43 (GitHub's layout, validators/github-token.ts). The fixed prefix and the
 * checksum let a secret scanner recognise a leaked token with no false positives, and let the API
 * refuse a mistyped one without asking the database. Only the SHA-256 of a token is stored; the
 * first characters of its body (`prs_` + 8) are its public label for listing and revoking.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { BASE62_ALPHABET } from "../../checks/secrets/validators/base62.js";
import { base62Crc32Checksum } from "../../checks/secrets/validators/github-token.js";

export const TOKEN_PREFIX = "prs_";
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
/** `prs_` and the body's first 8 characters: 48 bits, enough to tell an operator's tokens apart. */
const LABEL_LENGTH = TOKEN_PREFIX.length + 8;
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

/** A new token; the caller shows it once and keeps only `tokenHash` and `tokenLabel` of it. */
export function generateToken(): string {
  const body = base62Bytes(randomBytes(32), BODY_LENGTH);
  return `${TOKEN_PREFIX}${body}${base62Crc32Checksum(body)}`;
}

/** Whether the text is a well-formed token: prefix, length, alphabet and checksum. */
export function isWellFormedToken(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const body = text.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + BODY_LENGTH);
  return base62Crc32Checksum(body) === text.slice(-CHECKSUM_LENGTH);
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenLabel(token: string): string {
  return token.slice(0, LABEL_LENGTH);
}

/** Hex digests compared without an early exit. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** 32 bytes as a fixed-width base62 number (62^43 > 2^256, so 43 digits always suffice). */
function base62Bytes(bytes: Buffer, width: number): string {
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = BASE62_ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(width, "0");
}
