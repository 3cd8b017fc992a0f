/**
 * The CLI's two commit-by-commit scans, both secrets only (the other checks judge the head):
 * - a range of more than one commit: each commit of the range as well as the net diff, so a token
 *   added and deleted again on the branch still fails the scan (`--no-commits` switches it off);
 * - `--history`: every commit reachable from the head, or those after `--since`, for an audit.
 * Both read one `git log -p` stream (src/sources/git/git-log-commits.ts); a range's is limited to the
 * files a later commit changed again (src/sources/git/commits-beyond-head.ts).
 */
import type { Logger } from "pino";
import type { PrSentinelConfig } from "../core/config/schema.js";
import { createPathMatcher } from "../core/paths.js";
import { runScan } from "../core/engine.js";
import { historyScanResult, withEarlierCommitFindings } from "../core/history/merge-earlier-commits.js";
import { DEFAULT_MAX_COMMITS, scanCommits } from "../core/history/scan-commits.js";
import type { CommitChange } from "../core/history/types.js";
import type { Baseline } from "../core/suppressions.js";
import type { Check, ScanResult } from "../core/types.js";
import type { ScanScope } from "../reporters/scan-scope.js";
import { CatFileBatch } from "../sources/git/cat-file-batch.js";
import { decode } from "../sources/git/file-contents.js";
import { commitsBeyondHead, planCommitsBeyondHead } from "../sources/git/commits-beyond-head.js";
import { countLogCommits, gitLogCommits, type GitLogCommitsOptions } from "../sources/git/git-log-commits.js";
import { repositoryRoot, resolveCommit } from "../sources/git/resolve-range.js";
import { runGit } from "../sources/git/run-git.js";
import { MAX_WHOLE_FILE_BYTES } from "../sources/limits.js";
import { UsageError, type ScanArgs } from "./args.js";
import { loadScanConfig } from "./load-scan-config.js";
import { createScanPathFilter } from "./path-filter.js";
import { historyScope } from "./scan-scope.js";

/** The check that runs on each commit. */
const SECRETS = "secrets";

export interface CommitScanContext {
  readonly config: PrSentinelConfig;
  readonly checks: readonly Check[];
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly baseline?: Baseline;
  readonly keep?: (path: string) => boolean;
  readonly docsBaseUrl?: string;
}

/**
 * The head scan plus what each commit of `base..head` added, when the range has more than one
 * commit (one commit's diff is the net diff). Returns the head result unchanged otherwise.
 */
export async function withRangeCommits(
  head: ScanResult,
  range: { readonly root: string; readonly baseId: string; readonly headId: string },
  args: Pick<ScanArgs, "maxCommits">,
  context: CommitScanContext,
): Promise<ScanResult> {
  const checks = context.checks.filter((c) => c.meta.id === SECRETS);
  if (checks.length === 0) return head;
  const log: GitLogCommitsOptions = { cwd: range.root, env: context.env, head: range.headId, exclude: range.baseId };
  const total = await countLogCommits(log);
  if (total <= 1) return head;
  const maxCommits = args.maxCommits ?? DEFAULT_MAX_COMMITS;
  // Only what a later commit changed again is read: a file as the head has it is the head scan's.
  const isIgnored = createPathMatcher(context.config.paths.ignore);
  const git = { cwd: range.root, env: context.env, base: range.baseId, head: range.headId };
  const plan = await planCommitsBeyondHead({ ...git, maxCommits, skip: (path) => isIgnored(path) || (context.keep !== undefined && !context.keep(path)) });
  const history = await scanCommits({
    commits: commitsBeyondHead(plan, git),
    config: context.config,
    checks,
    logger: context.logger,
    maxCommits,
    totalCommits: total,
    baseline: context.baseline,
    ...(context.docsBaseUrl ? { docsBaseUrl: context.docsBaseUrl } : {}),
  });
  const merged = withEarlierCommitFindings(head, history, context.config);
  if (history.commitsLeftOut === 0) return merged;
  return { ...merged, notes: [...merged.notes, `Raise the cap with --max-commits ${total}, or scan the rest with --history --since <commit>.`] };
}

export interface HistoryScan {
  readonly result: ScanResult;
  readonly scope: ScanScope;
}

/** `scan --history [--since REF]`: the config (and baseline) are the head's, as for --all: an audit has no base. */
export async function scanHistory(
  args: ScanArgs,
  io: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly checks: readonly Check[]; readonly logger: Logger; readonly withBaseline: boolean; readonly docsBaseUrl?: string },
): Promise<HistoryScan> {
  const checks = io.checks.filter((c) => c.meta.id === SECRETS);
  if (checks.length === 0) throw new UsageError("--history scans for secrets, and the secrets check is not available");
  const root = await repositoryRoot({ cwd: io.cwd, env: io.env });
  const git = { cwd: root, env: io.env };
  const headRefName = args.head ?? "HEAD";
  const headId = await resolveCommit(headRefName, git);
  const sinceId = args.since !== undefined ? await resolveCommit(args.since, git) : undefined;
  const reader = new CatFileBatch({ ...git, maxBytes: MAX_WHOLE_FILE_BYTES });
  try {
    const readAtHead = async (path: string) => decode(await reader.read(`${headId}:${path}`, path), path);
    const loaded = await loadScanConfig({
      file: args.config,
      cwd: io.cwd,
      staged: false,
      all: true,
      change: {
        root,
        baseRef: sinceId ? `${args.since} (${sinceId.slice(0, 8)})` : "empty tree (--history)",
        baseId: sinceId ?? "",
        headRef: `${headRefName} (${headId.slice(0, 8)})`,
        headId,
        readAtHead,
        readAtBase: readAtHead,
      },
      checks: io.checks,
      withBaseline: io.withBaseline,
    });
    const config = args.failOn ? { ...loaded.config, fail_on: args.failOn } : loaded.config;
    const log: GitLogCommitsOptions = { cwd: root, env: io.env, head: headId, ...(sinceId ? { exclude: sinceId } : {}) };
    const docs = io.docsBaseUrl ? { docsBaseUrl: io.docsBaseUrl } : {};
    const base = await runScan({ files: [], config, checks, logger: io.logger, ...docs });
    const history = await scanCommits({
      commits: onlyPaths(gitLogCommits(log), createScanPathFilter(args.paths, io.cwd, root)),
      config,
      checks,
      logger: io.logger,
      maxCommits: args.maxCommits ?? Number.POSITIVE_INFINITY,
      totalCommits: await countLogCommits(log),
      baseline: loaded.baseline,
      ...docs,
    });
    const scanned = historyScanResult(base, history, config);
    // A shallow clone's oldest commit shows its whole tree as added: the scan covers it, but not what came before.
    const result = (await isShallow(git))
      ? { ...scanned, notes: [...scanned.notes, "This is a shallow clone: the history scanned starts at its oldest fetched commit (git fetch --unshallow for all of it)."] }
      : scanned;
    return { result, scope: historyScope({ args, headId, sinceId, config: loaded.origin, files: history.filesScanned }) };
  } finally {
    await reader.close();
  }
}

async function isShallow(git: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<boolean> {
  const result = await runGit(["rev-parse", "--is-shallow-repository"], git);
  return result.code === 0 && result.stdout.toString("utf8").trim() === "true";
}

/** `scan PATH…` narrows each commit as it narrows the head's change. */
async function* onlyPaths(commits: AsyncIterable<CommitChange>, keep: ((path: string) => boolean) | undefined): AsyncGenerator<CommitChange> {
  for await (const commit of commits) yield keep ? { ...commit, files: commit.files.filter((f) => keep(f.path)) } : commit;
}
