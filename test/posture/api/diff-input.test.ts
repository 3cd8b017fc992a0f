import { describe, expect, it } from "vitest";
import { changedFilesFromDiff, checkDiffLines } from "../../../src/posture/api/diff-input.js";

const header = "diff --git a/a.ts b/a.ts\nindex 1111111..2222222 100644\n--- a/a.ts\n+++ b/a.ts\n";

describe("a diff sent to the scan API", () => {
  it("becomes changed files with added lines in new-file numbering; whole files are refused", async () => {
    const diff = `${header}@@ -1,3 +1,4 @@\n one\n-two\n+TWO\n+three\n four\n\\ No newline at end of file\n`;
    const [file] = changedFilesFromDiff(diff);
    expect(file).toMatchObject({ path: "a.ts", status: "modified" });
    expect(file!.addedLines).toEqual([{ line: 2, text: "TWO" }, { line: 3, text: "three" }]);
    await expect(file!.readHead()).rejects.toThrow(/a\.ts: the scan API was sent a diff/);
  });

  it("accepts plain diff -u output, format-patch mail, CRLF line ends and trimmed blank context", () => {
    expect(() => checkDiffLines("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")).not.toThrow();
    expect(() => checkDiffLines(`From 123 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n@user said so\n---\n a.ts | 1 +\n\n${header}@@ -1 +1,2 @@\n a\n+b\n-- \n2.43.0\n`)).not.toThrow();
    expect(() => checkDiffLines(`${header}@@ -1 +1,2 @@\r\n a\r\n+b\r\n`.replace(/\n/g, "\r\n"))).not.toThrow();
    expect(() => checkDiffLines(`${header}@@ -1,3 +1,3 @@\n-a\n+b\n c`)).not.toThrow();
  });

  it.each([
    ["", 1, /the diff is empty/],
    ["just text\n", 1, /no file in the diff/],
    ["@@ -1 +1 @@\n+x\n", 1, /a hunk before any file header/],
    [`${header}@@ -1,x +1 @@\n`, 5, /malformed hunk header/],
    [`${header}@@ -1 +1 @@\n+a\n+b\n`, 7, /one added line more than the hunk header at line 5 counts/],
    [`${header}@@ -1 +1 @@\n-a\n+a\n+b\n`, 8, /an added line after the hunk that starts at line 5 ended/],
    [`${header}@@ -1,2 +1,2 @@\n a\nzzz\n`, 7, /the hunk that starts at line 5 ends early: 1 old and 1 new/],
    [`${header}@@ -1,1 +1,9 @@\n+a\n`, 6, /the diff ends inside the hunk that starts at line 5/],
    ["+++ b/x\n", 1, /a `\+\+\+` file header without the `---` line/],
  ])("refuses a broken diff, naming the line (%#)", (diff, line, problem) => {
    let error: unknown;
    try {
      changedFilesFromDiff(diff);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ line });
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: ${problem.source}`));
  });
});
