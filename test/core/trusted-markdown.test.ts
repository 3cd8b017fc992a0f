import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { isTrustedMarkdown, trustedMarkdown } from "../../src/core/trusted-markdown.js";
import { escapeMarkdownWithCode } from "../../src/reporters/markdown-escape.js";

// GitHub autolinks `https://…` and `www.…`, not bare domains: the same here.
const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

describe("trusted Markdown", () => {
  it("is an object a string cannot pass for", () => {
    const t = trustedMarkdown("Rotate it at https://example.test/keys.");
    expect(isTrustedMarkdown(t)).toBe(true);
    expect(isTrustedMarkdown("Rotate it")).toBe(false);
    expect(isTrustedMarkdown({ markdown: "forged" })).toBe(false);
  });

  it("every built-in rule's risk and fix are trusted Markdown, one paragraph, with https links only and no HTML", () => {
    let rules = 0;
    for (const check of builtinChecks) {
      for (const rule of check.meta.rules) {
        for (const text of [rule.risk, rule.fix]) {
          if (text === undefined) continue;
          rules++;
          expect(isTrustedMarkdown(text), `${check.meta.id}/${rule.id}`).toBe(true);
          const html = md.render(text.markdown);
          expect(html.trim().startsWith("<p>") && html.trim().endsWith("</p>"), `${check.meta.id}/${rule.id}: one paragraph`).toBe(true);
          for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) expect(href, `${check.meta.id}/${rule.id}`).toMatch(/^https:\/\//);
          // Markdown only: no raw HTML element renders (a `<id>` inside a code span is text).
          const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase()));
          for (const tag of tags) expect(["p", "a", "code", "strong", "em"], `${check.meta.id}/${rule.id}: <${tag}>`).toContain(tag);
        }
      }
    }
    expect(rules).toBeGreaterThan(600);
  });

  it("gives every built-in rule a risk sentence and a fix", () => {
    const missing = builtinChecks.flatMap((c) => c.meta.rules.filter((r) => !r.id.startsWith("custom") && (!r.risk || !r.fix)).map((r) => `${c.meta.id}/${r.id}`));
    expect(missing).toEqual([]);
  });
});

describe("escapeMarkdownWithCode (untrusted text with backtick-marked names)", () => {
  it("renders marked names as code and everything else inert", () => {
    const html = md.render(escapeMarkdownWithCode("`lodash@4.17.15` has 1 advisory: see https://evil.example/x <img src=x> @octocat [a](javascript:alert(1))"));
    expect(html).toContain("<code>lodash@4.17.15</code>");
    expect(html).not.toMatch(/<a |<img|@octocat/);
  });

  it("cannot be broken out of with stray or doubled backticks", () => {
    for (const hostile of ["`", "``a`", "`a``b`", "a ` <script>x</script> `", "`<b>bold</b>`"]) {
      const html = md.render(escapeMarkdownWithCode(hostile));
      expect(html, hostile).not.toMatch(/<script|<b>/);
    }
  });
});
