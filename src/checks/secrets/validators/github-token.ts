/**
 * GitHub's current token formats (April 2021: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's
 * (September 2021: `npm_`) are a prefix, 30 random base62 characters and a 6-character base62
 * encoding of the CRC-32 of those 30 characters. A candidate whose checksum does not match was
 * typed by hand, truncated or altered: it cannot be a live token.
 * See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ and
 * https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
 */
import { encodeBase62 } from "./base62.js";
import { crc32 } from "./crc32.js";

const BODY = /^[A-Za-z0-9]{30}$/;
const CHECKSUM_LENGTH = 6;

/** The 6-character checksum that follows a 30-character random body. */
export function base62Crc32Checksum(body: string): string {
  return encodeBase62(crc32(body), CHECKSUM_LENGTH);
}

/** True when `token` (with or without its `xxx_` prefix) ends in the checksum of its 30-character body. */
export function hasValidBase62Crc32Checksum(token: string): boolean {
  const underscore = token.lastIndexOf("_");
  const rest = underscore >= 0 ? token.slice(underscore + 1) : token;
  if (rest.length !== 30 + CHECKSUM_LENGTH) return false;
  const body = rest.slice(0, 30);
  if (!BODY.test(body)) return false;
  return base62Crc32Checksum(body) === rest.slice(30);
}
