import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addedLinesFromContents, splitLines } from "../../../src/core/diff/added-lines-from-contents.js";

describe("addedLinesFromContents", () => {
  it("reports every line of a file that did not exist at base", () => {
    expect(addedLinesFromContents(null, "a\nb\n")).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "b" },
    ]);
    expect(addedLinesFromContents(null, "")).toEqual([]);
  });

  it("reports inserted and changed lines with head line numbers", () => {
    expect(addedLinesFromContents("a\nb\nc\nd\n", "a\nnew\nb\nC\nd\nend\n")).toEqual([
      { line: 2, text: "new" },
      { line: 4, text: "C" },
      { line: 6, text: "end" },
    ]);
  });

  it("reports nothing for removals only, and strips CR of CRLF files", () => {
    expect(addedLinesFromContents("a\nb\nc\n", "a\nc\n")).toEqual([]);
    expect(addedLinesFromContents("a\r\n", "a\r\nb\r\n")).toEqual([{ line: 2, text: "b" }]);
  });

  it("falls back to counting copies when the diff takes too long", () => {
    const base = Array.from({ length: 3000 }, (_, i) => `base ${i}`).join("\n");
    const head = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `base ${2999 - i}` : `head ${i}`)).join("\n");
    const added = addedLinesFromContents(base, head, { timeoutMs: 0 });
    expect(added).toHaveLength(1500);
    expect(added.every((l) => l.text.startsWith("head "))).toBe(true);
  });

  it("gives lines that are at their head line number and leaves a subsequence of the base (property)", () => {
    const text = fc.array(fc.constantFrom("a", "b", "c", "", "d\r"), { maxLength: 25 }).map((l) => l.join("\n"));
    fc.assert(
      fc.property(text, text, (base, head) => {
        const added = addedLinesFromContents(base, head);
        const headLines = splitLines(head);
        for (const { line, text: value } of added) expect(headLines[line - 1]).toBe(value);
        const addedNumbers = new Set(added.map((l) => l.line));
        const kept = headLines.filter((_, i) => !addedNumbers.has(i + 1));
        const baseLines = splitLines(base);
        let i = 0;
        for (const line of baseLines) if (i < kept.length && kept[i] === line) i++;
        expect(i).toBe(kept.length);
        if (base === head) expect(added).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
