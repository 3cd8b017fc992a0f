/**
 * Building blocks for rules whose credential has no prefix of its own (an AWS secret access key, a
 * Twilio auth token): such a value is only a credential next to its key name, so the pattern is
 * "key name, assignment, value". Key names match in any case; the value keeps its exact charset.
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
 * A key name (one of `phrases`), then an assignment in any common syntax (`=`, `:`, `:=`, `=>`, a
 * function argument `,`; aligned with up to 16 spaces), optional quotes, then the value as the
 * `secret` group. `valueChars` is
 * the value's character class body: the value must end where those characters end, so a longer
 * string is not cut to size.
 */
export function keyed(phrases: readonly string[], value: string, valueChars: string): RegExp {
  const keys = phrases.map(keyPhrase).join("|");
  return new RegExp(
    `(?:${keys})[A-Za-z0-9_.-]{0,24}["'\`]?[ \t]{0,16}(?:=>|:=|=|:|,)\\s{0,4}["'\`]?(?<secret>${value})(?:[^${valueChars}]|$)`,
  );
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
