import { describe, expect, it } from "vitest";
import { renderText } from "../../src/reporters/text.js";
import { finding, fullResult, scanResult } from "./sample-result.js";

const ESC = "\u001b";

describe("renderText", () => {
  it("prints one line per finding as path:line  severity  rule  message  evidence  fingerprint, grouped by file", () => {
    const result = fullResult();
    const fp = (path: string, line: number) => {
      const f = result.findings.find((x) => x.path === path && x.startLine === line)!;
      return `fp ${f.fingerprint.slice(0, 16)}`;
    };
    const lines = renderText(result, { color: false, toolVersion: "0.1.0" }).split("\n");
    const findingLines = lines.filter((l) => /^\S+:\d+ {2}/.test(l));
    expect(findingLines).toEqual([
      `.github/workflows/ci.yml:5  medium    policy/workflow-pull-request-target  GitHub classic personal access token  ${fp(".github/workflows/ci.yml", 5)}`,
      `infra/main.tf:3  critical  secrets/aws-access-key  GitHub classic personal access token  AKIA…WXYZ (20 chars)  ${fp("infra/main.tf", 3)}`,
      `src/config.ts:2  low       secrets/undeclared-rule  GitHub classic personal access token  ghp_0123…wxyz (40 chars)  ${fp("src/config.ts", 2)}`,
      `src/config.ts:12  high      secrets/github-classic-pat  GitHub classic personal access token  ghp_0123…wxyz (40 chars)  ${fp("src/config.ts", 12)}`,
    ]);
    // The shown prefix is enough for an allowlist entry (12 or more hex characters).
    expect(findingLines.every((l) => / {2}fp [0-9a-f]{16}$/.test(l))).toBe(true);
  });

  it("says what was not checked, what was suppressed, expired entries and notes, then the verdict last", () => {
    const text = renderText(fullResult(), { color: false, toolVersion: "0.1.0" });
    expect(text).toContain("Not checked:\n  dependencies  error  timed out after 60s");
    expect(text).toContain("  osv  skipped  needs the network");
    expect(text).toContain("Partly checked:\n  policy  Dockerfile too large to read");
    expect(text).toContain("Suppressed: 2 files by paths.ignore, 1 finding by inline markers, 3 findings by the allowlist");
    expect(text).toContain("  0123456789abcdef  expired 2026-06-01  rotated in June");
    expect(text).toContain("Note: GitHub lists at most 3000 files; the scan is partial");
    expect(text.trimEnd().split("\n").at(-1)).toBe("FAIL  1 critical, 1 high, 1 medium, 1 low: fails on high; 1 check could not run, 1 check skipped");
  });

  it("colors only when asked", () => {
    expect(renderText(fullResult(), { color: false, toolVersion: "0.1.0" })).not.toContain(ESC);
    const colored = renderText(fullResult(), { color: true, toolVersion: "0.1.0" });
    expect(colored).toContain(`${ESC}[31mhigh`);
    expect(colored).toMatch(new RegExp(`${ESC}\\[1m${ESC}\\[31mFAIL`));
  });

  it("passes with a clean summary", () => {
    const text = renderText(scanResult(), { color: false, toolVersion: "0.1.0" });
    expect(text.trimEnd().split("\n").at(-1)).toBe("PASS  No problems found");
    expect(text).not.toContain("Not checked");
  });

  it("never lets hostile text reach the terminal as control sequences", () => {
    const hostile = finding({ path: `evil${ESC}]0;pwned\u0007.txt`, message: `fine\r${ESC}[2Jcleared\nsecond line`, evidence: "a\u202eb" });
    const text = renderText(scanResult({ findings: [hostile] }), { color: false, toolVersion: "0.1.0" });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text.split("\n").filter((l) => l.includes("evil"))).toHaveLength(1);
  });
});
