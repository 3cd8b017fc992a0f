/**
 * The commits a pull request brings, oldest first, from `GET /repos/{o}/{r}/pulls/{n}/commits`
 * (100 a page). GitHub lists at most 250 commits there; a longer pull request is said to be partial,
 * never presented as complete. Only the list is read here: each commit's files come later, and only
 * for the commits that are scanned (commit-changes.ts).
 */
import type { GitHubClient, RepoRef } from "./octokit.js";

/** `GET /pulls/{n}/commits` lists at most this many commits of a pull request. */
export const GITHUB_MAX_PULL_COMMITS = 250;
const PER_PAGE = 100;

export interface PullRequestCommit {
  /** 40 hex digits. */
  readonly sha: string;
  /** ISO 8601; empty when GitHub does not say. */
  readonly authorDate: string;
  readonly parentShas: readonly string[];
}

export interface PullRequestCommitList {
  readonly commits: readonly PullRequestCommit[];
  /** GitHub's list stopped at `GITHUB_MAX_PULL_COMMITS`: later commits exist and are not in it. */
  readonly capped: boolean;
}

export interface ListPullRequestCommitsInput extends RepoRef {
  readonly octokit: Pick<GitHubClient, "paginate">;
  readonly pullNumber: number;
  readonly signal?: AbortSignal;
}

/** The fields of GitHub's `commit` list item this module reads. */
interface CommitListItem {
  readonly sha?: unknown;
  readonly commit?: { readonly author?: { readonly date?: unknown } | null; readonly committer?: { readonly date?: unknown } | null };
  readonly parents?: readonly { readonly sha?: unknown }[];
}

const SHA = /^[0-9a-f]{40}$/;

export async function listPullRequestCommits(input: ListPullRequestCommitsInput): Promise<PullRequestCommitList> {
  const commits: PullRequestCommit[] = [];
  const pages = input.octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.pullNumber,
    per_page: PER_PAGE,
  });
  for await (const page of pages) {
    input.signal?.throwIfAborted();
    for (const item of page.data as CommitListItem[]) {
      const commit = commitOf(item);
      if (commit) commits.push(commit);
    }
    if (commits.length >= GITHUB_MAX_PULL_COMMITS) break;
  }
  return { commits: commits.slice(0, GITHUB_MAX_PULL_COMMITS), capped: commits.length >= GITHUB_MAX_PULL_COMMITS };
}

/** A list item as a commit; `undefined` for one without a usable SHA (the SHA goes into a URL path). */
function commitOf(item: CommitListItem): PullRequestCommit | undefined {
  if (typeof item.sha !== "string" || !SHA.test(item.sha)) return undefined;
  const date = item.commit?.author?.date ?? item.commit?.committer?.date;
  const parentShas = (item.parents ?? []).map((p) => p.sha).filter((sha): sha is string => typeof sha === "string" && SHA.test(sha));
  return { sha: item.sha, authorDate: typeof date === "string" ? date : "", parentShas };
}
