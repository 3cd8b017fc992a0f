import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { DEFAULT_MARKDOWN_MAX_LENGTH, MAX_LISTED_FINDINGS, MAX_LISTED_NOTES, renderMarkdown } from "../../src/reporters/markdown.js";
import type { Severity } from "../../src/core/types.js";
import { finding, fullResult, outcome, scanResult } from "./sample-result.js";

const md = new MarkdownIt({ html: true, linkify: true });
const options = { toolVersion: "0.1.0" };

function manyFindings(count: number, severity: Severity = "high") {
  return Array.from({ length: count }, (_, i) => finding({ severity, path: `src/file-${i}.ts`, startLine: i + 1, message: `finding number ${i} ${"padding ".repeat(20)}` }));
}

/** Counts in the "N more findings not shown here (M in total…" note, or undefined without one. */
function omitted(markdown: string): { left: number; total: number } | undefined {
  const match = /_(\d+) more findings? not shown here \((\d+) in total/.exec(markdown);
  return match ? { left: Number(match[1]), total: Number(match[2]) } : undefined;
}

describe("renderMarkdown", () => {
  const text = renderMarkdown(fullResult(), options);

  it("opens with the verdict", () => {
    expect(text.split("\n")[0]).toBe("## ❌ PR Sentinel: 1 critical, 1 high, 1 medium, 1 low\\: fails on high; 1 check could not run, 1 check skipped");
    expect(renderMarkdown(scanResult(), options).split("\n")[0]).toBe("## ✅ PR Sentinel: No problems found");
    const neutral = scanResult({ outcomes: [outcome("deps", "error", { message: "boom" })] });
    expect(renderMarkdown(neutral, options)).toMatch(/^## ⚠️ PR Sentinel: 1 check could not run/);
  });

  it("counts by check and severity in a table, only for severities something was found at, marking checks that did not run", () => {
    const table = md.render(text);
    expect(table).toContain("<th>Check</th>");
    expect(text).toContain("| Check | Status | Critical | High | Medium | Low |");
    expect(text).toContain("| dependencies | **not checked** (error) | – | – | – | – |");
    expect(text).toContain("| osv | **not checked** (skipped) | – | – | – | – |");
    expect(text).toContain("| secrets | ok | 1 | 1 | 0 | 1 |");
    expect(text).toContain("| **Total** | | **1** | **1** | **1** | **1** |");
  });

  it("prints no boilerplate on a clean run: no table of zeros, no on_error sentence, no zero suppression counts", () => {
    const clean = renderMarkdown(scanResult(), options);
    expect(clean).not.toContain("on_error");
    expect(clean).not.toContain("Suppressed");
    expect(clean).not.toContain("| Check |");
    expect(clean).not.toMatch(/\b0 findings\b/);
  });

  it("says plainly what was not checked", () => {
    expect(text).toContain("### Not checked");
    expect(text).toContain("**not checked**. This is not a clean result.");
    expect(text).toContain("- **dependencies** failed: timed out after 60s");
    expect(text).toContain("- **osv** skipped: needs the network");
    expect(renderMarkdown(scanResult(), options)).not.toContain("Not checked");
  });

  it("lists findings with location, rule, message and evidence in code spans, most severe first", () => {
    const items = text.split("\n").filter((l) => l.startsWith("- **critical**") || l.startsWith("- **high**") || l.startsWith("- **medium**") || l.startsWith("- **low**"));
    expect(items).toHaveLength(4);
    expect(items[0]).toMatch(/^- \*\*critical\*\* \[`secrets\/aws-access-key`\]\(https:\/\/\S+\) `infra\/main\.tf:3-4`: GitHub classic personal access token `AKIA…WXYZ \(20 chars\)`/);
    expect(items[2]).toContain("_(medium confidence)_");
  });

  it("explains how to suppress, and shows suppression counts, expired entries and notes", () => {
    expect(text).toContain("**Suppressed in this scan:** 2 files by `paths.ignore`, 1 finding by inline markers, 3 findings by the allowlist.");
    expect(text).toContain("`pr-sentinel-ignore secrets/aws-access-key`");
    expect(text).toContain("`paths.ignore`");
    expect(text).toMatch(/allowlist:\n {2}- fingerprint: [0-9a-f]{16}\n {4}reason: .+\n {4}expires: \d{4}-\d{2}-\d{2}/);
    expect(text).toContain("### Expired allowlist entries");
    expect(text).toContain("- `0123456789abcdef` expired 2026\\-06\\-01: rotated in June");
    expect(text).toContain("### Notes\n\n- GitHub lists at most 3000 files; the scan is partial");
  });

  it("keeps hostile pull-request text inert", () => {
    const hostile = finding({
      path: "<img src=x onerror=alert(1)>.md",
      message: "hi @org/security-team [login](https://evil.example) <script>x</script> | --- |",
      evidence: "``` <b>",
    });
    const html = md.render(renderMarkdown(scanResult({ findings: [hostile], notes: ["<iframe src=//evil>"] }), options));
    expect(html).not.toMatch(/<(img|script|iframe|a href="https:\/\/evil)/i);
    expect(html).not.toMatch(/@org/);
    expect(html).toContain("@\u200dorg/security-team");
  });

  it(`lists at most ${MAX_LISTED_FINDINGS} findings and counts the rest`, () => {
    const many = renderMarkdown(scanResult({ findings: manyFindings(60) }), options);
    expect(many.match(/^- \*\*high\*\*/gm)).toHaveLength(MAX_LISTED_FINDINGS);
    expect(omitted(many)).toEqual({ left: 10, total: 60 });
    expect(omitted(renderMarkdown(scanResult({ findings: manyFindings(3) }), options))).toBeUndefined();
  });

  it("fits the default limit however many findings there are", () => {
    const huge = renderMarkdown(scanResult({ findings: manyFindings(5000), notes: Array(200).fill("a long note ".repeat(30)) }), options);
    expect(huge.length).toBeLessThanOrEqual(DEFAULT_MARKDOWN_MAX_LENGTH);
    expect(huge.startsWith("## ❌ PR Sentinel: 5000 high")).toBe(true);
    // Notes are capped, so they never crowd the findings out.
    expect((huge.match(/^- \*\*high\*\*/gm) ?? []).length).toBe(MAX_LISTED_FINDINGS);
    expect(huge).toContain(`${200 - MAX_LISTED_NOTES} more notes`);
  });

  it("keeps the last resort for fixed sections that overflow on their own", () => {
    const tiny = renderMarkdown(scanResult({ findings: manyFindings(5), notes: Array(20).fill("a long note ".repeat(30)) }), { maxLength: 2000, toolVersion: "0.1.0" });
    expect(tiny.length).toBeLessThanOrEqual(2000);
    expect(tiny.endsWith("_Summary truncated to 2000 characters._\n")).toBe(true);
  });

  it("truncates to any maxLength, dropping findings first and saying how many (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 200, max: 20_000 }), (count, maxLength) => {
        const out = renderMarkdown(scanResult({ findings: manyFindings(count) }), { maxLength, toolVersion: "0.1.0" });
        expect(out.length).toBeLessThanOrEqual(maxLength);
        const shown = (out.match(/^- \*\*high\*\*/gm) ?? []).length;
        const note = omitted(out);
        if (note) {
          expect(note.total).toBe(count);
          expect(shown + note.left).toBe(count);
        } else if (!out.includes("_Summary truncated")) {
          expect(shown).toBe(count);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the verdict and the not-checked section when findings are dropped for room", () => {
    const result = scanResult({ findings: manyFindings(40), outcomes: [outcome("secrets"), outcome("deps", "error", { message: "boom" })] });
    const out = renderMarkdown(result, { maxLength: 6000, toolVersion: "0.1.0" });
    expect(out.length).toBeLessThanOrEqual(6000);
    expect(out).toContain("### Not checked");
    expect(out).toContain("How to suppress a finding");
    expect(omitted(out)?.left).toBeGreaterThan(0);
  });
});
