/**
 * The demo's terminal report: what a reviewer would see on GitHub, in reading order: the verdict
 * (check run conclusion, title and summary), each inline comment under the file, line and text it
 * is on, the sticky summary comment, and the review's own line. Sections are headed and ruled,
 * bodies indented and wrapped to the terminal (at most 100 columns, so prose stays readable).
 */
import { maskSecrets } from "./pull-request.js";
import type { PostedReview } from "./run-review.js";
import { markdownToTerminal, paint, terminalSafe, type Style, type TerminalMarkdownOptions } from "./terminal-text.js";

export interface TerminalOptions {
  readonly style: Style;
  /** Columns; defaults to 88. */
  readonly width?: number;
}

const INDENT = "  ";

export function terminalReport(review: PostedReview, options: TerminalOptions): string[] {
  const { style } = options;
  const width = Math.max(60, Math.min(100, options.width ?? 88));
  const out: string[] = [];
  const rule = (title: string) => {
    out.push("", paint(style, "bold", `── ${title} ${"─".repeat(Math.max(3, width - title.length - 4))}`), "");
  };
  const body = (markdown: string, indent: string, options: TerminalMarkdownOptions = {}) => {
    for (const line of markdownToTerminal(markdown, width - indent.length, style, options)) out.push(line === "" ? "" : indent + line);
  };

  const added = review.files.reduce((n, f) => n + f.additions, 0);
  out.push(paint(style, "bold", "═".repeat(width)));
  out.push(paint(style, "bold", ` pr-sentinel demo: ${review.repository}#${review.number} "${terminalSafe(review.title)}"`));
  out.push(paint(style, "bold", "═".repeat(width)));
  for (const line of wrapText(
    "The real GitHub App (Probot server, all built-in checks) reviewed a pull request on a fake GitHub, with fake OSV and npm registry servers, all on 127.0.0.1: no account, no network.",
    width - INDENT.length,
  )) {
    out.push(INDENT + line);
  }
  out.push("", `${INDENT}The pull request (${terminalSafe(review.headBranch)} → main, ${review.files.length} files, +${added} lines):`);
  for (const f of review.files) out.push(`${INDENT}  ${f.status === "added" ? "A" : f.status === "removed" ? "D" : "M"}  ${terminalSafe(f.path)}  ${paint(style, "green", `+${f.additions}`)} ${paint(style, "red", `-${f.deletions}`)}`);

  const run = review.checkRun;
  if (run) {
    rule(`Check run "${run.name}": ${run.conclusion ?? "still running"}`);
    const tone = run.conclusion === "failure" ? "red" : run.conclusion === "success" ? "green" : "yellow";
    out.push(`${INDENT}${paint(style, tone, paint(style, "bold", verdictWord(run.conclusion)))}  ${terminalSafe(run.title)}`);
    out.push(`${INDENT}${paint(style, "dim", `${run.annotations} annotations on the changed lines`)}`, "");
    body(run.summary, INDENT, { links: false });
  } else {
    rule("Check run");
    out.push(`${INDENT}${paint(style, "red", "The app created no check run.")}`);
  }

  rule(`Inline comments (${review.comments.length}, on the lines they are about)`);
  if (review.comments.length === 0) out.push(`${INDENT}none`);
  review.comments.forEach((c, i) => {
    const file = review.files.find((f) => f.path === c.path);
    const text = file?.head?.split("\n")[c.line - 1];
    if (i > 0) out.push(`${INDENT}${paint(style, "dim", "┄".repeat(width - INDENT.length))}`, "");
    out.push(`${INDENT}${paint(style, "bold", `[${i + 1}/${review.comments.length}] ${terminalSafe(c.path)}:${c.line}`)}`);
    if (text !== undefined) out.push(`${INDENT}${paint(style, "dim", `${String(c.line).padStart(4)} │`)} ${paint(style, "green", clip(terminalSafe(maskSecrets(text)), width - 12))}`);
    out.push("");
    body(c.body, INDENT + "  ", { original: text === undefined ? undefined : maskSecrets(text) });
    out.push("");
  });

  rule("Summary comment (sticky, edited on every push)");
  if (review.summaryComment) body(review.summaryComment, INDENT);
  else out.push(`${INDENT}none`);

  if (review.review) {
    rule(`Review (${review.review.event})`);
    body(review.review.body, INDENT);
  }
  return out;
}

function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

function verdictWord(conclusion: string | null): string {
  if (conclusion === "failure") return "✗ FAILED";
  if (conclusion === "success") return "✓ PASSED";
  return (conclusion ?? "pending").toUpperCase();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
