/**
 * The Markdown summary: what the GitHub check run shows, and `--format markdown` prints. It must
 * say plainly what was not checked, keep every suppression visible, stay inert however hostile the
 * pull request's paths and messages are, and fit GitHub's 65,535-character limit for a summary.
 */
import type { RiskScore } from "../posture/risk-score.js";
import { riskScoreSection } from "./risk-score.js";
import { SEVERITIES, severityRank, type Finding, type ScanResult, type Severity, type VerdictConclusion } from "../core/types.js";
import { CONFIG_PATH } from "../core/config/load-config.js";
import { codeSpan, escapeMarkdown, escapeMarkdownWithCode } from "./markdown-escape.js";
import { plural } from "./plain-text.js";
import { baseChoiceLabel, configChangeNote, configLabel, nothingScannedReason, rangeLabel, type ScanScope } from "./scan-scope.js";
import { commitOf, EARLIER_COMMITS_ADVICE, EARLIER_COMMITS_HEADING, isEarlierCommitFinding } from "./earlier-commits.js";
import { countsByCheck, lineRange, notCheckedOutcomes } from "./summary.js";

export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;
/** More findings than this belong in annotations, SARIF or JSON, not in a summary people read. */
export const MAX_LISTED_FINDINGS = 50;
/** How much of a fingerprint to show: enough for an allowlist entry (which takes a prefix of 12 or more). */
const SHORT_FINGERPRINT = 16;

export interface MarkdownReportOptions {
  /** Longest output in characters (default 65,000); findings that do not fit are counted instead. */
  readonly maxLength?: number;
  readonly toolVersion: string;
  /** What was scanned (the CLI gives it; a check run belongs to its pull request already). */
  readonly scope?: ScanScope;
  /** What the change is called in headings ("this pull request"); default "this change". */
  readonly subject?: string;
  /** A link to a commit (the app: on the same GitHub as the check run); without it commits are only named. */
  readonly commitUrl?: (sha: string) => string;
  /** The scan's risk score, shown under the counts (the app; the CLI leaves it out). */
  readonly score?: RiskScore;
}

const VERDICT_ICON: Record<VerdictConclusion, string> = { pass: "✅", fail: "❌", neutral: "⚠️" };

export function renderMarkdown(result: ScanResult, options: MarkdownReportOptions): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  const head = [...titleSection(result), ...scopeSection(result, options.scope), ...countsSection(result), ...riskScoreSection(options.score), ...notCheckedSection(result)];
  const tail = [...suppressionSection(result), ...expiredSection(result), ...notesSection(result), ...footer(result, options)];
  // Most severe first, over both lists, so a prefix keeps the worst wherever it was found.
  const ranked = mostSevereFirst(result.findings).slice(0, MAX_LISTED_FINDINGS);
  const items = ranked.map((f) => (isEarlierCommitFinding(f) ? earlierCommitItem(f, options.commitUrl) : findingItem(f)));
  const subject = options.subject ?? "this change";

  const compose = (shown: number): string => {
    const lines = [...head];
    if (result.findings.length > 0) {
      const listed = items.slice(0, shown);
      const inHead = listed.filter((_, i) => !isEarlierCommitFinding(ranked[i]!));
      const earlier = listed.filter((_, i) => isEarlierCommitFinding(ranked[i]!));
      if (inHead.length > 0) lines.push(`### Findings`, "", ...inHead, "");
      if (earlier.length > 0) {
        lines.push(`### ${EARLIER_COMMITS_HEADING} of ${escapeMarkdown(subject, 60)}`, "");
        lines.push(
          `Committed and deleted again, so ${EARLIER_COMMITS_ADVICE}. Deleting a secret does not revoke it: ` +
            "anyone who fetched the branch has it.",
          "",
          ...earlier,
          "",
        );
      }
      if (inHead.length + earlier.length === 0) lines.push(`### Findings`, "");
      const left = result.findings.length - shown;
      if (left > 0) {
        lines.push(
          `_${plural(left, "more finding")} not shown here (${result.findings.length} in total, most severe first); ` +
            "the annotations, `--format json` or `--format sarif` list all of them._",
          "",
        );
      }
    }
    lines.push(...tail);
    return `${lines.join("\n")}\n`;
  };

  let shown = items.length;
  let text = compose(shown);
  while (text.length > maxLength && shown > 0) {
    // Lengths shrink monotonically; step by the overflow so huge lists do not take quadratic time.
    const over = text.length - maxLength;
    const average = Math.max(1, Math.floor(items.slice(0, shown).join("\n").length / shown));
    shown = Math.max(0, shown - Math.max(1, Math.floor(over / average)));
    text = compose(shown);
  }
  return text.length <= maxLength ? text : hardTruncate(text, maxLength);
}

function titleSection(result: ScanResult): string[] {
  const v = result.verdict;
  const lines = [`## ${VERDICT_ICON[v.conclusion]} PR Sentinel: ${escapeMarkdown(v.title)}`, ""];
  // Said only when it explains this run: the blocking rule when there are findings, `on_error` when
  // a check did not run. A clean run gets no boilerplate.
  const notChecked = notCheckedOutcomes(result).length > 0;
  if (v.failOn === "never" && result.findings.length > 0) {
    lines.push("Blocking is off (`fail_on: never`): findings are reported but never fail the check.", "");
  } else if (result.findings.length > 0) {
    const blocking = SEVERITIES.filter((s) => severityRank(s) >= severityRank(v.failOn as Severity)).reduce((n, s) => n + v.counts[s], 0);
    lines.push(`${plural(blocking, "finding")} at or above \`${v.failOn}\` (\`fail_on\`) ${blocking === 1 ? "blocks" : "block"} this change.`, "");
  }
  if (notChecked) lines.push(`A check that cannot run makes the verdict \`${v.onError}\` (\`on_error\`).`, "");
  return lines;
}

/** The range, the base's origin and the config, for the CLI's `--format markdown` (e.g. a CI job summary). */
function scopeSection(result: ScanResult, scope: ScanScope | undefined): string[] {
  if (!scope) return [];
  const lines: string[] = [];
  const nothing = result.findings.length === 0 && result.verdict.conclusion !== "fail" ? nothingScannedReason(scope, result.stats.files) : undefined;
  if (nothing) lines.push(`**Nothing scanned:** ${escapeMarkdown(nothing)}.`, "");
  lines.push(
    `Scanned ${plainCodeSpan(rangeLabel(scope))} (${escapeMarkdown(baseChoiceLabel(scope))}), ${plural(scope.changedFiles, "changed file")}` +
      (scope.paths.length > 0 ? `, ${scope.matchedFiles} of them under ${scope.paths.map((p) => codeSpan(p, 100)).join(" ")}` : "") +
      `. Config: ${escapeMarkdown(configLabel(scope))}.`,
    "",
  );
  const change = configChangeNote(scope, CONFIG_PATH);
  if (change) lines.push(`**Note:** ${escapeMarkdown(change)}.`, "");
  return lines;
}

/**
 * A range like `main@8de3ad9…HEAD@1a2b3c4` as a code span without `codeSpan`'s zero-width joiner
 * after `@` (GitHub links no mentions inside code spans, and the joiner would be copied with the
 * text). Only for text made of ref-name characters; anything else takes the escaping path.
 */
function plainCodeSpan(text: string): string {
  return /^[\w./~^@…-]{1,300}$/u.test(text) ? `\`${text}\`` : codeSpan(text);
}

function countsSection(result: ScanResult): string[] {
  if (result.outcomes.length === 0 && result.findings.length === 0) return [];
  if (result.findings.length === 0 && notCheckedOutcomes(result).length === 0) {
    const ran = result.outcomes.filter((o) => o.status === "ok").map((o) => escapeMarkdown(o.checkId));
    return ran.length > 0 ? [`Checked by ${ran.join(", ")}.`, ""] : [];
  }
  // Only the severities something was found at: a column of zeros says nothing.
  const shown = SEVERITIES.filter((s) => result.verdict.counts[s] > 0);
  const severities = shown.length > 0 ? shown : [];
  const header = ["Check", "Status", ...severities.map((s) => s[0]!.toUpperCase() + s.slice(1))];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < 2 ? " --- " : " ---: ")).join("|")}|`];
  const statusOf = new Map(result.outcomes.map((o) => [o.checkId, o.status]));
  for (const [checkId, counts] of countsByCheck(result)) {
    const status = statusOf.get(checkId) ?? "ok";
    const notChecked = status === "error" || status === "skipped";
    const statusText = notChecked ? `**not checked** (${status})` : status;
    const cells = severities.map((s) => (notChecked && counts[s] === 0 ? "–" : String(counts[s])));
    lines.push(`| ${escapeMarkdown(checkId)} | ${statusText} | ${cells.join(" | ")} |`);
  }
  const totals = severities.map((s) => `**${result.verdict.counts[s]}**`);
  lines.push(`| **Total** | | ${totals.join(" | ")} |`, "");
  return lines;
}

function notCheckedSection(result: ScanResult): string[] {
  const notChecked = notCheckedOutcomes(result);
  const warned = result.outcomes.filter((o) => o.warnings.length > 0);
  if (notChecked.length === 0 && warned.length === 0) return [];
  const lines: string[] = [];
  if (notChecked.length > 0) {
    lines.push(
      "### Not checked",
      "",
      "These checks did not finish, so their part of this change was **not checked**. This is not a clean result.",
      "",
    );
    for (const o of notChecked) {
      const why = o.status === "error" ? "failed" : "skipped";
      lines.push(`- **${escapeMarkdown(o.checkId)}** ${why}: ${escapeMarkdown(o.message ?? "no reason given")}`);
    }
    lines.push("");
  }
  if (warned.length > 0) {
    lines.push("### Partly checked", "");
    for (const o of warned) for (const w of o.warnings) lines.push(`- **${escapeMarkdown(o.checkId)}**: ${escapeMarkdown(w)}`);
    lines.push("");
  }
  return lines;
}

function findingItem(f: Finding): string {
  const location = codeSpan(`${f.path}:${lineRange(f)}`);
  const rule = `[${codeSpan(f.ruleId)}](${safeUrl(f.helpUrl)})`;
  const parts = [`- **${f.severity}** ${rule} ${location}: ${escapeMarkdownWithCode(f.message)}`];
  if (f.evidence) parts.push(` ${codeSpan(f.evidence)}`);
  if (f.confidence !== "high") parts.push(` _(${f.confidence} confidence)_`);
  parts.push(` <sub>fingerprint ${codeSpan(f.fingerprint.slice(0, SHORT_FINGERPRINT))}</sub>`);
  return parts.join("");
}

/** Stable: within a severity, the head's findings keep their order ahead of the earlier commits'. */
function mostSevereFirst(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
    .map(({ f }) => f);
}

/** Path, rule and the commit that introduced it: there is no line in the head to point at. */
function earlierCommitItem(f: Finding, commitUrl: ((sha: string) => string) | undefined): string {
  const rule = `[${codeSpan(f.ruleId)}](${safeUrl(f.helpUrl)})`;
  const sha = commitOf(f);
  const shortSha = sha ? codeSpan(sha.slice(0, 7)) : "an earlier commit";
  const link = sha && commitUrl ? safeUrl(commitUrl(sha)) : "#";
  const commit = sha && link !== "#" ? `[${shortSha}](${link})` : shortSha;
  const date = typeof f.properties?.commit_date === "string" && /^\d{4}-\d{2}-\d{2}/.test(f.properties.commit_date) ? ` (${f.properties.commit_date.slice(0, 10)})` : "";
  const parts = [`- **${f.severity}** ${rule} ${codeSpan(f.path)} in commit ${commit}${date}: ${escapeMarkdownWithCode(f.message)}`];
  if (f.evidence) parts.push(` ${codeSpan(f.evidence)}`);
  if (f.confidence !== "high") parts.push(` _(${f.confidence} confidence)_`);
  parts.push(` <sub>fingerprint ${codeSpan(f.fingerprint.slice(0, SHORT_FINGERPRINT))}</sub>`);
  return parts.join("");
}

function suppressionSection(result: ScanResult): string[] {
  const s = result.suppressed;
  const baselined = s.baseline ?? 0;
  const anySuppressed = s.ignoredPaths + s.inline + s.allowlist + baselined > 0;
  // Nothing suppressed and nothing found: nothing to say about suppressing.
  if (!anySuppressed && result.findings.length === 0) return [];
  const example = result.findings[0];
  const ruleExample = example ? example.ruleId : "<rule-id>";
  const fingerprintExample = example ? example.fingerprint.slice(0, SHORT_FINGERPRINT) : "<fingerprint>";
  const counted = [
    s.ignoredPaths > 0 ? `${plural(s.ignoredPaths, "file")} by \`paths.ignore\`` : "",
    s.inline > 0 ? `${plural(s.inline, "finding")} by inline markers` : "",
    s.allowlist > 0 ? `${plural(s.allowlist, "finding")} by the allowlist` : "",
    baselined > 0 ? `${plural(baselined, "finding")} accepted by the baseline` : "",
  ].filter(Boolean);
  const suppressedLine = counted.length > 0 ? [`**Suppressed in this scan:** ${counted.join(", ")}.`, ""] : [];
  if (result.findings.length === 0) return suppressedLine;
  return [
    ...suppressedLine,
    "<details><summary>How to suppress a finding</summary>",
    "",
    `- **Inline:** a comment on the line or the line above: ${codeSpan(`pr-sentinel-ignore ${ruleExample}`)} ` +
      "(any comment syntax; without a rule id it silences every rule on that line).",
    `- **Paths:** globs under \`paths.ignore\` in \`${CONFIG_PATH}\` (e.g. \`*.min.js\`, \`test/fixtures/\`).`,
    `- **Allowlist:** an entry in \`${CONFIG_PATH}\` with the finding's fingerprint (a prefix of 12 or more characters), a reason and an optional expiry date:`,
    "",
    "```yaml",
    "allowlist:",
    `  - fingerprint: ${yamlSafe(fingerprintExample)}`,
    "    reason: test fixture, not a real credential",
    "    expires: 2030-01-31 # optional; the entry stops applying after this day",
    "```",
    "",
    "</details>",
    "",
  ];
}

function expiredSection(result: ScanResult): string[] {
  if (result.expiredAllowlist.length === 0) return [];
  const lines = ["### Expired allowlist entries", "", "These entries no longer apply; renew or remove them:", ""];
  for (const e of result.expiredAllowlist) {
    lines.push(`- ${codeSpan(e.fingerprint)} expired ${escapeMarkdown(e.expires)}: ${escapeMarkdown(e.reason)}`);
  }
  lines.push("");
  return lines;
}

/** Notes (one per unreadable file, at worst thousands) must not crowd the findings out of the summary. */
export const MAX_LISTED_NOTES = 20;

function notesSection(result: ScanResult): string[] {
  if (result.notes.length === 0) return [];
  const listed = result.notes.slice(0, MAX_LISTED_NOTES).map((n) => `- ${escapeMarkdown(n)}`);
  const left = result.notes.length - listed.length;
  if (left > 0) listed.push(`- _${plural(left, "more note")} (\`--format json\` lists all of them)_`);
  return ["### Notes", "", ...listed, ""];
}

function footer(result: ScanResult, options: MarkdownReportOptions): string[] {
  const s = result.stats;
  return [
    `<sub>pr-sentinel ${escapeMarkdown(options.toolVersion, 40)} · ${plural(s.files, "file")} · ` +
      `${plural(s.addedLines, "added line")} · ${s.durationMs} ms</sub>`,
  ];
}

/** Help URLs are built from ids, but a rule id comes from a check: keep the link target inert. */
function safeUrl(url: string): string {
  return /^https:\/\/[^\s()<>]+$/.test(url) ? url : "#";
}

function yamlSafe(text: string): string {
  return /^[0-9a-f]+$/.test(text) ? text : `"<fingerprint>"`;
}

/** Last resort when even the fixed sections are too long: cut at a line and say so. */
function hardTruncate(text: string, maxLength: number): string {
  const note = `\n\n_Summary truncated to ${maxLength} characters._\n`;
  if (maxLength <= note.length) return note.slice(0, maxLength);
  const room = maxLength - note.length;
  let cut = text.lastIndexOf("\n", room);
  if (cut <= 0) cut = room;
  // A cut inside an open code block would swallow the note; close it.
  let body = text.slice(0, cut);
  if ((body.match(/^```/gm) ?? []).length % 2 === 1) body = body.slice(0, Math.max(0, room - 4)) + "\n```";
  return `${body}${note}`.slice(0, maxLength);
}
