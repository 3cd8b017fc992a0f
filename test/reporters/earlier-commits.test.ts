/**
 * Secrets from earlier commits (committed and deleted again) in every report format: a section of
 * their own with the commit, path and rule and "rotate", no line where the head has none, and the
 * baseline count beside the other suppressions.
 */
import { describe, expect, it } from "vitest";
import { renderJson, renderMarkdown, renderSarif, renderText } from "../../src/reporters/index.js";
import { splitEarlierCommits } from "../../src/reporters/earlier-commits.js";
import { summaryDigest } from "../../src/app/summary-digest.js";
import { finding, scanResult } from "./sample-result.js";

const COMMIT = "161215afce67d8f959ea5739da7d742bf8746303";

function earlier(overrides: Parameters<typeof finding>[0] = {}) {
  return finding({
    path: "src/old-config.ts",
    startLine: 7,
    commentable: false,
    message: "GitHub classic personal access token: committed in 161215a and no longer in the head, but it stays in the history: rotate it",
    properties: { commit: COMMIT, commit_date: "2026-03-01T10:01:00Z", not_in_head: true },
    ...overrides,
  });
}

function mixed() {
  return scanResult({
    findings: [finding({ path: "src/config.ts", startLine: 12 }), earlier()],
    suppressed: { ignoredPaths: 1, inline: 0, allowlist: 0, baseline: 4 },
  });
}

describe("earlier-commit findings", () => {
  it("are told apart by the merge's marker only", () => {
    const { head, earlier: old } = splitEarlierCommits(mixed().findings);
    expect(head.map((f) => f.path)).toEqual(["src/config.ts"]);
    expect(old.map((f) => f.path)).toEqual(["src/old-config.ts"]);
    expect(splitEarlierCommits([finding({ properties: { commit: COMMIT } })]).earlier).toEqual([]);
  });

  it("markdown: a section of their own, the commit linked when a link is given, never a line number", () => {
    const md = renderMarkdown(mixed(), { toolVersion: "1.0.0", subject: "this pull request", commitUrl: (sha) => `https://github.com/o/r/commit/${sha}` });
    const [findings, section] = md.split("### Secrets in earlier commits of this pull request");
    expect(findings).toContain("### Findings");
    expect(findings).toContain("`src/config.ts:12`");
    expect(findings).not.toContain("old-config");
    expect(section).toContain(`\`src/old-config.ts\` in commit [\`161215a\`](https://github.com/o/r/commit/${COMMIT}) (2026-03-01)`);
    expect(section).toContain("rotate");
    expect(section).not.toContain("old-config.ts:7");
    expect(md).toContain("**Suppressed in this scan:** 1 file by `paths.ignore`, 4 findings accepted by the baseline.");
  });

  it("markdown: without a link the commit is only named, and a hostile link is not followed", () => {
    expect(renderMarkdown(mixed(), { toolVersion: "1" })).toContain("in commit `161215a` (2026-03-01)");
    expect(renderMarkdown(mixed(), { toolVersion: "1", commitUrl: () => "javascript:alert(1)" })).toContain("in commit `161215a` (2026-03-01)");
    expect(renderMarkdown(mixed(), { toolVersion: "1" })).toContain("### Secrets in earlier commits of this change");
  });

  it("markdown: only earlier-commit findings means no empty Findings heading", () => {
    const md = renderMarkdown(scanResult({ findings: [earlier()] }), { toolVersion: "1" });
    expect(md).not.toContain("### Findings");
    expect(md).toContain("### Secrets in earlier commits");
  });

  it("text: listed under their own heading as path @ commit, and the baseline counted", () => {
    const text = renderText(mixed(), { color: false, toolVersion: "1" });
    const [head, section] = text.split("Secrets in earlier commits (no longer in the head, but pushed: rotate them):");
    expect(head).toContain("src/config.ts:12");
    expect(head).not.toContain("old-config");
    expect(section).toMatch(/^\s*src\/old-config\.ts @ 161215a\s+high\s+secrets\/github-classic-pat\s+GitHub classic/m);
    // No marker can sit on a line the head no longer has: the allowlist is the way.
    expect(section).toMatch(/suppress\s+allowlist fingerprint [0-9a-f]{16} \(the line is no longer in the head/);
    expect(section!.split("Suppressed:")[0]).not.toContain("pr-sentinel-ignore");
    expect(text).toContain("Suppressed: 1 file by paths.ignore, 0 findings by inline markers, 0 findings by the allowlist, 4 findings by the baseline");
    expect(renderText(scanResult(), { color: false, toolVersion: "1" })).not.toContain("baseline");
  });

  it("sarif: located at the file with no region, the commit in properties, fingerprinted like the others", () => {
    const log = JSON.parse(renderSarif(mixed(), { toolVersion: "1.0.0" }));
    const [inHead, old] = log.runs[0].results;
    expect(inHead.locations[0].physicalLocation.region).toEqual({ startLine: 12, endLine: 12 });
    expect(old.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "src/old-config.ts", uriBaseId: "%SRCROOT%" } });
    expect(old.properties).toMatchObject({ commit: COMMIT, commit_date: "2026-03-01T10:01:00Z", not_in_head: true, commentable: false });
    expect(Object.keys(old.partialFingerprints).length).toBe(2);
    expect(log.runs[0].invocations[0].properties.suppressedBaseline).toBe(4);
  });

  it("json: the finding keeps its commit properties, and suppressed has the baseline count (0 when absent)", () => {
    const json = JSON.parse(renderJson(mixed(), { toolVersion: "1" }));
    expect(json.findings[1].properties).toEqual({ commit: COMMIT, commit_date: "2026-03-01T10:01:00Z", not_in_head: true });
    expect(json.suppressed).toEqual({ ignoredPaths: 1, inline: 0, allowlist: 0, baseline: 4 });
    expect(JSON.parse(renderJson(scanResult(), { toolVersion: "1" })).suppressed.baseline).toBe(0);
  });

  it("the app's summary comment says how many, and that they must be rotated", () => {
    const lines = summaryDigest({ result: mixed(), previous: undefined, headSha: COMMIT });
    expect(lines).toContain("**Secrets in earlier commits of this pull request:** 1 (no longer in the head, but pushed: rotate them)");
    expect(summaryDigest({ result: scanResult({ findings: [finding()] }), previous: undefined, headSha: COMMIT }).join("\n")).not.toContain("earlier commits");
  });
});
