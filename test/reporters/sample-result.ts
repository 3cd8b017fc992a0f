/** Hand-built scan results for reporter tests: every section filled, with hostile text where it can appear. */
import { createHash } from "node:crypto";
import type { CheckOutcome, Finding, ScanResult, Severity } from "../../src/core/types.js";
import { computeVerdict } from "../../src/core/verdict.js";

let counter = 0;

export function finding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  const checkId = overrides.checkId ?? "secrets";
  const startLine = overrides.startLine ?? 12;
  return {
    checkId,
    ruleId: `${checkId}/github-classic-pat`,
    severity: "high",
    confidence: "high",
    path: "src/config.ts",
    startLine,
    endLine: startLine,
    message: "GitHub classic personal access token",
    remediation: "Revoke it at https://github.com/settings/tokens",
    evidence: "ghp_0123…wxyz (40 chars)",
    helpUrl: "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#github-classic-pat",
    fingerprint: createHash("sha256").update(String(counter)).digest("hex"),
    commentable: true,
    ...overrides,
  };
}

export function outcome(checkId: string, status: CheckOutcome["status"] = "ok", extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { checkId, status, warnings: [], durationMs: 5, findingCount: 0, ...extra };
}

export function scanResult(parts: Partial<Omit<ScanResult, "verdict">> & { failOn?: Severity | "never" } = {}): ScanResult {
  const findings = parts.findings ?? [];
  const outcomes = parts.outcomes ?? [outcome("secrets", "ok", { findingCount: findings.length })];
  return {
    findings,
    outcomes,
    suppressed: parts.suppressed ?? { ignoredPaths: 0, inline: 0, allowlist: 0 },
    expiredAllowlist: parts.expiredAllowlist ?? [],
    verdict: computeVerdict(findings, outcomes, { fail_on: parts.failOn ?? "high", on_error: "neutral" }),
    stats: parts.stats ?? { files: 3, addedLines: 40, durationMs: 12, distinctFindings: findings.length },
    rules: parts.rules ?? [
      {
        id: "secrets/github-classic-pat",
        checkId: "secrets",
        title: "GitHub classic personal access token",
        description: "A token that acts as its owner.",
        severity: "high",
        helpUrl: "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#github-classic-pat",
      },
      {
        id: "secrets/aws-access-key",
        checkId: "secrets",
        title: "AWS access key",
        severity: "critical",
        helpUrl: "https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#aws-access-key",
      },
    ],
    notes: parts.notes ?? [],
  };
}

/** A result with something in every section. */
export function fullResult(): ScanResult {
  return scanResult({
    findings: [
      finding({ severity: "critical", ruleId: "secrets/aws-access-key", path: "infra/main.tf", startLine: 3, endLine: 4, evidence: "AKIA…WXYZ (20 chars)" }),
      finding({ path: "src/config.ts", startLine: 12 }),
      finding({ severity: "medium", checkId: "policy", ruleId: "policy/workflow-pull-request-target", path: ".github/workflows/ci.yml", startLine: 5, evidence: undefined, confidence: "medium" }),
      finding({ severity: "low", path: "src/config.ts", startLine: 2, ruleId: "secrets/undeclared-rule" }),
    ],
    outcomes: [
      outcome("dependencies", "error", { message: "timed out after 60s (checks.dependencies.timeout_seconds)" }),
      outcome("osv", "skipped", { message: "needs the network and the scan is offline; nothing was checked" }),
      outcome("policy", "ok", { findingCount: 1, warnings: ["Dockerfile too large to read"] }),
      outcome("secrets", "ok", { findingCount: 3 }),
    ],
    suppressed: { ignoredPaths: 2, inline: 1, allowlist: 3 },
    expiredAllowlist: [{ fingerprint: "0123456789abcdef", reason: "rotated in June", expires: "2026-06-01" }],
    notes: ["GitHub lists at most 3000 files; the scan is partial"],
  });
}
