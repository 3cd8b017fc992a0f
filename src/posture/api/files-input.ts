/**
 * Files sent with their contents (and, for a modified file, the content before): the added lines
 * are worked out as for a pull request whose patch GitHub left out (core/diff's line diff). Every
 * added line is commentable, since there is no patch to say otherwise. Whole files are available,
 * so checks that read a lockfile or a workflow judge them in full.
 */
import { addedLinesFromContents } from "../../core/diff/added-lines-from-contents.js";
import type { ChangedFile } from "../../core/types.js";

export interface FileWithContent {
  readonly path: string;
  readonly content: string;
  /** The file before the change; absent or `null` for a new file. */
  readonly base_content?: string | null;
}

export function changedFilesFromContents(files: readonly FileWithContent[]): ChangedFile[] {
  return files.map((file) => {
    const base = file.base_content ?? null;
    const addedLines = addedLinesFromContents(base, file.content);
    return {
      path: file.path,
      status: base === null ? "added" : "modified",
      binary: false,
      patchMissing: false,
      addedLines,
      commentableLines: new Set(addedLines.map((l) => l.line)),
      readHead: () => Promise.resolve(file.content),
      readBase: () => Promise.resolve(base),
    };
  });
}
