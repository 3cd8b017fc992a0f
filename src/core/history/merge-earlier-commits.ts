/**
 * Joins the commit-by-commit scan to the head scan. A secret that is still in the head is already
 * reported there, on its line; what the commits add is only what the head no longer shows (or never
 * suppressed): a token committed and deleted again. It has no line to comment on, so it is
 * `commentable: false`, says which commit introduced it and that deleting is not enough: anyone
 * who fetched the branch has it, so it must be rotated. It counts in the verdict like any finding.
 */
import type { PrSentinelConfig } from "../config/schema.js";
import { severityRank, type CheckOutcome, type Finding, type ScanResult } from "../types.js";
import { computeVerdict } from "../verdict.js";
import { shortSha, type CommitScanResult } from "./scan-commits.js";
import type { CommitFinding } from "./types.js";

export function withEarlierCommitFindings(
  head: ScanResult,
  history: CommitScanResult,
  config: Pick<PrSentinelConfig, "fail_on" | "on_error">,
): ScanResult {
  const inHead = new Set([...head.findings.map(findingKey), ...(head.suppressedIdentities ?? [])]);
  const earlier = history.findings
    .filter((f) => !inHead.has(findingKey(f)))
    .map((f) => asReported(f, `committed in ${shortSha(f.commit)} and no longer in the head, but it stays in the history: rotate it`, true));
  return joined(head, history, earlier, config, [historyNote(history, earlier.length)]);
}

/**
 * `scan --history`: every finding comes from a commit, and whether it is still in the head is not
 * asked (that is `scan --all`). `base` is the engine's result over no files with the same checks,
 * which supplies outcomes, rules and the empty counts.
 */
export function historyScanResult(
  base: ScanResult,
  history: CommitScanResult,
  config: Pick<PrSentinelConfig, "fail_on" | "on_error">,
): ScanResult {
  const findings = history.findings.map((f) =>
    asReported(f, `introduced in commit ${shortSha(f.commit)} (${f.authorDate.slice(0, 10)}); it stays in the history even if deleted since: rotate it`, false),
  );
  const scanned = `Scanned ${plural(history.commitsScanned, "commit")} one by one for secrets`;
  const result = joined(base, history, findings, config, [`${scanned}${capText(history)}.`]);
  return {
    ...result,
    suppressed: { ...history.suppressed },
    stats: { ...result.stats, files: history.filesScanned, addedLines: history.addedLines, durationMs: base.stats.durationMs + history.durationMs },
  };
}

function findingKey(f: Finding): string {
  return f.identity ?? f.fingerprint;
}

function asReported(f: CommitFinding, where: string, notInHead: boolean): Finding {
  const { commit, authorDate, ...finding } = f;
  return {
    ...finding,
    message: `${f.message}: ${where}`,
    commentable: false,
    properties: {
      ...(f.properties ?? {}),
      commit,
      commit_date: authorDate,
      ...(notInHead ? { not_in_head: true } : {}),
    },
  };
}

function joined(
  head: ScanResult,
  history: CommitScanResult,
  added: readonly Finding[],
  config: Pick<PrSentinelConfig, "fail_on" | "on_error">,
  summary: readonly string[],
): ScanResult {
  const findings = [...head.findings, ...[...added].sort(bySeverityThenPlace)];
  const outcomes = withCommitOutcomes(head.outcomes, added, history.incomplete);
  return {
    ...head,
    findings,
    outcomes,
    verdict: computeVerdict(findings, outcomes, config),
    stats: {
      ...head.stats,
      distinctFindings: new Set(findings.map(findingKey)).size,
    },
    notes: [...head.notes, ...summary, ...history.notes],
  };
}

/** The commits' findings count for their check, and what a check could not judge there makes it an error. */
function withCommitOutcomes(
  outcomes: readonly CheckOutcome[],
  added: readonly Finding[],
  incomplete: CommitScanResult["incomplete"],
): CheckOutcome[] {
  return outcomes.map((o) => {
    const count = added.filter((f) => f.checkId === o.checkId).length;
    const problems = incomplete.filter((p) => p.checkId === o.checkId).map((p) => p.message);
    if (count === 0 && problems.length === 0) return o;
    const updated = { ...o, findingCount: o.findingCount + count };
    if (problems.length === 0 || o.status === "error") return { ...updated, warnings: [...o.warnings, ...problems] };
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, listed in the warnings)` : "";
    return { ...updated, status: "error", message: `${problems[0]}${more}`, warnings: [...o.warnings, ...problems.slice(1)] };
  });
}

function historyNote(history: CommitScanResult, earlier: number): string {
  const found =
    earlier === 0
      ? "nothing found that the head does not show"
      : `${plural(earlier, "finding")} only in earlier commits (no longer in the head, but pushed: rotate them)`;
  return `Secrets were also looked for in ${plural(history.commitsScanned, "commit")} one by one: ${found}${capText(history)}.`;
}

function capText(history: CommitScanResult): string {
  if (history.commitsLeftOut === 0) return "";
  return !history.leftOutExact
    ? `; the cap of ${history.commitsScanned} commits was reached and at least 1 more was left out`
    : `; ${plural(history.commitsLeftOut, "more commit")} left out (cap: ${history.commitsScanned})`;
}

function bySeverityThenPlace(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.startLine - b.startLine;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
