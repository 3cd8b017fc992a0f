/** Findings and scan results for the app's unit tests, built the way the engine builds them. */
import { configFromObject } from "../../src/core/config/load-config.js";
import type { PrSentinelConfig } from "../../src/core/config/schema.js";
import { fingerprint } from "../../src/core/fingerprint.js";
import type { Finding, ScanResult } from "../../src/core/types.js";
import { computeVerdict } from "../../src/core/verdict.js";

export function finding(overrides: Partial<Finding> & { key?: string } = {}): Finding {
  const { key = "k", ...rest } = overrides;
  const base = {
    checkId: "secrets",
    ruleId: "secrets/aws-access-key-id",
    severity: "high" as const,
    confidence: "high" as const,
    path: "src/a.ts",
    startLine: 3,
    endLine: 3,
    message: "An AWS access key id was added.",
    helpUrl: "https://example.invalid/docs/checks/secrets.md#aws-access-key-id",
    commentable: true,
  };
  const merged = { ...base, ...rest };
  return { fingerprint: fingerprint({ checkId: merged.checkId, ruleId: merged.ruleId, path: merged.path, key, occurrence: 0 }), ...merged };
}

export function config(value: unknown = {}): PrSentinelConfig {
  return configFromObject(value, "test", []);
}

export function scanResult(findings: readonly Finding[], cfg: PrSentinelConfig = config()): ScanResult {
  return {
    findings,
    outcomes: [{ checkId: "secrets", status: "ok", warnings: [], durationMs: 1, findingCount: findings.length }],
    suppressed: { ignoredPaths: 0, inline: 0, allowlist: 0 },
    expiredAllowlist: [],
    verdict: computeVerdict(findings, [], cfg),
    stats: { files: 1, addedLines: 10, durationMs: 1, distinctFindings: findings.length },
    rules: [{ id: "secrets/aws-access-key-id", checkId: "secrets", title: "AWS access key id", description: "Lets anyone act as the key's owner.", severity: "high", helpUrl: "https://example.invalid" }],
    notes: [],
  };
}
