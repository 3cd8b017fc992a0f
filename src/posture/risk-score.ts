/**
 * The risk score of one scan: 0 (nothing found) to 100 (as bad as the scale goes), computed so that
 * a person can redo it by hand from the breakdown table:
 *
 *   points of a finding = severity points × confidence multiplier × check multiplier
 *                         × (verified-live multiplier, for a secret verified active)
 *   score = min(100, round(criticality multiplier × sum of points))
 *
 * Each distinct finding counts once (`identity`: the same secret in three files is one risk, as
 * the summary counts it). Suppressed findings are not in the result and do not count. A plain sum
 * with a cap, not a curve: a curve would be fairer at the top and impossible to check by hand.
 */
import type { Finding, Severity } from "../core/types.js";
import type { Criticality, ScoreConfig } from "./score-config.js";

export const DEFAULT_SEVERITY_POINTS: Readonly<Record<Severity, number>> = { critical: 40, high: 20, medium: 8, low: 2, info: 0 };
export const DEFAULT_CONFIDENCE: Readonly<Record<Finding["confidence"], number>> = { high: 1, medium: 0.6, low: 0.3 };
export const DEFAULT_CRITICALITY: Readonly<Record<Criticality, number>> = { low: 0.5, normal: 1, high: 1.5, critical: 2 };

export interface ScoreRow {
  /** The check family: `secrets`, `dependencies`, `policy`. */
  readonly checkId: string;
  readonly findings: number;
  /** Before the criticality multiplier, to two decimals. */
  readonly points: number;
}

export interface RiskScore {
  readonly score: number;
  readonly criticality: Criticality;
  readonly criticalityMultiplier: number;
  /** One row per check family with findings, by points, largest first. */
  readonly rows: readonly ScoreRow[];
  /** Sum of the rows' points, before criticality. */
  readonly points: number;
}

export function riskScore(findings: readonly Pick<Finding, "checkId" | "severity" | "confidence" | "identity" | "fingerprint" | "properties">[], config: ScoreConfig): RiskScore {
  const weights = config.weights;
  const severityPoints = { ...DEFAULT_SEVERITY_POINTS, ...weights.severity };
  const confidence = { ...DEFAULT_CONFIDENCE, ...weights.confidence };
  const criticalityMultiplier = { ...DEFAULT_CRITICALITY, ...weights.criticality }[config.criticality];
  const seen = new Set<string>();
  const byCheck = new Map<string, { findings: number; points: number }>();
  for (const finding of findings) {
    const identity = `${finding.checkId}\0${finding.identity ?? finding.fingerprint}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const verified = finding.properties?.verified === true ? weights.verified : 1;
    const points = severityPoints[finding.severity] * confidence[finding.confidence] * (weights.checks[finding.checkId] ?? 1) * verified;
    const row = byCheck.get(finding.checkId) ?? { findings: 0, points: 0 };
    row.findings++;
    row.points += points;
    byCheck.set(finding.checkId, row);
  }
  const rows = [...byCheck]
    .map(([checkId, row]) => ({ checkId, findings: row.findings, points: round2(row.points) }))
    .sort((a, b) => b.points - a.points || (a.checkId < b.checkId ? -1 : 1));
  const points = round2(rows.reduce((sum, row) => sum + row.points, 0));
  return { score: Math.min(100, Math.round(criticalityMultiplier * points)), criticality: config.criticality, criticalityMultiplier, rows, points };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
