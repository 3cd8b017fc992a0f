import { describe, expect, it } from "vitest";
import { configFromText } from "../../src/core/config/load-config.js";
import { createPathMatcher, GlobError, globProblem } from "../../src/core/paths.js";

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

  it("keeps extglobs and character classes working", () => {
    expect(createPathMatcher(["+(foo|bar).js"])("src/foofoo.js")).toBe(true);
    expect(createPathMatcher(["[abc]?.js"])("lib/bx.js")).toBe(true);
    expect(createPathMatcher(["[abc]?.js"])("lib/dx.js")).toBe(false);
  });

  it("matches in time linear in the path, however the glob backtracks", () => {
    // minimatch's own RegExp needs tens of seconds for one such match.
    const match = createPathMatcher(Array.from({ length: 50 }, (_, i) => `${"*a".repeat(8 + (i % 4))}b`));
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(match(`dir/${"a".repeat(250)}${i}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses negated extglobs, which only a backtracking engine can run", () => {
    expect(() => createPathMatcher(["!(keep).js"])).toThrow(GlobError);
    expect(globProblem("!(keep).js")).toMatch(/negated pattern/);
    expect(globProblem("*.min.js")).toBeUndefined();
  });
});

describe("paths.ignore in the config", () => {
  it("rejects a glob the matcher cannot run, naming the key", () => {
    expect(() => configFromText("paths:\n  ignore:\n    - \"x/!(keep).js\"\n", "test.yml", [])).toThrow(/`paths\.ignore\[0\]` \(line 3\): the glob .*negated pattern/);
  });
});

describe("createPathMatcher batches", () => {
  it("matches with many globs exactly as each glob alone would", () => {
    const globs = Array.from({ length: 70 }, (_, i) => [`dir${i}/`, `*.ext${i}`, `src/**/name${i}.ts`, `file${i}`][i % 4]!);
    const all = createPathMatcher(globs);
    const single = globs.map((g) => createPathMatcher([g]));
    const paths = [
      ...Array.from({ length: 70 }, (_, i) => [`dir${i}/x.txt`, `a/b/c.ext${i}`, `src/deep/er/name${i}.ts`, `x/file${i}`][i % 4]!),
      "dir1x/y.txt",
      "a/b/c.ext",
      "src/name.ts",
      "other/file",
    ];
    for (const path of paths) expect(all(path), path).toBe(single.some((m) => m(path)));
    expect(paths.filter(all)).toHaveLength(70);
  });
});
