/**
 * Findings from earlier commits of a change that the head no longer shows (a token committed and
 * deleted again): marked by the per-commit merge with `properties.not_in_head` and the commit that
 * introduced them. Every reporter lists them apart from the head's findings, because they have no
 * line in the head and the fix is different: deleting is not enough, the secret must be rotated.
 */
import type { Finding } from "../core/types.js";

export const EARLIER_COMMITS_HEADING = "Secrets in earlier commits";
export const EARLIER_COMMITS_ADVICE = "no longer in the head, but pushed: rotate them";

export function isEarlierCommitFinding(f: Finding): boolean {
  return f.properties?.not_in_head === true;
}

/** The commit that introduced the finding; only a hex id, since it goes into links and paths. */
export function commitOf(f: Finding): string | undefined {
  const commit = f.properties?.commit;
  return typeof commit === "string" && /^[0-9a-f]{7,64}$/.test(commit) ? commit : undefined;
}

export function splitEarlierCommits(findings: readonly Finding[]): { head: Finding[]; earlier: Finding[] } {
  const head: Finding[] = [];
  const earlier: Finding[] = [];
  for (const f of findings) (isEarlierCommitFinding(f) ? earlier : head).push(f);
  return { head, earlier };
}
