/**
 * Reads unified-diff hunks into added lines and commentable lines (new-file numbering).
 *
 * This is the hot path for a 40 MB diff, so it walks the string with `indexOf("\n")` and
 * `charCodeAt` instead of splitting it or running a regex per line. Line text is a slice of the
 * input without its `\n` and without a trailing `\r` (CRLF content).
 */
import type { AddedLine } from "../types.js";

export interface HunkLines {
  addedLines: AddedLine[];
  commentableLines: Set<number>;
}

const CR = 13;
const SPACE = 32;
const PLUS = 43;
const MINUS = 45;
const AT = 64;
const BACKSLASH = 92;

/** Above this a line number or count is not believable: the header is treated as malformed. */
const MAX_LINE_NUMBER = 1_000_000_000;

export interface HunkHeader {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
}

/**
 * Parses `@@ -l[,s] +l[,s] @@` at `pos`. An omitted count means 1 (`@@ -1 +1 @@`).
 * Returns `undefined` for anything else (including combined-diff `@@@` headers).
 */
export function parseHunkHeader(text: string, pos: number, lineEnd: number): HunkHeader | undefined {
  if (!text.startsWith("@@ -", pos)) return undefined;
  const reader = { i: pos + 4 };
  const oldStart = readNumber(text, reader, lineEnd);
  if (oldStart === undefined) return undefined;
  let oldCount = 1;
  if (text.charCodeAt(reader.i) === 44 /* , */) {
    reader.i++;
    const n = readNumber(text, reader, lineEnd);
    if (n === undefined) return undefined;
    oldCount = n;
  }
  if (!text.startsWith(" +", reader.i)) return undefined;
  reader.i += 2;
  const newStart = readNumber(text, reader, lineEnd);
  if (newStart === undefined) return undefined;
  let newCount = 1;
  if (text.charCodeAt(reader.i) === 44) {
    reader.i++;
    const n = readNumber(text, reader, lineEnd);
    if (n === undefined) return undefined;
    newCount = n;
  }
  if (!text.startsWith(" @@", reader.i)) return undefined;
  return { oldStart, oldCount, newStart, newCount };
}

function readNumber(text: string, reader: { i: number }, lineEnd: number): number | undefined {
  const start = reader.i;
  let value = 0;
  while (reader.i < lineEnd) {
    const digit = text.charCodeAt(reader.i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    if (value > MAX_LINE_NUMBER) return undefined;
    reader.i++;
  }
  return reader.i === start ? undefined : value;
}

function lineEndAt(text: string, pos: number): number {
  const eol = text.indexOf("\n", pos);
  return eol === -1 ? text.length : eol;
}

function lineText(text: string, start: number, eol: number): string {
  return text.slice(start, eol > start && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol);
}

/**
 * Hunks of one file inside a full `git diff`: starts at a `@@` line and returns the position of the
 * first line after the file's last hunk. The hunk header's counts decide where a hunk ends, so an
 * added line that looks like `+++ b/x` or `diff --git` is still content.
 */
export function scanGitHunks(text: string, pos: number, out: HunkLines): number {
  const length = text.length;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  while (pos < length) {
    const eol = lineEndAt(text, pos);
    const first = text.charCodeAt(pos);
    if (oldLeft > 0 || newLeft > 0) {
      if (first === PLUS) {
        if (newLeft === 0) return pos;
        out.addedLines.push({ line: newLine, text: lineText(text, pos + 1, eol) });
        out.commentableLines.add(newLine++);
        newLeft--;
      } else if (first === SPACE || pos === eol || (first === CR && eol === pos + 1)) {
        // An empty line inside a hunk is a context line whose leading space was stripped
        // (`diff.suppressBlankEmpty`, or whitespace-trimming mail clients).
        if (newLeft === 0 || oldLeft === 0) return pos;
        out.commentableLines.add(newLine++);
        newLeft--;
        oldLeft--;
      } else if (first === MINUS) {
        if (oldLeft === 0) return pos;
        oldLeft--;
      } else if (first !== BACKSLASH) {
        return pos; // malformed: the hunk is shorter than its header said
      }
    } else if (first === AT) {
      const header = parseHunkHeader(text, pos, eol);
      if (!header) return pos;
      oldLeft = header.oldCount;
      newLeft = header.newCount;
      newLine = header.newStart;
    } else if (first !== BACKSLASH) {
      // `\ No newline at end of file` may follow the hunk's last line; anything else ends the hunks.
      return pos;
    }
    pos = eol + 1;
  }
  return length;
}

/**
 * One file's hunks without file headers, as GitHub returns them in `patch` of
 * `GET /pulls/{n}/files`. With no file headers there is nothing to confuse content with, so lines
 * are classified by their first character and numbering follows each hunk header.
 */
export function parseHunks(patch: string): HunkLines {
  const out: HunkLines = { addedLines: [], commentableLines: new Set() };
  const length = patch.length;
  let pos = 0;
  let newLine = 0;
  let inHunk = false;
  while (pos < length) {
    const eol = lineEndAt(patch, pos);
    const first = patch.charCodeAt(pos);
    if (first === AT) {
      const header = parseHunkHeader(patch, pos, eol);
      inHunk = header !== undefined;
      if (header) newLine = header.newStart;
    } else if (inHunk) {
      if (first === PLUS) {
        out.addedLines.push({ line: newLine, text: lineText(patch, pos + 1, eol) });
        out.commentableLines.add(newLine++);
      } else if (first === SPACE || pos === eol || (first === CR && eol === pos + 1)) {
        out.commentableLines.add(newLine++);
      }
      // `-` lines and `\ No newline at end of file` do not touch the new file.
    }
    pos = eol + 1;
  }
  return out;
}
