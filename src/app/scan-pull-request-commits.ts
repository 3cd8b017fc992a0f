/**
 * The app's per-commit secrets pass: a token committed on the branch and deleted again by a later
 * commit is not in the pull request's net diff, yet it was pushed and is public. Each commit the pull
 * request brings is scanned with the secrets check alone (the other checks judge the head), and what
 * the head no longer shows joins the head's result: reported in the check run with the commit that
 * introduced it and "rotate it", counted in the verdict, never commented inline (it has no line).
 *
 * Cost, in GitHub requests (reads, paced by the installation client like every other read):
 * a single-commit pull request none (the payload's `commits` says so); otherwise
 * `ceil(n / 100)` pages of the commit list plus one request per commit scanned, at most 4 at once:
 * 10 commits cost 11 requests, 100 commits 101. Beyond `DEFAULT_MAX_PULL_REQUEST_COMMITS` the rest
 * are left out with a note, so the pass is bounded however long the branch; GitHub itself lists at
 * most 250 commits of a pull request.
 *
 * Merge commits are skipped: what a merge of the base branch brings is the base's, already reviewed
 * there, and re-scanning it would blame this pull request for it (and cost a request per merge).
 */
import type { Logger } from "pino";
import type { PrSentinelConfig } from "../core/config/schema.js";
import { withEarlierCommitFindings } from "../core/history/merge-earlier-commits.js";
import { scanCommits } from "../core/history/scan-commits.js";
import { createPathMatcher } from "../core/paths.js";
import type { Baseline } from "../core/suppressions.js";
import type { Check, ScanResult } from "../core/types.js";
import { computeVerdict } from "../core/verdict.js";
import { commitChanges } from "../sources/github/commit-changes.js";
import { GITHUB_MAX_PULL_COMMITS, listPullRequestCommits } from "../sources/github/list-pull-request-commits.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { RetryLaterError, transientWait } from "./github/transient-retry.js";

/** Commits scanned one by one per pull request (one request each). */
export const DEFAULT_MAX_PULL_REQUEST_COMMITS = 100;
const SECRETS_CHECK_ID = "secrets";
/** The whole pass gets the secrets check's own timeout, at least this long (100 fetches at 4 at once). */
const MIN_PASS_SECONDS = 120;

export interface PullRequestCommitsInput {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  /** The payload's `pull_request.commits`: 1 costs nothing; unknown costs one list request. */
  readonly commitCount?: number;
  readonly config: PrSentinelConfig;
  readonly checks: readonly Check[];
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly maxCommits?: number;
  /** The baseline the head scan used: what it accepts is accepted in every commit too. */
  readonly baseline?: Baseline;
  /** The queue will try again: a transient GitHub error is thrown for a retry instead of reported. */
  readonly retryable?: boolean;
  /** `PR_SENTINEL_DOCS_URL`, as for the head scan. */
  readonly docsBaseUrl?: string;
}

/** Whether the pass will run at all (no request made), so the caller can size its deadline. */
export function perCommitPassApplies(input: Pick<PullRequestCommitsInput, "commitCount" | "config" | "checks">): boolean {
  if (input.commitCount !== undefined && input.commitCount <= 1) return false;
  const entry = (input.config.checks as Record<string, { enabled?: boolean } | undefined>)[SECRETS_CHECK_ID];
  return entry?.enabled !== false && input.checks.some((c) => c.meta.id === SECRETS_CHECK_ID);
}

/** Seconds the pass may take (for the runner's deadline). */
export function perCommitPassSeconds(config: PrSentinelConfig): number {
  const entry = (config.checks as Record<string, { timeout_seconds?: number } | undefined>)[SECRETS_CHECK_ID];
  return Math.max(MIN_PASS_SECONDS, entry?.timeout_seconds ?? 60);
}

export async function withPullRequestCommits(head: ScanResult, input: PullRequestCommitsInput): Promise<ScanResult> {
  if (!perCommitPassApplies(input)) return head;
  const secrets = input.checks.filter((c) => c.meta.id === SECRETS_CHECK_ID);
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(new Error(`ran out of its ${perCommitPassSeconds(input.config)} s`)), perCommitPassSeconds(input.config) * 1000);
  const signal = AbortSignal.any([input.signal, budget.signal]);
  try {
    const listed = await listPullRequestCommits({ octokit: input.octokit, owner: input.owner, repo: input.repo, pullNumber: input.pullNumber, signal });
    if (listed.commits.length <= 1 && !listed.capped) return head;
    const own = listed.commits.filter((c) => c.parentShas.length <= 1);
    const max = input.maxCommits ?? DEFAULT_MAX_PULL_REQUEST_COMMITS;
    const history = await scanCommits({
      commits: commitChanges({
        octokit: input.octokit,
        owner: input.owner,
        repo: input.repo,
        commits: own.slice(0, max),
        isIgnored: createPathMatcher(input.config.paths.ignore),
        signal,
      }),
      config: input.config,
      checks: secrets,
      logger: input.logger,
      signal,
      maxCommits: max,
      totalCommits: own.length,
      ...(input.baseline ? { baseline: input.baseline } : {}),
      ...(input.docsBaseUrl ? { docsBaseUrl: input.docsBaseUrl } : {}),
    });
    const merged = withEarlierCommitFindings(head, history, input.config);
    return { ...merged, notes: [...merged.notes, ...listingNotes(listed.capped, listed.commits.length - own.length)] };
  } catch (error) {
    if (input.signal.aborted) throw error;
    // Out of time is not GitHub's blip: another attempt would run out too.
    const transient = !budget.signal.aborted && (error instanceof RetryLaterError || transientWait(error) !== undefined);
    if (transient && input.retryable) throw error;
    const reason = budget.signal.aborted ? reasonText(budget.signal.reason) : reasonText(error);
    input.logger.warn({ err: { message: reason } }, "per-commit secrets scan failed");
    return withIncompleteSecrets(head, `could not scan each commit of the pull request (${reason}); a secret committed and deleted again on the branch may be missed`, input.config);
  } finally {
    clearTimeout(timer);
  }
}

function listingNotes(capped: boolean, merges: number): string[] {
  const notes: string[] = [];
  if (capped) {
    notes.push(`GitHub lists at most ${GITHUB_MAX_PULL_COMMITS} commits of a pull request; later commits were not scanned one by one (the head still was).`);
  }
  if (merges > 0) notes.push(`${merges === 1 ? "1 merge commit was" : `${merges} merge commits were`} not scanned one by one: what a merge brings is the base branch's.`);
  return notes;
}

/** The secrets check could not judge every commit: an error outcome, so the verdict follows `on_error`. */
function withIncompleteSecrets(head: ScanResult, message: string, config: PrSentinelConfig): ScanResult {
  const outcomes = head.outcomes.map((o) => {
    if (o.checkId !== SECRETS_CHECK_ID) return o;
    return o.status === "error" ? { ...o, warnings: [...o.warnings, message] } : { ...o, status: "error" as const, message };
  });
  return { ...head, outcomes, verdict: computeVerdict(head.findings, outcomes, config) };
}

function reasonText(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return text.split("\n")[0]!.slice(0, 300) || "unknown error";
}
