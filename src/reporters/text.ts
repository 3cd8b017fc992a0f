/**
 * The report for people at a terminal: findings grouped by file as `path:line  severity  rule  message
 * evidence` (the `path:line` form editors and terminals make clickable), then what was not
 * checked, what was suppressed, and one closing line with the verdict.
 */
import type { Finding, ScanResult, Severity, VerdictConclusion } from "../core/types.js";
import { groupByFile, notCheckedOutcomes } from "./summary.js";
import { oneLine, plural } from "./plain-text.js";

export interface TextReportOptions {
  /** ANSI colors; the caller decides (a TTY, no `NO_COLOR`). */
  readonly color: boolean;
  readonly toolVersion: string;
}

type Style = (text: string) => string;

function ansi(open: number, close: number): Style {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const SHORT_FINGERPRINT = 16;

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

export function renderText(result: ScanResult, options: TextReportOptions): string {
  const paint = (style: Style, text: string) => (options.color ? style(text) : text);
  const out: string[] = [];
  const severityWidth = Math.max(0, ...result.findings.map((f) => f.severity.length));

  for (const [, findings] of groupByFile(result.findings)) {
    for (const f of findings) out.push(findingLine(f, severityWidth, paint));
    out.push("");
  }

  const notChecked = notCheckedOutcomes(result);
  if (notChecked.length > 0) {
    out.push(paint(STYLES.bold, "Not checked:"));
    for (const o of notChecked) {
      const status = o.status === "error" ? paint(STYLES.red, "error") : paint(STYLES.yellow, "skipped");
      out.push(`  ${o.checkId}  ${status}  ${oneLine(o.message ?? "no reason given")}`);
    }
  }
  const warned = result.outcomes.filter((o) => o.warnings.length > 0);
  if (warned.length > 0) {
    out.push(paint(STYLES.bold, "Partly checked:"));
    for (const o of warned) for (const w of o.warnings) out.push(`  ${o.checkId}  ${oneLine(w)}`);
  }

  const s = result.suppressed;
  out.push(
    `Suppressed: ${plural(s.ignoredPaths, "file")} by paths.ignore, ${plural(s.inline, "finding")} by inline markers, ` +
      `${plural(s.allowlist, "finding")} by the allowlist`,
  );
  if (result.expiredAllowlist.length > 0) {
    out.push(paint(STYLES.yellow, "Expired allowlist entries (no longer applied; renew or remove them):"));
    for (const e of result.expiredAllowlist) {
      out.push(`  ${e.fingerprint}  expired ${e.expires}  ${oneLine(e.reason)}`);
    }
  }
  for (const note of result.notes) out.push(`Note: ${oneLine(note)}`);

  const stats = result.stats;
  out.push(
    paint(STYLES.dim, `pr-sentinel ${options.toolVersion}: ${plural(stats.files, "file")}, ${plural(stats.addedLines, "added line")}, ${stats.durationMs} ms`),
  );
  const [label, style] = VERDICT_LABEL[result.verdict.conclusion];
  out.push(`${paint((t) => STYLES.bold(style(t)), label)}  ${oneLine(result.verdict.title)}`);
  return `${out.join("\n")}\n`;
}

function findingLine(f: Finding, severityWidth: number, paint: (style: Style, text: string) => string): string {
  const parts = [
    paint(STYLES.bold, `${oneLine(f.path)}:${f.startLine}`),
    paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(severityWidth)),
    f.ruleId,
    oneLine(f.message),
  ];
  if (f.evidence) parts.push(paint(STYLES.dim, oneLine(f.evidence)));
  // What an allowlist entry needs (a prefix of 12 or more); without it a CLI user must rerun with --format json.
  parts.push(paint(STYLES.dim, `fp ${f.fingerprint.slice(0, SHORT_FINGERPRINT)}`));
  return parts.join("  ");
}
