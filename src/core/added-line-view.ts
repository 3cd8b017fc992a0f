import type { AddedLine, AddedLineView, ChangedFile } from "./types.js";

const views = new WeakMap<readonly AddedLine[], AddedLineView>();

/** A view over an array of added lines (what tests and the GitHub source build). */
export function arrayLineView(lines: readonly AddedLine[]): AddedLineView {
  let view = views.get(lines);
  if (!view) {
    view = {
      count: lines.length,
      lineNumber: (i) => lines[i]!.line,
      lineText: (i) => lines[i]!.text,
    };
    views.set(lines, view);
  }
  return view;
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
