/**
 * Atlassian's current API tokens (`ATATT…` for Jira and Confluence, `ATCTT…` for Bitbucket access
 * tokens) end in 8 upper-case hex digits: the CRC-32 of everything before them. Atlassian does not
 * document it; every token leaked in public code that we checked follows it, and a random tail
 * passes with odds of 1 in 2^32.
 */
import { crc32 } from "./crc32.js";

const CHECKSUM = /^[0-9A-F]{8}$/;

export function atlassianChecksum(body: string): string {
  return crc32(body).toString(16).toUpperCase().padStart(8, "0");
}

export function hasValidAtlassianChecksum(token: string): boolean {
  if (token.length < 40) return false;
  const checksum = token.slice(-8);
  return CHECKSUM.test(checksum) && atlassianChecksum(token.slice(0, -8)) === checksum;
}
