/**
 * The demo's review as one HTML page shaped like a pull request's "Files changed" tab: the check
 * run and the comments the app left on the conversation at the top, then each file's diff (added
 * lines green, both line numbers) with the inline comments rendered right under their line, and a
 * one-click suggestion shown as GitHub shows it (the line, and what it would become).
 *
 * Self-contained: inline CSS, no script, no external font, image or stylesheet, so it opens from
 * the temp folder on a machine without network. Two kinds of text reach the page, kept apart:
 * - the pull request's (paths, file contents): always escaped as text;
 * - the app's comments: Markdown, rendered with markdown-it as GitHub would (GitHub-like autolinks,
 *   `fuzzyLink: false`), and any raw HTML in them passed through an allow-list of the tags GitHub
 *   keeps (`<sub>`, `<details>`, …) without attributes; everything else is escaped. The app already
 *   escapes what it quotes from a pull request; this is the page's own defence if it ever did not.
 */
import MarkdownIt from "markdown-it";
import { maskSecrets } from "./pull-request.js";
import type { InlineComment, PostedReview, ReviewedFile } from "./run-review.js";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const ALLOWED_TAGS = new Set(["details", "summary", "sub", "sup", "br", "b", "strong", "i", "em", "code", "kbd", "p", "ul", "ol", "li", "hr"]);

/** Raw HTML from a comment: comments dropped, allowed bare tags kept, everything else shown as text. */
function allowListed(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
    .split(/(<[^<>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)([a-z]+)\s*\/?>$/i.exec(part);
      if (tag && ALLOWED_TAGS.has(tag[2]!.toLowerCase())) return `<${tag[1]}${tag[2]!.toLowerCase()}>`;
      return escapeHtml(part).replace(/&amp;(#\d+|#x[0-9a-f]+|[a-z]+);/gi, "&$1;");
    })
    .join("");
}

interface RenderEnv {
  /** The commented line at head, shown as the "before" of a suggestion. */
  readonly original?: string;
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: true });
  // GitHub autolinks `https://…` and `www.…`, not bare domains (`lodash.com` in a message is text).
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  md.renderer.rules.html_block = (tokens, idx) => allowListed(tokens[idx]!.content);
  md.renderer.rules.html_inline = (tokens, idx) => allowListed(tokens[idx]!.content);
  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet("rel", "noopener noreferrer");
    return defaultLink(tokens, idx, options, env, self);
  };
  const defaultFence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env: RenderEnv, self) => {
    const token = tokens[idx]!;
    if (token.info.trim() !== "suggestion") return defaultFence(tokens, idx, options, env, self);
    const after = token.content.replace(/\n$/, "").split("\n");
    const before = env.original === undefined ? [] : env.original.split("\n");
    const rows = [
      ...before.map((l) => `<tr class="del"><td class="mark">-</td><td class="code">${escapeHtml(l)}</td></tr>`),
      ...after.map((l) => `<tr class="add"><td class="mark">+</td><td class="code">${escapeHtml(l)}</td></tr>`),
    ];
    return `<div class="suggestion"><div class="suggestion-head">Suggested change</div><table>${rows.join("")}</table><div class="suggestion-foot"><span class="button">Commit suggestion</span></div></div>\n`;
  };
  return md;
}

const md = createMarkdown();

/** One comment's Markdown as HTML, as the page shows it. */
export function renderCommentMarkdown(markdown: string, original?: string): string {
  return md.render(markdown, { original } satisfies RenderEnv);
}

interface DiffRow {
  readonly kind: "hunk" | "add" | "del" | "ctx";
  readonly oldLine?: number;
  readonly newLine?: number;
  readonly text: string;
}

/** A GitHub file patch as rows with line numbers on both sides. */
export function diffRows(patch: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      rows.push({ kind: "hunk", text: line });
    } else if (line.startsWith("+")) rows.push({ kind: "add", newLine: newLine++, text: line.slice(1) });
    else if (line.startsWith("-")) rows.push({ kind: "del", oldLine: oldLine++, text: line.slice(1) });
    else if (line.startsWith("\\")) continue;
    else rows.push({ kind: "ctx", oldLine: oldLine++, newLine: newLine++, text: line.slice(1) });
  }
  return rows;
}

const BOT = "pr-sentinel[bot]";

function commentCard(c: InlineComment, file: ReviewedFile): string {
  const original = file.head?.split("\n")[c.line - 1];
  return `<div class="comment"><div class="comment-head"><span class="avatar">PS</span><b>${BOT}</b> <span class="muted">commented on line ${c.line}</span></div><div class="markdown">${renderCommentMarkdown(c.body, original === undefined ? undefined : maskSecrets(original))}</div></div>`;
}

function fileBlock(file: ReviewedFile, comments: readonly InlineComment[]): string {
  const byLine = new Map<number, InlineComment[]>();
  for (const c of comments) byLine.set(c.line, [...(byLine.get(c.line) ?? []), c]);
  const shown = new Set<number>();
  const rows: string[] = [];
  for (const row of file.patch === undefined ? [] : diffRows(file.patch)) {
    if (row.kind === "hunk") {
      rows.push(`<tr class="hunk"><td class="num"></td><td class="num"></td><td class="code">${escapeHtml(row.text)}</td></tr>`);
      continue;
    }
    const mark = row.kind === "add" ? "+" : row.kind === "del" ? "-" : " ";
    rows.push(
      `<tr class="${row.kind}"><td class="num">${row.oldLine ?? ""}</td><td class="num">${row.newLine ?? ""}</td><td class="code"><span class="mark">${mark}</span>${escapeHtml(maskSecrets(row.text))}</td></tr>`,
    );
    const here = row.kind !== "del" && row.newLine !== undefined ? byLine.get(row.newLine) : undefined;
    if (here) {
      shown.add(row.newLine!);
      rows.push(`<tr class="thread"><td colspan="3">${here.map((c) => commentCard(c, file)).join("")}</td></tr>`);
    }
  }
  if (file.patch === undefined) rows.push(`<tr class="hunk"><td colspan="3" class="code">GitHub shows no diff for this file (binary or too large).</td></tr>`);
  // GitHub only takes comments on diff lines; should one ever miss, it is shown, not lost.
  const rest = comments.filter((c) => !shown.has(c.line));
  if (rest.length > 0) rows.push(`<tr class="thread"><td colspan="3">${rest.map((c) => commentCard(c, file)).join("")}</td></tr>`);
  const count = comments.length > 0 ? `<span class="badge">${comments.length} comment${comments.length === 1 ? "" : "s"}</span>` : "";
  return `<section class="file" id="${escapeHtml(anchor(file.path))}"><div class="file-head"><span class="stat"><span class="plus">+${file.additions}</span> <span class="minus">−${file.deletions}</span></span> <span class="path">${escapeHtml(file.path)}</span>${count}</div><table class="diff">${rows.join("\n")}</table></section>`;
}

function anchor(path: string): string {
  return `diff-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

export function renderReviewPage(review: PostedReview): string {
  const run = review.checkRun;
  const conclusion = run?.conclusion ?? "none";
  const icon = conclusion === "failure" ? "✗" : conclusion === "success" ? "✓" : "•";
  const added = review.files.reduce((n, f) => n + f.additions, 0);
  const removed = review.files.reduce((n, f) => n + f.deletions, 0);
  const checkBox = run
    ? `<div class="box check ${escapeHtml(conclusion)}"><div class="box-head"><span class="status">${icon}</span> <b>${escapeHtml(run.name)}</b> <span class="muted">check run · ${escapeHtml(conclusion)} · ${run.annotations} annotations</span></div><div class="markdown"><p><b>${escapeHtml(run.title)}</b></p>${renderCommentMarkdown(run.summary)}</div></div>`
    : `<div class="box check failure"><div class="box-head">The app created no check run.</div></div>`;
  const sticky = review.summaryComment
    ? `<div class="box"><div class="box-head"><span class="avatar">PS</span><b>${BOT}</b> <span class="muted">commented (the sticky summary, edited on every push)</span></div><div class="markdown">${renderCommentMarkdown(review.summaryComment)}</div></div>`
    : "";
  const reviewBox = review.review
    ? `<div class="box"><div class="box-head"><span class="avatar">PS</span><b>${BOT}</b> <span class="muted">reviewed (${escapeHtml(review.review.event)})</span></div><div class="markdown">${renderCommentMarkdown(review.review.body)}</div></div>`
    : "";
  const toc = review.files
    .map((f) => {
      const n = review.comments.filter((c) => c.path === f.path).length;
      return `<li><a href="#${escapeHtml(anchor(f.path))}">${escapeHtml(f.path)}</a>${n > 0 ? ` <span class="badge">${n}</span>` : ""}</li>`;
    })
    .join("");
  const files = review.files.map((f) => fileBlock(f, review.comments.filter((c) => c.path === f.path))).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`${review.title} · ${review.repository}#${review.number} · pr-sentinel demo`)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="pr-head">
<div class="muted">${escapeHtml(review.repository)} · pull request #${review.number}</div>
<h1>${escapeHtml(review.title)} <span class="muted">#${review.number}</span></h1>
<div><span class="state">Open</span> <code>${escapeHtml(review.headBranch)}</code> → <code>main</code> · head <code>${escapeHtml(review.headSha.slice(0, 7))}</code></div>
<p class="note">Written by <code>npm run demo</code>: the real pr-sentinel app reviewed this pull request on a fake GitHub on 127.0.0.1 (with fake OSV and npm registry servers). Nothing here came from the network. The planted key is masked in the diff; pr-sentinel itself only ever quotes it redacted.</p>
<nav class="tabs"><span>Conversation</span><span>Checks</span><span class="active">Files changed <span class="badge">${review.files.length}</span></span></nav>
</header>
<main>
${checkBox}
${sticky}
${reviewBox}
<div class="files-head"><b>${review.files.length} files changed</b> <span class="plus">+${added}</span> <span class="minus">−${removed}</span> · ${review.comments.length} inline comments<ul class="toc">${toc}</ul></div>
${files}
</main>
</body>
</html>
`;
}

const CSS = `
:root { --border: #d0d7de; --muted: #656d76; --add: #e6ffec; --add-num: #ccffd8; --del: #ffebe9; --del-num: #ffd7d5; --hunk: #ddf4ff; --fg: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: #fff; }
header.pr-head, main { max-width: 1200px; margin: 0 auto; padding: 16px 24px; }
header.pr-head { border-bottom: 1px solid var(--border); padding-bottom: 0; }
h1 { font-size: 26px; font-weight: 400; margin: 4px 0 8px; }
.muted { color: var(--muted); font-weight: 400; }
.state { background: #1f883d; color: #fff; border-radius: 2em; padding: 3px 12px; font-weight: 600; }
.note { color: var(--muted); font-size: 12px; }
.tabs { display: flex; gap: 24px; margin-top: 12px; }
.tabs span { padding: 8px 2px; color: var(--muted); }
.tabs .active { color: var(--fg); font-weight: 600; border-bottom: 2px solid #fd8c73; }
code, .code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
code { background: rgba(175, 184, 193, .2); padding: .1em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
.box, .file { border: 1px solid var(--border); border-radius: 6px; margin: 16px 0; overflow: hidden; }
.box-head, .file-head { background: #f6f8fa; border-bottom: 1px solid var(--border); padding: 8px 16px; }
.box .markdown { padding: 8px 16px; }
.check.failure { border-color: #cf222e; }
.check.failure .status { color: #cf222e; font-weight: 700; }
.check.success .status { color: #1a7f37; font-weight: 700; }
.markdown table { border-collapse: collapse; margin: 8px 0; }
.markdown th, .markdown td { border: 1px solid var(--border); padding: 4px 12px; }
.markdown h2, .markdown h3 { font-size: 16px; margin: 16px 0 8px; }
.markdown p { margin: 8px 0; }
.markdown a { color: #0969da; text-decoration: none; }
.markdown sub { color: var(--muted); }
.avatar { display: inline-block; width: 20px; height: 20px; border-radius: 50%; background: #8250df; color: #fff; font-size: 9px; line-height: 20px; text-align: center; margin-right: 6px; vertical-align: middle; }
.files-head { margin-top: 24px; }
.toc { margin: 8px 0; padding-left: 20px; }
.toc a { color: #0969da; text-decoration: none; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.badge { display: inline-block; background: rgba(175, 184, 193, .3); border-radius: 2em; padding: 0 7px; font-size: 12px; margin-left: 6px; }
.plus { color: #1a7f37; font-weight: 600; }
.minus { color: #cf222e; font-weight: 600; }
.path { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
table.diff { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.diff td { padding: 0 8px; vertical-align: top; }
table.diff td.num { width: 50px; text-align: right; color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; user-select: none; }
table.diff td.code { white-space: pre-wrap; word-break: break-all; }
table.diff .mark { display: inline-block; width: 14px; color: var(--muted); user-select: none; }
tr.add td { background: var(--add); }
tr.add td.num { background: var(--add-num); }
tr.del td { background: var(--del); }
tr.del td.num { background: var(--del-num); }
tr.hunk td { background: var(--hunk); color: var(--muted); }
tr.thread > td { padding: 8px 16px; background: #fff; border-top: 1px solid var(--border); border-bottom: 1px solid var(--border); }
.comment { border: 1px solid var(--border); border-radius: 6px; margin: 8px 0; max-width: 900px; }
.comment-head { background: #f6f8fa; border-bottom: 1px solid var(--border); padding: 6px 12px; }
.comment .markdown { padding: 4px 12px; white-space: normal; font-family: inherit; font-size: 14px; }
.suggestion { border: 1px solid var(--border); border-radius: 6px; overflow: hidden; margin: 8px 0; }
.suggestion-head { background: #f6f8fa; padding: 4px 12px; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--border); }
.suggestion table { width: 100%; border-collapse: collapse; margin: 0; }
.suggestion td { border: none; padding: 0 8px; white-space: pre-wrap; word-break: break-all; }
.suggestion td.mark { width: 20px; color: var(--muted); }
.suggestion-foot { padding: 6px 12px; text-align: right; border-top: 1px solid var(--border); }
.button { background: #f6f8fa; border: 1px solid var(--border); border-radius: 6px; padding: 3px 12px; font-size: 12px; color: var(--muted); }
`;
