/**
 * The CLI's source of commits: ONE `git log -p` stream over a range, cut at each commit's header
 * and parsed as it arrives with the diff parser the scan uses, so every commit's added lines reach
 * the scan without one git process per commit, and a 2,000-commit history is never held whole:
 * the stream is read only as fast as the consumer takes commits (one at a time), and a commit
 * larger than the cap is cut (with a note) instead of loaded.
 *
 * Choices, and why:
 * - `--no-merges`: each commit is diffed against its only parent. A merge's diff against its first
 *   parent would repeat everything the merged branch brought (scanned already, in its own commits);
 *   an evil merge's own lines, if they survive, are in the head and its scan. With the default base
 *   (the merge-base), upstream commits merged into the branch are reachable from the base and
 *   left out of the range, so the range is the branch's own work.
 * - `--reverse --topo-order`: oldest first with parents before children, so the first commit that
 *   has a secret is the one that introduced it.
 * - The header is `NUL <sha> <author date>` on its own line. A diff line starts with ` `, `+`, `-`,
 *   `@`, `\` or a header word, and git quotes paths with control characters, so a line starting with
 *   NUL is always ours.
 * - Whole-file reads (`readHead()`, e.g. an inline marker on an unchanged line above) go through
 *   one lazy `git cat-file --batch` at `<sha>:<path>`; `readBase()` at `<sha>^:<path>`.
 */
import { spawn } from "node:child_process";
import { UnifiedDiffParser, type ParsedFileDiff } from "../../core/diff/parse-unified-diff.js";
import type { CommitChange } from "../../core/history/types.js";
import { MAX_WHOLE_FILE_BYTES } from "../limits.js";
import { CatFileBatch } from "./cat-file-batch.js";
import { DiffTextFeed } from "./diff-text-feed.js";
import { changedFileFromDiff, recheckBinaryFiles } from "./file-contents.js";
import { gitComplaint, gitEnvironment, GitSourceError, runGit, SAFE_CONFIG, type GitProcessOptions } from "./run-git.js";

export interface GitLogCommitsOptions extends GitProcessOptions {
  /** The newest commit (an id, resolved by the caller). */
  readonly head: string;
  /** Commits reachable from this one are left out (`base..head`); none: the whole history. */
  readonly exclude?: string;
  /**
   * Only the commits that touch these paths, and only these paths' diffs (literal paths, given to
   * git on stdin, so thousands of them fit and none is read as a glob; none may hold a newline).
   * Every commit that touches one is kept (`--full-history`): the default history simplification
   * would drop a side branch's commit whose change a merge discarded, and that commit was pushed.
   */
  readonly paths?: readonly string[];
  /** A commit's diff above this many bytes is cut there, with a note. Default 256 MiB, as the diff scan. */
  readonly maxCommitBytes?: number;
}

export const DEFAULT_MAX_COMMIT_BYTES = 256 * 1024 * 1024;

/** Exported for the bench, which times plain `git log` with exactly these flags. */
export const LOG_FLAGS: readonly string[] = [
  "-c", "log.showRoot=true",
  "-c", "log.showSignature=false",
  "log",
  "-p",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-merges",
  "--reverse",
  "--topo-order",
  "-M",
  "--unified=3",
  "--submodule=short",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--format=%x00%H %aI",
];

/** How many commits the stream will give: cheap (`git rev-list --count`), so a cap can say exactly what it left out. */
export async function countLogCommits(options: GitLogCommitsOptions): Promise<number> {
  const result = await runGit(["rev-list", "--count", "--no-merges", ...revisions(options)], options);
  if (result.code !== 0) throw new GitSourceError(`git rev-list failed: ${gitComplaint(result.stderr)}`, "git-failed");
  return Number.parseInt(result.stdout.toString("utf8").trim(), 10);
}

/**
 * The commits of the range, oldest first. Their files' `readHead()`/`readBase()` work while the loop
 * runs; leaving it (at the end or early) kills git and closes the file reader. Throws
 * `GitSourceError` when git fails.
 */
export async function* gitLogCommits(options: GitLogCommitsOptions): AsyncGenerator<CommitChange> {
  const maxCommitBytes = options.maxCommitBytes ?? DEFAULT_MAX_COMMIT_BYTES;
  const paths = options.paths;
  if (paths?.length === 0) return;
  if (paths?.some((p) => p.includes("\n"))) throw new Error("gitLogCommits: a path given to git on stdin cannot hold a newline");
  const reader = new CatFileBatch({ cwd: options.cwd, env: options.env, maxBytes: MAX_WHOLE_FILE_BYTES });
  const args = paths
    ? ["--literal-pathspecs", ...LOG_FLAGS, "--full-history", "--stdin", ...revisions(options)]
    : [...LOG_FLAGS, ...revisions(options)];
  const child = spawn("git", [...SAFE_CONFIG, "--no-pager", ...args], {
    cwd: options.cwd,
    env: gitEnvironment(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  // With `--stdin` git reads revisions until `--`, then paths. If git exits early, its exit code says why.
  child.stdin.on("error", () => {});
  child.stdin.end(paths ? `--\n${paths.map((p) => `${p}\n`).join("")}` : "");
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString("utf8");
  });

  // Git runs ahead of the scan by up to READ_AHEAD_BYTES of parsed commits (its CPU then overlaps
  // ours), and is paused beyond that, so memory stays bounded however long the history is.
  const ready: PendingCommit[] = [];
  let readyBytes = 0;
  let failure: unknown;
  let exitCode: number | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const splitter = new LogSplitter(maxCommitBytes, (commit) => {
    ready.push(commit);
    readyBytes += commit.bytes;
    if (readyBytes > READ_AHEAD_BYTES) child.stdout.pause();
    notify();
  });
  child.stdout.on("data", (chunk: Buffer) => {
    if (failure !== undefined) return;
    try {
      splitter.write(chunk);
    } catch (error) {
      failure = error;
      child.kill();
      notify();
    }
  });
  child.on("error", (error) => {
    failure ??= new GitSourceError(`could not run git: ${error.message}`, "git-failed");
    notify();
  });
  child.on("close", (code) => {
    if (failure === undefined) {
      try {
        splitter.end();
      } catch (error) {
        failure = error;
      }
    }
    exitCode = code ?? 1;
    notify();
  });

  let finished = false;
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const next = ready.shift();
      if (next) {
        readyBytes -= next.bytes;
        if (child.stdout.isPaused() && readyBytes <= READ_AHEAD_BYTES / 2) child.stdout.resume();
        yield await toCommitChange(next, reader);
        continue;
      }
      if (exitCode !== undefined) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (exitCode !== 0) throw new GitSourceError(`git log failed: ${gitComplaint(stderr)}`, "git-failed");
    finished = true;
  } finally {
    if (!finished && exitCode === undefined) child.kill();
    await reader.close();
  }
}

/** Parsed commits held ahead of the scan, by their diff bytes. */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

function revisions(options: GitLogCommitsOptions): string[] {
  return options.exclude ? [options.head, `^${options.exclude}`] : [options.head];
}

export interface PendingCommit {
  readonly sha: string;
  readonly authorDate: string;
  readonly files: ParsedFileDiff[];
  /** Bytes of diff kept (the parsed lines hold on to them). */
  readonly bytes: number;
  /** Bytes of diff dropped past the cap; 0 when whole. */
  readonly cutBytes: number;
  readonly maxBytes: number;
}

const NUL = 0;
const LF = 10;
const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+)$/;

/**
 * Cuts git's stdout at commit headers, whatever the chunks' boundaries. Bodies go to one parser per
 * commit; a commit is complete when the next header (or the end) arrives. Exported for its tests.
 */
export class LogSplitter {
  private header: Buffer[] | undefined;
  private atLineStart = true;
  private current: { sha: string; authorDate: string; parser: UnifiedDiffParser; feed: DiffTextFeed; bytes: number; cut: number } | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly complete: (commit: PendingCommit) => void,
  ) {}

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.header) {
        const newline = chunk.indexOf(LF, pos);
        if (newline === -1) {
          this.header.push(chunk.subarray(pos));
          return;
        }
        this.header.push(chunk.subarray(pos, newline));
        this.startCommit(Buffer.concat(this.header).toString("utf8"));
        this.header = undefined;
        this.atLineStart = true;
        pos = newline + 1;
        continue;
      }
      if (this.atLineStart && chunk[pos] === NUL) {
        this.header = [];
        pos++;
        continue;
      }
      const next = chunk.indexOf("\n\0", pos, "latin1");
      const end = next === -1 ? chunk.length : next + 1;
      this.body(chunk.subarray(pos, end));
      this.atLineStart = chunk[end - 1] === LF;
      pos = end;
    }
  }

  end(): void {
    if (this.header) throw new GitSourceError("git log ended inside a commit header", "git-failed");
    this.finishCommit();
  }

  private startCommit(line: string): void {
    this.finishCommit();
    const match = HEADER.exec(line);
    if (!match) throw new GitSourceError(`git log printed an unexpected commit header ${JSON.stringify(line.slice(0, 100))}`, "git-failed");
    const parser = new UnifiedDiffParser();
    this.current = { sha: match[1]!, authorDate: match[2]!, parser, feed: new DiffTextFeed((piece) => parser.push(piece)), bytes: 0, cut: 0 };
  }

  private body(bytes: Buffer): void {
    const current = this.current;
    if (!current) {
      // Only a blank line can come before the first header; anything else means the format is not ours.
      if (bytes.some((b) => b !== LF)) throw new GitSourceError("git log printed a diff before any commit header", "git-failed");
      return;
    }
    const room = this.maxBytes - current.bytes;
    if (bytes.length <= room) {
      current.feed.write(bytes);
      current.bytes += bytes.length;
      return;
    }
    if (room > 0) {
      // Cut at the last line end within the cap, so the parser never sees half a line.
      const lastLine = bytes.subarray(0, room).lastIndexOf(LF);
      if (lastLine >= 0) current.feed.write(bytes.subarray(0, lastLine + 1));
      current.bytes = this.maxBytes;
      current.cut += bytes.length - (lastLine + 1);
    } else current.cut += bytes.length;
  }

  private finishCommit(): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    current.feed.end();
    this.complete({ sha: current.sha, authorDate: current.authorDate, files: current.parser.end(), bytes: current.bytes, cutBytes: current.cut, maxBytes: this.maxBytes });
  }
}

async function toCommitChange(pending: PendingCommit, reader: CatFileBatch): Promise<CommitChange> {
  const { sha } = pending;
  const notes: string[] = [];
  if (pending.cutBytes > 0) {
    notes.push(
      `commit ${sha.slice(0, 7)}: its diff is larger than ${Math.round(pending.maxBytes / 1024 / 1024)} MiB; the rest (${pending.cutBytes} bytes) was not scanned`,
    );
  }
  const checked = await recheckBinaryFiles(pending.files.map((p) => changedFileFromDiff(p, reader, (path) => `${sha}:${path}`, (path) => `${sha}^:${path}`)));
  notes.push(...checked.notes.map((n) => `commit ${sha.slice(0, 7)}: ${n}`));
  return { sha, authorDate: pending.authorDate, files: checked.files, ...(notes.length > 0 ? { notes } : {}) };
}

