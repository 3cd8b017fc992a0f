/** Hand-built scan scopes for reporter tests: what the CLI would pass for each way of choosing a base. */
import type { ScanScope } from "../../src/reporters/scan-scope.js";

export const BASE_COMMIT = "8de3ad9f00112233445566778899aabbccddeeff";
export const HEAD_COMMIT = "1a2b3c4d00112233445566778899aabbccddeeff";

export function sampleScope(overrides: Partial<ScanScope> = {}): ScanScope {
  return {
    staged: false,
    base: { ref: "main", commit: BASE_COMMIT, chosenBy: "merge-base" },
    head: { ref: "HEAD", commit: HEAD_COMMIT },
    config: { source: "base", path: ".github/pr-sentinel.yml", commit: BASE_COMMIT, found: true, changedByBranch: false },
    changedFiles: 3,
    paths: [],
    matchedFiles: 3,
    ...overrides,
  };
}

export function stagedScope(overrides: Partial<ScanScope> = {}): ScanScope {
  return sampleScope({
    staged: true,
    base: { ref: "HEAD", commit: BASE_COMMIT, chosenBy: "staged-head" },
    head: { ref: "index", commit: null },
    config: { source: "working-tree", path: ".github/pr-sentinel.yml", commit: null, found: true, changedByBranch: false },
    ...overrides,
  });
}
