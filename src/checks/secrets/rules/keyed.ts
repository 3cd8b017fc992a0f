/**
 * Building blocks for rules whose credential has no prefix of its own (an AWS secret access key, a
 * Twilio auth token): such a value is only a credential next to its key name, so the pattern is
 * "key name, assignment, value". Key names match in any case; the value keeps its exact charset.
 * `ASSIGNMENT` is the one grammar of "what sits between a key and its value", shared by these
 * vendor rules and the generic ones, so a syntax learnt once (a typed declaration, a PHP array
 * key) is learnt by every rule.
 */

/** `word` as a case-insensitive regex source: `aws` becomes `[aA][wW][sS]`. */
export function ci(word: string): string {
  return word.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** A key phrase with words separated by spaces; in code they may be joined by `_`, `-`, `.` or nothing. */
export function keyPhrase(phrase: string): string {
  return phrase
    .trim()
    .split(/\s+/)
    .map((word) => ci(word))
    .join("[_.-]?");
}

/**
 * The type of a typed declaration, between the name and `=`: Go `apiKey string =`, TypeScript,
 * Kotlin, Swift, Scala and Python `apiKey: string =` / `: String =` / `: str =` (nullable `String?`
 * too), Rust `key: &str =` and `&'static str =`, pydantic `SecretStr`, Python `Final`. Only string
 * types: a credential literal is a string, and a short closed list keeps the grammar linear.
 */
const STRING_TYPE = `(?:[ \\t]{0,4}:[ \\t]{0,4}(?:&(?:'static[ \\t]{1,4})?)?(?:[sS]tr(?:ing)?|SecretStr|Final(?:\\[str\\])?)\\??|[ \\t]{1,4}string)`;

/**
 * From the end of a key name to the start of its value, as a regex source:
 *   - the closing quote of a quoted key and the `]` of a subscript: `"apiKey":`, `ENV["API_KEY"] =`,
 *     PHP `$config['db_password'] =`;
 *   - optionally a string type (`STRING_TYPE`);
 *   - the operator `=`, `:=`, `:` or `=>`, aligned with up to 16 spaces, or a `,` after a quoted
 *     key: the key as a call argument (`define( 'AUTH_KEY',     '...' )`, `setdefault("API_KEY", "...")`);
 *   - up to 16 spaces and an optional opening quote.
 * A `,` after an unquoted name is no assignment (`login(user, password, "...")` passes arguments).
 */
export const ASSIGNMENT = `(?:(?:["'\`]\\]?|\\])?${STRING_TYPE}?[ \\t]{0,16}(?:=>|:=|=|:)|["'\`][ \\t]{0,4},)[ \\t]{0,16}["'\`]?`;

/**
 * A key name (one of `phrases`), up to 24 more name characters (`_KEY_PROD`), `ASSIGNMENT`, then
 * the value as the `secret` group. `valueChars` is the value's character class body: the value
 * must end where those characters end, so a longer string is not cut to size.
 */
export function keyed(phrases: readonly string[], value: string, valueChars: string): RegExp {
  const keys = phrases.map(keyPhrase).join("|");
  return new RegExp(`(?:${keys})[A-Za-z0-9_.-]{0,24}${ASSIGNMENT}(?<secret>${value})(?:[^${valueChars}]|$)`);
}


/** A key phrase as people spell it in code, lower-cased: `aws_secret`, `awssecret`, `aws-secret`, `aws.secret`. */
export function keyVariants(phrase: string): string[] {
  const words = phrase.trim().toLowerCase().split(/\s+/);
  return [...new Set(["_", "", "-", "."].map((separator) => words.join(separator)))];
}

/**
 * `keyed()`'s pattern with prefilter keywords that cover every spelling the pattern accepts
 * (each phrase with `_`, `-`, `.` or no separator), so the prefilter never hides a match. `extra`
 * keywords come first; spellings that already contain one of them are left out.
 */
export function keyedPattern(
  phrases: readonly string[],
  value: string,
  valueChars: string,
  extra: readonly string[] = [],
): { pattern: RegExp; keywords: readonly string[] } {
  const keywords = [...extra];
  for (const variant of phrases.flatMap(keyVariants)) {
    if (!keywords.some((keyword) => variant.includes(keyword))) keywords.push(variant);
  }
  return { pattern: keyed(phrases, value, valueChars), keywords };
}
