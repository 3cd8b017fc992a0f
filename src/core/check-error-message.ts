/**
 * What a check's error may say in public. The message of an error a check throws goes into the
 * check run summary, the review and the logs, and parsers put their input into their messages:
 * Node 20's `JSON.parse` quotes the first characters of the text it could not read
 * (`Unexpected token 'g', "ghp_abcdef"... is not valid JSON`), other parsers quote the offending
 * token. The input is a changed file, and a changed file may hold a secret. So quoted text is
 * dropped unless it is a known-safe name (a changed file's path), token-like runs (letters and
 * digits mixed, 16 or more) are dropped, and the message is one bounded line.
 */

/** Longest message kept; the check run has room, but an error is a reason, not a report. */
export const MAX_CHECK_ERROR_CHARS = 300;

const QUOTED = /(["'`])([^\n]*?)\1/g;
const TOKEN_LIKE = /[A-Za-z0-9_+=-]{16,}/g;

export function scrubCheckErrorMessage(message: string, safeQuoted: ReadonlySet<string> = new Set()): string {
  const firstLine = message.split(/\r?\n/, 1)[0]!.trim();
  const unquoted = firstLine.replace(QUOTED, (whole, quote: string, inner: string) =>
    // A single character is a parser naming the token it stopped at; a path is ours to show.
    inner.length <= 1 || safeQuoted.has(inner) ? whole : `${quote}…${quote}`,
  );
  const scrubbed = unquoted.replace(TOKEN_LIKE, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) && !safeQuoted.has(run) ? "…" : run));
  const bounded = scrubbed.length > MAX_CHECK_ERROR_CHARS ? `${scrubbed.slice(0, MAX_CHECK_ERROR_CHARS - 1)}…` : scrubbed;
  return bounded || "unknown error";
}
