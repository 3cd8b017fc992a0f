/**
 * The sticky summary comment: one issue comment per pull request, found again by its hidden marker
 * and edited in place. `on_findings` posts it only when there is something to say, and after a clean
 * re-scan edits it once to say the findings are gone.
 */
import type { PrSentinelConfig } from "../core/config/schema.js";
import type { ScanResult } from "../core/types.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { MAX_COMMENT_CHARS, truncate } from "./github-limits.js";
import { SUMMARY_MARKER, isSummaryComment, seenIn, seenMarker, summaryStateMarker, summaryStateOf, type SummaryState } from "./markers.js";
import { summaryDigest } from "./summary-digest.js";
import { isOwnComment, type PullRequestRef } from "./review-writer.js";

export interface SummaryCommentInput {
  readonly octokit: GitHubClient;
  readonly pr: PullRequestRef;
  readonly result: ScanResult;
  readonly mode: PrSentinelConfig["review"]["summary_comment"];
  /** A pull request just opened: with nothing to say there is no earlier comment to correct either. */
  readonly freshPullRequest: boolean;
  readonly headSha: string;
  readonly toolVersion: string;
  /** The app's bot login, to find its own comment (see `CreatedCheckRun.botLogin`). */
  readonly botLogin?: string;
  /** The check run's page, where the full list is. */
  readonly checkRunUrl?: string;
}

export type SummaryAction = "created" | "updated" | "unchanged" | "skipped";

export async function upsertSummaryComment(input: SummaryCommentInput): Promise<SummaryAction> {
  const { mode, result } = input;
  if (mode === "never") return "skipped";
  const state: SummaryState = result.findings.length > 0 || result.verdict.conclusion !== "pass" ? "findings" : "clean";
  if (mode === "on_findings" && state === "clean" && input.freshPullRequest) return "skipped";

  // Looked up even on a new pull request: a redelivered `opened` must edit, not post twice.
  const existing = await findSummaryComment(input.octokit, input.pr, input.botLogin);
  if (mode === "on_findings" && state === "clean") {
    // Say "clean now" once, and only if the comment said otherwise before.
    if (!existing || summaryStateOf(existing.body) === "clean") return "skipped";
  }
  const body = summaryBody(input, state, existing?.body);
  if (existing) {
    if (existing.body === body) return "unchanged";
    await input.octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      owner: input.pr.owner,
      repo: input.pr.repo,
      comment_id: existing.id,
      body,
    });
    return "updated";
  }
  await input.octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: input.pr.owner,
    repo: input.pr.repo,
    issue_number: input.pr.pullNumber,
    body,
  });
  return "created";
}

async function findSummaryComment(octokit: GitHubClient, pr: PullRequestRef, botLogin?: string): Promise<{ id: number; body: string } | undefined> {
  const comments = await octokit.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.pullNumber,
    per_page: 100,
  });
  const mine = comments.find((c) => isSummaryComment(c.body) && isOwnComment(c.user, botLogin));
  return mine ? { id: mine.id, body: mine.body ?? "" } : undefined;
}

function summaryBody(input: SummaryCommentInput, state: SummaryState, earlier: string | undefined): string {
  const lines = summaryDigest({
    result: input.result,
    previous: earlier === undefined ? undefined : (seenIn(earlier) ?? new Set()),
    headSha: input.headSha,
    ...(input.checkRunUrl ? { checkRunUrl: input.checkRunUrl } : {}),
  });
  const markers = `${SUMMARY_MARKER}${summaryStateMarker(state)}${seenMarker(input.result.findings.map((f) => f.fingerprint))}`;
  return truncate(`${lines.join("\n")}\n${markers}`, MAX_COMMENT_CHARS);
}
