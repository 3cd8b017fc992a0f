/**
 * GitHub's token formats since April 2021 (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's since
 * September 2021 (`npm_`) are a prefix, a random base62 body and a 6-character base62 encoding
 * (alphabet 0-9A-Za-z, left-padded with `0`) of the CRC-32 of the body. Bodies are 30 characters,
 * 70 for `ghr_` refresh tokens. A candidate whose checksum does not match was typed by hand,
 * truncated or altered: it cannot be a live token. The implementation was checked against real,
 * revoked tokens of each kind found in public code (none of them is kept in this repository).
 * See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ and
 * https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
 */
import { encodeBase62 } from "./base62.js";
import { crc32 } from "./crc32.js";

const CHECKSUM_LENGTH = 6;
const BODY = /^[A-Za-z0-9]+$/;

/** The 6-character checksum that follows a token body. */
export function base62Crc32Checksum(body: string): string {
  return encodeBase62(crc32(body), CHECKSUM_LENGTH);
}

/** Splits `xxx_<body><checksum>` (or a bare `<body><checksum>`) into body and checksum. */
function split(token: string): { body: string; checksum: string } | undefined {
  const rest = token.slice(token.lastIndexOf("_") + 1);
  if (rest.length < 30 + CHECKSUM_LENGTH || !BODY.test(rest)) return undefined;
  return { body: rest.slice(0, -CHECKSUM_LENGTH), checksum: rest.slice(-CHECKSUM_LENGTH) };
}

/** True when the token ends in the checksum of its body (the GitHub layout). */
export function hasValidBase62Crc32Checksum(token: string): boolean {
  const parts = split(token);
  return parts !== undefined && base62Crc32Checksum(parts.body) === parts.checksum;
}

/**
 * npm tokens use GitHub's layout: the checksum covers the 30-character body, not the `npm_`
 * prefix (checked against a real, revoked token; some write-ups claim otherwise).
 */
export function hasValidNpmChecksum(token: string): boolean {
  return token.startsWith("npm_") && hasValidBase62Crc32Checksum(token);
}
