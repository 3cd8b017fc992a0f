/** Figures every reporter shows the same way, so the four formats never disagree. */
import { SEVERITIES, type CheckOutcome, type Finding, type ScanResult, type Severity } from "../core/types.js";

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
}

/** Findings per check and severity, in the order of the outcomes (checks without findings included). */
export function countsByCheck(result: ScanResult): Map<string, SeverityCounts> {
  const byCheck = new Map<string, SeverityCounts>();
  for (const o of result.outcomes) byCheck.set(o.checkId, emptyCounts());
  for (const f of result.findings) {
    let counts = byCheck.get(f.checkId);
    if (!counts) byCheck.set(f.checkId, (counts = emptyCounts()));
    counts[f.severity]++;
  }
  return byCheck;
}

/** Checks whose part of the change nobody looked at. Reporters say "not checked", never imply clean. */
export function notCheckedOutcomes(result: ScanResult): CheckOutcome[] {
  return result.outcomes.filter((o) => o.status === "error" || o.status === "skipped");
}

export function totalSuppressed(result: ScanResult): number {
  const s = result.suppressed;
  return s.ignoredPaths + s.inline + s.allowlist + (s.baseline ?? 0);
}

/** Findings of one file together, files in path order, lines ascending within a file. */
export function groupByFile(findings: readonly Finding[]): [string, Finding[]][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = groups.get(f.path);
    if (!list) groups.set(f.path, (list = []));
    list.push(f);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, list]) => [path, list.sort((x, y) => x.startLine - y.startLine || x.ruleId.localeCompare(y.ruleId))]);
}

export function lineRange(f: Pick<Finding, "startLine" | "endLine">): string {
  return f.endLine > f.startLine ? `${f.startLine}-${f.endLine}` : String(f.startLine);
}
