/**
 * The CLI's content source: a change read through git itself. One `git diff` gives every file's
 * added and commentable lines; one long-lived `git cat-file --batch` answers whole-file reads,
 * lazily and cached per file. Git's bytes are decoded as UTF-8, so bytes that are not UTF-8 become
 * U+FFFD in line text and contents (line numbers are unaffected).
 *
 * Call `close()` when the scan is done: the cat-file process otherwise keeps the CLI alive.
 */
import { UnifiedDiffParser, type ParsedFileDiff } from "../../core/diff/parse-unified-diff.js";
import type { ChangedFile } from "../../core/types.js";
import { MAX_WHOLE_FILE_BYTES } from "../limits.js";
import { CatFileBatch } from "./cat-file-batch.js";
import { DiffTextFeed } from "./diff-text-feed.js";
import { decode, recheckBinaryFiles } from "./file-contents.js";
import { repositoryRoot, resolveScanRange } from "./resolve-range.js";
import { GitSourceError, gitComplaint, streamGit, type GitProcessOptions } from "./run-git.js";

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
}

export interface GitChange {
  readonly files: ChangedFile[];
  /** The repository's top-level directory. */
  readonly root: string;
  /** What the base is, for people: `main (1a2b3c4d)`. */
  readonly baseRef: string;
  /** `HEAD (5e6f7a8b)`, or `index` with `staged`. */
  readonly headRef: string;
  readonly baseId: string;
  /** `undefined` with `staged` (the head is the index). */
  readonly headId?: string;
  /** Notes for the report, e.g. files whose attributes made git call them binary. */
  readonly notes: string[];
  /** A file as it is at the base, e.g. the config; `null` when it does not exist there. */
  readAtBase(path: string): Promise<string | null>;
  /** A file as it is at the head (the index with `staged`), changed or not; `null` when it does not exist there. */
  readAtHead(path: string): Promise<string | null>;
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
  if (options.staged && options.head !== undefined) {
    throw new GitSourceError("--head and --staged cannot be used together: --staged scans the index", "usage");
  }
  const root = await repositoryRoot(options);
  const git: GitProcessOptions = { cwd: root, env: options.env };
  const range = await resolveScanRange(options, git);

  const diffArgs = options.staged
    ? [...DIFF_FLAGS, "--cached", range.baseId, "--"]
    : [...DIFF_FLAGS, range.baseId, range.headId!, "--"];
  // Parsed as it streams in: never holds the whole output, and parsing overlaps git's own work.
  const parser = new UnifiedDiffParser();
  const feed = new DiffTextFeed((piece) => parser.push(piece));
  const diff = await streamGit(diffArgs, {
    ...git,
    maxBytes: options.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES,
    onStdout: (chunk) => feed.write(chunk),
  });
  if (diff.code !== 0) throw new GitSourceError(`git diff failed: ${gitComplaint(diff.stderr)}`, "git-failed");
  feed.end();

  const reader = new CatFileBatch({ ...git, maxBytes: options.maxFileBytes ?? MAX_WHOLE_FILE_BYTES });
  const headName = (path: string) => (range.headId ? `${range.headId}:${path}` : `:0:${path}`);
  const baseName = (path: string) => `${range.baseId}:${path}`;
  try {
    const parsed = parser.end();
    const { files, notes } = await recheckBinaryFiles(parsed.map((p) => toChangedFile(p, reader, headName, baseName)));
    return {
      files,
      root,
      baseRef: range.baseRef,
      headRef: range.headRef,
      baseId: range.baseId,
      headId: range.headId,
      notes,
      readAtBase: async (path) => decode(await reader.read(baseName(path), path), path),
      readAtHead: async (path) => decode(await reader.read(headName(path), path), path),
      close: () => reader.close(),
    };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

function toChangedFile(
  parsed: ParsedFileDiff,
  reader: CatFileBatch,
  headName: (path: string) => string,
  baseName: (path: string) => string,
): ChangedFile {
  const { path, previousPath, status } = parsed;
  const readHead = memoize(async () =>
    status === "removed" ? null : decode(await reader.read(headName(path), path), path),
  );
  const basePath = previousPath ?? path;
  const readBase = memoize(async () =>
    status === "added" ? null : decode(await reader.read(baseName(basePath), basePath), basePath),
  );
  return {
    path,
    ...(previousPath !== undefined ? { previousPath } : {}),
    status,
    binary: parsed.binary,
    patchMissing: false,
    // Lazy: the scan reads `addedLineView`; only files with findings ever become line objects.
    get addedLines() {
      return parsed.addedLines;
    },
    addedLineView: parsed.packedAddedLines,
    commentableLines: parsed.commentableLines,
    readHead,
    readBase,
  };
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}
