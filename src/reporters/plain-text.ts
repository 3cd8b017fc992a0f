/**
 * Text from a pull request (paths, messages, evidence) is hostile. Before any reporter shows it,
 * it becomes one bounded line without control characters: a terminal escape sequence in a file
 * name must not recolor or rewrite the reader's terminal, and bidi overrides must not make a line
 * read differently from what it is ("Trojan Source").
 */

// C0 and C1 controls (tab, CR and LF included), DEL, bidi embeddings/overrides/isolates, line and
// paragraph separators, the BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Default cap for one piece of hostile text; a finding's message or path longer than this is cut. */
export const MAX_INLINE_CHARS = 500;

/** One line, no control characters (each becomes a space), at most `max` characters (cut with `…`). */
export function oneLine(text: string, max = MAX_INLINE_CHARS): string {
  const flat = text.replace(UNSAFE, " ");
  if (flat.length <= max) return flat;
  // Do not split a surrogate pair.
  let cut = max - 1;
  const code = flat.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${flat.slice(0, cut)}…`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
