/**
 * Where test data lives. Secrets there are usually fake, but not always (a real key pasted into a
 * fixture is still leaked), so findings there are lowered in severity, never dropped.
 * Globs follow `paths.ignore` and are matched by the same `createPathMatcher` (src/core/paths.ts):
 * a name without a slash matches any path segment, a trailing `/` or `/**` means everything below
 * a folder, and matching runs in linear time (globs come from repository config).
 */
import { createPathMatcher } from "../../core/paths.js";

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

/**
 * Where vendored code and SDK sample data live: example payloads (`*.examples.json`), type
 * declarations whose doc comments show sample calls with sample keys (`*.d.ts`), and vendored
 * trees (`node_modules/`, `vendor/`, `third_party/`). Generic findings there (a key name and a
 * random-looking value) are lowered like test data, never dropped; findings of rules with a vendor
 * prefix or a validated format keep their severity, since those shapes do not occur by chance and
 * a real `ghp_` token in a vendored file is still a leak. Same glob rules as `DEFAULT_TEST_PATHS`.
 */
export const DEFAULT_SAMPLE_DATA_PATHS: readonly string[] = [
  "*.examples.json",
  "*.example.json",
  "*.d.ts",
  "*.d.mts",
  "*.d.cts",
  "node_modules",
  "bower_components",
  "vendor",
  "third_party",
  "third-party",
];

/** True for a path under `DEFAULT_SAMPLE_DATA_PATHS`. */
export const isSampleDataPath: (path: string) => boolean = createPathMatcher(DEFAULT_SAMPLE_DATA_PATHS);
