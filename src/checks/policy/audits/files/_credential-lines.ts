/**
 * The line-oriented credential files (INI, netrc, YAML-ish config) are judged the same way: the
 * first line whose key matches and whose value is a literal credential. Patterns run one line at a
 * time and are anchored, so a long line costs one pass; comment lines of the format are skipped.
 */
import { isLiteralCredential, unquote } from "./_credential-value.js";
import { findLine } from "./_file-content.js";

export interface CredentialLine {
  readonly line: number;
  /** The key that holds the credential (`aws_secret_access_key`), for the message. */
  readonly field: string;
}

/** Lines longer than this are no configuration line (minified data, a base64 blob). */
const MAX_LINE = 8192;

export interface LiteralLineOptions {
  /** A further test of the unquoted value (a minimum length). */
  readonly accept?: (value: string) => boolean;
  /** The field's name when the pattern's first group does not hold it. */
  readonly field?: string;
  /** Line-comment markers of the format; default `#` and `;` (INI). JSON with comments uses `//`. */
  readonly comments?: readonly string[];
}

const INI_COMMENTS = ["#", ";"];

/**
 * The first line `pattern` matches with a literal credential. The pattern's first group is the key
 * (for the message) and its second the raw value, unquoted before judging.
 */
export function literalLine(text: string, pattern: RegExp, options: LiteralLineOptions = {}): CredentialLine | undefined {
  let field = "";
  const found = findLine(text, (line) => {
    if (line.length > MAX_LINE) return false;
    const trimmed = line.trimStart();
    if ((options.comments ?? INI_COMMENTS).some((marker) => trimmed.startsWith(marker))) return false;
    const match = pattern.exec(line);
    if (!match) return false;
    const value = unquote(match[2] ?? "");
    if (!isLiteralCredential(value) || (options.accept !== undefined && !options.accept(value))) return false;
    field = options.field ?? match[1] ?? "";
    return true;
  });
  return found ? { line: found.line, field } : undefined;
}

/** An `accept` for values of at least `min` characters. */
export const atLeast =
  (min: number) =>
  (value: string): boolean =>
    value.length >= min;

/** The line of the first `"key":` in JSON text (for a value already found by parsing). */
export function jsonKeyLine(text: string, key: string): number {
  const needle = `"${key}"`;
  return findLine(text, (line) => line.includes(needle))?.line ?? 1;
}

/** JSON that parses to an object, or `undefined`. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
