/**
 * The changed files of a pull request (or of a merge group's compare) as `ChangedFile`s. This folder
 * is the only code that knows the files come from GitHub.
 */
import type { ChangedFile } from "../../core/types.js";
import { createContentReader } from "./content-reader.js";
import { changedFileFromDiffEntry, type DiffEntry, type DiffEntryContext } from "./changed-file-from-diff-entry.js";
import { limitConcurrency } from "../../core/limit-concurrency.js";
import type { GitHubClient, RepoRef } from "./octokit.js";

/** GitHub lists at most this many files of a pull request (`GET /pulls/{n}/files`). */
export const GITHUB_MAX_PULL_FILES = 3000;
const PER_PAGE = 100;
/** The compare API lists files on its first page only, at most this many. */
export const GITHUB_MAX_COMPARE_FILES = 300;

export interface ChangeSource {
  readonly files: readonly ChangedFile[];
  /** Said in the summary: partial lists, files that could not be read. */
  readonly notes: readonly string[];
  /** A file at the head commit, changed or not (context for checks); `null` when it does not exist. */
  readFileAtHead(path: string): Promise<string | null>;
}

export interface PullRequestFilesInput extends RepoRef {
  readonly octokit: GitHubClient;
  readonly pullNumber: number;
  readonly baseSha: string;
  readonly headSha: string;
  /** `pull_request.changed_files` from the payload, when known: tells a capped list from a complete one. */
  readonly expectedFileCount?: number;
  readonly maxFileBytes?: number;
  readonly readConcurrency?: number;
  readonly signal?: AbortSignal;
  /** `paths.ignore`: listed files it matches are passed on unread (no patch parsed, no content fetched). */
  readonly isIgnored?: (path: string) => boolean;
}

export async function listPullRequestFiles(input: PullRequestFilesInput): Promise<ChangeSource> {
  const { octokit, owner, repo } = input;
  const entries: DiffEntry[] = [];
  const pages = octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: input.pullNumber,
    per_page: PER_PAGE,
  });
  for await (const page of pages) {
    input.signal?.throwIfAborted();
    entries.push(...(page.data as DiffEntry[]));
    if (entries.length >= GITHUB_MAX_PULL_FILES) break;
  }
  const notes: string[] = [];
  const capped = entries.length >= GITHUB_MAX_PULL_FILES;
  if (capped && (input.expectedFileCount === undefined || input.expectedFileCount > GITHUB_MAX_PULL_FILES)) {
    notes.push(
      `GitHub lists at most ${GITHUB_MAX_PULL_FILES} files of a pull request; this one changes ${
        input.expectedFileCount ?? "more"
      }, so the scan is partial.`,
    );
  }
  return toChangeSource(entries.slice(0, GITHUB_MAX_PULL_FILES), input, notes);
}

export type ComparedFilesInput = Omit<PullRequestFilesInput, "pullNumber" | "expectedFileCount">;

/** Files changed between two commits (a merge group's base and head), from the compare API. */
export async function listComparedFiles(input: ComparedFilesInput): Promise<ChangeSource> {
  const { data } = await input.octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
    owner: input.owner,
    repo: input.repo,
    basehead: `${input.baseSha}...${input.headSha}`,
    per_page: 1,
    request: { signal: input.signal },
  });
  const entries = (data.files ?? []) as DiffEntry[];
  const notes: string[] = [];
  if (entries.length >= GITHUB_MAX_COMPARE_FILES) {
    notes.push(`GitHub's compare lists at most ${GITHUB_MAX_COMPARE_FILES} files; the merge group changes more, so the scan is partial.`);
  }
  return toChangeSource(entries, input, notes);
}

async function toChangeSource(entries: readonly DiffEntry[], input: ComparedFilesInput, notes: string[]): Promise<ChangeSource> {
  const reader = createContentReader({
    octokit: input.octokit,
    owner: input.owner,
    repo: input.repo,
    maxBytes: input.maxFileBytes,
    concurrency: input.readConcurrency,
    signal: input.signal,
  });
  const context: DiffEntryContext = {
    reader,
    baseSha: input.baseSha,
    headSha: input.headSha,
    notes,
    ...(input.isIgnored ? { isIgnored: input.isIgnored } : {}),
  };
  // Only files without a patch read anything here; the limit keeps their fallback reads bounded too.
  const limited = limitConcurrency(16);
  const files: ChangedFile[] = await Promise.all(entries.map((entry) => limited(() => changedFileFromDiffEntry(entry, context))));
  return { files, notes, readFileAtHead: (path) => reader.fileAt(path, input.headSha) };
}
