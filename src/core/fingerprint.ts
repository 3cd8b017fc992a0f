/**
 * Fingerprints identify a finding across pushes without storing what was found. They hash the
 * check, the rule, the path and the draft's `fingerprintKey` (never its line number), plus the
 * occurrence index among identical keys in one file, so moving unrelated lines keeps them stable.
 */
import { createHash, createHmac } from "node:crypto";

/**
 * The key for `keyedHash`. It is public and fixed on purpose: fingerprints must agree between the
 * CLI and the app and across installations (they go into committed allowlists). What protects a
 * secret is that its hash is HMAC-SHA-256 over a high-entropy value, not the secrecy of this key.
 */
const FINGERPRINT_KEY = "pr-sentinel/fingerprint/v1";

/** HMAC-SHA-256 of a sensitive value, hex. Use it for `fingerprintKey` and `identity` of secrets. */
export function keyedHash(value: string): string {
  return createHmac("sha256", FINGERPRINT_KEY).update(value).digest("hex");
}

export function fingerprint(parts: {
  checkId: string;
  ruleId: string;
  path: string;
  key: string;
  occurrence: number;
}): string {
  return createHash("sha256")
    .update([parts.checkId, parts.ruleId, parts.path, parts.key, String(parts.occurrence)].join("\u0000"))
    .digest("hex");
}
