/**
 * GitLab routable tokens (the `glpat-` format GitLab issues since 2025, and `glrt-` runner tokens):
 * `<prefix><base64url payload>[.<2-char version>].<2-char payload length><7-char checksum>`, the
 * checksum being the CRC-32 of everything before it in lower-case base36, left-padded with `0`.
 * GitLab's design document says secret scanners should check it offline exactly so:
 * `Zlib.crc32(token[...-7]) == token[-7, 7].to_i(36)`.
 * https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/
 *
 * Tokens from before routable tokens (`glpat-` + 20 random characters) have no dot and no
 * checksum, so they pass. Known limit: an instance token prefix set by the administrator comes
 * before `glpat-` and is part of the checksummed text, so the rule must hand over the token with it.
 */
import { crc32 } from "./crc32.js";

const CHECKSUM_LENGTH = 7;
/** `.` + 2 base36 characters of payload length + the checksum. */
const ROUTABLE_SUFFIX = /\.[0-9a-z]{2}([0-9a-z]{7})$/;

export function gitlabRoutableChecksum(checksummed: string): string {
  return crc32(checksummed).toString(36).padStart(CHECKSUM_LENGTH, "0");
}

export function hasValidGitlabRoutableChecksum(token: string): boolean {
  if (!token.includes(".")) return true;
  const suffix = ROUTABLE_SUFFIX.exec(token);
  if (!suffix) return false;
  return gitlabRoutableChecksum(token.slice(0, -CHECKSUM_LENGTH)) === suffix[1];
}
