/**
 * Whole-file contents as text, and the defence against `.gitattributes` hiding text from the scan.
 */
import { addedLinesFromContents } from "../../core/diff/added-lines-from-contents.js";
import type { ParsedFileDiff } from "../../core/diff/parse-unified-diff.js";
import { ContentError, type ChangedFile } from "../../core/types.js";
import type { CatFileBatch } from "./cat-file-batch.js";

/** Git calls a blob binary when a NUL byte appears in its first 8000 bytes; so do we. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Bytes from git as text. Not UTF-8 bytes become U+FFFD (checks see text, never bytes); content git
 * would call binary is refused with `ContentError("binary")`.
 */
export function decode(content: Buffer | null, path: string): string | null {
  if (content === null) return null;
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw new ContentError(`${path}: binary file`, "binary");
  return content.toString("utf8");
}

/**
 * Re-examines the files git called binary. Returns them (text ones with their added lines rebuilt)
 * and one note for the report naming those that hold text.
 */
export async function recheckBinaryFiles(files: readonly ChangedFile[]): Promise<{ files: ChangedFile[]; notes: string[] }> {
  const notes: string[] = [];
  const textMarkedBinary: string[] = [];
  const checked: ChangedFile[] = [];
  for (const file of files) checked.push(file.binary ? await recheckBinary(file, notes, textMarkedBinary) : file);
  if (textMarkedBinary.length > 0) {
    const listed = textMarkedBinary.slice(0, 5).join(", ");
    const more = textMarkedBinary.length > 5 ? ` and ${textMarkedBinary.length - 5} more` : "";
    notes.unshift(
      `${textMarkedBinary.length} file(s) marked binary by .gitattributes hold text (${listed}${more}); their added lines were worked out from the whole files and cannot take inline comments.`,
    );
  }
  return { files: checked, notes };
}

/**
 * `.gitattributes` in the scanned tree can mark any file `binary` or `-diff`, and git then hides
 * its lines. A change must not blind its own scan that way: when the head content has no NUL byte,
 * the added lines are worked out from the whole files instead (and none is commentable).
 */
async function recheckBinary(file: ChangedFile, notes: string[], textMarkedBinary: string[]): Promise<ChangedFile> {
  if (file.status === "removed") return file;
  let head: string | null;
  let base: string | null;
  try {
    head = await file.readHead();
    if (head === null) return file;
    // A base that really is binary has no lines to subtract: every head line is new.
    base = await file.readBase().catch((error: unknown) => {
      if (error instanceof ContentError && error.reason === "binary") return null;
      throw error;
    });
  } catch (error) {
    if (error instanceof ContentError && error.reason === "binary") return file;
    notes.push(`${file.path}: git calls it binary and it could not be read (${(error as Error).message}); its lines were not scanned.`);
    return file;
  }
  textMarkedBinary.push(file.path);
  return {
    ...file,
    binary: false,
    patchMissing: true,
    addedLines: addedLinesFromContents(base, head),
    addedLineView: undefined,
    commentableLines: new Set(),
  };
}

/**
 * A file of a git diff as a `ChangedFile`: its added lines from the diff, its whole contents at the
 * two sides read through `git cat-file --batch` on first use (`headName`/`baseName` turn a path into
 * the object name, e.g. `<sha>:<path>`). The CLI's change and each commit of a history share it.
 */
export function changedFileFromDiff(
  parsed: ParsedFileDiff,
  reader: Pick<CatFileBatch, "read">,
  headName: (path: string) => string,
  baseName: (path: string) => string,
): ChangedFile {
  const { path, previousPath, status } = parsed;
  const readHead = memoize(async () =>
    status === "removed" ? null : decode(await reader.read(headName(path), path), path),
  );
  const basePath = previousPath ?? path;
  const readBase = memoize(async () =>
    status === "added" ? null : decode(await reader.read(baseName(basePath), basePath), basePath),
  );
  return {
    path,
    ...(previousPath !== undefined ? { previousPath } : {}),
    status,
    binary: parsed.binary,
    patchMissing: false,
    // Lazy: the scan reads `addedLineView`; only files with findings ever become line objects.
    get addedLines() {
      return parsed.addedLines;
    },
    addedLineView: parsed.packedAddedLines,
    commentableLines: parsed.commentableLines,
    readHead,
    readBase,
  };
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}
