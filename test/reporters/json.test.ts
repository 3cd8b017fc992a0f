import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JSON_REPORT_VERSION, renderJson } from "../../src/reporters/json.js";
import { finding, fullResult, scanResult } from "./sample-result.js";
import { sampleScope } from "./sample-scope.js";

describe("renderJson", () => {
  const report = JSON.parse(renderJson(fullResult(), { toolVersion: "0.1.0" }));

  it("has the documented top-level shape with a version", () => {
    expect(JSON_REPORT_VERSION).toBe(1);
    expect(Object.keys(report)).toEqual(["version", "tool", "scope", "verdict", "stats", "findings", "outcomes", "suppressed", "expiredAllowlist", "rules", "notes"]);
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: "pr-sentinel", version: "0.1.0" });
    expect(report.verdict).toMatchObject({ conclusion: "fail", failOn: "high", onError: "neutral", counts: { critical: 1, high: 1, medium: 1, low: 1, info: 0 } });
    expect(report.suppressed).toEqual({ ignoredPaths: 2, inline: 1, allowlist: 3, baseline: 0 });
    expect(report.expiredAllowlist).toEqual([{ fingerprint: "0123456789abcdef", reason: "rotated in June", expires: "2026-06-01" }]);
    expect(report.notes).toEqual(["GitHub lists at most 3000 files; the scan is partial"]);
  });

  it("gives every finding and outcome the same keys, with null for what is absent", () => {
    const keys = ["checkId", "ruleId", "severity", "confidence", "path", "startLine", "endLine", "message", "remediation", "suggestion", "evidence", "helpUrl", "fingerprint", "identity", "commentable", "properties"];
    for (const f of report.findings) expect(Object.keys(f)).toEqual(keys);
    expect(report.findings[2]).toMatchObject({ evidence: null, identity: null, confidence: "medium" });
    for (const o of report.outcomes) expect(Object.keys(o)).toEqual(["checkId", "status", "message", "warnings", "durationMs", "findingCount"]);
    expect(report.outcomes.find((o: { checkId: string }) => o.checkId === "secrets").message).toBeNull();
  });

  it("copies no field that is not part of the shape", () => {
    const extra = { ...finding(), internalSecret: "do-not-leak" } as ReturnType<typeof finding>;
    expect(renderJson(scanResult({ findings: [extra] }), { toolVersion: "0.1.0" })).not.toContain("do-not-leak");
  });
});

describe("docs/json-output.md", () => {
  it("documents every field of the report", () => {
    const doc = readFileSync(new URL("../../docs/json-output.md", import.meta.url), "utf8");
    const report = JSON.parse(renderJson(fullResult(), { toolVersion: "0.1.0", scope: sampleScope() }));
    const fields = new Set([
      ...Object.keys(report),
      ...Object.keys(report.scope),
      ...Object.keys(report.scope.base),
      ...Object.keys(report.scope.head),
      ...Object.keys(report.scope.config),
      ...Object.keys(report.verdict),
      ...Object.keys(report.stats),
      ...Object.keys(report.findings[0]),
      ...Object.keys(report.outcomes[0]),
      ...Object.keys(report.suppressed),
      ...Object.keys(report.expiredAllowlist[0]),
      ...Object.keys(report.rules[0]),
    ]);
    expect([...fields].filter((field) => !doc.includes(`\`${field}\``))).toEqual([]);
  });
});
