/**
 * The CLI's content source: a change read through git itself. One `git diff` gives every file's
 * added and commentable lines; one long-lived `git cat-file --batch` answers whole-file reads,
 * lazily and cached per file. Git's bytes are decoded as UTF-8, so bytes that are not UTF-8 become
 * U+FFFD in line text and contents (line numbers are unaffected).
 *
 * `paths.ignore` is applied before anything is read: its globs become pathspec exclusions
 * (ignore-pathspecs.ts), so git neither diffs nor pipes ignored files. A second, cheap
 * `git diff --name-only` over just the ignored globs counts what was left out, and checks it: a
 * path git left out that the engine's matcher would not ignore makes the whole diff be read again
 * without exclusions (exact beats fast). Pathspecs limit both sides of a rename, so a file moved
 * out of an ignored folder counts as added (all its lines are new to the scan), one moved into it
 * as removed.
 *
 * Call `close()` when the scan is done: the cat-file process otherwise keeps the CLI alive.
 */
import { UnifiedDiffParser, type ParsedFileDiff } from "../../core/diff/parse-unified-diff.js";
import { createPathMatcher } from "../../core/paths.js";
import type { ChangedFile } from "../../core/types.js";
import { MAX_WHOLE_FILE_BYTES } from "../limits.js";
import { CatFileBatch } from "./cat-file-batch.js";
import { DiffTextFeed } from "./diff-text-feed.js";
import { changedFileFromDiff, decode, recheckBinaryFiles } from "./file-contents.js";
import { excludePathspecs, ignorePathspecs, includePathspecs } from "./ignore-pathspecs.js";
import { repositoryRoot, resolveScanRange, type BaseChoice } from "./resolve-range.js";
import { OffThreadGitReader } from "./off-thread-git.js";
import { GitSourceError, gitComplaint, runGit, type GitProcessOptions } from "./run-git.js";

export interface OpenGitChangeOptions {
  /** Any directory inside the work tree. */
  readonly cwd: string;
  /** Default: merge-base of HEAD with origin/HEAD, else main, else master. With `staged`: HEAD. */
  readonly base?: string;
  /** Default `HEAD`. Not allowed with `staged`. */
  readonly head?: string;
  /** The index against `base` (HEAD by default), for pre-commit hooks. */
  readonly staged?: boolean;
  /** Every file tracked at the head, as if added (`--all`). */
  readonly all?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Whole-file reads above this fail with `ContentError("too-large")`. Default `MAX_WHOLE_FILE_BYTES` (50 MiB). */
  readonly maxFileBytes?: number;
  /** `git diff` output above this fails the scan. Default 256 MiB. */
  readonly maxDiffBytes?: number;
  /**
   * `paths.ignore` globs (src/core/paths.ts): files they match are left out before the diff is
   * read, and counted in `ignoredFiles`. A function is asked once the range is known and before
   * the diff starts, so the config can be read from the base first.
   */
  readonly ignore?: readonly string[] | ((source: GitSource) => Promise<readonly string[]>);
}

/** What is known before the diff is read: the range, and whole-file reads at both ends. */
export interface GitSource {
  /** The repository's top-level directory. */
  readonly root: string;
  /** What the base is, for people: `main (1a2b3c4d)`. */
  readonly baseRef: string;
  /** Why the base is that one (the flag, the merge-base with the default branch, …). */
  readonly baseChoice: BaseChoice;
  /** `HEAD (5e6f7a8b)`, or `index` with `staged`. */
  readonly headRef: string;
  readonly baseId: string;
  /** `undefined` with `staged` (the head is the index). */
  readonly headId?: string;
  /** A file as it is at the base, e.g. the config; `null` when it does not exist there. */
  readAtBase(path: string): Promise<string | null>;
  /** A file as it is at the head (the index with `staged`), changed or not; `null` when it does not exist there. */
  readAtHead(path: string): Promise<string | null>;
}

export interface GitChange extends GitSource {
  readonly files: ChangedFile[];
  /** Files `ignore` left out of `files`: the engine adds them to its `paths.ignore` count. */
  readonly ignoredFiles: number;
  /** Notes for the report, e.g. files whose attributes made git call them binary. */
  readonly notes: string[];
  close(): Promise<void>;
}

const DEFAULT_MAX_DIFF_BYTES = 256 * 1024 * 1024;

const DIFF_FLAGS: readonly string[] = [
  "diff",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "-M",
  "--unified=3",
  "--src-prefix=a/",
  "--dst-prefix=b/",
];

export async function openGitChange(options: OpenGitChangeOptions): Promise<GitChange> {
  // Started first: the thread that will read the diff boots while the range and the config are read.
  const diffReader = new OffThreadGitReader();
  let opened: OpenedSource;
  try {
    opened = await openSource(options);
  } catch (error) {
    diffReader.close();
    throw error;
  }
  const { source, reader } = opened;
  try {
    const globs = typeof options.ignore === "function" ? await options.ignore(source) : (options.ignore ?? []);
    const diff = await readDiff(opened.rangeArgs, globs, { ...diffLimits(opened, options), diffReader });
    const { files, notes } = await recheckBinaryFiles(diff.parsed.map((p) => changedFileFromDiff(p, reader, opened.headName, opened.baseName)));
    return { ...source, files, ignoredFiles: diff.ignoredFiles, notes, close: () => reader.close() };
  } catch (error) {
    await reader.close();
    throw error;
  } finally {
    diffReader.close();
  }
}

/** Everything before the diff: the range resolved, and the whole-file reader (started on first read). */
interface OpenedSource {
  readonly source: GitSource;
  readonly reader: CatFileBatch;
  readonly git: GitProcessOptions;
  readonly rangeArgs: readonly string[];
  headName(path: string): string;
  baseName(path: string): string;
}

async function openSource(options: OpenGitChangeOptions): Promise<OpenedSource> {
  if (options.staged && options.head !== undefined) {
    throw new GitSourceError("--head and --staged cannot be used together: --staged scans the index", "usage");
  }
  const root = await repositoryRoot(options);
  const git: GitProcessOptions = { cwd: root, env: options.env };
  const range = await resolveScanRange(options, git);
  const reader = new CatFileBatch({ ...git, maxBytes: options.maxFileBytes ?? MAX_WHOLE_FILE_BYTES });
  const headName = (path: string) => (range.headId ? `${range.headId}:${path}` : `:0:${path}`);
  const baseName = (path: string) => `${range.baseId}:${path}`;
  const source: GitSource = {
    root,
    baseRef: range.baseRef,
    baseChoice: range.baseChoice,
    headRef: range.headRef,
    baseId: range.baseId,
    headId: range.headId,
    readAtBase: async (path) => decode(await reader.read(baseName(path), path), path),
    readAtHead: async (path) => decode(await reader.read(headName(path), path), path),
  };
  const rangeArgs = options.staged ? ["--cached", range.baseId] : [range.baseId, range.headId!];
  return { source, reader, git, rangeArgs, headName, baseName };
}

function diffLimits(opened: OpenedSource, options: OpenGitChangeOptions): DiffProcessOptions {
  return { ...opened.git, maxBytes: options.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES };
}

type DiffProcessOptions = GitProcessOptions & { readonly maxBytes: number; readonly diffReader?: OffThreadGitReader };

interface DiffRead {
  readonly parsed: ParsedFileDiff[];
  readonly ignoredFiles: number;
}

async function readDiff(rangeArgs: readonly string[], globs: readonly string[], git: DiffProcessOptions): Promise<DiffRead> {
  const { patterns } = ignorePathspecs(globs);
  if (patterns.length === 0) return { parsed: await streamDiff(rangeArgs, [], git), ignoredFiles: 0 };
  // Both at once: the count costs a tree walk, and git runs it beside the diff.
  const [parsed, leftOut] = await Promise.all([
    streamDiff(rangeArgs, excludePathspecs(patterns), git),
    changedNames(rangeArgs, includePathspecs(patterns), git),
  ]);
  const isIgnored = createPathMatcher(globs);
  if (leftOut.every(isIgnored)) return { parsed, ignoredFiles: leftOut.length };
  return { parsed: await streamDiff(rangeArgs, [], git), ignoredFiles: 0 };
}

async function streamDiff(rangeArgs: readonly string[], pathspecs: readonly string[], git: DiffProcessOptions): Promise<ParsedFileDiff[]> {
  // Parsed as it streams in: never holds the whole output, and parsing overlaps git's own work.
  const parser = new UnifiedDiffParser();
  const feed = new DiffTextFeed((piece) => parser.push(piece));
  // Read by a worker thread, so git never waits while the parser is busy (off-thread-git.ts).
  const reader = git.diffReader ?? new OffThreadGitReader();
  const diff = await reader.stream([...DIFF_FLAGS, ...rangeArgs, "--", ...pathspecs], { cwd: git.cwd, env: git.env, maxBytes: git.maxBytes, onStdout: (chunk) => feed.write(chunk) });
  if (diff.code !== 0) throw new GitSourceError(`git diff failed: ${gitComplaint(diff.stderr)}`, "git-failed");
  feed.end();
  return parser.end();
}

/** Paths the range changes among `pathspecs` (new paths of renames), as the diff would name them. */
async function changedNames(rangeArgs: readonly string[], pathspecs: readonly string[], git: DiffProcessOptions): Promise<string[]> {
  const result = await runGit(["diff", "--name-only", "-z", "--no-ext-diff", "--no-textconv", "-M", ...rangeArgs, "--", ...pathspecs], { cwd: git.cwd, env: git.env });
  if (result.code !== 0) throw new GitSourceError(`git diff --name-only failed: ${gitComplaint(result.stderr)}`, "git-failed");
  return result.stdout.toString("utf8").split("\0").filter((name) => name !== "");
}

