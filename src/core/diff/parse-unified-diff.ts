/**
 * Parses `git diff` output (and plain `diff -u` output) into one record per file: paths, status,
 * binary flag, added lines and commentable lines in new-file numbering.
 *
 * Input is text: a source that reads git's bytes decodes them as UTF-8 first, so bytes that are
 * not UTF-8 become U+FFFD in paths and line text (the line numbers stay right).
 *
 * Paths come, in order of trust, from `rename/copy from/to` lines (exact, unprefixed), from the
 * `diff --git` line when both sides name the same file (which also tells whether `a/`/`b/` prefixes
 * are in use), and from the `---`/`+++` lines. Git quotes unusual paths C-style; see quoted-path.ts.
 */
import type { AddedLine, FileStatus } from "../types.js";
import { LineRangeSetBuilder } from "./line-range-set.js";
import { GitHunkReader, type HunkSink } from "./parse-hunks.js";
import { PackedAddedLinesBuilder, type PackedLines } from "./packed-added-lines.js";
import { readQuotedPath } from "./quoted-path.js";

export { parseHunks, type HunkLines } from "./parse-hunks.js";

export interface ParsedFileDiff {
  /** Path at head; for a removed file, the path that was removed. */
  path: string;
  /** Path at base, for renames and copies. */
  previousPath?: string;
  status: FileStatus;
  binary: boolean;
  /** Made from `packedAddedLines` on first read. */
  readonly addedLines: AddedLine[];
  /** The added lines without one object per line (not enumerable, so plain copies leave it out). */
  readonly packedAddedLines: PackedLines;
  /** Ascending when iterated. */
  commentableLines: ReadonlySet<number>;
  /** File modes from the extended header (e.g. `100755`), when the diff states them. */
  oldMode?: string;
  newMode?: string;
}

const DEV_NULL = "/dev/null";

interface FileBuilder extends HunkSink {
  readonly added: PackedAddedLinesBuilder;
  gitOld?: string;
  gitNew?: string;
  /** Length of the `a/`-style prefix the `diff --git` line showed, when it could tell. */
  prefixLength?: number;
  minusPath?: string;
  plusPath?: string;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  isNew: boolean;
  isDeleted: boolean;
  binary: boolean;
  sawHunks: boolean;
  oldMode?: string;
  newMode?: string;
}

function newBuilder(): FileBuilder {
  return {
    added: new PackedAddedLinesBuilder(),
    commentable: new LineRangeSetBuilder(),
    isNew: false,
    isDeleted: false,
    binary: false,
    sawHunks: false,
  };
}

export function parseUnifiedDiff(text: string): ParsedFileDiff[] {
  const parser = new UnifiedDiffParser();
  parser.push(text);
  return parser.end();
}

/**
 * The same parse fed in pieces, as a diff streams in: `push` takes any split of the text (a piece
 * may end inside a line, or inside a CRLF pair), `end` returns the files. Only complete lines are
 * read, so the result is the same as `parseUnifiedDiff` on the whole text.
 *
 * Added lines' text is sliced from the pieces, so a piece stays in memory while any of its added
 * lines does; nothing else is kept.
 */
export class UnifiedDiffParser {
  private readonly files: ParsedFileDiff[] = [];
  private current: FileBuilder | undefined;
  private readonly hunks = new GitHunkReader();
  private inHunks = false;
  /** A `--- ` line (without its line end): it starts a file only if the next line is `+++ `. */
  private pendingMinus: string | undefined;
  /** The start of a line whose end has not arrived yet. */
  private partial: string[] = [];

  push(piece: string): void {
    let pos = 0;
    if (this.partial.length > 0) {
      const newline = piece.indexOf("\n");
      if (newline === -1) {
        if (piece.length > 0) this.partial.push(piece);
        return;
      }
      const line = this.partial.join("") + piece.slice(0, newline);
      this.partial = [];
      this.line(line, 0, line.length);
      pos = newline + 1;
    }
    const length = piece.length;
    while (pos < length) {
      const eol = piece.indexOf("\n", pos);
      if (eol === -1) {
        this.partial.push(piece.slice(pos));
        return;
      }
      this.line(piece, pos, eol);
      pos = eol + 1;
    }
  }

  end(): ParsedFileDiff[] {
    if (this.partial.length > 0) {
      const line = this.partial.join("");
      this.partial = [];
      this.line(line, 0, line.length);
    }
    this.pendingMinus = undefined;
    this.finish();
    return this.files;
  }

  /** One line: `text` from `pos` up to `eol` (its `\n`, or the end of `text`). */
  private line(text: string, pos: number, eol: number): void {
    if (this.pendingMinus !== undefined) {
      // A plain unified diff has no `diff --git` line: `---` then `+++` after hunks starts the next file.
      const minus = this.pendingMinus;
      this.pendingMinus = undefined;
      if (text.startsWith("+++ ", pos)) {
        if (!this.current || this.current.sawHunks || this.current.minusPath !== undefined) {
          this.finish();
          this.current = newBuilder();
        }
        this.current.minusPath = readHeaderPath(minus, 4, minus.length);
      }
    }
    const current = this.current;
    if (this.inHunks && current) {
      if (this.hunks.next(text, pos, eol, current)) return;
      this.inHunks = false;
    }
    // Header lines of a diff saved with CRLF endings still parse.
    const end = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const first = text.charCodeAt(pos);

    if (first === 64 /* @ */ && current) {
      current.sawHunks = true;
      // A malformed hunk header is skipped.
      this.inHunks = this.hunks.start(text, pos, eol);
    } else if (first === 100 /* d */ && text.startsWith("diff --git ", pos)) {
      this.finish();
      this.current = newBuilder();
      readGitLine(text, pos + 11, end, this.current);
    } else if (first === 45 /* - */ && text.startsWith("--- ", pos)) {
      this.pendingMinus = text.slice(pos, end);
    } else if (current) {
      readExtendedHeader(text, pos, end, current);
    }
  }

  private finish(): void {
    if (this.current) {
      const parsed = toParsed(this.current);
      if (parsed) this.files.push(parsed);
    }
    this.current = undefined;
    this.inHunks = false;
  }
}

function readExtendedHeader(text: string, pos: number, end: number, file: FileBuilder): void {
  const line = (prefix: string) => text.startsWith(prefix, pos);
  if (line("+++ ")) file.plusPath = readHeaderPath(text, pos + 4, end);
  else if (line("new file mode ")) {
    file.isNew = true;
    file.newMode = text.slice(pos + 14, end);
  } else if (line("deleted file mode ")) {
    file.isDeleted = true;
    file.oldMode = text.slice(pos + 18, end);
  } else if (line("old mode ")) file.oldMode = text.slice(pos + 9, end);
  else if (line("new mode ")) file.newMode = text.slice(pos + 9, end);
  else if (line("rename from ")) file.renameFrom = readHeaderPath(text, pos + 12, end);
  else if (line("rename to ")) file.renameTo = readHeaderPath(text, pos + 10, end);
  else if (line("copy from ")) file.copyFrom = readHeaderPath(text, pos + 10, end);
  else if (line("copy to ")) file.copyTo = readHeaderPath(text, pos + 8, end);
  else if (line("Binary files ") || line("GIT binary patch")) file.binary = true;
  else if (line("index ")) {
    // `index abc..def 100644`: the mode is the same on both sides.
    const space = indexWithin(text, 32, pos + 6, end);
    if (space !== -1) {
      const mode = text.slice(space + 1, end);
      file.oldMode ??= mode;
      file.newMode ??= mode;
    }
  }
  // Everything else (similarity index, binary patch data, "Only in", …) carries nothing we keep.
}

/** A path after `--- `, `+++ `, `rename from ` …: quoted, or up to a tab (git adds one after names with spaces). */
function readHeaderPath(text: string, start: number, end: number): string {
  if (text.charCodeAt(start) === 34 /* " */) {
    const quoted = readQuotedPath(text, start, end);
    if (quoted) return quoted.value;
  }
  const tab = indexWithin(text, 9 /* \t */, start, end);
  return text.slice(start, tab === -1 ? end : tab);
}

/** `diff --git a/x b/y`: only trusted when both sides name the same file after their prefixes. */
function readGitLine(text: string, start: number, end: number, file: FileBuilder): void {
  let left: string | undefined;
  let right: string | undefined;
  if (text.charCodeAt(start) === 34) {
    const quoted = readQuotedPath(text, start, end);
    if (quoted && text.charCodeAt(quoted.end) === 32) {
      left = quoted.value;
      right = readHeaderPath(text, quoted.end + 1, end);
    }
  } else if (text.charCodeAt(end - 1) === 34) {
    const open = lastSpaceQuoteWithin(text, start, end);
    const quoted = open > start ? readQuotedPath(text, open + 1, end) : undefined;
    if (quoted && quoted.end === end) {
      left = text.slice(start, open);
      right = quoted.value;
    }
  } else if ((end - start) % 2 === 1) {
    // Unquoted and the same name on both sides: the separating space is exactly in the middle.
    const middle = start + (end - start - 1) / 2;
    if (text.charCodeAt(middle) === 32) {
      left = text.slice(start, middle);
      right = text.slice(middle + 1, end);
    }
  }
  if (left === undefined || right === undefined) return;
  if (left === right) {
    file.prefixLength = 0;
    file.gitOld = file.gitNew = left;
  } else if (left.startsWith("a/") && right.startsWith("b/")) {
    file.prefixLength = 2;
    file.gitOld = left.slice(2);
    file.gitNew = right.slice(2);
  }
}

// Bounded searches: a plain `indexOf` that misses would scan the rest of a 40 MB diff on every header line.
function indexWithin(text: string, code: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Last ` "` (space, quote) in [start, end). */
function lastSpaceQuoteWithin(text: string, start: number, end: number): number {
  for (let i = end - 2; i >= start; i--) if (text.charCodeAt(i) === 32 && text.charCodeAt(i + 1) === 34) return i;
  return -1;
}

function stripPrefix(path: string | undefined, prefix: "a/" | "b/", file: FileBuilder): string | undefined {
  if (path === undefined || path === DEV_NULL) return undefined;
  if (file.prefixLength === 0) return path;
  // Known prefix from the git line, or a plain diff that uses the a/ b/ convention.
  return path.startsWith(prefix) ? path.slice(2) : path;
}

function toParsed(file: FileBuilder): ParsedFileDiff | undefined {
  const isNew = file.isNew || file.minusPath === DEV_NULL;
  const isDeleted = file.isDeleted || file.plusPath === DEV_NULL;
  const oldPath = file.renameFrom ?? file.copyFrom ?? file.gitOld ?? stripPrefix(file.minusPath, "a/", file);
  const newPath = file.renameTo ?? file.copyTo ?? file.gitNew ?? stripPrefix(file.plusPath, "b/", file);
  const path = isDeleted ? (oldPath ?? newPath) : (newPath ?? oldPath);
  if (path === undefined) return undefined;

  let status: FileStatus = "modified";
  if (isNew) status = "added";
  else if (isDeleted) status = "removed";
  else if (file.renameTo !== undefined) status = "renamed";
  else if (file.copyTo !== undefined) status = "copied";

  const packed = file.added.build();
  const parsed = {
    path: detached(path),
    status,
    binary: file.binary,
    get addedLines() {
      return packed.toArray();
    },
    commentableLines: file.commentable.build(),
  } as unknown as ParsedFileDiff;
  Object.defineProperty(parsed, "packedAddedLines", { value: packed, enumerable: false });
  if ((status === "renamed" || status === "copied") && oldPath !== undefined) parsed.previousPath = detached(oldPath);
  if (file.oldMode !== undefined && !isNew) parsed.oldMode = detached(file.oldMode);
  if (file.newMode !== undefined && !isDeleted) parsed.newMode = detached(file.newMode);
  return parsed;
}

/**
 * A copy of a header string that does not share memory with the streamed piece it was sliced from.
 * V8 keeps a whole 256 KiB piece alive for one slice of it; without this, the path of every file
 * kept its piece, and with it the whole diff (~110 MB of a 100 MB change).
 */
function detached(value: string): string {
  return (` ${value}`).slice(1);
}
