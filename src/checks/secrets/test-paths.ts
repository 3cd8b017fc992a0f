import { createPathMatcher } from "../../core/paths.js";

/**
 * Where test data lives. Secrets there are usually fake, but not always (a real key pasted into a
 * fixture is still leaked), so findings there are lowered in severity, never dropped.
 * Globs follow `paths.ignore`: a name without a slash matches any path segment.
 */
export const DEFAULT_TEST_PATHS: readonly string[] = [
  "test",
  "tests",
  "__tests__",
  "spec",
  "specs",
  "fixtures",
  "__fixtures__",
  "testdata",
  "test-data",
  "__mocks__",
  "mocks",
  "examples",
  "example",
  "*.test.*",
  "*.spec.*",
  "*_test.go",
  "test_*.py",
  "*_test.py",
  "*Test.java",
  "*Tests.cs",
];

export function createTestPathMatcher(globs: readonly string[]): (path: string) => boolean {
  return createPathMatcher(globs);
}
