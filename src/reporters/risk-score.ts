/**
 * The risk score in a report: one line and one short table a person can redo by hand (points per
 * check family, the criticality multiplier, the capped total). Information for prioritising; the
 * verdict above it comes from `fail_on`, never from the score.
 */
import type { RiskScore } from "../posture/risk-score.js";

export function riskScoreSection(score: RiskScore | undefined): string[] {
  if (!score) return [];
  const lines = [`**Risk score: ${score.score}/100** (information only: the verdict follows \`fail_on\`)`, ""];
  if (score.rows.length === 0) return [...lines.slice(0, 1), ""];
  lines.push("| check | distinct findings | points |", "| --- | ---: | ---: |");
  for (const row of score.rows) lines.push(`| ${row.checkId} | ${row.findings} | ${row.points} |`);
  lines.push(
    `| × criticality \`${score.criticality}\` | | × ${score.criticalityMultiplier} |`,
    `| **score** (at most 100) | | **${score.score}** |`,
    "",
  );
  return lines;
}
