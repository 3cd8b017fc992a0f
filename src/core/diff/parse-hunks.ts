/**
 * Reads unified-diff hunks into added lines and commentable lines (new-file numbering).
 *
 * This is the hot path for a 40 MB diff, so it walks the string with `indexOf("\n")` and
 * `charCodeAt` instead of splitting it or running a regex per line. Line text is a slice of the
 * input without its `\n` and without a trailing `\r` (CRLF content).
 */
import type { AddedLine } from "../types.js";
import { LineRangeSetBuilder, type LineRangeSet } from "./line-range-set.js";

export interface HunkLines {
  addedLines: AddedLine[];
  commentableLines: LineRangeSet;
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

/** Where hunk lines go: the added lines and the commentable line numbers of one file. */
export interface HunkSink {
  readonly added: { add(line: number, text: string): void };
  readonly commentable: LineRangeSetBuilder;
}

/**
 * Hunks of one file inside a full `git diff`, read a line at a time (so the diff can be parsed as
 * it streams in). `eol` is the position of the line's `\n` (or the end of `text`). The hunk
 * header's counts decide where a hunk ends, so an added line that looks like `+++ b/x` or
 * `diff --git` is still content.
 */
export class GitHunkReader {
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;

  /** Starts a hunk at a `@@` line; `false` when its header is malformed. */
  start(text: string, pos: number, eol: number): boolean {
    const header = parseHunkHeader(text, pos, eol);
    if (!header) return false;
    this.oldLeft = header.oldCount;
    this.newLeft = header.newCount;
    this.newLine = header.newStart;
    return true;
  }

  /** Takes the next line if it belongs to the hunks; `false` when the file's hunks ended before it. */
  next(text: string, pos: number, eol: number, out: HunkSink): boolean {
    const first = text.charCodeAt(pos);
    if (this.oldLeft > 0 || this.newLeft > 0) {
      if (first === PLUS) {
        if (this.newLeft === 0) return false;
        out.added.add(this.newLine, lineText(text, pos + 1, eol));
        out.commentable.add(this.newLine++);
        this.newLeft--;
      } else if (first === SPACE || pos === eol || (first === CR && eol === pos + 1)) {
        // An empty line inside a hunk is a context line whose leading space was stripped
        // (`diff.suppressBlankEmpty`, or whitespace-trimming mail clients).
        if (this.newLeft === 0 || this.oldLeft === 0) return false;
        out.commentable.add(this.newLine++);
        this.newLeft--;
        this.oldLeft--;
      } else if (first === MINUS) {
        if (this.oldLeft === 0) return false;
        this.oldLeft--;
      } else if (first !== BACKSLASH) {
        return false; // malformed: the hunk is shorter than its header said
      }
      return true;
    }
    if (first === AT) return this.start(text, pos, eol);
    // `\ No newline at end of file` may follow the hunk's last line; anything else ends the hunks.
    return first === BACKSLASH;
  }
}

/**
 * One file's hunks without file headers, as GitHub returns them in `patch` of
 * `GET /pulls/{n}/files`. With no file headers there is nothing to confuse content with, so lines
 * are classified by their first character and numbering follows each hunk header.
 */
export function parseHunks(patch: string): HunkLines {
  const addedLines: AddedLine[] = [];
  const commentable = new LineRangeSetBuilder();
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
        addedLines.push({ line: newLine, text: lineText(patch, pos + 1, eol) });
        commentable.add(newLine++);
      } else if (first === SPACE || pos === eol || (first === CR && eol === pos + 1)) {
        commentable.add(newLine++);
      }
      // `-` lines and `\ No newline at end of file` do not touch the new file.
    }
    pos = eol + 1;
  }
  return { addedLines, commentableLines: commentable.build() };
}
