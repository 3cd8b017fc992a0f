import { describe, expect, it } from "vitest";
import { DEFAULT_TEST_PATHS, isSampleDataPath } from "../../../src/checks/secrets/test-paths.js";
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

describe("DEFAULT_TEST_PATHS", () => {
  it("treats the usual test locations as test paths and the rest not", () => {
    const isTest = createPathMatcher(DEFAULT_TEST_PATHS);
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

describe("test_paths in config", () => {
  it("rejects a negated extglob with the key path, like paths.ignore", async () => {
    const { configFromText, ConfigError } = await import("../../../src/core/config/load-config.js");
    const { builtinChecks } = await import("../../../src/checks/index.js");
    const text = "checks:\n  secrets:\n    test_paths:\n      - qa/\n      - '!(src)/**'\n";
    let error: unknown;
    try {
      configFromText(text, ".github/pr-sentinel.yml", builtinChecks);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as InstanceType<typeof ConfigError>).problems.join("\n")).toMatch(/checks\.secrets\.test_paths\[1\]/);
  });

  it("matches a pathological glob against long paths in linear time", () => {
    const isTest = createPathMatcher(["*a*a*a*a*a*a*a*a*a*a*b"]);
    const started = performance.now();
    for (let i = 0; i < 50; i++) isTest(`src/${"a".repeat(200)}${i}.ts`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("isSampleDataPath", () => {
  it("takes SDK examples, type declarations and vendored trees for sample data, and the rest not", () => {
    const candidates = [
      "sdk/models/api.examples.json",
      "clients/stripe/charge.example.json",
      "types/index.d.ts",
      "lib/esm/index.d.mts",
      "packages/sdk/node_modules/aws-sdk/clients/s3.js",
      "vendor/github.com/acme/client/auth.go",
      "third_party/boto/config.py",
      "src/third-party/mqtt/client.js",
      "src/config.ts",
      "src/examples.json.ts",
      "src/vendors.ts",
      "app/models/vendor.rb",
      "docs/d.ts.md",
    ];
    expect(candidates.filter(isSampleDataPath)).toEqual(candidates.slice(0, 8));
  });
});
