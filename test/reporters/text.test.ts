import { describe, expect, it } from "vitest";
import { trustedMarkdown } from "../../src/core/trusted-markdown.js";
import { markdownToText } from "../../src/reporters/markdown-to-text.js";
import { renderText, visible } from "../../src/reporters/text.js";
import { finding, fullResult, scanResult } from "./sample-result.js";
import { sampleScope, stagedScope } from "./sample-scope.js";

const ESC = "\u001b";
const plain = { color: false, toolVersion: "0.1.0" };
const EMPTY_STATS = { files: 0, addedLines: 0, durationMs: 1, distinctFindings: 0 };

describe("renderText", () => {
  it("prints one line per finding in aligned columns path:line  severity  rule  message  evidence, grouped by file", () => {
    const lines = renderText(fullResult(), plain).split("\n");
    const findingLines = lines.filter((l) => /^\S+:\d+ +\S/.test(l));
    expect(findingLines).toEqual([
      ".github/workflows/ci.yml:5  medium    policy/workflow-pull-request-target  GitHub classic personal access token",
      "infra/main.tf:3             critical  secrets/aws-access-key               GitHub classic personal access token  AKIA…WXYZ (20 chars)",
      "src/config.ts:2             low       secrets/undeclared-rule              GitHub classic personal access token  ghp_0123…wxyz (40 chars)",
      "src/config.ts:12            high      secrets/github-classic-pat           GitHub classic personal access token  ghp_0123…wxyz (40 chars)",
    ]);
  });

  it("says under each finding what to do and how to suppress it, with the fingerprint prefix an allowlist entry takes", () => {
    const result = fullResult();
    const lines = renderText(result, plain).split("\n");
    const at = lines.findIndex((l) => l.startsWith("src/config.ts:12 "));
    const f = result.findings.find((x) => x.path === "src/config.ts" && x.startLine === 12)!;
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "    fix       Revoke it at https://github.com/settings/tokens",
      `    suppress  pr-sentinel-ignore secrets/github-classic-pat in a comment on or above the line, or allowlist fingerprint ${f.fingerprint.slice(0, 16)}`,
    ]);
    expect(lines.filter((l) => /^ {4}suppress {2}.* fingerprint [0-9a-f]{16}$/.test(l))).toHaveLength(4);
  });

  it("falls back to the rule's fix, as plain text with backticks kept, and shows its risk with --verbose", () => {
    const f = finding({ remediation: undefined, ruleId: "secrets/aws-access-key" });
    const result = scanResult({ findings: [f] });
    const withWords = {
      ...result,
      rules: result.rules.map((r) =>
        r.id === "secrets/aws-access-key"
          ? { ...r, fix: trustedMarkdown("Deactivate the key (`aws iam delete-access-key`), see [the guide](https://docs.aws.amazon.com/x) \\*now\\*"), risk: trustedMarkdown("Acts as the **IAM user**.") }
          : r,
      ),
    };
    const text = renderText(withWords, plain);
    expect(text).toContain("    fix       Deactivate the key (`aws iam delete-access-key`), see the guide (https://docs.aws.amazon.com/x) *now*\n");
    expect(text).not.toContain("    why");
    const verbose = renderText(withWords, { ...plain, verbose: true });
    expect(verbose).toContain("    why       Acts as the IAM user.\n");
    expect(verbose).toContain(`    help      ${f.helpUrl}\n`);
    expect(verbose).toMatch(/Checks:\n {2}secrets {2}ok {2}1 finding, 5 ms\n/);
  });

  it("says what was not checked, what was suppressed, expired entries and notes, then the verdict last", () => {
    const text = renderText(fullResult(), plain);
    expect(text).toContain("Not checked:\n  dependencies  error    timed out after 60s");
    expect(text).toContain("\n  osv           skipped  needs the network");
    expect(text).toContain("Partly checked:\n  policy        Dockerfile too large to read");
    expect(text).toContain("Suppressed: 2 files by paths.ignore, 1 finding by inline markers, 3 findings by the allowlist");
    expect(text).toContain("To suppress a false positive: a pr-sentinel-ignore marker applies at once");
    expect(text).toContain("\nSee https://github.com/pr-sentinel/pr-sentinel/blob/main/docs/configuration.md#suppressing-a-finding\n");
    expect(text).toContain("  0123456789abcdef  expired 2026-06-01  rotated in June");
    expect(text).toContain("Note: GitHub lists at most 3000 files; the scan is partial");
    expect(text.trimEnd().split("\n").at(-1)).toBe("FAIL  1 critical, 1 high, 1 medium, 1 low: fails on high; 1 check could not run, 1 check skipped");
  });

  it("colors only when asked", () => {
    expect(renderText(fullResult(), plain)).not.toContain(ESC);
    const colored = renderText(fullResult(), { color: true, toolVersion: "0.1.0" });
    expect(colored).toContain(`${ESC}[31mhigh`);
    expect(colored).toMatch(new RegExp(`${ESC}\\[1m${ESC}\\[31mFAIL`));
  });

  it("passes with a clean summary and no suppression how-to", () => {
    const text = renderText(scanResult(), plain);
    expect(text.trimEnd().split("\n").at(-1)).toBe("PASS  No problems found");
    expect(text).not.toContain("Not checked");
    expect(text).not.toContain("To suppress");
  });

  it("never lets hostile text reach the terminal as control sequences", () => {
    const hostile = finding({ path: `evil${ESC}]0;pwned\u0007.txt`, message: `fine\r${ESC}[2Jcleared\nsecond line`, evidence: "a\u202eb" });
    const text = renderText(scanResult({ findings: [hostile] }), plain);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text.split("\n").filter((l) => l.includes("evil"))).toHaveLength(1);
  });

  it("names invisible characters instead of printing them", () => {
    const sneaky = finding({ path: "src/con\u200dfig.ts", message: "token\u200b here", evidence: "ab\u{e0041}c" });
    const text = renderText(scanResult({ findings: [sneaky], notes: ["note\u2060"] }), { ...plain, scope: sampleScope() });
    expect(text).not.toMatch(/\p{Cf}/u);
    expect(text).toContain("src/con<U+200D>fig.ts:12");
    expect(text).toContain("token<U+200B> here");
    expect(text).toContain("ab<U+E0041>c");
    expect(visible("a\u00adb")).toBe("a<U+00AD>b");
  });
});

describe("renderText with a scope", () => {
  it("opens with the range, how the base was chosen, and the config", () => {
    const lines = renderText(fullResult(), { ...plain, scope: sampleScope() }).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "Scanned  main@8de3ad9…HEAD@1a2b3c4 (base: the merge-base of HEAD and main), 3 changed files",
      "Config   .github/pr-sentinel.yml at base 8de3ad9",
      "",
    ]);
  });

  it("names the PATH filter and a config the branch changes", () => {
    const scope = sampleScope({ paths: ["src", "*.tf"], matchedFiles: 2, config: { ...sampleScope().config, changedByBranch: true } });
    const text = renderText(fullResult(), { ...plain, scope });
    expect(text).toContain("\nPaths    src *.tf (2 of 3 changed files)\n");
    expect(text).toContain("\nNote: the branch changes .github/pr-sentinel.yml; that takes effect after merge");
    expect(text).toContain("on the default branch: the config is read at the base, so an entry added on this branch applies after merge");
  });

  it("says NOTHING SCANNED instead of PASS over an empty range, and points at --base", () => {
    const scope = sampleScope({ changedFiles: 0, matchedFiles: 0 });
    const last = renderText(scanResult({ stats: EMPTY_STATS }), { ...plain, scope }).trimEnd().split("\n").at(-1);
    expect(last).toBe("NOTHING SCANNED  no files changed in main@8de3ad9…HEAD@1a2b3c4; pass --base REF (e.g. --base HEAD~1) to compare with an earlier commit, or --all to scan every tracked file");
    const filtered = sampleScope({ paths: ["docs"], matchedFiles: 0 });
    expect(renderText(scanResult({ stats: EMPTY_STATS }), { ...plain, scope: filtered })).toContain("NOTHING SCANNED  none of the 3 changed files matches docs\n");
  });

  it("in --staged mode, ends a failing report with the commit blocked and the ways forward", () => {
    const text = renderText(fullResult(), { ...plain, scope: stagedScope() });
    const tail = text.trimEnd().split("\n").slice(-3);
    expect(tail[0]).toBe("The commit was blocked. Fix the findings above and git add the fix, or suppress a false positive as shown.");
    expect(tail.join(" ")).toContain("git commit --no-verify skips every hook: keep it for a finding you are sure is wrong");
    expect(text).toContain("with --staged the working-tree copy applies at once");
    // A passing commit goes through: no such line.
    expect(renderText(scanResult(), { ...plain, scope: stagedScope() })).not.toContain("blocked");
  });
});

describe("markdownToText", () => {
  it("keeps code spans, unescapes, and writes links as text (url)", () => {
    expect(markdownToText(trustedMarkdown("Run `a\\*b` then \\_x\\_ [docs](https://e.test/a) <https://e.test/b> **now**"))).toBe(
      "Run `a\\*b` then _x_ docs (https://e.test/a) https://e.test/b now",
    );
    expect(markdownToText(trustedMarkdown("[https://e.test](https://e.test)\nnext line"))).toBe("https://e.test next line");
  });
});
