import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseHunks, parseUnifiedDiff, type ParsedFileDiff } from "../../../src/core/diff/parse-unified-diff.js";

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/diffs/${name}`, import.meta.url), "utf8");
}

function only(files: ParsedFileDiff[]): ParsedFileDiff {
  expect(files).toHaveLength(1);
  return files[0]!;
}

function byPath(files: ParsedFileDiff[], path: string): ParsedFileDiff {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return file;
}

function sorted(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

describe("parseUnifiedDiff", () => {
  it("reads a rename with edits: both paths, added lines and the hunks' new-file lines", () => {
    const file = only(parseUnifiedDiff(fixture("rename-with-edit.diff")));
    expect(file).toMatchObject({ path: "new-name.txt", previousPath: "old-name.txt", status: "renamed", binary: false });
    expect(file.addedLines).toEqual([
      { line: 10, text: "line 10 changed" },
      { line: 21, text: "line 21 added" },
    ]);
    expect(sorted(file.commentableLines)).toEqual([7, 8, 9, 10, 11, 12, 13, 18, 19, 20, 21]);
  });

  it("reads a pure rename (no hunks)", () => {
    const file = only(parseUnifiedDiff(fixture("rename-pure.diff")));
    expect(file).toMatchObject({ path: "renamed-again.txt", previousPath: "new-name.txt", status: "renamed" });
    expect(file.addedLines).toEqual([]);
    expect(file.commentableLines.size).toBe(0);
  });

  it("reads rename paths with spaces (git ends such names with a tab on ---/+++)", () => {
    const file = only(parseUnifiedDiff(fixture("rename-with-spaces.diff")));
    expect(file).toMatchObject({ path: "d e f.txt", previousPath: "a b c.txt", status: "renamed" });
    expect(file.addedLines).toEqual([{ line: 11, text: "11" }]);
  });

  it("reads a copy", () => {
    const file = only(parseUnifiedDiff(fixture("copy-with-edit.diff")));
    expect(file).toMatchObject({ path: "source-copy.txt", previousPath: "source.txt", status: "copied" });
    expect(file.addedLines).toEqual([{ line: 31, text: "copy extra" }]);
  });

  it("reads added and deleted files", () => {
    const files = parseUnifiedDiff(fixture("added-and-deleted.diff"));
    expect(files).toHaveLength(2);
    const added = byPath(files, "added.txt");
    expect(added.status).toBe("added");
    expect(added.previousPath).toBeUndefined();
    expect(added.addedLines).toEqual([
      { line: 1, text: "hello" },
      { line: 2, text: "world" },
    ]);
    const deleted = byPath(files, "deleted.txt");
    expect(deleted).toMatchObject({ status: "removed", addedLines: [] });
    expect(deleted.commentableLines.size).toBe(0);
  });

  it("reads a mode change without content change", () => {
    const file = only(parseUnifiedDiff(fixture("mode-change.diff")));
    expect(file).toMatchObject({ path: "mode.sh", status: "modified", oldMode: "100644", newMode: "100755", addedLines: [] });
  });

  it("marks `Binary files ... differ` as binary, new ones as added", () => {
    const files = parseUnifiedDiff(fixture("binary-files-differ.diff"));
    expect(byPath(files, "image.bin")).toMatchObject({ status: "modified", binary: true, addedLines: [] });
    expect(byPath(files, "new.bin")).toMatchObject({ status: "added", binary: true, addedLines: [] });
  });

  it("marks `GIT binary patch` as binary and skips its data lines", () => {
    const files = parseUnifiedDiff(fixture("git-binary-patch.diff"));
    expect(files.map((f) => [f.path, f.status, f.binary])).toEqual([
      ["image.bin", "modified", true],
      ["new.bin", "added", true],
    ]);
    expect(files.every((f) => f.addedLines.length === 0)).toBe(true);
  });

  it("ignores `\\ No newline at end of file`", () => {
    const file = only(parseUnifiedDiff(fixture("no-newline-at-eof.diff")));
    expect(file.addedLines).toEqual([
      { line: 1, text: "no eol" },
      { line: 2, text: "more no eol" },
    ]);
    expect(sorted(file.commentableLines)).toEqual([1, 2]);
  });

  it("strips the \\r of CRLF content and keeps the rest", () => {
    const file = only(parseUnifiedDiff(fixture("crlf-content.diff")));
    expect(file.addedLines).toEqual([
      { line: 2, text: "two changed" },
      { line: 3, text: "three" },
    ]);
    expect(sorted(file.commentableLines)).toEqual([1, 2, 3]);
  });

  it("reads a diff whose own line endings are CRLF", () => {
    const crlf = fixture("added-and-deleted.diff").replace(/\n/g, "\r\n");
    const files = parseUnifiedDiff(crlf);
    expect(byPath(files, "added.txt").addedLines.map((l) => l.text)).toEqual(["hello", "world"]);
    expect(byPath(files, "deleted.txt").status).toBe("removed");
  });

  it("reads an added empty file (no hunks at all)", () => {
    const file = only(parseUnifiedDiff(fixture("empty-file-added.diff")));
    expect(file).toMatchObject({ path: "empty.txt", status: "added", binary: false, addedLines: [] });
  });

  it("unquotes git's C-style quoted paths, octal UTF-8 bytes included", () => {
    const files = parseUnifiedDiff(fixture("quoted-paths.diff"));
    expect(files.map((f) => f.path).sort()).toEqual(["back\\slash.txt", 'quo"te.txt', "tab\tname.txt", "ünï cödé.txt"].sort());
    expect(byPath(files, "ünï cödé.txt").addedLines).toEqual([{ line: 1, text: "x" }]);
  });

  it("reads unquoted UTF-8 paths (core.quotePath=false)", () => {
    const files = parseUnifiedDiff(fixture("unquoted-utf8-paths.diff"));
    expect(files.map((f) => f.path).sort()).toEqual(["back\\slash.txt", 'quo"te.txt', "tab\tname.txt", "ünï cödé.txt"].sort());
  });

  it("reads --no-prefix output without cutting the path", () => {
    const file = only(parseUnifiedDiff(fixture("no-prefix.diff")));
    expect(file.path).toBe("source.txt");
    expect(file.addedLines).toEqual([{ line: 31, text: "np" }]);
  });

  it("keeps an `a/` directory under --no-prefix, and strips real prefixes", () => {
    const noPrefix = "diff --git a/x.txt a/x.txt\n--- a/x.txt\n+++ a/x.txt\n@@ -0,0 +1 @@\n+v\n";
    expect(only(parseUnifiedDiff(noPrefix)).path).toBe("a/x.txt");
    const prefixed = "diff --git a/a/x.txt b/a/x.txt\n--- a/a/x.txt\n+++ b/a/x.txt\n@@ -0,0 +1 @@\n+v\n";
    expect(only(parseUnifiedDiff(prefixed)).path).toBe("a/x.txt");
  });

  it("reads hunk headers that omit counts (`@@ -1 +1 @@`)", () => {
    const file = only(parseUnifiedDiff(fixture("hunk-header-without-counts.diff")));
    expect(file.addedLines).toEqual([{ line: 1, text: "single changed" }]);
    expect(sorted(file.commentableLines)).toEqual([1]);
  });

  it("treats content that looks like headers as content, using the hunk counts", () => {
    const files = parseUnifiedDiff(fixture("content-looks-like-headers.diff"));
    expect(files.map((f) => f.path)).toEqual(["tricky.txt", "zz-next.txt"]);
    expect(byPath(files, "tricky.txt").addedLines).toEqual([
      { line: 1, text: "++ b/evil.txt" },
      { line: 3, text: "diff --git a/x b/x" },
      { line: 4, text: "@@ -1 +1 @@" },
    ]);
    expect(byPath(files, "zz-next.txt").addedLines).toEqual([{ line: 1, text: "after" }]);
  });

  it("counts an empty hunk line as context (diff.suppressBlankEmpty)", () => {
    const file = only(parseUnifiedDiff(fixture("suppress-blank-empty.diff")));
    expect(file.addedLines).toEqual([{ line: 4, text: "four" }]);
    expect(sorted(file.commentableLines)).toEqual([1, 2, 3, 4, 5]);
  });

  it("reads plain `diff -u` output without git headers", () => {
    const files = parseUnifiedDiff(fixture("plain-diff-u.diff"));
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ["new/f.txt", "modified"],
      ["new/g.txt", "modified"],
    ]);
    expect(files[0]!.addedLines).toEqual([
      { line: 2, text: "B" },
      { line: 4, text: "d" },
    ]);
    expect(files[1]!.addedLines).toEqual([{ line: 2, text: "y" }]);
  });

  it("keeps U+FFFD where the source decoded bytes that are not UTF-8", () => {
    const bytes = Buffer.concat([
      Buffer.from("diff --git a/l.txt b/l.txt\n--- a/l.txt\n+++ b/l.txt\n@@ -1 +1,2 @@\n x\n+caf"),
      Buffer.from([0xe9, 0xff]),
      Buffer.from("\n"),
    ]);
    const file = only(parseUnifiedDiff(bytes.toString("utf8")));
    expect(file.addedLines).toEqual([{ line: 2, text: "caf\uFFFD\uFFFD" }]);
  });

  it("returns nothing for empty input and survives truncated or malformed input", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
    const truncated = "diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1,3 +1,5 @@\n x\n+y";
    expect(only(parseUnifiedDiff(truncated)).addedLines).toEqual([{ line: 2, text: "y" }]);
    const badHeader = "diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1,x +1 @@\n+y\n";
    expect(only(parseUnifiedDiff(badHeader)).addedLines).toEqual([]);
    const huge = "diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1 +1,99999999999 @@\n+y\n";
    expect(only(parseUnifiedDiff(huge)).addedLines).toEqual([]);
  });
});

describe("parseHunks (GitHub's per-file patch)", () => {
  it("numbers added and context lines from each hunk header", () => {
    const patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+B2\n c\n@@ -10,2 +11,2 @@ function x() {\n k\n-old\n+new";
    const { addedLines, commentableLines } = parseHunks(patch);
    expect(addedLines).toEqual([
      { line: 2, text: "B" },
      { line: 3, text: "B2" },
      { line: 12, text: "new" },
    ]);
    expect(sorted(commentableLines)).toEqual([1, 2, 3, 4, 11, 12]);
  });

  it("reads a hunk without counts, CRLF content and no-newline markers", () => {
    const { addedLines, commentableLines } = parseHunks("@@ -1 +1 @@\n-a\r\n\\ No newline at end of file\n+b\r\n\\ No newline at end of file");
    expect(addedLines).toEqual([{ line: 1, text: "b" }]);
    expect(sorted(commentableLines)).toEqual([1]);
  });

  it("gives nothing for an empty patch", () => {
    const { addedLines, commentableLines } = parseHunks("");
    expect(addedLines).toEqual([]);
    expect(commentableLines.size).toBe(0);
  });

  it("agrees with parseUnifiedDiff on the same hunks", () => {
    const full = fixture("rename-with-edit.diff");
    const hunks = full.slice(full.indexOf("@@"));
    const fromFull = only(parseUnifiedDiff(full));
    const fromPatch = parseHunks(hunks);
    expect(fromPatch.addedLines).toEqual(fromFull.addedLines);
    expect(sorted(fromPatch.commentableLines)).toEqual(sorted(fromFull.commentableLines));
  });
});
