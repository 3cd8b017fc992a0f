import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { codeSpan, escapeMarkdown, neutraliseMentions } from "../../src/reporters/markdown-escape.js";

// GFM-like rendering (tables, bare-URL links, raw HTML allowed as GitHub allows a safe subset).
const md = new MarkdownIt({ html: true, linkify: true });
const inline = (markdown: string) => md.renderInline(markdown);
const decode = (html: string) =>
  html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
const ZWJ = "\u200d";

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "[click](https://evil.example) ![i](https://evil.example/x.png)",
  "**bold** _em_ ~~strike~~ `code`",
  "# heading",
  "| a | b |",
  "https://evil.example/path and www.evil.example",
  "&lt;entity&gt; &#x3C;",
  "\\escaped\\",
  "cc @octocat and @org/security-team",
  "see #123 and GH-7 and owner/repo#9",
  "1. not a list",
];

describe("escapeMarkdown", () => {
  it.each(HOSTILE)("renders %s as exactly its text, with no element", (text) => {
    const html = inline(escapeMarkdown(text));
    expect(html).not.toMatch(/<(?!\/?p>)[a-z]/i);
    expect(decode(html).replaceAll(ZWJ, "")).toBe(text);
  });

  it("neutralises mentions and references with a joiner", () => {
    expect(escapeMarkdown("@octocat")).toBe(`@${ZWJ}octocat`);
    expect(neutraliseMentions("#12 GH-3 @a/b")).toBe(`#${ZWJ}12 GH-${ZWJ}3 @${ZWJ}a/b`);
  });

  it("makes one bounded line without control characters", () => {
    expect(escapeMarkdown("a\nb\r\nc\u0000d\u202ee")).toBe("a b  c d e");
    expect(escapeMarkdown("x".repeat(1000), 20)).toBe(`${"x".repeat(19)}…`);
  });

  it("is inert for any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."<>&[]()!*_`#|@\\:/.-=~+{} aZ09\n"), maxLength: 60 }), (text) => {
        const html = inline(escapeMarkdown(text));
        expect(html).not.toMatch(/<(?!\/?p>)[a-z]/i);
        expect(decode(html).replaceAll(ZWJ, "")).toBe(text.replace(/\n/g, " "));
      }),
      { numRuns: 300 },
    );
  });

  it("stays inside one table cell", () => {
    const html = md.render(`| a | b |\n| --- | --- |\n| ${escapeMarkdown("x | y | z")} | 2 |\n`);
    expect(html.match(/<td>/g)).toHaveLength(2);
  });
});

describe("codeSpan", () => {
  it.each(["plain", "with `one` tick", "``double``", "`edge`", "<b>html</b>", " spaced ", "a\nb"])("shows %j verbatim in one code element", (text) => {
    const html = inline(codeSpan(text));
    expect(html).toMatch(/^<code>.*<\/code>$/s);
    expect(decode(html.slice("<code>".length, -"</code>".length)).replaceAll(ZWJ, "")).toBe(text.replace(/\n/g, " "));
  });

  it("keeps any text inside one code element (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."`a <>*_ @#|\\"), minLength: 1, maxLength: 30 }), (text) => {
        const html = inline(codeSpan(text));
        expect(html.match(/<code>/g)).toHaveLength(1);
        expect(html.startsWith("<code>") && html.endsWith("</code>")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
