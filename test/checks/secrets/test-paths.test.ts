import { describe, expect, it } from "vitest";
import { createTestPathMatcher, DEFAULT_TEST_PATHS } from "../../../src/checks/secrets/test-paths.js";
import { createPathMatcher } from "../../../src/core/paths.js";

const paths = [
  "test/a.ts",
  "src/test/a.ts",
  "src/tests/deep/x.json",
  "packages/app/__tests__/x.js",
  "src/app.test.ts",
  "src/app.spec.js",
  "pkg/handler_test.go",
  "tests.md",
  "src/contest/x.ts",
  "src/latest.ts",
  "test_utils.py",
  "lib/foo_test.py",
  "src/main/java/AppTest.java",
  "docs/examples/config.yml",
  "fixtures",
  ".github/fixtures/a.yml",
  "src/index.ts",
  "attestation/x.ts",
];

describe("createTestPathMatcher", () => {
  it("matches exactly what createPathMatcher matches, for the defaults and for custom globs", () => {
    for (const globs of [DEFAULT_TEST_PATHS, ["qa/", "/root-only/**", "*.fixture.*", "./data"]]) {
      const fast = createTestPathMatcher(globs);
      const reference = createPathMatcher(globs);
      for (const path of paths) expect(fast(path), path).toBe(reference(path));
    }
  });

  it("treats the usual test locations as test paths and the rest not", () => {
    const isTest = createTestPathMatcher(DEFAULT_TEST_PATHS);
    expect(paths.filter(isTest)).toEqual([
      "test/a.ts",
      "src/test/a.ts",
      "src/tests/deep/x.json",
      "packages/app/__tests__/x.js",
      "src/app.test.ts",
      "src/app.spec.js",
      "pkg/handler_test.go",
      "test_utils.py",
      "lib/foo_test.py",
      "src/main/java/AppTest.java",
      "docs/examples/config.yml",
      "fixtures",
      ".github/fixtures/a.yml",
    ]);
  });
});
