/**
 * The commits of a range, read only where they can hold what the head scan does not see.
 *
 * A range's commit-by-commit scan looks for a secret committed and deleted again. A commit's file
 * whose content is exactly the head's (the same blob at the same path) holds nothing of the kind:
 * every line it added is still in the head, where the head scan (the net diff) reports it, or was
 * at the base already, which is not this change's leak. For the common branch (each file written
 * once and left alone) that is every file: the commit pass then reads no diff at all, instead of
 * the whole change a second time. Only a file that a later commit changed again, or deleted, is
 * read, through one `git log -p` limited to those paths.
 *
 * How, in three cheap git calls before the diffs:
 * - `git diff --raw --no-renames base head`: each changed path's blob at the head (tree walk only);
 * - `git log --raw` over the range with the diff stream's own flags (same commits, same order,
 *   same rename pairing): each commit's touched paths and the blobs it left there;
 * - `git log -p --full-history` over the paths still needed (given literally on stdin), when any.
 * A renamed file that must be read brings its old path too, so git pairs the rename as the full
 * stream would and the moved lines do not show up as added.
 *
 * Every commit of the range is still given to the scan, oldest first, so its counts, its cap and
 * which commit introduced a secret are the same as when every diff is read; a commit with nothing
 * to read comes with no files.
 */
import type { CommitChange } from "../../core/history/types.js";
import { gitLogCommits, LOG_FLAGS } from "./git-log-commits.js";
import { GitSourceError, gitComplaint, runGit, type GitProcessOptions } from "./run-git.js";

export interface CommitsBeyondHeadOptions extends GitProcessOptions {
  /** The range's base and head (commit ids, resolved by the caller). */
  readonly base: string;
  readonly head: string;
  /** Only the first this many commits (oldest first) are planned: the scan's cap. */
  readonly maxCommits: number;
  /** Paths the scan leaves out anyway (`paths.ignore`, `scan PATH…`): never read. */
  readonly skip?: (path: string) => boolean;
}

/** One commit of the range and the paths of it that must be read. */
export interface PlannedCommit {
  readonly sha: string;
  readonly authorDate: string;
  /** The commit's new paths whose blob is not the head's. */
  readonly paths: ReadonlySet<string>;
}

export interface CommitPlan {
  readonly commits: readonly PlannedCommit[];
  /** What `git log -p` must be limited to: the planned paths and the old paths of their renames. */
  readonly logPaths: readonly string[];
}

/** Plans the range's commits; see the module comment. */
export async function planCommitsBeyondHead(options: CommitsBeyondHeadOptions): Promise<CommitPlan> {
  const [atHead, touched] = await Promise.all([headBlobs(options), touchedPaths(options)]);
  const logPaths = new Set<string>();
  const commits = touched.slice(0, Math.max(0, options.maxCommits)).map((commit): PlannedCommit => {
    const paths = new Set<string>();
    for (const entry of commit.entries) {
      if (entry.status === "D") continue;
      if (atHead.get(entry.path) === entry.blob) continue;
      if (options.skip?.(entry.path)) continue;
      paths.add(entry.path);
      logPaths.add(entry.path);
      if (entry.oldPath !== undefined) logPaths.add(entry.oldPath);
    }
    return { sha: commit.sha, authorDate: commit.authorDate, paths };
  });
  return { commits, logPaths: [...logPaths] };
}

/**
 * The planned commits, oldest first, each with the files it must be read for (none when its every
 * file is the head's). Git runs only when some path must be read.
 */
export async function* commitsBeyondHead(plan: CommitPlan, options: GitProcessOptions & { readonly base: string; readonly head: string }): AsyncGenerator<CommitChange> {
  const empty = (c: PlannedCommit): CommitChange => ({ sha: c.sha, authorDate: c.authorDate, files: [] });
  const at = new Map(plan.commits.map((c, i) => [c.sha, i]));
  // A path with a newline cannot be given to git on stdin, nor one whose name was not UTF-8 (it was
  // decoded with U+FFFD): then the log is read unlimited and filtered here.
  const literal = !plan.logPaths.some((p) => p.includes("\n") || p.includes("\uFFFD"));
  let next = 0;
  if (plan.logPaths.length > 0) {
    const log = gitLogCommits({ cwd: options.cwd, env: options.env, head: options.head, exclude: options.base, ...(literal ? { paths: plan.logPaths } : {}) });
    for await (const commit of log) {
      const index = at.get(commit.sha);
      // Past the cap (the scan stops there), or a commit git gave in another order than the plan's.
      if (index === undefined) continue;
      const wanted = plan.commits[index]!;
      if (index >= next) {
        for (; next < index; next++) yield empty(plan.commits[next]!);
        next = index + 1;
      }
      yield { ...commit, files: commit.files.filter((f) => wanted.paths.has(f.path)) };
    }
  }
  for (; next < plan.commits.length; next++) yield empty(plan.commits[next]!);
}

interface TouchedEntry {
  readonly status: string;
  readonly path: string;
  readonly oldPath?: string;
  /** The blob the commit left at `path` (zeros when deleted). */
  readonly blob: string;
}

interface TouchedCommit {
  readonly sha: string;
  readonly authorDate: string;
  readonly entries: TouchedEntry[];
}

/** `LOG_FLAGS` with `--raw` instead of the patch: the diff stream's commits, order and renames, without reading a blob. */
export const RAW_LOG_FLAGS: readonly string[] = [
  ...LOG_FLAGS.filter((f) => f !== "-p" && !f.startsWith("--unified") && !f.endsWith("-prefix=a/") && !f.endsWith("-prefix=b/")),
  "--raw",
  "-z",
  "--no-abbrev",
];

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/;
const RAW_ENTRY = /^\n?:[0-7]{6} [0-7]{6} [0-9a-f]{40,64} ([0-9a-f]{40,64}) ([A-Z])[0-9]*$/;

async function touchedPaths(options: CommitsBeyondHeadOptions): Promise<TouchedCommit[]> {
  const result = await runGit([...RAW_LOG_FLAGS, options.head, `^${options.base}`, "--"], options);
  if (result.code !== 0) throw new GitSourceError(`git log --raw failed: ${gitComplaint(result.stderr)}`, "git-failed");
  return parseRawLog(result.stdout.toString("utf8"));
}

/** Parses `git log --raw -z` with the `%x00%H %aI` header. Exported for its tests. */
export function parseRawLog(text: string): TouchedCommit[] {
  const commits: TouchedCommit[] = [];
  const tokens = text.split("\0");
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "" || token === "\n") continue;
    const entry = RAW_ENTRY.exec(token);
    if (entry) {
      const current = commits[commits.length - 1];
      if (!current) throw new GitSourceError("git log --raw printed a change before any commit header", "git-failed");
      const status = entry[2]!;
      // Renames and copies name the old path, then the new one.
      const oldPath = status === "R" || status === "C" ? tokens[++i] : undefined;
      const path = tokens[++i];
      if (path === undefined || path === "" || oldPath === "") throw new GitSourceError("git log --raw ended inside a change", "git-failed");
      current.entries.push({ status, path, blob: entry[1]!, ...(oldPath !== undefined ? { oldPath } : {}) });
      continue;
    }
    const header = HEADER.exec(token);
    if (!header) throw new GitSourceError(`git log --raw printed an unexpected line ${JSON.stringify(token.slice(0, 100))}`, "git-failed");
    commits.push({ sha: header[1]!, authorDate: header[2]!, entries: [] });
  }
  return commits;
}

/** path -> blob at the head, for the paths the range changes (a path it deletes is absent). */
async function headBlobs(options: CommitsBeyondHeadOptions): Promise<Map<string, string>> {
  const result = await runGit(["diff", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff", "--no-textconv", options.base, options.head, "--"], options);
  if (result.code !== 0) throw new GitSourceError(`git diff --raw failed: ${gitComplaint(result.stderr)}`, "git-failed");
  const blobs = new Map<string, string>();
  const tokens = result.stdout.toString("utf8").split("\0");
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const entry = RAW_ENTRY.exec(tokens[i]!);
    if (!entry) throw new GitSourceError(`git diff --raw printed an unexpected line ${JSON.stringify(tokens[i]!.slice(0, 100))}`, "git-failed");
    if (entry[2] !== "D") blobs.set(tokens[i + 1]!, entry[1]!);
  }
  return blobs;
}
