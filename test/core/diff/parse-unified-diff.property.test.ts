/**
 * Property: for any two files, parsing what real git prints for them yields exactly the new file's
 * added lines (git's own --numstat count), each with the text at its line number, and the lines
 * left unadded are a subsequence of the old file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { splitLines } from "../../../src/core/diff/added-lines-from-contents.js";
import { parseUnifiedDiff } from "../../../src/core/diff/parse-unified-diff.js";

const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-diff-prop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Few distinct lines so files share many of them; several look like diff syntax on purpose.
const lineArbitrary = fc.constantFrom(
  "alpha",
  "beta",
  "gamma",
  "",
  "+plus",
  "-minus",
  "--- a/x",
  "+++ b/x",
  "@@ -1 +1 @@",
  "diff --git a/x b/x",
  "\\ backslash",
  " space",
  "crlf\r",
  "\r",
  "ünïcödé",
);

const fileArbitrary = fc.record({
  lines: fc.array(lineArbitrary, { maxLength: 30 }),
  finalNewline: fc.boolean(),
});

function render(file: { lines: string[]; finalNewline: boolean }): string {
  if (file.lines.length === 0) return "";
  return file.lines.join("\n") + (file.finalNewline ? "\n" : "");
}

function gitDiff(oldPath: string, newPath: string, extra: string[] = []): string {
  // --no-index exits 1 when the files differ; that is not an error here.
  const result = spawnSync("git", ["-c", "core.quotePath=false", "diff", "--no-index", "--no-color", "--no-ext-diff", ...extra, oldPath, newPath], {
    encoding: "utf8",
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(result.stderr);
  return result.stdout;
}

function isSubsequence(needles: readonly string[], haystack: readonly string[]): boolean {
  let i = 0;
  for (const item of haystack) if (i < needles.length && needles[i] === item) i++;
  return i === needles.length;
}

describe("parseUnifiedDiff on real git output (property)", () => {
  it("finds exactly the lines git says were added", () => {
    // Checked once so that a missing git fails loudly instead of passing vacuously.
    expect(execFileSync("git", ["--version"], { encoding: "utf8" })).toMatch(/^git version/);
    let run = 0;
    fc.assert(
      fc.property(fileArbitrary, fileArbitrary, fc.constantFrom(0, 1, 3), (before, after, context) => {
        const oldPath = join(dir, `old-${run}.txt`);
        const newPath = join(dir, `new-${run}.txt`);
        run++;
        writeFileSync(oldPath, render(before));
        writeFileSync(newPath, render(after));
        const diff = gitDiff(oldPath, newPath, [`--unified=${context}`]);
        const numstat = gitDiff(oldPath, newPath, ["--numstat"]);
        const expectedAdded = numstat === "" ? 0 : Number(numstat.split("\t")[0]);

        const files = parseUnifiedDiff(diff);
        const added = files.flatMap((f) => f.addedLines);
        const newLines = splitLines(render(after));
        const oldLines = splitLines(render(before));

        expect(added).toHaveLength(expectedAdded);
        for (const { line, text } of added) expect(text).toBe(newLines[line - 1]);
        const addedNumbers = new Set(added.map((l) => l.line));
        const kept = newLines.filter((_, i) => !addedNumbers.has(i + 1));
        expect(isSubsequence(kept, oldLines)).toBe(true);
        for (const file of files) {
          for (const l of file.addedLines) expect(file.commentableLines.has(l.line)).toBe(true);
          for (const n of file.commentableLines) expect(n >= 1 && n <= newLines.length).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
