import { describe, expect, it } from "vitest";
import { escapeHtml, html, safeHref } from "../../../src/posture/dashboard/html.js";

describe("html template", () => {
  it("escapes every interpolated value, in text and in attributes", () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<a title="${hostile}" href="/r/${hostile}">${hostile}</a>`.text;
    expect(out).not.toContain("<script>");
    expect(out).not.toMatch(/title=""/);
    expect(out).toContain("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
  });

  it("keeps nested templates and lists as HTML, drops null and false", () => {
    const rows = ["a<b", "c"].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${rows}${null}${false}${undefined}</ul>`.text).toBe("<ul><li>a&lt;b</li><li>c</li></ul>");
  });

  it("links only http(s) addresses", () => {
    expect(safeHref("https://github.com/a/b")).toBe("https://github.com/a/b");
    expect(safeHref("javascript:alert(1)")).toBe("#");
    expect(safeHref("data:text/html,x")).toBe("#");
    expect(escapeHtml("`")).toBe("&#96;");
  });
});
