/**
 * The SARIF log against GitHub code scanning's documented limits on one upload:
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 *   runs per file 20; results per run 25,000 (only 5,000 displayed); rules per run 25,000; tool
 *   extensions per run 100; thread flow locations per result 10,000; locations per result 1,000
 *   (100 displayed); tags per rule 20 (10 displayed).
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/file-too-large
 *   10 MB gzip-compressed.
 * Over a limit, results are left out least severe first and counted, never dropped silently.
 */
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding, Severity } from "../../src/core/types.js";
import { GITHUB_SARIF_LIMITS, renderSarif } from "../../src/reporters/sarif.js";
import { sarifValidator } from "../cli/cli-harness.js";
import { finding, scanResult } from "./sample-result.js";

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

interface Run {
  tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] }; extensions?: unknown[] };
  results: { ruleId: string; ruleIndex: number; partialFingerprints: Record<string, string>; level: string; properties: { severity: Severity }; locations: unknown[]; codeFlows?: unknown[]; relatedLocations?: unknown[] }[];
  properties: { findingCount: number; resultsOmitted: number; resultsOmittedBecause?: string };
  invocations: { toolExecutionNotifications: { level: string; message: { text: string }; descriptor: { id: string } }[] }[];
}

/** `count` findings over 40 rules and 500 files, severities in turn, each rule declared among 2,000. */
function manyFindings(count: number, message?: () => string): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({
      ruleId: `secrets/rule-${i % 40}`,
      path: `src/dir-${i % 50}/file-${i % 500}.ts`,
      startLine: (i % 1000) + 1,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      ...(message ? { message: message() } : {}),
    }),
  );
}

function declaredRules(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `secrets/rule-${i}`,
    checkId: "secrets",
    title: `Rule ${i}`,
    severity: "high" as const,
    helpUrl: `https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/checks/secrets.md#rule-${i}`,
  }));
}

function expectWithinGithubLimits(text: string, log: { runs: Run[] }) {
  expect(gzipSync(text).length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.maxGzipBytes);
  expect(log.runs.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.runsPerFile);
  for (const run of log.runs) {
    expect(run.results.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.resultsPerRun);
    expect(run.tool.driver.rules.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.rulesPerRun);
    expect(run.tool.extensions?.length ?? 0).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.toolExtensionsPerRun);
    // The displayed limit (10) is stricter than the accepted one (20): every tag is shown.
    for (const rule of run.tool.driver.rules) expect(rule.properties.tags.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.displayedTagsPerRule);
    for (const r of run.results) {
      expect(r.locations.length + (r.relatedLocations?.length ?? 0)).toBeLessThanOrEqual(100);
      expect(r.codeFlows).toBeUndefined(); // so no thread flow locations at all
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
    // Nothing left out without saying so.
    expect(run.results.length + run.properties.resultsOmitted).toBe(run.properties.findingCount);
  }
}

describe("SARIF within GitHub's limits: 30,000 findings", () => {
  const findings = manyFindings(30_000);
  let text: string;
  let log: { runs: Run[] };
  beforeAll(() => {
    text = renderSarif(scanResult({ findings, rules: declaredRules(2_000) }), { toolVersion: "1.0.0" });
    log = JSON.parse(text) as { runs: Run[] };
  });

  it("respects every documented limit", () => {
    expectWithinGithubLimits(text, log);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results).toHaveLength(GITHUB_SARIF_LIMITS.resultsPerRun);
  });

  it("is still valid SARIF 2.1.0", () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it("leaves out the least severe, counts them and says so in a notification", () => {
    const run = log.runs[0]!;
    expect(run.properties).toEqual({ findingCount: 30_000, resultsOmitted: 5_000, resultsOmittedBecause: "results-per-run" });
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, run.results.filter((r) => r.properties.severity === s).length]));
    expect(bySeverity).toEqual({ critical: 6_000, high: 6_000, medium: 6_000, low: 6_000, info: 1_000 });
    const notes = run.invocations[0]!.toolExecutionNotifications.filter((n) => n.descriptor.id === "sarif-limits");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.level).toBe("warning");
    expect(notes[0]!.message.text).toBe(
      "5000 of 30000 findings are not in this SARIF log (code scanning accepts at most 25,000 results per run); the least severe were left out. The json report lists all of them.",
    );
  });

  it("embeds only the 40 rules that have results, not the 2,000 declared", () => {
    const ids = log.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(log.runs[0]!.results.map((r) => r.ruleId)));
  });

  it("keeps the results in the engine's order and leaves out the same ones every run", () => {
    const kept = findings.filter((f) => f.severity !== "info").length + 1_000;
    expect(kept).toBe(25_000);
    expect(renderSarif(scanResult({ findings, rules: declaredRules(2_000) }), { toolVersion: "1.0.0" })).toBe(text);
  });
});

describe("SARIF within GitHub's size limit", () => {
  it("leaves out results until the gzip-compressed log fits, and counts them", () => {
    // Random text does not compress: 2,000 findings of ~1 KB each are far over a 300 kB budget.
    const findings = manyFindings(2_000, () => randomBytes(600).toString("base64"));
    const text = renderSarif(scanResult({ findings }), { toolVersion: "1.0.0", limits: { maxGzipBytes: 300_000 } });
    const log = JSON.parse(text) as { runs: Run[] };
    const run = log.runs[0]!;
    expect(gzipSync(text).length).toBeLessThanOrEqual(300_000);
    expect(run.results.length).toBeGreaterThan(100);
    expect(run.properties).toMatchObject({ findingCount: 2_000, resultsOmittedBecause: "file-size" });
    expect(run.results.length + run.properties.resultsOmitted).toBe(2_000);
    const note = run.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id === "sarif-limits");
    expect(note?.message.text).toContain("code scanning accepts at most 0.3 MB of gzip-compressed SARIF");
    // The most severe survive: nothing left out is more severe than anything kept.
    const kept = new Set(run.results.map((r) => r.partialFingerprints["prSentinel/v1"]));
    const rank = (s: Severity) => SEVERITIES.indexOf(s);
    const worstKept = Math.max(...findings.filter((f) => kept.has(f.fingerprint)).map((f) => rank(f.severity)));
    const bestOmitted = Math.min(...findings.filter((f) => !kept.has(f.fingerprint)).map((f) => rank(f.severity)));
    expect(worstKept).toBeLessThanOrEqual(bestOmitted);
  });

  it("holds at GitHub's own 10 MB with 30,000 findings that do not compress", { timeout: 60_000 }, () => {
    const findings = manyFindings(30_000, () => randomBytes(500).toString("base64"));
    const text = renderSarif(scanResult({ findings }), { toolVersion: "1.0.0" });
    const log = JSON.parse(text) as { runs: Run[] };
    expectWithinGithubLimits(text, log);
    expect(log.runs[0]!.properties.resultsOmittedBecause).toBe("file-size");
  });

  it("leaves nothing out, and says so, when the log is within every limit", () => {
    const log = JSON.parse(renderSarif(scanResult({ findings: manyFindings(10) }), { toolVersion: "1.0.0" })) as { runs: Run[] };
    expect(log.runs[0]!.properties).toEqual({ findingCount: 10, resultsOmitted: 0 });
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications.some((n) => n.descriptor.id === "sarif-limits")).toBe(false);
  });
});
