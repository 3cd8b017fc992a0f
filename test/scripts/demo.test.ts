/**
 * `npm run demo` end to end, in-process: the real app reviews the demo's pull request on the fake
 * GitHub (loopback fakes of OSV and the npm registry, no network), and what a newcomer sees is
 * pinned: a failed check run, an inline comment on each planted problem's line (workflow, manifest
 * and lockfile, Dockerfile, the file with the key), a readable terminal report, and an HTML page
 * with every file's diff and every comment under its line, safe to open (no script, nothing
 * external, the pull request's text escaped) and holding no whole credential.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo, type DemoResult } from "../../scripts/demo.js";
import { diffRows, escapeHtml, renderCommentMarkdown } from "../../scripts/demo/html-page.js";
import { DEMO_KEY_ID, maskSecrets } from "../../scripts/demo/pull-request.js";
import { markdownToTerminal, terminalSafe, visibleWidth } from "../../scripts/demo/terminal-text.js";

let dir: string;
let result: DemoResult;
let html: string;
const printed: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pr-sentinel-demo-test-"));
  result = await runDemo({ outFile: join(dir, "review.html"), write: (line) => printed.push(line), color: false, width: 88 });
  html = readFileSync(result.htmlFile, "utf8");
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rulesOn = (path: string) =>
  result.review.comments.filter((c) => c.path === path).flatMap((c) => [...c.body.matchAll(/pr-sentinel-ignore ([a-z-]+\/[a-z0-9-]+)/g)].map((m) => m[1]));

describe("what the app posted on the demo pull request", () => {
  it("fails the check run, and says so in a summary and a sticky comment", () => {
    expect(result.posted).toBe(true);
    expect(result.review.checkRun?.conclusion).toBe("failure");
    expect(result.review.checkRun?.title).toMatch(/high/);
    expect(result.review.checkRun?.summary).toContain("PR Sentinel");
    expect(result.review.summaryComment).toContain("PR Sentinel");
  });

  it("comments inline on the workflow, the manifest and lockfile, the Dockerfile and the leaked key", () => {
    expect(rulesOn(".github/workflows/welcome.yml")).toEqual(expect.arrayContaining(["policy/template-injection", "policy/unpinned-uses"]));
    expect(rulesOn("package.json")).toEqual(expect.arrayContaining(["dependencies/vulnerable-dependency", "dependencies/typosquat"]));
    expect(rulesOn("package-lock.json")).toContain("dependencies/vulnerable-dependency");
    expect(rulesOn("Dockerfile")).toContain("policy/root-user");
    expect(rulesOn("src/config.ts")).toContain("secrets/aws-access-key-id");
  });

  it("offers the one-click pin and the one-click upgrade", () => {
    const bodies = result.review.comments.map((c) => c.body).join("\n");
    expect(bodies).toMatch(/```suggestion\n\s+- uses: some-org\/greet-action@[0-9a-f]{40} # v2\.3\.1\n```/);
    expect(bodies).toContain('```suggestion\n    "lodash": "^4.17.21"');
  });
});

describe("the terminal report", () => {
  const text = () => printed.join("\n");

  it("shows the verdict, every inline comment with its file and line, the sticky comment and the page's path", () => {
    expect(text()).toMatch(/Check run "PR Sentinel": failure/);
    expect(text()).toContain("✗ FAILED");
    for (const c of result.review.comments) expect(text()).toContain(`${c.path}:${c.line}`);
    expect(text()).toContain("Summary comment");
    expect(text()).toContain(result.htmlFile.split("/").at(-1));
    expect(text()).toContain("Suggested change:");
  });

  it("is plain text: no colour when off, no Markdown markers or HTML comments, lines wrapped to the width", () => {
    expect(text()).not.toMatch(/\u001b/);
    expect(text()).not.toContain("<!--");
    expect(text()).not.toContain("**");
    expect(text()).not.toMatch(/\\[:.()-]/);
    // Only unbreakable words (URLs, a suggested line) may pass the width.
    const tooWide = printed.filter((l) => visibleWidth(l) > 88 && !/https?:\/\/|^\s*[-+] /.test(l));
    expect(tooWide).toEqual([]);
  });

  it("never prints the planted key whole", () => {
    expect(text()).not.toContain(DEMO_KEY_ID);
    expect(text()).toContain(maskSecrets(DEMO_KEY_ID));
  });
});

describe("the HTML page", () => {
  it("is written where asked and holds every file's diff", () => {
    expect(existsSync(result.htmlFile)).toBe(true);
    for (const f of result.review.files) {
      expect(html).toContain(`<span class="path">${escapeHtml(f.path)}</span>`);
    }
    // Added lines are green rows with their new line numbers.
    expect(html).toMatch(/<tr class="add"><td class="num"><\/td><td class="num">14<\/td><td class="code"><span class="mark">\+<\/span>\s+run: echo &quot;New pull request \$\{\{ github\.event\.pull_request\.title \}\}&quot;<\/td><\/tr>/);
  });

  it("renders each inline comment right under the line it is on", () => {
    const sections = html.split('<section class="file"').slice(1);
    for (const c of result.review.comments) {
      const section = sections.find((s) => s.includes(`<span class="path">${escapeHtml(c.path)}</span>`))!;
      const rows = section.split("\n");
      const at = rows.findIndex((r) => r.includes(`<td class="num">${c.line}</td><td class="code">`));
      expect(at, `${c.path}:${c.line}`).toBeGreaterThanOrEqual(0);
      const thread = rows.slice(at + 1).join("\n");
      expect(thread.startsWith('<tr class="thread">'), `${c.path}:${c.line}`).toBe(true);
      const original = result.review.files.find((f) => f.path === c.path)?.head?.split("\n")[c.line - 1];
      expect(thread).toContain(renderCommentMarkdown(c.body, original === undefined ? undefined : maskSecrets(original)));
    }
  });

  it("carries the comments' words as text, and the check run and sticky comment at the top", () => {
    for (const words of [
      "Attacker-controlled text expanded into a script",
      "Action or reusable workflow not pinned to a commit",
      "Dependency with known vulnerabilities",
      "Name one typo away from a popular package",
      "Container runs as root",
      "AWS access key id",
      "Suggested change",
    ]) {
      expect(html).toContain(words);
    }
    const firstFile = html.indexOf('<section class="file"');
    expect(html.indexOf("check run · failure")).toBeGreaterThan(0);
    expect(html.indexOf("check run · failure")).toBeLessThan(firstFile);
    expect(html.indexOf("the sticky summary")).toBeLessThan(firstFile);
  });

  it("is self-contained and inert: no script, no external resource, no whole key", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\bsrc=|<link|<iframe|<img|@import|url\(/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain(DEMO_KEY_ID);
  });
});

describe("hostile text", () => {
  it("shows raw HTML in a comment as text, keeping only the bare tags GitHub keeps", () => {
    const out = renderCommentMarkdown('<script>alert(1)</script> <img src=x onerror="alert(1)"> <sub>small</sub> <a href="javascript:alert(1)">x</a> [y](javascript:alert(1)) <!-- hidden -->');
    expect(out).not.toMatch(/<script|<img|<a href="javascript|onerror="/i);
    expect(out).toContain("&lt;script&gt;");
    expect(out).toContain("<sub>small</sub>");
    expect(out).not.toContain("hidden");
  });

  it("escapes a file's text in the diff", () => {
    expect(diffRows("@@ -0,0 +1,1 @@\n+</td><script>x</script>")).toEqual([
      { kind: "hunk", text: "@@ -0,0 +1,1 @@" },
      { kind: "add", newLine: 1, text: "</td><script>x</script>" },
    ]);
    expect(escapeHtml(`<b a="1">&'`)).toBe("&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
  });

  it("keeps escape sequences out of the terminal", () => {
    expect(terminalSafe("a\u001b]0;pwned\u0007b\u009bc\u200dd")).toBe("a\ufffd]0;pwned\ufffdb\ufffdcd");
    const lines = markdownToTerminal("**x** `\u001b[2J`", 80, { color: false });
    expect(lines.join("\n")).not.toMatch(/\u001b/);
  });
});
