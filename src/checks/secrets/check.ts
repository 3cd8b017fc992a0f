/**
 * The secrets check: credentials in the lines a change adds.
 *
 * Threat: a credential pushed to a repository is found by scanners within minutes of becoming
 * public, and stays in history after it is deleted. Data: the rule table (rules/), custom rules
 * from config, the lines the change adds (a secret only removed is not reported; one moved is, as
 * it is added again). Known false positives: generic rules on high-entropy test data and on values
 * the placeholder recogniser does not know; findings in test paths are lowered, not dropped.
 *
 * The secret exists only inside this module: drafts carry a redacted form and keyed hashes.
 */
import { addedLineView, limitLineView } from "../../core/added-line-view.js";
import { keyedHash } from "../../core/fingerprint.js";
import { createPathMatcher } from "../../core/paths.js";
import { redactSecret } from "../../core/redact.js";
import {
  defineCheck,
  severityRank,
  type AddedLineView,
  type CheckContext,
  type FindingDraft,
  type RuleMeta,
  type Severity,
} from "../../core/types.js";
import { isApiDescription } from "./api-descriptions.js";
import { contextLines } from "./context/context-lines.js";
import { mergeDerivedMatches } from "./context/merge-derived.js";
import { compileSecretRule, type CompiledRule } from "./compiled-rule.js";
import { compileCustomRule, CUSTOM_RULE_PREFIX } from "./custom-rules.js";
import { decodeJwt, describeJwt, looksLikeJwt, type JwtSummary } from "./jwt.js";
import { secretsOptionsSchema, type SecretsOptions } from "./options.js";
import { displayTitle, type SecretRule } from "./rule.js";
import { SecretScanner, type SecretMatch } from "./scanner.js";
import { isSampleDataPath } from "./test-paths.js";
import { isSecretVerifier, type SecretVerifier, type VerificationResult } from "./verify/types.js";
import { trustedMarkdown } from "../../core/trusted-markdown.js";

/** Custom rules may take this long per file; the rest of the file is left to built-in rules. */
const CUSTOM_RULE_BUDGET_MS = 250;
/** At most this many distinct secrets are verified per scan: verification is a courtesy, not a crawl. */
const MAX_VERIFICATIONS = 50;
const YIELD_EVERY_MS = 10;

export const CUSTOM_RULE_META: RuleMeta = {
  id: "custom",
  title: "Custom secret rule from config",
  description: "Rules from `checks.secrets.custom_rules`; each finding's rule id is `custom-<id>`.",
  severity: "high",
};

export function createSecretsCheck(rules: readonly SecretRule[]) {
  const optionsSchema = secretsOptionsSchema(rules);
  const scanners = new ScannerCache(rules);
  return defineCheck({
    meta: {
      id: "secrets",
      title: "Leaked secrets",
      description:
        "Finds credentials (cloud keys, tokens, private keys, passwords in URLs and assignments) in the lines a change adds.",
      defaultSeverity: "high",
      tags: ["security", "secrets"],
      services: ["secretVerifier"],
      rules: [
        // A rule's risk sentence and fix (with the provider's revocation URL) are this repository's
        // own words: trusted Markdown, rendered with clickable links.
        ...rules.map((r) => ({
          id: r.id,
          title: displayTitle(r),
          description: r.risk,
          severity: r.severity,
          risk: trustedMarkdown(r.risk),
          fix: trustedMarkdown(r.remediation),
        })),
        CUSTOM_RULE_META,
      ],
    },
    optionsSchema,
    async run(ctx) {
      return runSecretsCheck(ctx, scanners.get(ctx.options));
    },
  });
}

interface PendingFinding {
  readonly path: string;
  readonly match: SecretMatch;
  /**
   * Test data or documentation: a test path, an OpenAPI/Swagger description's examples, or a
   * vendored SDK's sample data (test-paths.ts `DEFAULT_SAMPLE_DATA_PATHS`; lowers generic findings only).
   */
  readonly place?: "test" | "api-description" | "sample-data";
  readonly jwt?: JwtSummary;
}

async function runSecretsCheck(ctx: CheckContext<SecretsOptions>, scanner: SecretScanner) {
  const { pending, warnings } = await scanFiles(ctx, scanner);
  const verifier = ctx.services.secretVerifier;
  const verified = isSecretVerifier(verifier) ? await verifyAll(verifier, pending, ctx.signal) : new Map();
  const findings = pending.map((p) => toDraft(p, ctx.options.test_severity, verified.get(p.match.secret)));
  ctx.logger.debug({ findings: findings.length, verified: verified.size }, "secrets scanned");
  return { findings, warnings };
}

async function scanFiles(ctx: CheckContext<SecretsOptions>, scanner: SecretScanner) {
  const { options, signal } = ctx;
  const isTestPath = createPathMatcher(options.test_paths);
  const pending: PendingFinding[] = [];
  const warnings: string[] = [];
  const longLines = { lines: 0, files: 0 };
  const outOfBudget: string[] = [];
  let apiDescriptions = 0;
  let lastYield = performance.now();
  for (const file of ctx.files) {
    // Yield every few milliseconds so a large change does not starve the event loop (webhooks,
    // timers, the engine's timeout); yielding after every file cost more than it gave.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    signal.throwIfAborted();
    const all = addedLineView(file);
    if (file.binary || all.count === 0) continue;
    const lines = withinByteCap(all, options.max_file_bytes);
    if (lines.count < all.count) {
      warnings.push(
        `${file.path}: only the first ${lines.count} of ${all.count} added lines were scanned for secrets (max_file_bytes is ${options.max_file_bytes})`,
      );
    }
    const apiDescription = isApiDescription(file.path, lines);
    if (apiDescription) apiDescriptions++;
    const scanOptions = { genericRules: !apiDescription, path: file.path };
    const scan = scanner.scan(lines, scanOptions);
    // Values whose name is on another line (`- name: X` / `value: ...`, `<add key=... value=...>`):
    // the same rules over derived `name: value` lines, reported at the value's line.
    const derived = contextLines(file.path, lines);
    if (derived.length > 0) mergeDerivedMatches(scan.matches, scanner.scan(derived, scanOptions).matches);
    if (scan.longLines > 0) {
      longLines.files++;
      longLines.lines += scan.longLines;
    }
    if (scan.customBudgetExceeded) outOfBudget.push(file.path);
    // Where the value sits decides how loud it is: test data and API examples are lowered, never dropped.
    const place = isTestPath(file.path) ? "test" : apiDescription ? "api-description" : isSampleDataPath(file.path) ? "sample-data" : undefined;
    for (const match of scan.matches) {
      const finding = toPending(file.path, match, place);
      if (finding) pending.push(finding);
    }
  }
  if (longLines.lines > 0) {
    warnings.push(
      `${longLines.lines} line(s) in ${longLines.files} file(s) are longer than max_line_length (${options.max_line_length}); only vendor-prefixed secret rules ran on them`,
    );
  }
  if (apiDescriptions > 0) {
    warnings.push(
      `${apiDescriptions} file(s) are OpenAPI or Swagger descriptions, full of example values: only vendor-prefixed secret rules ran on them`,
    );
  }
  if (outOfBudget.length > 0) {
    warnings.push(
      `custom secret rules ran out of time in ${outOfBudget.length} file(s) (${outOfBudget.slice(0, 3).join(", ")}); built-in rules still ran there`,
    );
  }
  return { pending, warnings };
}

/** Keeps added lines up to `maxBytes` of text (UTF-16 length approximates bytes closely enough for a cap). */
function withinByteCap(lines: AddedLineView, maxBytes: number): AddedLineView {
  if (lines.textLength !== undefined && lines.textLength <= maxBytes) return lines;
  let total = 0;
  for (let i = 0; i < lines.count; i++) {
    total += lines.lineText(i).length + 1;
    if (total > maxBytes) return limitLineView(lines, i);
  }
  return lines;
}

function toPending(path: string, match: SecretMatch, place: PendingFinding["place"]): PendingFinding | undefined {
  if (!looksLikeJwt(match.secret)) return { path, match, place };
  const jwt = decodeJwt(match.secret);
  // Something shaped like a JWT that does not decode is not one; a JWT rule must not report it.
  if (!jwt && /jwt/.test(match.rule.id)) return undefined;
  if (jwt?.documentedExample) return undefined;
  return { path, match, place, jwt };
}

function toDraft(p: PendingFinding, testSeverity: Severity, verification: VerificationResult | undefined): FindingDraft {
  const { rule, secret } = p.match;
  let severity = rule.severity;
  let message = rule.message ?? displayTitle(rule);
  const properties: Record<string, string | number | boolean> = { provider: rule.provider };
  if (p.jwt) {
    message = `${describeJwt(p.jwt)} (${rule.title})`;
    if (p.jwt.alg) properties.jwt_alg = p.jwt.alg;
    if (p.jwt.iss) properties.jwt_issuer = p.jwt.iss;
    if (p.jwt.exp) properties.jwt_expires = p.jwt.exp;
    if (p.jwt.expired) severity = lower(severity, "low");
  }
  if (p.place === "sample-data") {
    // Vendor-prefixed and validated formats do not occur by chance: only generic findings are lowered.
    properties.sample_data = true;
    if (rule.confidence !== "high") severity = lower(severity, testSeverity);
  } else if (p.place) {
    severity = lower(severity, testSeverity);
    if (p.place === "test") properties.test_file = true;
    else properties.api_example = true;
  }
  if (verification && verification.status !== "unknown") {
    properties.verified = verification.status === "active";
    if (verification.status === "active") {
      severity = "critical";
      message += ", verified active";
    } else message += ", verification: not active";
  } else if (verification) {
    properties.verification = `unknown${verification.detail ? ` (${verification.detail})` : ""}`;
  }
  const hash = keyedHash(secret);
  return {
    ruleId: rule.id,
    path: p.path,
    startLine: p.match.startLine,
    endLine: p.match.endLine,
    message,
    remediation: rule.remediation,
    evidence: evidenceOf(secret, rule.userAndPassword ? userPart(secret) : rule.redactPrefix),
    severity,
    confidence: rule.confidence,
    fingerprintKey: hash,
    identity: hash,
    properties,
  };
}

/** The redacted form, on one line: a PEM block's line breaks would break a table or an annotation. */
function evidenceOf(secret: string, prefix: string | undefined): string {
  if (!secret.includes("\n")) return redactSecret(secret, prefix);
  const oneLine = secret.replace(/\r?\n/g, " ");
  return redactSecret(oneLine, prefix?.replace(/\r?\n/g, " "));
}

/**
 * `user:` of a `user:password` secret: the user is no secret, and redacting it would expose the
 * password's end instead. Except where the "user" is the credential: GitHub's
 * `https://<token>:x-oauth-basic@github.com` form, or anything too long to be a user name.
 */
export function userPart(secret: string): string | undefined {
  const colon = secret.indexOf(":");
  if (colon <= 0) return undefined;
  const password = secret.slice(colon + 1);
  if (colon > MAX_USER_NAME_LENGTH || /^x-oauth-(?:basic|token)$/i.test(password)) return undefined;
  return secret.slice(0, colon + 1);
}

/** Longer "user names" are tokens in the user's place (a 40-hex token before `:x-oauth-basic`). */
const MAX_USER_NAME_LENGTH = 32;

function lower(severity: Severity, cap: Severity): Severity {
  return severityRank(severity) > severityRank(cap) ? cap : severity;
}

/** Verifies each distinct secret once; AWS keys get the other half of their pair from the same file. */
async function verifyAll(
  verifier: SecretVerifier,
  pending: readonly PendingFinding[],
  signal: AbortSignal,
): Promise<Map<string, VerificationResult>> {
  const bySecret = new Map<string, PendingFinding>();
  for (const p of pending) {
    const name = p.match.rule.verifier;
    if (name && verifier.supports(name) && !bySecret.has(p.match.secret)) bySecret.set(p.match.secret, p);
  }
  const entries = [...bySecret.values()].slice(0, MAX_VERIFICATIONS);
  const results = await Promise.all(
    entries.map(async (p) => {
      const related = pending
        .filter((o) => o.path === p.path && o.match.secret !== p.match.secret && o.match.rule.provider === p.match.rule.provider)
        .map((o) => o.match.secret);
      const result = await verifier.verify({ verifier: p.match.rule.verifier!, secret: p.match.secret, related }, signal);
      return [p.match.secret, result] as const;
    }),
  );
  return new Map(results);
}

/** Compiling ~300 rules and the keyword index takes milliseconds; reuse them while the options are the same. */
class ScannerCache {
  private key = "";
  private scanner: SecretScanner | undefined;

  constructor(private readonly rules: readonly SecretRule[]) {}

  get(options: SecretsOptions): SecretScanner {
    const key = JSON.stringify([options.entropy, options.custom_rules, options.max_line_length]);
    if (this.scanner && key === this.key) return this.scanner;
    const compiled: CompiledRule[] = this.rules.map((rule) =>
      compileSecretRule(rule, rule.minEntropy !== undefined ? (options.entropy[rule.id] ?? options.entropy["*"]) : options.entropy[rule.id]),
    );
    for (const custom of options.custom_rules) compiled.push(compileCustomRule(custom));
    this.scanner = new SecretScanner(compiled, {
      maxLineLength: options.max_line_length,
      customRuleBudgetMs: CUSTOM_RULE_BUDGET_MS,
    });
    this.key = key;
    return this.scanner;
  }
}

export { CUSTOM_RULE_PREFIX };
