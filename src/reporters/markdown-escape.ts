/**
 * Escaping for text from a pull request that goes into GitHub-flavoured Markdown (check-run
 * summaries, review comments). Such text is hostile: it must not inject HTML, links, images,
 * tables or headings, must not ping people or teams (`@org/team`), and must not create
 * cross-references (`#123`) that notify other issues. Shared by the markdown reporter and the app.
 */
import { oneLine, MAX_INLINE_CHARS } from "./plain-text.js";

// Joins `@` or `#` to what follows without a visible mark, so GitHub no longer reads a mention or
// an issue reference, while the text still reads the same.
const ZERO_WIDTH_JOINER = "\u200d";

// ASCII punctuation that means something in CommonMark/GFM inline or at a line start. `<`, `>` and
// `&` become entities instead (a backslash does not stop every HTML form).
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:=]/g;

/**
 * Neutralises mentions and issue references: `@user`, `@org/team`, `#12`, `GH-12`, `owner/repo#12`
 * all stop linking. Use it on text that is otherwise shown as is (e.g. inside a code block).
 */
export function neutraliseMentions(text: string): string {
  return text
    .replace(/@/g, `@${ZERO_WIDTH_JOINER}`)
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_JOINER}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZERO_WIDTH_JOINER}`);
}

/**
 * Hostile text as one line of inert Markdown: control characters removed, at most `max`
 * characters, Markdown punctuation backslash-escaped, `<`, `>`, `&` as entities, mentions and
 * references neutralised. Safe anywhere inline, including a GFM table cell.
 */
export function escapeMarkdown(text: string, max = MAX_INLINE_CHARS): string {
  return neutraliseMentions(breakAutolinks(oneLine(text, max)))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** GFM turns bare `https://…` and `www.…` into links; a joiner inside the marker stops that. */
function breakAutolinks(text: string): string {
  return text.replace(/:\/\//g, `:${ZERO_WIDTH_JOINER}//`).replace(/\b(www)\./gi, `$1${ZERO_WIDTH_JOINER}.`);
}

/**
 * Hostile text as a code span, shown verbatim: the fence is one backtick longer than the longest
 * run inside, so the text cannot close it. GitHub renders no mention or reference inside a code
 * span, so nothing is added to the text: `lodash@4.17.15` copies out as written, with no invisible
 * character in it. Not for table cells (a `|` inside would still split the cell); use
 * `escapeMarkdown` there.
 */
export function codeSpan(text: string, max = MAX_INLINE_CHARS): string {
  const line = oneLine(text, max);
  if (line === "") return "` `";
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // A space on both sides keeps a leading or trailing backtick from joining the fence; CommonMark
  // strips exactly one such space on each side.
  const pad = line.startsWith("`") || line.endsWith("`") || (line.startsWith(" ") && line.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * Untrusted text in which checks mark names and versions with backticks (`lodash@4.17.15`): the
 * marked parts become code spans (verbatim and inert), everything else is escaped. A hostile
 * backtick can only make more code, which renders nothing.
 */
export function escapeMarkdownWithCode(text: string, max = MAX_INLINE_CHARS): string {
  const line = oneLine(text, max);
  const parts: string[] = [];
  let last = 0;
  for (const m of line.matchAll(/`([^`]+)`/g)) {
    parts.push(escapeMarkdown(line.slice(last, m.index), max), codeSpan(m[1]!, max));
    last = m.index + m[0].length;
  }
  parts.push(escapeMarkdown(line.slice(last), max));
  return parts.join("");
}
