import fc from "fast-check";
import { expect, it } from "vitest";
import { lastIndexAtMost } from "../../src/core/sorted-search.js";

it("finds the last value at most the target, as a linear scan does", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1 }), fc.integer({ min: -5, max: 505 }), (raw, target) => {
      const values = [...raw].sort((a, b) => a - b);
      let expected = 0;
      values.forEach((v, i) => {
        if (v <= target) expected = i;
      });
      expect(lastIndexAtMost(values, target)).toBe(expected);
      expect(lastIndexAtMost(Int32Array.from(values), target)).toBe(expected);
    }),
  );
});
