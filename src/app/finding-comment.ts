/**
 * The words of one inline review comment: what was found, why it matters, how to fix it and how to
 * suppress it, plus the hidden fingerprint marker. Everything that can come from the pull request
 * (paths, messages that quote package names, evidence) is escaped or put in a code span, so it can
 * neither mention people nor inject Markdown.
 */
import { CONFIG_PATH } from "../core/config/load-config.js";
import type { Finding, ScanResult, Severity } from "../core/types.js";
import { codeSpan, escapeMarkdown } from "../reporters/markdown-escape.js";
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
  const lines = [
    `**${SEVERITY_LABEL[finding.severity]}** · ${codeSpan(finding.ruleId)} · confidence ${finding.confidence}`,
    "",
    escapeMarkdown(finding.message, 2000),
  ];
  if (finding.evidence) lines.push("", `Evidence (redacted): ${codeSpan(finding.evidence)}`);
  const why = rule?.description ?? rule?.title;
  if (why) lines.push("", `**Why it matters:** ${escapeMarkdown(why, 2000)}`);
  lines.push("", `**How to fix:** ${escapeMarkdown(finding.remediation ?? "Remove or change the flagged code.", 2000)}`);
  if (finding.suggestion !== undefined && finding.startLine === finding.endLine) lines.push("", suggestionBlock(finding.suggestion));
  lines.push(
    "",
    `**How to suppress:** add ${codeSpan(`pr-sentinel-ignore ${finding.ruleId}`)} in a comment ${markerPlace(finding)}, ` +
      `or allowlist fingerprint ${codeSpan(finding.fingerprint.slice(0, ALLOWLIST_PREFIX))} with a reason in ${codeSpan(CONFIG_PATH)}. ` +
      `[Rule documentation](${finding.helpUrl})`,
  );
  const marker = `\n\n${findingMarker(finding.fingerprint)}`;
  return truncate(lines.join("\n"), MAX_COMMENT_CHARS - marker.length) + marker;
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
  return `- **${finding.severity}** ${codeSpan(finding.ruleId)} at ${where}: ${escapeMarkdown(finding.message, 300)} ${findingMarker(finding.fingerprint)}`;
}
