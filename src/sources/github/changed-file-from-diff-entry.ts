/**
 * Turns one entry of GitHub's changed-file list (`diff-entry`) into the engine's `ChangedFile`.
 * GitHub omits `patch` for binary files and for very large diffs; the first are recognised by
 * having no counted changes, the second are rebuilt from the whole files at base and head, and then
 * nothing in them is commentable (there is no hunk to anchor a comment to).
 *
 * A file that `paths.ignore` leaves out is passed on as it is listed and never read, not even its
 * patch parsed: an ignored 100 MB `vendor/` tree costs no request. The engine then counts it as
 * ignored, exactly as if it had been read.
 */
import { addedLinesFromContents } from "../../core/diff/added-lines-from-contents.js";
import { parseHunks } from "../../core/diff/parse-unified-diff.js";
import { ContentError, type AddedLine, type ChangedFile, type FileStatus } from "../../core/types.js";
import type { ContentReader } from "./content-reader.js";

/** The fields of GitHub's `diff-entry` this module reads. */
export interface DiffEntry {
  readonly filename: string;
  readonly status: string;
  readonly sha?: string | null;
  readonly changes?: number;
  readonly patch?: string;
  readonly previous_filename?: string;
}

export interface DiffEntryContext {
  readonly reader: ContentReader;
  readonly baseSha: string;
  readonly headSha: string;
  /** Where a file's added lines could not be derived (said to the user, never silently clean). */
  readonly notes: string[];
  /** `paths.ignore`, applied before anything is read. */
  readonly isIgnored?: (path: string) => boolean;
  /**
   * Whether a file GitHub sent no patch for is rebuilt from its whole base and head contents (two
   * reads). Default true; the per-commit scan turns it off to keep one request per commit.
   */
  readonly rebuildMissingPatch?: boolean;
  /** Names where a file comes from in notes (`commit 1a2b3c4`), when it is not the change itself. */
  readonly commitLabel?: string;
}

const NO_LINES: ReadonlySet<number> = new Set();

export async function changedFileFromDiffEntry(entry: DiffEntry, context: DiffEntryContext): Promise<ChangedFile> {
  const status = fileStatus(entry.status);
  const path = entry.filename;
  const previousPath = entry.previous_filename;
  const readHead = memoize(() =>
    status === "removed"
      ? Promise.resolve(null)
      : entry.sha
        ? context.reader.blob(entry.sha, path)
        : context.reader.fileAt(path, context.headSha),
  );
  const readBase = memoize(() =>
    status === "added" ? Promise.resolve(null) : context.reader.fileAt(previousPath ?? path, context.baseSha),
  );
  const base = { path, ...(previousPath ? { previousPath } : {}), status, readHead, readBase };

  if (context.isIgnored?.(path)) {
    return { ...base, binary: false, patchMissing: false, addedLines: [], commentableLines: NO_LINES };
  }
  if (entry.patch !== undefined) {
    const { addedLines, commentableLines } = parseHunks(entry.patch);
    return { ...base, binary: false, patchMissing: false, addedLines, commentableLines };
  }
  const unchangedContent = (entry.changes ?? 0) === 0;
  if (status === "removed" || (unchangedContent && (status === "renamed" || status === "copied"))) {
    return { ...base, binary: false, patchMissing: false, addedLines: [], commentableLines: NO_LINES };
  }
  if (unchangedContent) {
    return { ...base, binary: true, patchMissing: false, addedLines: [], commentableLines: NO_LINES };
  }
  if (context.rebuildMissingPatch === false) {
    const where = context.commitLabel ? ` in ${context.commitLabel}` : "";
    context.notes.push(`GitHub sent no diff for ${path}${where}; its changes there were not scanned.`);
    return { ...base, binary: false, patchMissing: true, addedLines: [], commentableLines: NO_LINES };
  }
  const rebuilt = await addedLinesWithoutPatch(path, readBase, readHead, context.notes);
  return { ...base, binary: rebuilt.binary, patchMissing: true, addedLines: rebuilt.addedLines, commentableLines: NO_LINES };
}

async function addedLinesWithoutPatch(
  path: string,
  readBase: () => Promise<string | null>,
  readHead: () => Promise<string | null>,
  notes: string[],
): Promise<{ addedLines: readonly AddedLine[]; binary: boolean }> {
  try {
    const [baseText, headText] = await Promise.all([readBase(), readHead()]);
    if (headText === null) return { addedLines: [], binary: false };
    return { addedLines: addedLinesFromContents(baseText, headText), binary: false };
  } catch (error) {
    if (error instanceof ContentError && error.reason === "binary") return { addedLines: [], binary: true };
    const message = error instanceof Error ? error.message : String(error);
    notes.push(`GitHub sent no diff for ${path} and the file could not be read (${message}); its changes were not scanned.`);
    return { addedLines: [], binary: false };
  }
}

function fileStatus(status: string): FileStatus {
  switch (status) {
    case "added":
    case "removed":
    case "renamed":
    case "copied":
    case "modified":
      return status;
    default:
      // `changed` (mode only) and `unchanged` carry no content change of their own.
      return "modified";
  }
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}
