/**
 * Shorthand for the most common rule shape: a token with its own vendor prefix. Everything it
 * fills in is visible here, so a rule written with it reads the same as a full record.
 */
import type { SecretRule } from "../rule.js";

export interface PrefixedToken {
  readonly id: string;
  readonly provider: string;
  readonly title: string;
  /** See `SecretRule.risk`: what the credential grants, in one sentence. */
  readonly risk: string;
  readonly pattern: RegExp;
  /** The public marker (empty when the token has none); also the keyword unless `keywords` is given. */
  readonly redactPrefix: string;
  readonly keywords?: readonly string[];
  readonly remediation: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
  readonly severity?: SecretRule["severity"];
  /** Default 3.2 bits per character (a hex body with its prefix clears it): random bodies clear it, `xxxx` and `1234` fillers do not. */
  readonly minEntropy?: number;
  readonly validate?: (secret: string) => boolean;
  readonly verifier?: string;
  readonly allow?: readonly string[];
}

export function prefixedToken(token: PrefixedToken): SecretRule {
  return {
    id: token.id,
    provider: token.provider,
    title: token.title,
    risk: token.risk,
    pattern: token.pattern,
    keywords: token.keywords ?? [token.redactPrefix.toLowerCase()],
    minEntropy: token.minEntropy ?? 3.2,
    severity: token.severity ?? "high",
    ...(token.redactPrefix ? { redactPrefix: token.redactPrefix } : {}),
    ...(token.validate ? { validate: token.validate } : {}),
    ...(token.verifier ? { verifier: token.verifier } : {}),
    ...(token.allow ? { allow: token.allow } : {}),
    remediation: token.remediation,
    samples: { positives: token.positives, negatives: token.negatives },
  };
}

/** A lowercase UUID, the shape of many older API keys. */
export const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
