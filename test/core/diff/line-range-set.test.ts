import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineRangeSet, LineRangeSetBuilder } from "../../../src/core/diff/line-range-set.js";

function build(lines: readonly number[]): LineRangeSet {
  const builder = new LineRangeSetBuilder();
  for (const line of lines) builder.add(line);
  return builder.build();
}

describe("LineRangeSet", () => {
  it("agrees with a plain Set on membership, size and (sorted) contents for any additions", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 120 }), fc.array(fc.integer({ min: -5, max: 210 })), (lines, probes) => {
        const ranges = build(lines);
        const plain = new Set(lines);
        const ascending = [...plain].sort((a, b) => a - b);
        expect(ranges.size).toBe(plain.size);
        expect([...ranges]).toEqual(ascending);
        expect([...ranges.keys()]).toEqual(ascending);
        expect([...ranges.values()]).toEqual(ascending);
        expect([...ranges.entries()]).toEqual(ascending.map((n) => [n, n]));
        for (const probe of [...probes, ...lines]) expect(ranges.has(probe)).toBe(plain.has(probe));
      }),
    );
  });

  it("agrees with a plain Set when built from hunks of consecutive lines", () => {
    const hunk = fc.record({ start: fc.integer({ min: 1, max: 1000 }), count: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(hunk, { maxLength: 10 }), (hunks) => {
        const lines = hunks.flatMap((h) => Array.from({ length: h.count }, (_, i) => h.start + i));
        const ranges = build(lines);
        const plain = new Set(lines);
        expect(ranges.size).toBe(plain.size);
        for (let n = 0; n <= 1045; n++) expect(ranges.has(n)).toBe(plain.has(n));
      }),
    );
  });

  it("merges adjacent and overlapping ranges given in any order", () => {
    const set = LineRangeSet.fromRanges([10, 12, 1, 3, 4, 5, 11, 20, 30, 30]);
    expect([...set]).toEqual([1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30]);
    expect(set.size).toBe(17);
    expect(set.has(0)).toBe(false);
    expect(set.has(6)).toBe(false);
    expect(set.has(25)).toBe(false);
    expect(set.has(30)).toBe(true);
  });

  it("is empty when nothing was added, and calls forEach like a Set", () => {
    expect(build([]).size).toBe(0);
    expect([...build([])]).toEqual([]);
    expect(build([]).has(1)).toBe(false);
    const seen: Array<[number, number, ReadonlySet<number>]> = [];
    const set = build([3, 4, 7]);
    set.forEach((value, key, self) => seen.push([value, key, self]));
    expect(seen).toEqual([
      [3, 3, set],
      [4, 4, set],
      [7, 7, set],
    ]);
    expect(Object.prototype.toString.call(set)).toBe("[object LineRangeSet]");
  });
});
