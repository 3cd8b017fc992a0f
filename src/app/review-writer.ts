/**
 * Posts the one review of a scan and tidies the app's earlier threads. Reads what the app said
 * before (hidden fingerprint markers in its review comments and review bodies) so nothing is said
 * twice across pushes, and resolves threads whose finding is gone, through GraphQL (REST has no
 * thread objects), never a thread a person resolved or replied to.
 */
import type { Logger } from "pino";
import type { GitHubClient, RepoRef } from "../sources/github/octokit.js";
import { fingerprintsIn } from "./markers.js";
import type { ReviewPlan } from "./plan-review.js";

export interface PullRequestRef extends RepoRef {
  readonly pullNumber: number;
}

/** Fingerprints in the app's inline comments on this pull request, with the comment ids. */
export async function listCommentedFingerprints(octokit: GitHubClient, pr: PullRequestRef, botLogin?: string): Promise<Set<string>> {
  const comments = await octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.pullNumber,
    per_page: 100,
  });
  const found = new Set<string>();
  // Only the app's own top-level comments count: a person quoting a marker must not silence a finding.
  for (const c of comments) if (!c.in_reply_to_id && isOwnComment(c.user, botLogin)) for (const fp of fingerprintsIn(c.body)) found.add(fp);
  return found;
}

/** Fingerprints listed in the bodies of the app's earlier reviews. */
export async function listReviewBodyFingerprints(octokit: GitHubClient, pr: PullRequestRef, botLogin?: string): Promise<Set<string>> {
  const reviews = await octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.pullNumber,
    per_page: 100,
  });
  return new Set(reviews.filter((r) => isOwnComment(r.user, botLogin)).flatMap((r) => fingerprintsIn(r.body)));
}

/**
 * The app's own words: by its bot login when known; otherwise (no `app` on the check run) any bot,
 * since people at least cannot pass for one.
 */
export function isOwnComment(user: { login?: string; type?: string } | null | undefined, botLogin?: string): boolean {
  return botLogin ? user?.login === botLogin : user?.type === "Bot";
}

export async function postReview(octokit: GitHubClient, pr: PullRequestRef, headSha: string, plan: ReviewPlan): Promise<void> {
  await octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.pullNumber,
    commit_id: headSha,
    event: plan.event,
    body: plan.body,
    comments: plan.comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
  });
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          viewerCanResolve
          comments(first: 2) { totalCount nodes { body viewerDidAuthor } }
        }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface ThreadsResponse {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          id: string;
          isResolved: boolean;
          viewerCanResolve: boolean;
          comments: { totalCount: number; nodes: { body: string; viewerDidAuthor: boolean }[] };
        }[];
      };
    } | null;
  } | null;
}

const MAX_THREAD_PAGES = 10;

/**
 * Resolves the app's own open threads whose findings are no longer reported. A thread with a reply
 * is a conversation and stays open; one a person already resolved is left as it is. Returns how many
 * were resolved. Failures are logged, not thrown: tidying must not fail a scan.
 */
export async function resolveStaleThreads(
  octokit: GitHubClient,
  pr: PullRequestRef,
  current: ReadonlySet<string>,
  log: Logger,
): Promise<number> {
  let resolved = 0;
  try {
    let cursor: string | null = null;
    for (let page = 0; page < MAX_THREAD_PAGES; page++) {
      const data: ThreadsResponse = await octokit.graphql<ThreadsResponse>(THREADS_QUERY, {
        owner: pr.owner,
        repo: pr.repo,
        number: pr.pullNumber,
        cursor,
      });
      const threads = data.repository?.pullRequest?.reviewThreads;
      if (!threads) break;
      for (const thread of threads.nodes) {
        const first = thread.comments.nodes[0];
        if (!first?.viewerDidAuthor || thread.isResolved || !thread.viewerCanResolve) continue;
        if (thread.comments.totalCount > 1) continue;
        const fingerprints = fingerprintsIn(first.body);
        if (fingerprints.length === 0 || fingerprints.some((fp) => current.has(fp))) continue;
        await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.id });
        resolved++;
      }
      if (!threads.pageInfo.hasNextPage) break;
      cursor = threads.pageInfo.endCursor;
    }
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, "could not resolve stale review threads");
  }
  return resolved;
}
