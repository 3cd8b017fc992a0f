/**
 * Maps a head SHA back to its open pull request. Checks-API payloads (check_run, check_suite) of fork
 * pull requests carry an empty `pull_requests` list, because the Checks API only sees pushes to the
 * repository where the run lives; the commit is still readable from the base repository.
 */
import type { GitHubClient, RepoRef } from "../sources/github/octokit.js";

export interface FoundPullRequest {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly draft: boolean;
}

interface PullLike {
  number: number;
  state?: string;
  draft?: boolean;
  head: { sha: string };
  base: { sha: string };
}

const MAX_OPEN_PULL_PAGES = 10;

export async function findPullRequestByHead(octokit: GitHubClient, repo: RepoRef, headSha: string): Promise<FoundPullRequest | undefined> {
  const { data: associated } = await octokit.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    ...repo,
    commit_sha: headSha,
    per_page: 100,
  });
  const direct = (associated as PullLike[]).find((p) => p.head.sha === headSha && p.state !== "closed");
  if (direct) return found(direct);
  // Fork heads are not always associated with the commit in the base repository: scan open pulls.
  let page = 0;
  for await (const { data } of octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: 100 })) {
    const match = (data as PullLike[]).find((p) => p.head.sha === headSha);
    if (match) return found(match);
    if (++page >= MAX_OPEN_PULL_PAGES) break;
  }
  return undefined;
}

function found(p: PullLike): FoundPullRequest {
  return { number: p.number, headSha: p.head.sha, baseSha: p.base.sha, draft: p.draft ?? false };
}
