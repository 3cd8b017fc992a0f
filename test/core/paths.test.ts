import { describe, expect, it } from "vitest";
import { createPathMatcher } from "../../src/core/paths.js";

describe("createPathMatcher", () => {
  it.each<[string, string, boolean]>([
    ["*.min.js", "a.min.js", true],
    ["*.min.js", "deep/down/a.min.js", true],
    ["*.min.js", "a.js", false],
    ["vendor", "vendor/x.js", true],
    ["vendor", "src/vendor/x.js", true],
    ["vendor", "vendors/x.js", false],
    ["vendor/", "src/vendor/x.js", false],
    ["vendor/", "vendor/a/b.js", true],
    ["docs/**/*.md", "docs/a/b.md", true],
    ["docs/**/*.md", "src/docs/a.md", false],
    ["/root.txt", "root.txt", true],
    [".github/workflows", ".github/workflows/ci.yml", true],
    ["*.lock", ".hidden/x.lock", true],
    ["!src/**", "README.md", false],
    ["!src/**", "!src/x", true],
    ["#comment", "#comment", true],
  ])("%s on %s: %s", (glob, path, expected) => {
    expect(createPathMatcher([glob])(path)).toBe(expected);
  });

  it("matches nothing without globs", () => {
    expect(createPathMatcher([])("anything")).toBe(false);
  });
});
