/** Audit records for tests, built through the real builder from a hand-made scan result. */
import { randomBytes } from "node:crypto";
import type { Finding, ScanResult } from "../../../src/core/types.js";
import { auditRecordFromScan, configHash } from "../../../src/posture/audit/record-from-scan.js";
import type { AuditRecordInput } from "../../../src/posture/audit/record.js";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: "secrets",
    ruleId: "secrets/github-classic-pat",
    severity: "high",
    confidence: "high",
    path: "src/config.ts",
    startLine: 3,
    endLine: 3,
    message: "A GitHub token",
    helpUrl: "https://example.invalid/docs",
    fingerprint: hex(32),
    commentable: true,
    ...overrides,
  };
}

export function scanResult(findings: readonly Finding[] = [finding()]): ScanResult {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    findings,
    outcomes: [
      { checkId: "secrets", status: "ok", warnings: [], durationMs: 12, findingCount: findings.length },
      { checkId: "dependencies", status: "skipped", message: "offline: OSV not asked", warnings: [], durationMs: 0, findingCount: 0 },
    ],
    suppressed: { ignoredPaths: 2, inline: 1, allowlist: 1, baseline: 0 },
    expiredAllowlist: [],
    verdict: {
      conclusion: findings.some((f) => f.severity === "high" || f.severity === "critical") ? "fail" : "pass",
      failOn: "high",
      onError: "neutral",
      counts,
      title: `${findings.length} findings`,
      reasons: [],
    },
    stats: { files: 3, addedLines: 40, durationMs: 15, distinctFindings: findings.length },
    rules: [],
    notes: [],
  };
}

let nextCheckRun = 1000;

export function record(options: { repo?: string; checkRunId?: number; pullNumber?: number; result?: ScanResult } = {}): AuditRecordInput {
  const [owner, repo] = (options.repo ?? "acme/widgets").split("/") as [string, string];
  return auditRecordFromScan({
    job: {
      target: { kind: "pull_request", owner, repo, pullNumber: options.pullNumber ?? 7, headSha: hex(20), baseSha: hex(20) },
      event: "pull_request.synchronize",
      installationId: 42,
      deliveryId: "d9a3c0e0-0000-4000-8000-000000000001",
    },
    result: options.result ?? scanResult(),
    checkRunId: options.checkRunId ?? ++nextCheckRun,
    configInfo: {
      hash: configHash({ fail_on: "high" }),
      source: { kind: "repository", path: ".github/pr-sentinel.yml", ref: "main" },
      allowlist: [{ fingerprint: "abcdef012345", reason: "test fixture key, revoked", expires: "2999-01-01" }],
    },
    timings: { queuedAt: 1_700_000_000_000, startedAt: 1_700_000_000_250, finishedAt: 1_700_000_001_000 },
    appVersion: "0.1.0",
  });
}
