/**
 * The words of one inline review comment, each thing said once: what was found (the rule's title,
 * and the finding's message only when it adds to it), why it matters (the rule's risk sentence),
 * the fix as a step (with a one-click suggestion where the check has one), and one small line on
 * how to suppress it, plus the hidden fingerprint marker. Text from the pull request, the repository
 * or a registry (paths, messages that quote package names, evidence) is escaped or put in a code
 * span; the rule's own words are trusted Markdown (`TrustedMarkdown`) and render as written, so
 * their links are clickable.
 */
import { CONFIG_PATH } from "../core/config/load-config.js";
import type { Finding, ScanResult, Severity } from "../core/types.js";
import { codeSpan, escapeMarkdown, escapeMarkdownWithCode } from "../reporters/markdown-escape.js";
import { MAX_COMMENT_CHARS, truncate } from "./github-limits.js";
import { findingMarker } from "./markers.js";

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "🛑 Critical",
  high: "🔴 High",
  medium: "🟠 Medium",
  low: "🟡 Low",
  info: "🔵 Info",
};

/** How much of a fingerprint an allowlist entry needs (it accepts 12 or more hex characters). */
const ALLOWLIST_PREFIX = 16;

type RuleInfo = ScanResult["rules"][number];

export function findingCommentBody(finding: Finding, rule: RuleInfo | undefined): string {
  const title = rule?.title ?? finding.ruleId;
  const confidence = finding.confidence === "high" ? "" : ` · ${finding.confidence} confidence`;
  const lines = [`**${SEVERITY_LABEL[finding.severity]}** · ${escapeMarkdown(title, 200)}${confidence}`, ""];
  // The message says what is specific to this finding; when it only repeats the title, it is left out.
  if (!sameWords(finding.message, title)) lines.push(escapeMarkdownWithCode(finding.message, 2000), "");
  if (finding.evidence) lines.push(`Evidence (redacted): ${codeSpan(finding.evidence)}`, "");
  const why = rule?.risk ? rule.risk.markdown : rule?.description && !sameWords(rule.description, title) ? escapeMarkdown(rule.description, 2000) : undefined;
  if (why) lines.push(`**Why it matters:** ${why}`, "");
  lines.push(`**Fix:** ${fixText(finding, rule)}`, "");
  if (finding.suggestion !== undefined && finding.startLine === finding.endLine) lines.push(suggestionBlock(finding.suggestion), "");
  lines.push(
    `<sub>Not a problem? ${codeSpan(`pr-sentinel-ignore ${finding.ruleId}`)} in a comment ${markerPlace(finding)}, ` +
      `or allowlist ${codeSpan(finding.fingerprint.slice(0, ALLOWLIST_PREFIX))} with a reason in ${codeSpan(CONFIG_PATH)}. ` +
      `[About ${codeSpan(finding.ruleId)}](${safeUrl(finding.helpUrl)})</sub>`,
  );
  const marker = `\n\n${findingMarker(finding.fingerprint)}`;
  return truncate(lines.join("\n"), MAX_COMMENT_CHARS - marker.length) + marker;
}

/**
 * The fix: the finding's own (untrusted, escaped: it may quote a package name or a path) when it
 * says more than the rule's, else the rule's (trusted: its links stay clickable).
 */
function fixText(finding: Finding, rule: RuleInfo | undefined): string {
  if (finding.remediation && !(rule?.fix && sameWords(finding.remediation, rule.fix.markdown))) return escapeMarkdownWithCode(finding.remediation, 2000);
  if (rule?.fix) return rule.fix.markdown;
  return "Remove or change the flagged code.";
}

function sameWords(a: string, b: string): boolean {
  const norm = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  return norm(a) === norm(b);
}

/** Help URLs are built from ids; a link target is kept to plain https. */
function safeUrl(url: string): string {
  return /^https:\/\/[^\s()<>]+$/.test(url) ? url : "#";
}

/**
 * A GitHub suggestion: one click replaces the commented line with this text. The text comes from the
 * pull request's own line, so the fence is longer than any run of backticks inside it.
 */
function suggestionBlock(replacement: string): string {
  const longest = Math.max(0, ...(replacement.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}suggestion\n${replacement}\n${fence}`;
}

/**
 * Where a marker works: the engine reads the finding's first line and the line above it. A comment
 * sits on a finding's last line, so for a multi-line finding "this line" would be the wrong one.
 */
function markerPlace(finding: Finding): string {
  return finding.endLine > finding.startLine
    ? `on line ${finding.startLine}, where this finding starts, or the line above it`
    : "on this line or the line above";
}

/** One line for a list of findings in a review body: severity, rule, place, message. */
export function findingListItem(finding: Finding): string {
  const where = `${codeSpan(finding.path)} line ${finding.startLine}`;
  return `- **${finding.severity}** ${codeSpan(finding.ruleId)} at ${where}: ${escapeMarkdownWithCode(finding.message, 300)} ${findingMarker(finding.fingerprint)}`;
}
