/**
 * The product's own Markdown (a rule's risk sentence and fix step, `TrustedMarkdown`) for a
 * terminal: backslash escapes dropped, links as `text (url)`, emphasis markers removed, code spans
 * kept with their backticks (they mark what to type, and read well as plain text). One line: the
 * text reporter prints it after a label. Only trusted Markdown comes here; the result still goes
 * through the reporter's own sanitising like any other text.
 */
import type { TrustedMarkdown } from "../core/trusted-markdown.js";

// A code span, kept as is; or a link; or an autolink; or an escape; or emphasis markers.
const TOKEN = /(`+)([\s\S]*?)\1|\[([^\]]*)\]\(([^)\s]+)\)|<(https?:\/\/[^>\s]+)>|\\([!-/:-@[-`{-~])|\*\*|__/g;

export function markdownToText(markdown: TrustedMarkdown): string {
  const flat = markdown.markdown.replace(/\s*\n\s*/g, " ").trim();
  return flat.replace(TOKEN, (whole, ticks: string | undefined, _code, label: string | undefined, url: string | undefined, auto: string | undefined, escaped: string | undefined) => {
    if (ticks !== undefined) return whole;
    if (url !== undefined) return label === url || label === "" ? url : `${label} (${url})`;
    if (auto !== undefined) return auto;
    if (escaped !== undefined) return escaped;
    return "";
  });
}
