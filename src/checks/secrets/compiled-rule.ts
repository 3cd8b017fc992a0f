/**
 * The one shape the scanner runs: built-in `SecretRule`s and custom rules from config both become a
 * `CompiledRule`, so placeholders, entropy, validators and redaction apply to both the same way.
 */
import { hexEntropyThreshold } from "./entropy.js";
import type { Confidence, Severity } from "../../core/types.js";
import type { SecretRule } from "./rule.js";

export interface Candidate {
  readonly secret: string;
  /** Offset of the secret in the scanned text. */
  readonly index: number;
}

export interface CompiledRule {
  readonly id: string;
  readonly provider: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly keywords: readonly string[];
  readonly multiline: boolean;
  /** See `SecretRule.paths`. */
  readonly paths?: RegExp;
  /** See `SecretRule.exceptPaths`. */
  readonly exceptPaths?: RegExp;
  /**
   * Runs on lines longer than `max_line_length` too. True for rules whose match carries a vendor
   * prefix (a `ghp_` token inside a minified bundle is still a leak); false for generic and custom
   * rules, whose precision on minified code is poor and whose cost there is unbounded.
   */
  readonly strong: boolean;
  readonly custom: boolean;
  readonly minEntropy?: number;
  /**
   * The threshold for long hexadecimal values (entropy.ts `hexEntropyThreshold`): the built-in one
   * made fair to hex's 4-bit alphabet; a threshold the config sets applies as it is.
   */
  readonly minEntropyHex?: number;
  readonly allow: readonly string[];
  readonly validate?: (secret: string) => boolean;
  readonly redactPrefix?: string;
  /** See `SecretRule.userAndPassword`. */
  readonly userAndPassword?: boolean;
  readonly remediation?: string;
  readonly verifier?: string;
  /** Custom rules: the message from config, used instead of "<title> (<provider>)". */
  readonly message?: string;
  find(text: string): Candidate[];
}

/** Treats the named group `secret` as the credential, else the whole match. */
export function findWithRegExp(pattern: RegExp): (text: string) => Candidate[] {
  const flags = pattern.flags.replace(/[gy]/g, "") + "g";
  const global = new RegExp(pattern.source, flags);
  return (text) => {
    const found: Candidate[] = [];
    global.lastIndex = 0;
    for (let match = global.exec(text); match !== null; match = global.exec(text)) {
      if (match[0].length === 0) {
        global.lastIndex++;
        continue;
      }
      const secret = match.groups?.secret ?? match[0];
      if (!secret) continue;
      const within = match[0].indexOf(secret);
      found.push({ secret, index: match.index + Math.max(0, within) });
    }
    return found;
  };
}

export function compileSecretRule(rule: SecretRule, entropyOverride?: number): CompiledRule {
  const confidence = rule.confidence ?? "high";
  return {
    id: rule.id,
    provider: rule.provider,
    title: rule.title,
    severity: rule.severity,
    confidence,
    keywords: rule.keywords.map((k) => k.toLowerCase()),
    multiline: rule.multiline ?? false,
    paths: rule.paths,
    exceptPaths: rule.exceptPaths,
    strong: confidence === "high" && !rule.multiline,
    custom: false,
    minEntropy: entropyOverride ?? rule.minEntropy,
    minEntropyHex: entropyOverride ?? (rule.minEntropy !== undefined ? hexEntropyThreshold(rule.minEntropy) : undefined),
    allow: rule.allow ?? [],
    validate: rule.validate,
    redactPrefix: rule.redactPrefix,
    userAndPassword: rule.userAndPassword,
    remediation: rule.remediation,
    verifier: rule.verifier,
    find: findWithRegExp(rule.pattern),
  };
}
