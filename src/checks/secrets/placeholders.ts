/**
 * Values that sit where a secret goes but are not one: templates, environment lookups, masks and
 * the words people use in documentation. Shared by every rule (a rule adds its provider's documented
 * example keys through `allow`); generic rules additionally use `looksLikeNonSecret`.
 *
 * Random tokens contain short words by chance, so short words (`test`, `fake`) count only with a
 * separator next to them, and long values (PEM bodies) are judged only on markers a random body
 * cannot contain (`...`, `<`, `${`, `{{`).
 */

import { assignedKey, namesDigest, namesNonCredentialToken } from "./assigned-key.js";

const TEMPLATE = [
  /\$\{[^}]*\}/, // ${VAR}
  /\{\{[^}]*\}\}/, // {{ var }}
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  // <token>, <YOUR_API_KEY>: a one-case name in brackets. Any text between `<` and `>` would also
  // take in random tokens whose alphabet has both (4% of Oracle auth tokens were dropped).
  /<\/?(?:[a-z_][a-z_-]{2,40}|[A-Z_][A-Z_-]{2,40})>/,
  /\bprocess\.env\b/,
  /\bos\.(?:environ|getenv)\b/,
  /\bENV\[/,
  /\bgetenv\s*\(/i,
  /\.\.\.|…/, // truncated or elided
];

/** Long words: no random token contains them by chance. */
const LONG_WORDS =
  /(?:your[_-]?(?:api|access|secret|auth|own|private|key|token|pass)|changeme|change[_-]me|example|placeholder|redacted|replace[_-]?me|insert[_-]?(?:your|key|token)|dummy|sample|notreal|not[_-]a[_-]real|xxxxxx|000000)/i;

/** Short words count only as their own word inside the value. */
const SHORT_WORDS = /(?:^|[^a-z0-9])(?:test|fake|mock|demo|foo|bar|todo|none|null|here|provide)(?:$|[^a-z0-9])/i;

/**
 * A value that is only the name of what goes there: `secret`, `my-password`, `api_key_here`,
 * `password123`. (`secret` inside a value is no sign: `secret_…` is Notion's and Supabase's prefix.)
 */
const ONLY_A_NAME =
  /^(?:my|your|the|a|some|super|top|default|jwt|app|db|admin|session|user)?[\s_.-]?(?:secret|password|passwd|pass|passphrase|token|key|api[_-]?key|access[_-]?key|private[_-]?key)(?:[\s_.-]?(?:key|value|here|string|goes[_-]?here|\d{1,4}))*$/i;

const MASK = /\*{3,}|•{3,}|#{4,}/;

export interface PlaceholderOptions {
  /** Documented example values of the rule's provider; a value equal to or containing one is not real. */
  readonly allow?: readonly string[];
  /** The credential's public prefix (`ghp_`, `secret_`): judged without it, since it is no filler. */
  readonly prefix?: string;
}

export function isPlaceholder(secret: string, options: PlaceholderOptions = {}): boolean {
  for (const example of options.allow ?? []) if (example && secret.includes(example)) return true;
  const value = options.prefix && secret.startsWith(options.prefix) ? secret.slice(options.prefix.length) : secret;
  if (ONLY_A_NAME.test(value)) return true;
  // Anonymous access is public by definition (`https://anonymous:guest@ftp…`).
  if (/^anonymous:/i.test(value)) return true;
  for (const pattern of TEMPLATE) if (pattern.test(value)) return true;
  if (MASK.test(value)) return true;
  // A PEM body or a JSON key file is long and base64: only unambiguous markers count there.
  if (value.length > 256) return /\b(?:EXAMPLE|REDACTED|PLACEHOLDER)\b/i.test(value);
  if (LONG_WORDS.test(value)) return true;
  if (SHORT_WORDS.test(value)) return true;
  return hasRepeatedRun(value, 6) || hasSequentialRun(value, 6) || hasPeriodicRun(value, 12) || tooFewDistinct(value);
}

/** A short unit repeated: `abababababab`, `12341234123412`. */
export function hasPeriodicRun(value: string, run: number): boolean {
  for (let period = 2; period <= 4; period++) {
    let length = 0;
    for (let i = period; i < value.length; i++) {
      length = value.charCodeAt(i) === value.charCodeAt(i - period) ? length + 1 : 0;
      if (length + period >= run) return true;
    }
  }
  return false;
}

/** The same character `run` times in a row: `aaaaaa`, `111111`. */
export function hasRepeatedRun(value: string, run: number): boolean {
  let length = 1;
  for (let i = 1; i < value.length; i++) {
    length = value.charCodeAt(i) === value.charCodeAt(i - 1) ? length + 1 : 1;
    if (length >= run) return true;
  }
  return false;
}

/** Ascending or descending alphabet or digits: `abcdef`, `123456`, `987654`. */
export function hasSequentialRun(value: string, run: number): boolean {
  const lower = value.toLowerCase();
  let up = 1;
  let down = 1;
  for (let i = 1; i < lower.length; i++) {
    const step = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
    const alnum = /[a-z0-9]/.test(lower[i]!) && /[a-z0-9]/.test(lower[i - 1]!);
    up = alnum && step === 1 ? up + 1 : 1;
    down = alnum && step === -1 ? down + 1 : 1;
    if (up >= run || down >= run) return true;
  }
  return false;
}

function tooFewDistinct(value: string): boolean {
  if (value.length < 12) return false;
  return new Set(value).size <= 4;
}

const HEX_HASH_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);
const HASH_CONTEXT =
  /(?:^|[^a-z])(?:md5|sha\d*|hash|digest|checksum|shasum|integrity|etag|commit|revision|rev|ref|oid|fingerprint|nonce|salt|hmac)(?:$|[^a-z])/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGRITY = /^(?:sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=]+$/;
/** Identifiers and property paths (`config.auth.token`, `SOME_ENV_NAME`) are references, not values. */
const IDENTIFIER_PATH = /^[A-Za-z_$#][A-Za-z0-9_$]*(?:(?:\.|::|->|\?\.)#?[A-Za-z_$][A-Za-z0-9_$]*)+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** What follows a variable or a type in code: `password: PasswordType;`, `token: tokenValue,`. */
const CODE_AFTER = /^\s*(?:[;,)\]}|&<>[]|\?\?|=>)/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** A comment that shows what a value looks like: "It will be like …", "e.g. …", "for example …". */
const EXAMPLE_COMMENT =
  /^\s*(?:\/\/|#|\*|\/\*|<!--|--|;)\s*.*\b(?:e\.g\.|for example|for instance|such as|looks? like|will be like|format(?:ted)? (?:is|like)|example)/i;
/** `export type MqttPassword = ...`, `declare type Token<T> = ...`: a type, whatever follows. */
const TYPE_ALIAS = /^\s*(?:export\s+)?(?:declare\s+)?type\s+[A-Za-z_$][\w$]*(?:<[^<>=]{0,200}>)?\s*=/;
const CAMEL_WORDS = /^[a-z]+(?:[A-Z][a-z]+){1,}$|^(?:[A-Z][a-z]+){2,}$/;

/**
 * For generic rules (a key name plus some value): values that are real data of another kind.
 * `line` is the whole line: the name the value is assigned to (assigned-key.ts) decides whether
 * hash-shaped hex is a digest or a credential, and whether a random-looking token is a page
 * cursor; without a name, context words such as `sha256` or `integrity` anywhere on the line do.
 */
export function looksLikeNonSecret(value: string, line: string): boolean {
  if (UUID.test(value)) return true;
  if (INTEGRITY.test(value)) return true;
  const key = assignedKey(line, value);
  if (key !== undefined && namesNonCredentialToken(key)) return true;
  if (/^[0-9a-f]+$/i.test(value) && HEX_HASH_LENGTHS.has(value.length) && (key !== undefined ? namesDigest(key) : HASH_CONTEXT.test(line))) return true;
  if (TYPE_ALIAS.test(line)) return true;
  if (/[()[\]]/.test(value) && isUnquotedCode(value, line)) return true;
  if (/\bintegrity\b/i.test(line) && /\bsha(?:1|256|384|512)-/.test(line)) return true;
  if (/data:[a-z]+\/[a-z0-9.+-]+;base64,/i.test(line)) return true;
  if (IDENTIFIER_PATH.test(value) || CONSTANT_NAME.test(value) || CAMEL_WORDS.test(value)) return true;
  if (isCodeReference(value, line)) return true;
  if (EXAMPLE_COMMENT.test(line)) return true;
  // File paths and URLs without credentials are not secrets either.
  if (/^(?:\.{0,2}\/|[a-z]+:\/\/[^@\s]*$)/i.test(value)) return true;
  return false;
}

/**
 * A value with brackets that is not in quotes is code (`decl.value.split(/(,|`), unless it is the
 * whole right side of a `NAME=value` or `name: value` line (.env, YAML), where unquoted Django keys
 * with their brackets are common.
 */
function isUnquotedCode(value: string, line: string): boolean {
  const at = line.indexOf(value);
  if (at < 0) return false;
  const before = line.slice(0, at);
  if (/["'`]$/.test(before)) return false;
  const wholeRightSide = /^\s*(?:export\s+)?[\w.-]{1,100}\s{0,16}[=:]\s{0,16}$/.test(before) && /^\s*(?:#.*)?$/.test(line.slice(at + value.length));
  return !wholeRightSide;
}

/** An unquoted identifier followed by code punctuation is a variable or a type, not a value. */
function isCodeReference(value: string, line: string): boolean {
  if (!IDENTIFIER.test(value)) return false;
  const at = line.indexOf(value);
  if (at < 0) return false;
  const before = line[at - 1] ?? "";
  if (before === '"' || before === "'" || before === "`") return false;
  return CODE_AFTER.test(line.slice(at + value.length));
}
