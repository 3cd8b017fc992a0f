/**
 * Precision and recall of reported findings against the fixtures' labels. A finding matches a label
 * when file, audit id and line are the same (each label and each finding counts once). Precision =
 * matched findings / all findings reported on the fixtures (safe ones included: any finding there is
 * a false alarm); recall = matched labels / all labels.
 */
import type { BenchDomain, Label, LabelledFixture } from "./policy-fixtures.js";

export interface Reported {
  readonly repoPath: string;
  /** The audit id, without the check's `policy/` prefix. */
  readonly rule: string;
  readonly line: number;
}

export interface Score {
  readonly labels: number;
  readonly reported: number;
  readonly matched: number;
  readonly safeFiles: number;
  /** Safe files with at least one finding. */
  readonly safeFilesFlagged: number;
  readonly missed: readonly { fixture: string; label: Label }[];
  readonly falseAlarms: readonly { fixture: string; found: Reported }[];
}

export const ratio = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);

export function score(fixtures: readonly LabelledFixture[], reported: readonly Reported[]): Score {
  const byPath = new Map<string, Reported[]>();
  for (const r of reported) byPath.set(r.repoPath, [...(byPath.get(r.repoPath) ?? []), r]);
  let labels = 0;
  let found = 0;
  let matched = 0;
  let safeFilesFlagged = 0;
  const missed: { fixture: string; label: Label }[] = [];
  const falseAlarms: { fixture: string; found: Reported }[] = [];
  for (const fixture of fixtures) {
    const left = [...(byPath.get(fixture.repoPath) ?? [])];
    found += left.length;
    labels += fixture.expected.length;
    if (fixture.safe && left.length > 0) safeFilesFlagged++;
    for (const label of fixture.expected) {
      const i = left.findIndex((r) => r.rule === label.rule && r.line === label.line);
      if (i < 0) missed.push({ fixture: fixture.fixture, label });
      else {
        matched++;
        left.splice(i, 1);
      }
    }
    for (const r of left) falseAlarms.push({ fixture: fixture.fixture, found: r });
  }
  return { labels, reported: found, matched, safeFiles: fixtures.filter((f) => f.safe).length, safeFilesFlagged, missed, falseAlarms };
}

export function scoreByDomain(fixtures: readonly LabelledFixture[], reported: readonly Reported[], domains: readonly BenchDomain[]): Map<BenchDomain | "all", Score> {
  const scores = new Map<BenchDomain | "all", Score>();
  for (const domain of domains) scores.set(domain, score(fixtures.filter((f) => f.domain === domain), reported));
  scores.set("all", score(fixtures, reported));
  return scores;
}
