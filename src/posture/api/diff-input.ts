/**
 * A unified diff sent to the API, checked line by line and turned into changed files. The shared
 * parser (core/diff) is lenient on purpose (a malformed hunk of `git diff` output is skipped), which
 * for a diff a client wrote by hand would mean added lines silently not scanned: a "clean" answer
 * about lines nobody looked at. So the API first walks the diff with the hunk counts and refuses the
 * first line that does not fit, naming it. Known limit: a diff whose trailing blank context lines
 * were trimmed away (up to 3, as `diff.trim()` does) is accepted, since those lines add nothing.
 *
 * A diff holds only the changed lines: checks that need a whole file (a lockfile, a workflow) are
 * told the file cannot be read, and say so in their outcome rather than passing it.
 */
import { parseHunkHeader } from "../../core/diff/parse-hunks.js";
import { parseUnifiedDiff } from "../../core/diff/parse-unified-diff.js";
import { ContentError, type ChangedFile } from "../../core/types.js";

export class DiffInputError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = "DiffInputError";
  }
}

const TRIMMED_CONTEXT_ALLOWANCE = 3;

export function changedFilesFromDiff(diff: string): ChangedFile[] {
  checkDiffLines(diff);
  const parsed = parseUnifiedDiff(diff);
  if (parsed.length === 0) throw new DiffInputError(1, "no file in the diff (expected `diff --git` or `---`/`+++` file headers)");
  return parsed.map((file) => {
    const unavailable = (side: string) => () =>
      Promise.reject(new ContentError(`${file.path}: the scan API was sent a diff, which has no whole file at ${side}; send "files" with contents to check whole files`, "unavailable"));
    return {
      path: file.path,
      ...(file.previousPath !== undefined ? { previousPath: file.previousPath } : {}),
      status: file.status,
      binary: file.binary,
      patchMissing: false,
      get addedLines() {
        return file.addedLines;
      },
      addedLineView: file.packedAddedLines,
      commentableLines: file.commentableLines,
      readHead: file.status === "removed" ? () => Promise.resolve(null) : unavailable("head"),
      readBase: file.status === "added" ? () => Promise.resolve(null) : unavailable("base"),
    };
  });
}

/** Throws `DiffInputError` at the first line that breaks the diff's structure. */
export function checkDiffLines(diff: string): void {
  if (diff.trim() === "") throw new DiffInputError(1, "the diff is empty");
  let lineNo = 0;
  let pos = 0;
  let inFile = false;
  let minusAt = -1;
  let hunkAt = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let afterHunk = false;
  while (pos < diff.length) {
    const eol = diff.indexOf("\n", pos);
    const rawEnd = eol === -1 ? diff.length : eol;
    const end = rawEnd > pos && diff.charCodeAt(rawEnd - 1) === 13 ? rawEnd - 1 : rawEnd;
    lineNo++;
    const start = pos;
    const first = end > start ? diff[start] : "";
    const starts = (prefix: string) => diff.startsWith(prefix, start);
    pos = rawEnd + 1;

    if (oldLeft > 0 || newLeft > 0) {
      if (first === "+") {
        if (newLeft === 0) throw new DiffInputError(lineNo, `one added line more than the hunk header at line ${hunkAt} counts`);
        newLeft--;
      } else if (first === " " || first === "") {
        if (newLeft === 0 || oldLeft === 0) throw new DiffInputError(lineNo, `one context line more than the hunk header at line ${hunkAt} counts`);
        newLeft--;
        oldLeft--;
      } else if (first === "-") {
        if (oldLeft === 0) throw new DiffInputError(lineNo, `one removed line more than the hunk header at line ${hunkAt} counts`);
        oldLeft--;
      } else if (first !== "\\") {
        throw new DiffInputError(lineNo, `the hunk that starts at line ${hunkAt} ends early: ${oldLeft} old and ${newLeft} new lines were still due (lines in a hunk start with " ", "+", "-" or "\\")`);
      }
      continue;
    }
    if (starts("@@")) {
      if (!inFile) throw new DiffInputError(lineNo, "a hunk before any file header (`diff --git`, or `---` and `+++`)");
      const parsed = parseHunkHeader(diff, start, end);
      if (!parsed) throw new DiffInputError(lineNo, "malformed hunk header (expected `@@ -start,count +start,count @@`)");
      ({ oldCount: oldLeft, newCount: newLeft } = parsed);
      hunkAt = lineNo;
      afterHunk = true;
      continue;
    }
    if (starts("diff --git ")) {
      inFile = true;
      afterHunk = false;
    } else if (starts("--- ")) {
      minusAt = lineNo;
    } else if (starts("+++ ")) {
      if (minusAt !== lineNo - 1) throw new DiffInputError(lineNo, "a `+++` file header without the `---` line before it");
      inFile = true;
      afterHunk = false;
    } else if (afterHunk && (first === "+" || first === " ")) {
      throw new DiffInputError(lineNo, `${first === "+" ? "an added" : "a context"} line after the hunk that starts at line ${hunkAt} ended: its header counts fewer lines`);
    }
  }
  if (oldLeft > 0 || newLeft > 0) {
    const trimmedContext = oldLeft === newLeft && oldLeft <= TRIMMED_CONTEXT_ALLOWANCE;
    if (!trimmedContext) throw new DiffInputError(lineNo, `the diff ends inside the hunk that starts at line ${hunkAt}: ${oldLeft} old and ${newLeft} new lines were still due`);
  }
}
