/**
 * Builds `ChangedFile`s for tests without a diff: the head text, which lines the change added
 * (default: all, as for an added file), and optionally the base text. Counts whole-file reads so
 * tests can assert laziness.
 */
import type { AddedLine, ChangedFile, FileStatus } from "../../src/core/types.js";

export interface ChangedFileSpec {
  readonly path: string;
  /** Whole file at head; `null` for a removed file. */
  readonly head: string | null;
  /** Whole file at base; defaults to `null` for added files, else the head with the added lines removed. */
  readonly base?: string | null;
  /** New-file line numbers the change added; default every line of `head`. */
  readonly added?: readonly number[];
  /** Default: the added lines. */
  readonly commentable?: readonly number[];
  readonly status?: FileStatus;
  readonly previousPath?: string;
  readonly binary?: boolean;
  readonly patchMissing?: boolean;
}

export interface TestChangedFile extends ChangedFile {
  /** How often `readHead()` was called. */
  readonly headReads: number;
}

export function changedFile(spec: ChangedFileSpec): TestChangedFile {
  const headLines = spec.head === null ? [] : spec.head.split(/\r?\n/);
  if (spec.head !== null && spec.head.endsWith("\n")) headLines.pop();
  const addedNumbers = spec.added ?? headLines.map((_, i) => i + 1);
  const addedLines: AddedLine[] = addedNumbers.map((line) => {
    const text = headLines[line - 1];
    if (text === undefined) throw new Error(`changedFile(${spec.path}): line ${line} is not in head`);
    return { line, text };
  });
  const status = spec.status ?? (spec.added === undefined ? "added" : "modified");
  const added = new Set(addedNumbers);
  const base =
    spec.base !== undefined
      ? spec.base
      : status === "added"
        ? null
        : headLines.filter((_, i) => !added.has(i + 1)).join("\n");
  let headReads = 0;
  return {
    path: spec.path,
    previousPath: spec.previousPath,
    status,
    binary: spec.binary ?? false,
    patchMissing: spec.patchMissing ?? false,
    addedLines,
    commentableLines: new Set(spec.commentable ?? addedNumbers),
    get headReads() {
      return headReads;
    },
    readHead: async () => {
      headReads++;
      return spec.head;
    },
    readBase: async () => base,
  };
}

/** Numbered lines, for quick fixtures: `lines("a", "b")` is "a\nb\n". */
export function lines(...texts: string[]): string {
  return `${texts.join("\n")}\n`;
}
