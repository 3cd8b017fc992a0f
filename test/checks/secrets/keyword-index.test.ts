import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { KeywordIndex, keywordAlternation } from "../../../src/checks/secrets/keyword-index.js";

describe("KeywordIndex", () => {
  it("finds every keyword, overlapping and case-insensitive", () => {
    const index = new KeywordIndex(["ghp_", "hp_x", "token", "to"]);
    const hits = index.hits("GHP_X token").map((h) => [index.keywords[h.keyword], h.end]);
    expect(hits).toEqual([
      ["ghp_", 4],
      ["hp_x", 5],
      ["to", 8],
      ["token", 11],
    ]);
  });

  it("ignores characters outside ASCII", () => {
    const index = new KeywordIndex(["key"]);
    expect(index.hits("ключ kéy KEY").map((h) => h.end)).toEqual([12]);
  });

  it("agrees with a case-insensitive alternation on which keywords occur", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z_-]{1,5}$/), { minLength: 1, maxLength: 8 }),
        fc.stringMatching(/^[a-zA-Z_ -]{0,60}$/),
        (keywords, text) => {
          const index = new KeywordIndex(keywords);
          const fromIndex = new Set(index.hits(text).map((h) => index.keywords[h.keyword]));
          const expected = new Set(index.keywords.filter((k) => text.toLowerCase().includes(k)));
          expect(fromIndex).toEqual(expected);
          const anyByRegExp = keywordAlternation(keywords).test(text);
          expect(anyByRegExp).toBe(expected.size > 0);
        },
      ),
    );
  });
});
