import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PackedAddedLines, PackedAddedLinesBuilder, Utf8PackedAddedLines } from "../../../src/core/diff/packed-added-lines.js";
import { parseUnifiedDiff } from "../../../src/core/diff/parse-unified-diff.js";

const lineArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.string({ unit: "grapheme", maxLength: 30 })), {
  maxLength: 200,
});

describe("PackedAddedLines", () => {
  it("gives back every line's number and text, by index and as objects", () => {
    fc.assert(
      fc.property(lineArb, (steps) => {
        const builder = new PackedAddedLinesBuilder();
        const expected: { line: number; text: string }[] = [];
        let line = 0;
        for (const [gap, raw] of steps) {
          const text = raw.replace(/[\r\n]/g, "");
          line += gap;
          builder.add(line, text);
          expected.push({ line, text });
        }
        const packed = builder.build();
        expect(packed.count).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) {
          expect(packed.lineNumber(i)).toBe(expected[i]!.line);
          expect(packed.lineText(i)).toBe(expected[i]!.text);
        }
        expect(packed.toArray()).toEqual(expected);
      }),
    );
  });

  it("keeps empty lines and is empty when nothing was added", () => {
    const builder = new PackedAddedLinesBuilder();
    builder.add(3, "");
    builder.add(4, "x");
    builder.add(5, "");
    const packed = builder.build();
    expect([0, 1, 2].map((i) => packed.lineText(i))).toEqual(["", "x", ""]);
    expect(new PackedAddedLinesBuilder().build()).toBe(PackedAddedLines.EMPTY);
    expect(PackedAddedLines.EMPTY.count).toBe(0);
  });
});

describe("storage by content", () => {
  it("holds ASCII text as one string and text beyond it as UTF-8 bytes, with the same lines", () => {
    const build = (texts: string[]) => {
      const builder = new PackedAddedLinesBuilder();
      texts.forEach((text, i) => builder.add(i + 1, text));
      return builder.build();
    };
    const ascii = build(["const a = 1;", "", "b"]);
    expect(ascii).toBeInstanceOf(PackedAddedLines);
    const wide = build(["naïve", "", "数据 = 1", "😀 done", "plain"]);
    expect(wide).toBeInstanceOf(Utf8PackedAddedLines);
    expect(wide.toArray().map((l) => l.text)).toEqual(["naïve", "", "数据 = 1", "😀 done", "plain"]);
    expect([0, 1, 2, 3, 4].map((i) => wide.lineNumber(i))).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives every line joined by newlines in one piece, in both storages", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 30 }).filter((t) => !t.includes("\n")), { maxLength: 150 }), (texts) => {
        const builder = new PackedAddedLinesBuilder();
        texts.forEach((text, i) => builder.add(i + 1, text));
        expect(builder.build().joinedText()).toBe(texts.join("\n"));
      }),
    );
  });
});

describe("parsed files carry packed lines", () => {
  it("agree with addedLines and stay out of plain copies", () => {
    const diff = [
      "diff --git a/a.txt b/a.txt",
      "--- a/a.txt",
      "+++ b/a.txt",
      "@@ -1,2 +1,3 @@",
      " one",
      "+two",
      " three",
      "@@ -10,0 +11,2 @@",
      "+eleven",
      "+twelve\r",
      "",
    ].join("\n");
    const [file] = parseUnifiedDiff(diff);
    const packed = file!.packedAddedLines;
    expect(Array.from({ length: packed.count }, (_, i) => ({ line: packed.lineNumber(i), text: packed.lineText(i) }))).toEqual(
      file!.addedLines,
    );
    expect(file!.addedLines).toEqual([
      { line: 2, text: "two" },
      { line: 11, text: "eleven" },
      { line: 12, text: "twelve" },
    ]);
    expect(Object.keys({ ...file })).not.toContain("packedAddedLines");
  });
});

describe("lines joined in batches", () => {
  it("keeps offsets and texts exact across batch ends, whichever batch holds the first non-ASCII line", () => {
    for (const wideAt of [-1, 0, 63, 64, 65, 200, 299]) {
      const texts = Array.from({ length: 300 }, (_, i) => (i === wideAt ? `naïve ${i}` : i % 7 === 0 ? "" : `line ${i}`));
      const builder = new PackedAddedLinesBuilder();
      texts.forEach((text, i) => builder.add(i * 2 + 1, text));
      const packed = builder.build();
      expect(packed).toBeInstanceOf(wideAt === -1 ? PackedAddedLines : Utf8PackedAddedLines);
      expect(packed.count).toBe(300);
      expect(texts.every((text, i) => packed.lineText(i) === text && packed.lineNumber(i) === i * 2 + 1)).toBe(true);
      if (packed instanceof PackedAddedLines) {
        expect(packed.text).toBe(`${texts.join("\n")}\n`);
        expect(packed.lineStart(300)).toBe(packed.text.length);
      }
    }
  });
});
