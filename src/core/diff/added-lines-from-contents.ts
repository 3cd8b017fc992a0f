/**
 * Added lines of a file whose patch is missing (GitHub omits the patch of very large diffs), worked
 * out from the whole file at base and head with a line-level diff (jsdiff's Myers diff).
 *
 * Hostile files can make a diff quadratic, so the diff is bounded in time; past the bound a line
 * counts as added when the base holds fewer copies of it than the head. That fallback is exact for
 * pure insertions and never reports a line that merely moved, which suits the checks (a secret that
 * only moved was already in the base).
 */
import { diffArrays } from "diff";
import type { AddedLine } from "../types.js";

export interface AddedLinesOptions {
  /** Longest the line diff may take before the fallback is used. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2000;

export function addedLinesFromContents(
  base: string | null,
  head: string,
  options: AddedLinesOptions = {},
): AddedLine[] {
  const headLines = splitLines(head);
  if (base === null) return headLines.map((text, i) => ({ line: i + 1, text }));
  const baseLines = splitLines(base);

  // The common prefix and suffix cost nothing to skip and usually hold most of a big file.
  const shorter = Math.min(baseLines.length, headLines.length);
  let prefix = 0;
  while (prefix < shorter && baseLines[prefix] === headLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    baseLines[baseLines.length - 1 - suffix] === headLines[headLines.length - 1 - suffix]
  ) {
    suffix++;
  }
  const baseMiddle = baseLines.slice(prefix, baseLines.length - suffix);
  const headMiddle = headLines.slice(prefix, headLines.length - suffix);
  if (headMiddle.length === 0) return [];
  if (baseMiddle.length === 0) return headMiddle.map((text, i) => ({ line: prefix + i + 1, text }));

  const changes = diffArrays(baseMiddle, headMiddle, { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  if (!changes) return addedByCount(baseMiddle, headMiddle, prefix);

  const added: AddedLine[] = [];
  let line = prefix + 1;
  for (const change of changes) {
    if (change.removed) continue;
    if (change.added) for (const text of change.value) added.push({ line: line++, text });
    else line += change.value.length;
  }
  return added;
}

function addedByCount(baseLines: readonly string[], headLines: readonly string[], offset: number): AddedLine[] {
  const available = new Map<string, number>();
  for (const text of baseLines) available.set(text, (available.get(text) ?? 0) + 1);
  const added: AddedLine[] = [];
  headLines.forEach((text, i) => {
    const left = available.get(text) ?? 0;
    if (left > 0) available.set(text, left - 1);
    else added.push({ line: offset + i + 1, text });
  });
  return added;
}

/** Lines without terminators; a trailing `\r` is dropped (CRLF files), as the diff parser does. */
export function splitLines(content: string): string[] {
  if (content === "") return [];
  const lines = content.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.endsWith("\r")) lines[i] = text.slice(0, -1);
  }
  return lines;
}
