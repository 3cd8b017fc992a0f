/**
 * GitHub's token formats since April 2021 (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's since
 * September 2021 (`npm_`) are a prefix, a random base62 body and a 6-character base62 encoding
 * (alphabet 0-9A-Za-z, left-padded with `0`) of the CRC-32 of the body. Bodies are 30 characters,
 * 70 for `ghr_` refresh tokens. A candidate whose checksum does not match was typed by hand,
 * truncated or altered: it cannot be a live token.
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

/** Splits `xxx_<body><checksum>` (or a bare `<body><checksum>`) into its parts. */
function split(token: string): { prefix: string; body: string; checksum: string } | undefined {
  const underscore = token.lastIndexOf("_");
  const prefix = token.slice(0, underscore + 1);
  const rest = token.slice(underscore + 1);
  if (rest.length < 30 + CHECKSUM_LENGTH || !BODY.test(rest)) return undefined;
  return { prefix, body: rest.slice(0, -CHECKSUM_LENGTH), checksum: rest.slice(-CHECKSUM_LENGTH) };
}

/** True when the token ends in the checksum of its body (the GitHub layout). */
export function hasValidBase62Crc32Checksum(token: string): boolean {
  const parts = split(token);
  return parts !== undefined && base62Crc32Checksum(parts.body) === parts.checksum;
}

/**
 * npm tokens: npm describes the format as GitHub's. Public write-ups disagree on whether the
 * `npm_` prefix is part of the checksummed text, so both readings are accepted; a random string
 * passes either with odds of about 1 in 28 billion, so precision does not suffer.
 */
export function hasValidNpmChecksum(token: string): boolean {
  const parts = split(token);
  if (!parts) return false;
  return base62Crc32Checksum(parts.body) === parts.checksum || base62Crc32Checksum(parts.prefix + parts.body) === parts.checksum;
}
