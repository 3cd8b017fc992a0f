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
  const skipped = outcomes.filter((o) => o.status === "skipped");
  for (const o of skipped) reasons.push(`check ${o.checkId} was skipped: ${o.message ?? "skipped"}`);

  let conclusion: Verdict["conclusion"] = "pass";
  if (blocking.length > 0) conclusion = "fail";
  else if (errored.length > 0) conclusion = config.on_error === "fail" ? "fail" : "neutral";

  const countText = SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
  // Checks that did not look at the change are named in the title itself, so nobody reads a
  // pass or a fail as "everything was checked".
  const notChecked = [
    errored.length > 0 ? `${plural(errored.length, "check")} could not run` : "",
    skipped.length > 0 ? `${plural(skipped.length, "check")} skipped` : "",
  ]
    .filter(Boolean)
    .join(", ");
  let title: string;
  if (conclusion === "fail" && blocking.length > 0) title = `${countText}: fails on ${failOn}`;
  else if (conclusion === "fail") title = `${notChecked}: fails (on_error: fail)`;
  else if (conclusion === "neutral") title = `${notChecked}: not fully checked`;
  else if (!countText) title = "No problems found";
  else if (failOn === "never") title = `${countText}: blocking is off (fail_on: never)`;
  else title = `${countText}: passes (fails on ${failOn})`;
  if (countText && conclusion !== "pass" && blocking.length === 0) title += `; ${countText}`;
  if (notChecked && !title.startsWith(notChecked)) title += `; ${notChecked}`;
  return { conclusion, failOn, onError: config.on_error, counts, title, reasons };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
