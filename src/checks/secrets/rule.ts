/**
 * A secret detector is a record, not code: gitleaks-style data with its own test vectors.
 * The scanner (src/checks/secrets/scanner.ts) runs every rule the same way:
 *   1. prefilter: a rule runs only where one of its `keywords` occurs (case-insensitive);
 *   2. match `pattern`; the secret is the named group `secret` if present, else the whole match;
 *   3. reject placeholders and documented examples (shared placeholder list + the rule's `allow`);
 *   4. require `minEntropy` (Shannon, bits per char) of the secret when set;
 *   5. run `validate` when set: `false` means "not a real credential of this kind" (e.g. bad checksum).
 */
import type { Confidence, Severity } from "../../core/types.js";

export interface SecretRule {
  /** kebab-case, unique across all rules; the finding's rule id is `secrets/<id>`. */
  readonly id: string;
  /** The provider, as people say it: "GitHub", "AWS", "Stripe". */
  readonly provider: string;
  /** What the credential is: "GitHub classic personal access token". */
  readonly title: string;
  /**
   * One sentence of real risk: what the credential grants and how fast leaked ones are used.
   * Product-authored text (rendered as Markdown, links allowed). No provider name repetition
   * needed: the title says what it is.
   */
  readonly risk: string;
  /**
   * A JS regular expression (no `g`/`y` flag; the scanner adds what it needs). Use a named group
   * `secret` when the match includes context (a key name, quotes) around the credential.
   * Patterns are trusted code (reviewed), but must still be linear: no nested quantifiers.
   */
  readonly pattern: RegExp;
  /**
   * Lowercase literals, at least one of which appears in every true match (usually a prefix such as
   * `ghp_`, or the key name). They drive the fast prefilter, so they must be as specific as possible.
   * Empty only for a rule with `paths`: it then runs on every added line of the files it names.
   */
  readonly keywords: readonly string[];
  /**
   * The rule runs only in files whose path (forward slashes, from the repository root) matches:
   * formats such as `.netrc` or `.pgpass` whose very structure says the value is a credential, so
   * the value needs no entropy to count. Tested against the whole path; anchor with `(?:^|/)`.
   */
  readonly paths?: RegExp;
  /**
   * The rule does not run in files whose path matches: a format a `paths` rule owns (a `.netrc`,
   * a `.git-credentials`), where this rule would report the same values under another name.
   */
  readonly exceptPaths?: RegExp;
  /** Minimum Shannon entropy of the secret, for formats with no fixed structure. */
  readonly minEntropy?: number;
  /** Returns false when the candidate is not a real credential (failed checksum, impossible value). */
  readonly validate?: (secret: string) => boolean;
  readonly severity: Severity;
  /** How sure a match is a real credential; generic rules are `low` or `medium`. Default `high`. */
  readonly confidence?: Confidence;
  /** The pattern spans lines (PEM blocks, JSON key files): run over whole file text, not line by line. */
  readonly multiline?: boolean;
  /** The public part to keep when redacting, e.g. `ghp_`, `AKIA`, `sk_live_`. */
  readonly redactPrefix?: string;
  /**
   * The secret is `user:password`: redaction keeps the user and shows nothing of a short password
   * (the usual head and tail of the whole value would be most of an 8-character password).
   */
  readonly userAndPassword?: boolean;
  /** What to do, with the provider's revocation or rotation URL. */
  readonly remediation: string;
  /** Values that match but are documented examples of this provider (never real). */
  readonly allow?: readonly string[];
  /** Name of a live verifier (src/checks/secrets/verify/), used only when the operator enables verification. */
  readonly verifier?: string;
  /**
   * Test vectors, written for this project from the provider's documented format (no one else's
   * test data): each `positives` line must yield exactly this rule's finding, each `negatives` line
   * none from this rule. Lines may contain `\n` for multiline rules.
   */
  readonly samples: {
    readonly positives: readonly string[];
    readonly negatives: readonly string[];
    /** The path the samples are scanned under; required for a rule with `paths` (it must match them). */
    readonly path?: string;
  };
}

// "Providers" that only say what kind of thing it is: never appended to a title.
const NOT_A_PROVIDER = new Set(["private key", "generic", "xml configuration", "json web token"]);

/**
 * The title as people read it, naming the provider once: "AWS access key id", not "AWS access key
 * id (AWS)"; "Sentry auth token (Sentry)" only when the title does not say it already.
 */
export function displayTitle(rule: Pick<SecretRule, "title" | "provider">): string {
  if (NOT_A_PROVIDER.has(rule.provider.toLowerCase())) return rule.title;
  const titleWords = new Set(rule.title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
  const named = rule.provider
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => word.length >= 3 && titleWords.has(word));
  return named ? rule.title : `${rule.title} (${rule.provider})`;
}
