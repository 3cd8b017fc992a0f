import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { findingCommentBody, findingListItem } from "../../src/app/finding-comment.js";
import { MAX_COMMENT_CHARS } from "../../src/app/github-limits.js";
import { fingerprintsIn } from "../../src/app/markers.js";
import { finding, scanResult } from "./findings.fixture.js";

const rule = scanResult([]).rules[0];

describe("findingCommentBody", () => {
  it("says what, why, how to fix and how to suppress, with the fingerprint marker", () => {
    const f = finding({ remediation: "Revoke the key." });
    const body = findingCommentBody(f, rule);
    expect(body).toContain("secrets/aws-access-key-id");
    expect(body).toContain("Why it matters");
    expect(body).toContain("Revoke the key");
    expect(body).toContain("pr-sentinel-ignore secrets/aws-access-key-id");
    expect(fingerprintsIn(body)).toEqual([f.fingerprint]);
  });

  it("tells where a marker works for a multi-line finding: its first line, not the commented last one", () => {
    const body = findingCommentBody(finding({ startLine: 10, endLine: 14 }), rule);
    expect(body).toContain("on line 10, where this finding starts, or the line above it");
    expect(body).not.toContain("on this line");
    expect(findingCommentBody(finding(), rule)).toContain("on this line or the line above");
  });

  it("keeps text from the pull request from mentioning people or injecting Markdown", () => {
    const f = finding({ path: "@acme/team/x.ts", message: "Package @scope/pkg <img src=x onerror=alert(1)> [click](https://evil.example) #12" });
    const texts = [findingCommentBody(f, rule), findingListItem(f)];
    for (const text of texts) {
      // Inside a code span GitHub mentions nobody; everywhere else the mention must be broken.
      expect(new MarkdownIt({ html: true }).render(text).replace(/<code>[\s\S]*?<\/code>/g, "")).not.toMatch(/@(acme|scope)\//);
      expect(text).not.toContain("<img");
      expect(text).not.toContain("](https://evil");
      expect(text).not.toMatch(/#12\b/);
    }
  });

  it("stays within GitHub's comment limit with the marker intact", () => {
    const f = finding({ message: "x".repeat(200_000), remediation: "y".repeat(200_000) });
    const body = findingCommentBody(f, { ...rule!, description: "z".repeat(200_000) });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(fingerprintsIn(body)).toEqual([f.fingerprint]);
  });
});
