/**
 * Is this literal in a workflow a real credential? Workflows are full of passwords that are not:
 * the database a CI job starts for its tests (`POSTGRES_PASSWORD: postgres`, `MYSQL_ROOT_PASSWORD:
 * root`, `SA_PASSWORD: YourStrong!Passw0rd`) is thrown away with the runner. What is worth a
 * reviewer's time is a value someone generated: a vendor-prefixed token (the secrets check's own
 * high-confidence rules say which), or a long value that looks random and contains no word a person
 * would type. Registry logins are stricter: any literal password there logs in to a real registry.
 *
 * Known limits: a random-looking throwaway password is reported (the author can turn it into
 * `${{ secrets.X }}` or suppress it); a real password that is a dictionary word is not, outside
 * registry logins.
 */
import { createHash } from "node:crypto";
import { redactSecret } from "../../../core/redact.js";
import type { Confidence } from "../../../core/types.js";
import { compileSecretRule, type CompiledRule } from "../../secrets/compiled-rule.js";
import { shannonEntropy } from "../../secrets/entropy.js";
import { isPlaceholder, looksLikeNonSecret } from "../../secrets/placeholders.js";
import { secretRules } from "../../secrets/rules/index.js";
import { accepts } from "../../secrets/scanner.js";

/**
 * Where the literal sits. A registry login (or a value passed as a secret) takes any real password;
 * an action's credential input takes any password a person would choose for a real account (not
 * the words of a throwaway one), at low confidence; elsewhere (`env:`, where CI databases get their
 * passwords) only generated values count.
 */
export type CredentialPlace = "registry-login" | "action-input" | "credential";

/** Last words of input and variable names that hold a credential (names split on `-`, `_`, `.`). */
const CREDENTIAL_SUFFIXES: readonly (readonly string[])[] = [
  ["password"],
  ["passwd"],
  ["token"],
  ["secret"],
  ["apikey"],
  ["api", "key"],
  ["secret", "key"],
  ["secret", "access", "key"],
  ["private", "key"],
  ["access", "key"],
  ["client", "secret"],
  ["secret", "key", "base"],
  ["ssh", "key"],
  ["deploy", "key"],
  ["signing", "key"],
  ["credentials"],
  ["credentials", "json"],
  ["webhook"],
  ["webhook", "url"],
];

/** Names that end like a credential but hold something else. */
const NOT_CREDENTIAL_WORDS = new Set(["file", "path", "name", "type", "format", "env", "id", "url", "length", "ttl", "expiry", "enabled", "header", "prefix"]);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[-_.\s]+/)
    .filter((w) => w !== "");
}

const nameCache = new Map<string, boolean>();

/** `password`, `registry-password`, `NPM_TOKEN`, `aws-secret-access-key`, `apiKey`: names of credential inputs and variables. */
export function isCredentialName(name: string): boolean {
  const known = nameCache.get(name);
  if (known !== undefined) return known;
  const answer = judgeName(name);
  // Names repeat across files (`node-version`, `GITHUB_TOKEN`); the cache is bounded against hostile ones.
  if (nameCache.size > 5000) nameCache.clear();
  nameCache.set(name, answer);
  return answer;
}

function judgeName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0) return false;
  const last = parts[parts.length - 1]!;
  // A webhook's URL is its credential (Slack, Discord, Teams): whoever has it can post.
  if (last === "url" && parts[parts.length - 2] === "webhook") return true;
  if (NOT_CREDENTIAL_WORDS.has(last)) return false;
  // `id-token` is the OIDC permission's name, never a stored credential.
  if (parts.length === 2 && parts[0] === "id" && last === "token") return false;
  return CREDENTIAL_SUFFIXES.some((suffix) => suffix.length <= parts.length && suffix.every((w, i) => parts[parts.length - suffix.length + i] === w));
}

export interface CredentialVerdict {
  /** `high`: a vendor format or a registry password; `medium`: random-looking. */
  readonly confidence: Confidence;
  /** The value as it may be shown: redacted. */
  readonly redacted: string;
  /** `GitHub personal access token (classic)` when a vendor rule knew it. */
  readonly kind?: string;
  /** A short digest of the value, so a different literal in the same place is a new finding; never the value. */
  readonly digest: string;
}

let vendorRules: readonly CompiledRule[] | undefined;

/** The secrets check's vendor rules: high confidence, a fixed prefix or structure (PEM blocks included: a value is its whole text). */
function strongRules(): readonly CompiledRule[] {
  vendorRules ??= secretRules.filter((r) => (r.confidence ?? "high") === "high").map((r) => compileSecretRule(r));
  return vendorRules;
}

function vendorCredential(value: string): CompiledRule | undefined {
  const lower = value.toLowerCase();
  for (const rule of strongRules()) {
    if (!rule.keywords.some((k) => lower.includes(k))) continue;
    for (const candidate of rule.find(value)) {
      if (accepts(rule, candidate.secret, value)) return rule;
    }
  }
  return undefined;
}

/**
 * Words people type into throwaway passwords (after undoing `P@ssw0rd` spellings). Four letters
 * or more: a random 32-character token contains one of these by chance about once in 30,000.
 */
const TYPED_WORDS = [
  "pass",
  "secret",
  "admin",
  "root",
  "test",
  "strong",
  "postgres",
  "mysql",
  "mongo",
  "redis",
  "rabbit",
  "user",
  "guest",
  "demo",
  "local",
  "docker",
  "default",
  "sample",
  "dummy",
  "fake",
  "hello",
  "welcome",
  "qwerty",
  "letmein",
  "insecure",
  "super",
  "example",
  "changeit",
  "minio",
  "keycloak",
  "elastic",
  "oracle",
  "sonar",
];

function unLeet(value: string): string {
  return value.toLowerCase().replace(/[0@4$31!7]/g, (c) => ({ "0": "o", "@": "a", "4": "a", $: "s", "3": "e", "1": "i", "!": "i", "7": "t" })[c] ?? c);
}

function containsTypedWord(value: string): boolean {
  const plain = value.toLowerCase();
  const leet = unLeet(value);
  return TYPED_WORDS.some((w) => plain.includes(w) || leet.includes(w));
}

function characterClasses(value: string): number {
  let n = 0;
  if (/[a-z]/.test(value)) n++;
  if (/[A-Z]/.test(value)) n++;
  if (/[0-9]/.test(value)) n++;
  if (/[^A-Za-z0-9]/.test(value)) n++;
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Generated, not typed: long enough, varied enough, and no word in it. */
export function looksGenerated(value: string): boolean {
  // A UUID under a credential name is one (Heroku API keys, Codecov upload tokens).
  if (UUID.test(value)) return true;
  if (value.length < 16 || value.length > 4096) return false;
  if (/\s/.test(value)) return false;
  if (characterClasses(value) < 2) return false;
  if (shannonEntropy(value) < (value.length < 24 ? 3.3 : 3.6)) return false;
  if (containsTypedWord(value)) return false;
  if (isPlaceholder(value)) return false;
  return !looksLikeNonSecret(value, value);
}

/**
 * The verdict on one literal (the caller has already checked the name and that the value is not an
 * expression). `undefined`: not worth reporting.
 */
export function judgeCredentialLiteral(value: string, place: CredentialPlace): CredentialVerdict | undefined {
  const trimmed = value.trim();
  if (trimmed === "" || isExpressionOrReference(trimmed)) return undefined;
  const digest = createHash("sha256").update(trimmed).digest("hex").slice(0, 12);
  const vendor = vendorCredential(trimmed);
  if (vendor) return { confidence: "high", redacted: redactSecret(trimmed, vendor.redactPrefix), kind: vendor.title, digest };
  if (looksGenerated(trimmed)) return { confidence: "medium", redacted: redactSecret(trimmed), digest };
  if (place === "action-input" && trimmed.length >= 8 && !/\s/.test(trimmed) && !containsTypedWord(trimmed) && !isPlaceholder(trimmed) && !looksLikeNonSecret(trimmed, trimmed) && !/^[a-z]+$/i.test(trimmed)) {
    return { confidence: "low", redacted: redactSecret(trimmed), digest };
  }
  if (place === "registry-login" && trimmed.length >= 6 && !isPlaceholder(trimmed) && !/^(?:password|passwd|secret|changeme|test|example)$/i.test(trimmed)) {
    return { confidence: "medium", redacted: redactSecret(trimmed), digest };
  }
  return undefined;
}

/** `${{ … }}` anywhere, or a shell or environment reference (`$TOKEN`, `${TOKEN}`, `%TOKEN%`). */
function isExpressionOrReference(value: string): boolean {
  if (value.includes("${{")) return true;
  return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(value);
}
