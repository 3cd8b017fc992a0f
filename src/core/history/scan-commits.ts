/**
 * Scans a change commit by commit, so that a secret added in one commit and deleted in a later one
 * is still found: the net diff of a pull request no longer shows it, yet it was pushed and is public.
 * Each commit's own files go through the engine (`runScan`) with only the checks the caller gives
 * (the secrets check: other checks judge the head, not each step towards it), so `paths.ignore`,
 * inline markers, the allowlist and the baseline apply as they do to the head. Several commits share
 * an engine run when their paths do not overlap (see `Window`): the same findings, a fraction of the
 * runs (the generated 2,000-commit history of `npm run bench:history`: about 110 runs, not 2,000).
 *
 * A secret is reported once, from the first commit that has it (by `identity`, the keyed hash of the
 * value): a token that stays in the branch for ten commits, or moves to another file, is one leak.
 * Commits arrive oldest first (`git log --reverse`, GitHub's list of a pull request's commits), so
 * "first" is the commit that introduced it. Commits are consumed as they come and held only for one
 * window (at most 200 commits and 200,000 added lines), so a long history costs no more memory than
 * a window plus the findings.
 */
import type { Logger } from "pino";
import type { PrSentinelConfig } from "../config/schema.js";
import { runScan } from "../engine.js";
import type { Baseline } from "../suppressions.js";
import { addedLineView } from "../added-line-view.js";
import type { ChangedFile, Check, Finding, SuppressionCounts } from "../types.js";
import type { CommitChange, CommitFinding } from "./types.js";

/** The cap on commits scanned one by one, unless the caller says otherwise (`--max-commits`). */
export const DEFAULT_MAX_COMMITS = 250;
/** Findings kept over all commits; past it the scan says so (a history full of test fixtures). */
export const MAX_HISTORY_FINDINGS = 5000;

export interface ScanCommitsInput {
  readonly commits: AsyncIterable<CommitChange>;
  readonly config: PrSentinelConfig;
  /** Only these run on each commit: callers pass the secrets check. */
  readonly checks: readonly Check[];
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** YYYY-MM-DD, for allowlist expiry (tests). */
  readonly today?: string;
  /** Default `DEFAULT_MAX_COMMITS`; `Infinity` for no cap. */
  readonly maxCommits?: number;
  /**
   * How many commits `commits` holds, when the source knows it cheaply (`git rev-list --count`, the
   * pull request's `commits`). With it the scan stops at the cap without pulling one more commit
   * (for the app, one more request) and says exactly how many were left out.
   */
  readonly totalCommits?: number;
  /** Fingerprints suppressed as the baseline, as for the head scan. */
  readonly baseline?: Baseline;
  /** Where rule documentation lives (`PR_SENTINEL_DOCS_URL`), as for the head scan. */
  readonly docsBaseUrl?: string;
}

export interface CommitScanResult {
  /** The first occurrence of each finding, oldest commit first; `commentable: false`. */
  readonly findings: CommitFinding[];
  readonly commitsScanned: number;
  /** Commits beyond the cap. Exact when `totalCommits` was given; otherwise at least this many (1). */
  readonly commitsLeftOut: number;
  /** False when the cap was reached without `totalCommits`: `commitsLeftOut` is then a lower bound. */
  readonly leftOutExact: boolean;
  /** The sources' notes on cut commits, and the findings cap. */
  readonly notes: string[];
  /**
   * What a check could not judge in some commit ("commit 1a2b3c4: check secrets could not run: …"):
   * a partial answer must not read as a complete one, so the merge turns these into an error outcome.
   */
  readonly incomplete: { readonly checkId: string; readonly message: string }[];
  /** Files and added lines looked at over all commits, for the report's stats. */
  readonly filesScanned: number;
  readonly addedLines: number;
  /**
   * Suppressions summed over the commits. A finding silenced in several commits counts in each, and
   * the head scan counts its own: `scan --history` reports these, a pull request scan the head's.
   */
  readonly suppressed: Required<SuppressionCounts>;
  readonly durationMs: number;
}

/**
 * Commits are scanned in windows of consecutive commits, each window split into lanes whose files
 * do not share a path (the engine knows a file by its path): one engine run per lane, so the fixed
 * cost of a run (setting up the checks, suppressions, the verdict) is paid a few times per window
 * instead of once per commit. A commit goes to the first lane that has none of its paths. What a
 * finding gets is the same as commit by commit: its file, and so its commit, is the one with that
 * path in its lane; the window's findings are then taken oldest commit first.
 */
const MAX_WINDOW_COMMITS = 200;
const MAX_WINDOW_FILES = 4000;
const MAX_WINDOW_LINES = 200_000;
/** Check warnings from the commits (a file cut at max_file_bytes) listed before "and N more". */
const MAX_WARNING_NOTES = 20;

interface State {
  readonly findings: CommitFinding[];
  readonly notes: string[];
  readonly incomplete: { checkId: string; message: string }[];
  readonly suppressed: { ignoredPaths: number; inline: number; allowlist: number; baseline: number };
  /** identity (or fingerprint) -> the commit that first had it; later commits add nothing for it. */
  readonly firstCommit: Map<string, string>;
  filesScanned: number;
  addedLines: number;
  findingsCut: number;
  warnings: number;
}

interface Lane {
  readonly files: ChangedFile[];
  /** path -> the commit's index in the window. */
  readonly commitOf: Map<string, number>;
}

class Window {
  readonly commits: CommitChange[] = [];
  readonly lanes: Lane[] = [];
  private files = 0;
  private lines = 0;

  fits(files: readonly ChangedFile[], lines: number): boolean {
    if (this.commits.length === 0) return true;
    return this.commits.length < MAX_WINDOW_COMMITS && this.files + files.length <= MAX_WINDOW_FILES && this.lines + lines <= MAX_WINDOW_LINES;
  }

  add(commit: CommitChange, files: readonly ChangedFile[], lines: number): void {
    const index = this.commits.length;
    this.commits.push(commit);
    this.files += files.length;
    this.lines += lines;
    if (files.length === 0) return;
    let lane = this.lanes.find((l) => files.every((f) => !l.commitOf.has(f.path)));
    if (!lane) this.lanes.push((lane = { files: [], commitOf: new Map() }));
    for (const f of files) {
      lane.files.push(f);
      lane.commitOf.set(f.path, index);
    }
  }
}

export async function scanCommits(input: ScanCommitsInput): Promise<CommitScanResult> {
  const started = performance.now();
  const maxCommits = input.maxCommits ?? DEFAULT_MAX_COMMITS;
  const state: State = {
    findings: [],
    notes: [],
    incomplete: [],
    suppressed: { ignoredPaths: 0, inline: 0, allowlist: 0, baseline: 0 },
    firstCommit: new Map(),
    filesScanned: 0,
    addedLines: 0,
    findingsCut: 0,
    warnings: 0,
  };
  let commitsScanned = 0;
  let commitsLeftOut = 0;
  let window = new Window();
  const flush = async () => {
    if (window.commits.length > 0) await scanWindow(window, input, state);
    window = new Window();
  };

  if (maxCommits <= 0 && input.totalCommits !== undefined) {
    commitsLeftOut = input.totalCommits;
  } else {
    for await (const commit of input.commits) {
      if (commitsScanned >= maxCommits) {
        commitsLeftOut = input.totalCommits !== undefined ? input.totalCommits - commitsScanned : 1;
        break;
      }
      if (input.signal?.aborted) {
        state.incomplete.push({ checkId: input.checks[0]?.meta.id ?? "secrets", message: `aborted after ${commitsScanned} commits` });
        window = new Window();
        break;
      }
      state.notes.push(...(commit.notes ?? []));
      // A file without added lines (removed, renamed unchanged) has nothing to find and would only
      // keep its path from sharing a lane.
      const files = commit.files.filter((f) => f.binary || addedLineView(f).count > 0);
      const lines = files.reduce((n, f) => n + addedLineView(f).count, 0);
      if (!window.fits(files, lines)) await flush();
      window.add(commit, files, lines);
      commitsScanned++;
      // Stop once the cap is reached if the caller told us how many there are: no need to pull one more.
      if (commitsScanned >= maxCommits && input.totalCommits !== undefined) {
        commitsLeftOut = Math.max(0, input.totalCommits - commitsScanned);
        break;
      }
    }
    await flush();
  }
  if (state.findingsCut > 0) {
    state.notes.push(`the commits held more than ${MAX_HISTORY_FINDINGS} findings; ${state.findingsCut} more were left out of the report`);
  }
  if (state.warnings > MAX_WARNING_NOTES) state.notes.push(`and ${state.warnings - MAX_WARNING_NOTES} more warnings from the commits`);
  return {
    findings: state.findings,
    commitsScanned,
    commitsLeftOut,
    leftOutExact: input.totalCommits !== undefined,
    notes: state.notes,
    incomplete: state.incomplete,
    filesScanned: state.filesScanned,
    addedLines: state.addedLines,
    suppressed: state.suppressed,
    durationMs: Math.round(performance.now() - started),
  };
}

async function scanWindow(window: Window, input: ScanCommitsInput, state: State): Promise<void> {
  const found: { f: Finding; at: number }[] = [];
  for (const lane of window.lanes) {
    const result = await runScan({
      files: lane.files,
      config: input.config,
      checks: input.checks,
      logger: input.logger,
      signal: input.signal,
      today: input.today,
      baseline: input.baseline,
      ...(input.docsBaseUrl ? { docsBaseUrl: input.docsBaseUrl } : {}),
    });
    state.filesScanned += result.stats.files;
    state.addedLines += result.stats.addedLines;
    state.suppressed.ignoredPaths += result.suppressed.ignoredPaths;
    state.suppressed.inline += result.suppressed.inline;
    state.suppressed.allowlist += result.suppressed.allowlist;
    state.suppressed.baseline += result.suppressed.baseline ?? 0;
    const where = commitsLabel(window.commits, lane);
    for (const outcome of result.outcomes) {
      if (outcome.status === "error") state.incomplete.push({ checkId: outcome.checkId, message: `${where}: ${outcome.message ?? "error"}` });
      for (const warning of outcome.warnings) {
        if (state.warnings++ < MAX_WARNING_NOTES) state.notes.push(`${where}: ${warning}`);
      }
    }
    for (const f of result.findings) found.push({ f, at: lane.commitOf.get(f.path)! });
  }
  // Oldest commit first, so that of two commits in the window with the same secret the first one wins.
  found.sort((a, b) => a.at - b.at);
  for (const { f, at } of found) {
    const commit = window.commits[at]!;
    const key = f.identity ?? f.fingerprint;
    const firstSeen = state.firstCommit.get(key);
    // Same-commit duplicates (one secret in two files) are kept: each place needs cleaning.
    if (firstSeen !== undefined && firstSeen !== commit.sha) continue;
    if (state.findings.length >= MAX_HISTORY_FINDINGS) {
      state.findingsCut++;
      continue;
    }
    state.firstCommit.set(key, commit.sha);
    state.findings.push({ ...f, commentable: false, commit: commit.sha, authorDate: commit.authorDate });
  }
}

/** "commit 1a2b3c4", or "commits 1a2b3c4…5d6e7f8" for a lane of several. */
function commitsLabel(commits: readonly CommitChange[], lane: Lane): string {
  const indexes = [...new Set(lane.commitOf.values())].sort((a, b) => a - b);
  const first = commits[indexes[0]!]!;
  const last = commits[indexes[indexes.length - 1]!]!;
  return first === last ? `commit ${shortSha(first.sha)}` : `commits ${shortSha(first.sha)}…${shortSha(last.sha)}`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
