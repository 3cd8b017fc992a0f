/**
 * Each commit of a pull request as a `CommitChange`, for the per-commit secrets scan: a token
 * committed and deleted again on the branch is not in the net diff, yet it was pushed. One
 * `GET /repos/{o}/{r}/commits/{sha}` per commit gives its files with their patches against its first
 * parent, turned into `ChangedFile`s by the same code as the pull request's own files.
 *
 * Cost is what bounds this, so it is spent deliberately:
 * - one request per commit, at most `concurrency` (4) at once, yielded in commit order while the
 *   next ones are already on their way; the installation client paces them like every other read;
 * - only the first page of a commit's files (GitHub's 300): a larger commit is scanned in part, and
 *   said to be;
 * - no whole-file reads to make up for a patch GitHub left out (a very large diff): that file is
 *   not scanned in that commit, and a note says so (the head's own scan still rebuilds it);
 * - `paths.ignore`d files are never read.
 * The caller chooses which commits (merge commits and the cap are its decisions).
 */
import type { CommitChange } from "../../core/history/types.js";
import type { ChangedFile } from "../../core/types.js";
import { changedFileFromDiffEntry, type DiffEntry, type DiffEntryContext } from "./changed-file-from-diff-entry.js";
import { createContentReader } from "./content-reader.js";
import type { PullRequestCommit } from "./list-pull-request-commits.js";
import type { GitHubClient, RepoRef } from "./octokit.js";

/** GitHub's first page of a commit's files. */
export const GITHUB_COMMIT_FILES_PER_PAGE = 300;
export const DEFAULT_COMMIT_CONCURRENCY = 4;

export interface CommitChangesInput extends RepoRef {
  readonly octokit: GitHubClient;
  readonly commits: readonly PullRequestCommit[];
  /** `paths.ignore`: such files are passed on unread (the engine counts them as ignored). */
  readonly isIgnored?: (path: string) => boolean;
  readonly concurrency?: number;
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
}

interface CommitResponse {
  readonly files?: readonly DiffEntry[];
}

export function commitChanges(input: CommitChangesInput): AsyncIterable<CommitChange> {
  const window = Math.max(1, Math.min(input.concurrency ?? DEFAULT_COMMIT_CONCURRENCY, DEFAULT_COMMIT_CONCURRENCY));
  const reader = createContentReader({
    octokit: input.octokit,
    owner: input.owner,
    repo: input.repo,
    maxBytes: input.maxFileBytes,
    concurrency: 1,
    signal: input.signal,
  });
  return {
    async *[Symbol.asyncIterator]() {
      const pending: Promise<CommitChange>[] = [];
      let next = 0;
      const refill = () => {
        while (pending.length < window && next < input.commits.length) {
          const fetching = fetchCommit(input, input.commits[next++]!, reader);
          // Awaited in order below; until then a rejection must not count as unhandled.
          fetching.catch(() => {});
          pending.push(fetching);
        }
      };
      refill();
      while (pending.length > 0) {
        input.signal?.throwIfAborted();
        const change = await pending.shift()!;
        refill();
        yield change;
      }
    },
  };
}

async function fetchCommit(input: CommitChangesInput, commit: PullRequestCommit, reader: ReturnType<typeof createContentReader>): Promise<CommitChange> {
  const response = await input.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}", {
    owner: input.owner,
    repo: input.repo,
    ref: commit.sha,
    request: { signal: input.signal },
  });
  const short = commit.sha.slice(0, 7);
  const notes: string[] = [];
  const entries = ((response.data as CommitResponse).files ?? []).slice(0, GITHUB_COMMIT_FILES_PER_PAGE);
  if (/\brel="next"/.test(String(response.headers.link ?? ""))) {
    notes.push(
      `Commit ${short} changes more than ${GITHUB_COMMIT_FILES_PER_PAGE} files; only the first ${GITHUB_COMMIT_FILES_PER_PAGE} were scanned in that commit.`,
    );
  }
  const context: DiffEntryContext = {
    reader,
    baseSha: commit.parentShas[0] ?? commit.sha,
    headSha: commit.sha,
    notes,
    rebuildMissingPatch: false,
    commitLabel: `commit ${short}`,
    ...(input.isIgnored ? { isIgnored: input.isIgnored } : {}),
  };
  const files: ChangedFile[] = [];
  for (const entry of entries) files.push(await changedFileFromDiffEntry(entry, context));
  return { sha: commit.sha, authorDate: commit.authorDate, files, ...(notes.length > 0 ? { notes } : {}) };
}
