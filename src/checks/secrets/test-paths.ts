/**
 * Where test data lives. Secrets there are usually fake, but not always (a real key pasted into a
 * fixture is still leaked), so findings there are lowered in severity, never dropped.
 * Globs follow `paths.ignore` and are matched by the same `createPathMatcher` (src/core/paths.ts):
 * a name without a slash matches any path segment, a trailing `/` or `/**` means everything below
 * a folder, and matching runs in linear time (globs come from repository config).
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
