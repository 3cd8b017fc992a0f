import type { AddedLine, AddedLineView, ChangedFile } from "./types.js";

/** A view over an array of added lines (what tests and the GitHub source build). */
export function arrayLineView(lines: readonly AddedLine[]): AddedLineView {
  return { count: lines.length, lineNumber: (i) => lines[i]!.line, lineText: (i) => lines[i]!.text };
}

/** Index access to a file's added lines, without materialising `addedLines` when the source packed them. */
export function addedLineView(file: ChangedFile): AddedLineView {
  return file.addedLineView ?? arrayLineView(file.addedLines);
}

/** The first `count` lines of a view. */
export function limitLineView(view: AddedLineView, count: number): AddedLineView {
  if (count >= view.count) return view;
  return { count, lineNumber: (i) => view.lineNumber(i), lineText: (i) => view.lineText(i) };
}
