/**
 * The report for people at a terminal. It opens with what was scanned (the range, why that base,
 * the config in force), then findings grouped by file as aligned columns `path:line  severity  rule
 * message  evidence` (the `path:line` form editors and terminals make clickable), each followed by
 * what to do about it and how to suppress it; then what was not checked, what was suppressed, and
 * one closing line with the verdict. A developer should be able to act on it without another tool.
 *
 * Everything that came from the change (paths, messages, evidence) passes `visible()`: one line, no
 * control characters, and invisible format characters (zero-width joiners, bidi controls, tag
 * characters) shown as `<U+200D>`, so a line reads exactly as what it holds.
 */
import type { CheckOutcome, Finding, RuleMeta, ScanResult, Severity, VerdictConclusion } from "../core/types.js";
import { CONFIG_PATH } from "../core/config/load-config.js";
import { markdownToText } from "./markdown-to-text.js";
import { commitOf, EARLIER_COMMITS_ADVICE, EARLIER_COMMITS_HEADING, isEarlierCommitFinding, splitEarlierCommits } from "./earlier-commits.js";
import { groupByFile, notCheckedOutcomes } from "./summary.js";
import { oneLine, plural } from "./plain-text.js";
import { baseChoiceLabel, configChangeNote, configLabel, nothingScannedReason, rangeLabel, type ScanScope } from "./scan-scope.js";

export interface TextReportOptions {
  /** ANSI colors; the caller decides (a TTY, no `NO_COLOR`, no `--no-color`). */
  readonly color: boolean;
  readonly toolVersion: string;
  /** What was scanned; the CLI always gives it. Without it the report starts at the findings. */
  readonly scope?: ScanScope;
  /** Each finding's risk and help link, and every check's outcome. */
  readonly verbose?: boolean;
}

type Style = (text: string) => string;
type Paint = (style: Style, text: string) => string;

function ansi(open: number, close: number): Style {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

/** What an allowlist entry needs (a prefix of 12 or more); without it a CLI user must rerun with --format json. */
const SHORT_FINGERPRINT = 16;
/** Columns are padded to the widest entry up to these widths; a longer path or rule id just pushes its own line. */
const MAX_LOCATION_WIDTH = 48;
const MAX_RULE_WIDTH = 44;
/** The labels under a finding (`fix`, `suppress`, …) line up at this indent. */
const DETAIL_INDENT = "    ";
const DETAIL_LABEL_WIDTH = 10;

const STYLES = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  magenta: ansi(35, 39),
  cyan: ansi(36, 39),
};

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: (t) => STYLES.bold(STYLES.magenta(t)),
  high: STYLES.red,
  medium: STYLES.yellow,
  low: STYLES.cyan,
  info: STYLES.dim,
};

const VERDICT_LABEL: Record<VerdictConclusion, [string, Style]> = {
  pass: ["PASS", STYLES.green],
  fail: ["FAIL", STYLES.red],
  neutral: ["NEUTRAL", STYLES.yellow],
};

// Unicode format characters (Cf): zero-width space/joiners, word joiner, soft hyphen, bidi
// controls, BOM, tag characters. They print as nothing, so they are named instead.
const INVISIBLE = /\p{Cf}/gu;

/** Hostile text as one visible line: invisible characters named, controls removed, bounded. */
export function visible(text: string, max?: number): string {
  const named = text.replace(INVISIBLE, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`);
  return oneLine(named, max);
}

type RuleInfo = RuleMeta & { readonly helpUrl: string };

export function renderText(result: ScanResult, options: TextReportOptions): string {
  const paint: Paint = (style, text) => (options.color ? style(text) : text);
  const out: string[] = [];
  const scope = options.scope;
  if (scope) out.push(...scopeLines(scope, paint), "");

  const rules = new Map<string, RuleInfo>(result.rules.map((r) => [r.id, r]));
  const { head, earlier } = splitEarlierCommits(result.findings);
  const widths = columnWidths(result.findings);
  for (const [, findings] of groupByFile(head)) {
    for (const f of findings) {
      out.push(findingLine(f, widths, paint));
      out.push(...findingDetails(f, rules.get(f.ruleId), options.verbose === true, paint));
    }
    out.push("");
  }
  if (earlier.length > 0) {
    out.push(paint(STYLES.bold, `${EARLIER_COMMITS_HEADING} (${EARLIER_COMMITS_ADVICE}):`));
    for (const f of earlier) {
      out.push(earlierCommitLine(f, widths, paint));
      out.push(...findingDetails(f, rules.get(f.ruleId), options.verbose === true, paint));
    }
    out.push("");
  }

  if (options.verbose) out.push(...checkLines(result.outcomes, paint));
  const notChecked = notCheckedOutcomes(result);
  const warned = result.outcomes.filter((o) => o.warnings.length > 0);
  const idWidth = Math.max(0, ...[...notChecked, ...warned].map((o) => visible(o.checkId).length));
  if (notChecked.length > 0) {
    out.push(paint(STYLES.bold, "Not checked:"));
    const statusWidth = Math.max(...notChecked.map((o) => o.status.length));
    for (const o of notChecked) {
      const status = paint(o.status === "error" ? STYLES.red : STYLES.yellow, o.status.padEnd(statusWidth));
      out.push(`  ${visible(o.checkId).padEnd(idWidth)}  ${status}  ${visible(o.message ?? "no reason given")}`);
    }
  }
  if (warned.length > 0) {
    out.push(paint(STYLES.bold, "Partly checked:"));
    for (const o of warned) for (const w of o.warnings) out.push(`  ${visible(o.checkId).padEnd(idWidth)}  ${visible(w)}`);
  }

  const s = result.suppressed;
  out.push(
    `Suppressed: ${plural(s.ignoredPaths, "file")} by paths.ignore, ${plural(s.inline, "finding")} by inline markers, ` +
      `${plural(s.allowlist, "finding")} by the allowlist` +
      ((s.baseline ?? 0) > 0 ? `, ${plural(s.baseline ?? 0, "finding")} by the baseline` : ""),
  );
  if (result.findings.length > 0) out.push(...suppressHowTo(scope, result.findings[0]!.helpUrl));
  if (result.expiredAllowlist.length > 0) {
    out.push(paint(STYLES.yellow, "Expired allowlist entries (no longer applied; renew or remove them):"));
    for (const e of result.expiredAllowlist) {
      out.push(`  ${visible(e.fingerprint)}  expired ${visible(e.expires)}  ${visible(e.reason)}`);
    }
  }
  for (const note of result.notes) out.push(`Note: ${visible(note)}`);

  const stats = result.stats;
  out.push(
    paint(STYLES.dim, `pr-sentinel ${visible(options.toolVersion, 40)}: ${plural(stats.files, "file")}, ${plural(stats.addedLines, "added line")}, ${stats.durationMs} ms`),
  );
  out.push(verdictLine(result, scope, paint));
  if (scope?.staged && result.verdict.conclusion === "fail") out.push(...commitBlockedLines(paint));
  return `${out.join("\n")}\n`;
}

function scopeLines(scope: ScanScope, paint: Paint): string[] {
  const label = (text: string) => paint(STYLES.bold, text.padEnd(9));
  const lines = [
    `${label("Scanned")}${visible(rangeLabel(scope))} (${visible(baseChoiceLabel(scope))}), ${plural(scope.changedFiles, "changed file")}`,
    `${label("Config")}${visible(configLabel(scope))}`,
  ];
  if (scope.paths.length > 0) {
    lines.push(`${label("Paths")}${visible(scope.paths.join(" "))} (${scope.matchedFiles} of ${plural(scope.changedFiles, "changed file")})`);
  }
  const change = configChangeNote(scope, CONFIG_PATH);
  if (change) lines.push(paint(STYLES.yellow, `Note: ${visible(change)}`));
  return lines;
}

interface Widths {
  readonly location: number;
  readonly severity: number;
  readonly rule: number;
}

function location(f: Finding): string {
  return `${visible(f.path)}:${f.startLine}`;
}

function columnWidths(findings: readonly Finding[]): Widths {
  const widest = (values: number[], cap: number) => Math.min(cap, Math.max(0, ...values));
  return {
    location: widest(findings.map((f) => location(f).length), MAX_LOCATION_WIDTH),
    severity: Math.max(0, ...findings.map((f) => f.severity.length)),
    rule: widest(findings.map((f) => visible(f.ruleId).length), MAX_RULE_WIDTH),
  };
}

/** One finding's row; `where` is its first column (`path:line`, or `path @ commit`). */
function findingLine(f: Finding, widths: Widths, paint: Paint, where = location(f)): string {
  const parts = [
    paint(STYLES.bold, where.padEnd(widths.location)),
    paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(widths.severity)),
    visible(f.ruleId).padEnd(widths.rule),
    visible(f.message),
  ];
  if (f.evidence) parts.push(paint(STYLES.dim, visible(f.evidence)));
  return parts.join("  ");
}

/** `path @ 1a2b3c4` instead of `path:line`: the line was in that commit, not in the head. */
function earlierCommitLine(f: Finding, widths: Widths, paint: Paint): string {
  const commit = commitOf(f);
  return findingLine(f, widths, paint, `${visible(f.path)} @ ${commit ? commit.slice(0, 7) : "earlier commit"}`);
}

function detail(label: string, text: string, paint: Paint): string {
  return `${DETAIL_INDENT}${paint(STYLES.dim, label.padEnd(DETAIL_LABEL_WIDTH))}${text}`;
}

/** Under each finding: the fix, how to suppress it, and with --verbose the risk and the rule's page. */
function findingDetails(f: Finding, rule: RuleInfo | undefined, verbose: boolean, paint: Paint): string[] {
  const lines: string[] = [];
  // The finding's own remediation is the specific one (e.g. the fixed version); the rule's fix is general.
  const fix = f.remediation ? visible(f.remediation) : rule?.fix ? visible(markdownToText(rule.fix)) : undefined;
  if (verbose && rule?.risk) lines.push(detail("why", visible(markdownToText(rule.risk)), paint));
  if (fix) lines.push(detail("fix", fix, paint));
  const fingerprint = f.fingerprint.slice(0, SHORT_FINGERPRINT);
  if (isEarlierCommitFinding(f)) {
    // The line is gone from the head, so no marker can sit on it.
    lines.push(detail("suppress", `allowlist fingerprint ${visible(fingerprint)} (the line is no longer in the head for a marker)`, paint));
  } else lines.push(detail("suppress", `pr-sentinel-ignore ${visible(f.ruleId)} in a comment on or above the line, or allowlist fingerprint ${visible(fingerprint)}`, paint));
  if (verbose) lines.push(detail("help", visible(f.helpUrl), paint));
  return lines;
}

/**
 * Once per report with findings: where an allowlist entry goes and when it takes effect. The docs
 * link is derived from a help URL (`…/docs/checks/<id>.md#rule`), so it follows wherever the help
 * URLs point (a fork, an Enterprise Server installation).
 */
function suppressHowTo(scope: ScanScope | undefined, helpUrl: string): string[] {
  const where =
    scope?.config.source === "file"
      ? `in ${visible(scope.config.path)} (the --config file).`
      : scope?.config.source === "working-tree"
        ? `in ${CONFIG_PATH}; with --staged the working-tree copy applies at once.`
        : `in ${CONFIG_PATH} on the default branch: the config is read at the base, so an entry added on this branch applies after merge.`;
  return [
    "To suppress a false positive: a pr-sentinel-ignore marker applies at once; an allowlist entry (fingerprint, reason,",
    `optional expires) goes ${where}`,
    `See ${visible(configurationDocsUrl(helpUrl))}`,
  ];
}

function configurationDocsUrl(helpUrl: string): string {
  const docs = /^(https:\/\/[^\s#]+\/)checks\/[^/\s#]+\.md(?:#\S*)?$/.exec(helpUrl);
  return docs ? `${docs[1]}configuration.md#suppressing-a-finding` : "docs/configuration.md (Suppressing a finding)";
}

function checkLines(outcomes: readonly CheckOutcome[], paint: Paint): string[] {
  if (outcomes.length === 0) return [];
  const width = Math.max(...outcomes.map((o) => visible(o.checkId).length));
  const statusWidth = Math.max(...outcomes.map((o) => o.status.length));
  const lines = [paint(STYLES.bold, "Checks:")];
  for (const o of outcomes) {
    lines.push(`  ${visible(o.checkId).padEnd(width)}  ${o.status.padEnd(statusWidth)}  ${plural(o.findingCount, "finding")}, ${o.durationMs} ms`);
  }
  return lines;
}

function verdictLine(result: ScanResult, scope: ScanScope | undefined, paint: Paint): string {
  // "PASS" over nothing would read as a clean change; say what happened instead.
  const nothing = scope && result.findings.length === 0 && result.verdict.conclusion !== "fail" ? nothingScannedReason(scope, result.stats.files) : undefined;
  if (nothing) return `${paint((t) => STYLES.bold(STYLES.yellow(t)), "NOTHING SCANNED")}  ${visible(nothing)}`;
  const [label, style] = VERDICT_LABEL[result.verdict.conclusion];
  return `${paint((t) => STYLES.bold(style(t)), label)}  ${visible(result.verdict.title)}`;
}

/** A pre-commit hook's last word: the commit did not happen, and the ways forward, safest first. */
function commitBlockedLines(paint: Paint): string[] {
  return [
    paint(STYLES.bold, "The commit was blocked.") + " Fix the findings above and git add the fix, or suppress a false positive as shown.",
    "git commit --no-verify skips every hook: keep it for a finding you are sure is wrong. A real secret that reached a",
    "commit must be revoked, not only removed.",
  ];
}
