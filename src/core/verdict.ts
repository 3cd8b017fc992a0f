import {
  SEVERITIES,
  severityRank,
  type CheckOutcome,
  type Finding,
  type Severity,
  type Verdict,
} from "./types.js";
import type { PrSentinelConfig } from "./config/schema.js";

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * Severity decides the verdict (`fail_on`); a check that could not run decides it only through
 * `on_error`. Confidence never does: it only decides where a finding is shown.
 */
export function computeVerdict(
  findings: readonly Finding[],
  outcomes: readonly CheckOutcome[],
  config: Pick<PrSentinelConfig, "fail_on" | "on_error">,
): Verdict {
  const counts = countBySeverity(findings);
  const failOn = config.fail_on;
  const reasons: string[] = [];
  const blocking =
    failOn === "never" ? [] : findings.filter((f) => severityRank(f.severity) >= severityRank(failOn));
  if (blocking.length > 0) {
    reasons.push(`${blocking.length} finding${blocking.length === 1 ? "" : "s"} at or above ${failOn}`);
  }
  const errored = outcomes.filter((o) => o.status === "error");
  for (const o of errored) reasons.push(`check ${o.checkId} could not run: ${o.message ?? "error"}`);

  let conclusion: Verdict["conclusion"] = "pass";
  if (blocking.length > 0) conclusion = "fail";
  else if (errored.length > 0) conclusion = config.on_error === "fail" ? "fail" : "neutral";

  const countText = SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
  let title: string;
  if (conclusion === "fail" && blocking.length > 0) title = `${countText}: fails on ${failOn}`;
  else if (conclusion === "fail") title = `${errored.length} check${errored.length === 1 ? "" : "s"} could not run: fails (on_error: fail)`;
  else if (conclusion === "neutral") {
    title = `${errored.length} check${errored.length === 1 ? "" : "s"} could not run${countText ? `; ${countText}` : ""}`;
  } else if (countText) title = `${countText}: passes (fails on ${failOn})`;
  else title = "No problems found";
  if (failOn === "never" && conclusion === "pass" && countText) title = `${countText}: blocking is off`;
  return { conclusion, failOn, onError: config.on_error, counts, title, reasons };
}
