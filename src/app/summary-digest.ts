/**
 * The sticky summary comment is a digest, not a copy of the check run: the check run carries the
 * full list and the annotations, the inline comments sit on the lines, and this says in at most
 * ten lines where the pull request stands: the verdict, counts by check, secrets only in earlier
 * commits (they have no line to comment on), what is new and what was resolved since the last
 * push, what could not be checked, and a link to the check run. Lines
 * with nothing to say for this run (zero counts, the same explanation every time) are left out.
 */
import type { ScanResult } from "../core/types.js";
import { codeSpan, escapeMarkdown } from "../reporters/markdown-escape.js";
import { plural } from "../reporters/plain-text.js";
import { EARLIER_COMMITS_ADVICE, isEarlierCommitFinding } from "../reporters/earlier-commits.js";
import { notCheckedOutcomes } from "../reporters/summary.js";
import { seenKey } from "./markers.js";

export interface DigestInput {
  readonly result: ScanResult;
  /** Fingerprint prefixes the previous digest reported; undefined on the first one. */
  readonly previous: ReadonlySet<string> | undefined;
  readonly headSha: string;
  readonly checkRunUrl?: string;
}

const ICON = { pass: "✅", fail: "❌", neutral: "⚠️" } as const;

/** The visible lines of the digest (markers are added by the caller). */
export function summaryDigest(input: DigestInput): string[] {
  const { result, previous } = input;
  const current = new Set(result.findings.map((f) => seenKey(f.fingerprint)));
  const commit = `commit ${codeSpan(input.headSha.slice(0, 7))}`;
  const link = input.checkRunUrl ? `[Details and fixes in the check run](${input.checkRunUrl})` : "Details and fixes are in the **PR Sentinel** check run";
  const resolved = previous ? [...previous].filter((p) => !current.has(p)).length : 0;
  const notChecked = notCheckedOutcomes(result);

  if (result.findings.length === 0 && notChecked.length === 0) {
    const why = resolved > 0 ? ` ${plural(resolved, "earlier finding")} resolved.` : "";
    return [`### ${ICON.pass} PR Sentinel: all clear`, "", `No problems found in this pull request.${why} (${commit})`];
  }

  const lines = [`### ${ICON[result.verdict.conclusion]} PR Sentinel: ${escapeMarkdown(result.verdict.title, 200)}`, ""];
  const byCheck = new Map<string, number>();
  for (const f of result.findings) byCheck.set(f.checkId, (byCheck.get(f.checkId) ?? 0) + 1);
  if (byCheck.size > 0) lines.push([...byCheck].map(([check, n]) => `**${escapeMarkdown(check, 40)}** ${n}`).join(" · "));
  // Not on any line of the diff, so no inline comment points at them: said here in so many words.
  const earlier = result.findings.filter(isEarlierCommitFinding).length;
  if (earlier > 0) lines.push(`**Secrets in earlier commits of this pull request:** ${earlier} (${EARLIER_COMMITS_ADVICE})`);
  if (previous) {
    const added = [...current].filter((p) => !previous.has(p)).length;
    const changes = [added > 0 ? `${added} new since the last push` : "", resolved > 0 ? `${resolved} resolved` : ""].filter(Boolean);
    if (changes.length > 0) lines.push(changes.join(" · "));
  }
  for (const o of notChecked.slice(0, 3)) {
    lines.push(`**Not checked:** ${escapeMarkdown(o.checkId, 40)} (${o.status === "error" ? "failed" : "skipped"}: ${escapeMarkdown(o.message ?? "no reason given", 160)})`);
  }
  if (notChecked.length > 3) lines.push(`**Not checked:** ${notChecked.length - 3} more checks`);
  lines.push(`${link} · ${commit}`);
  // One line each: a blank line between them, or Markdown would run them into one paragraph.
  return lines.flatMap((line, i) => (i === 0 || line === "" ? [line] : ["", line])).filter((line, i, all) => !(line === "" && all[i - 1] === ""));
}
