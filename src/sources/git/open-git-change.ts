/**
 * The CLI's content source: a change read through git itself. One `git diff` gives every file's
 * added and commentable lines; one long-lived `git cat-file --batch` answers whole-file reads,
 * lazily and cached per file. Git's bytes are decoded as UTF-8, so bytes that are not UTF-8 become
 * U+FFFD in line text and contents (line numbers are unaffected).
 *
 * Call `close()` when the scan is done: the cat-file process otherwise keeps the CLI alive.
 */
import { addedLinesFromContents } from "../../core/diff/added-lines-from-contents.js";
import { parseUnifiedDiff, type ParsedFileDiff } from "../../core/diff/parse-unified-diff.js";
import { ContentError, type ChangedFile } from "../../core/types.js";
import { CatFileBatch } from "./cat-file-batch.js";
import { defaultBase, emptyTree, repositoryRoot, resolveCommit, tryResolveCommit } from "./resolve-range.js";
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
  readonly env?: NodeJS.ProcessEnv;
  /** Whole-file reads above this fail with `ContentError("too-large")`. Default 50 MiB. */
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
  close(): Promise<void>;
}

const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const DEFAULT_MAX_DIFF_BYTES = 256 * 1024 * 1024;
/** Git calls a blob binary when a NUL byte appears in its first 8000 bytes; so do we. */
const BINARY_SNIFF_BYTES = 8000;

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
  const range = await resolveRange(options, git);

  const diffArgs = options.staged
    ? [...DIFF_FLAGS, "--cached", range.baseId, "--"]
    : [...DIFF_FLAGS, range.baseId, range.headId!, "--"];
  const diff = await runGit(diffArgs, { ...git, maxBytes: options.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES });
  if (diff.code !== 0) throw new GitSourceError(`git diff failed: ${gitComplaint(diff.stderr)}`, "git-failed");

  const reader = new CatFileBatch({ ...git, maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES });
  const headName = (path: string) => (range.headId ? `${range.headId}:${path}` : `:0:${path}`);
  const baseName = (path: string) => `${range.baseId}:${path}`;
  const notes: string[] = [];
  try {
    const files: ChangedFile[] = [];
    const textMarkedBinary: string[] = [];
    for (const parsed of parseUnifiedDiff(diff.stdout.toString("utf8"))) {
      const file = toChangedFile(parsed, reader, headName, baseName);
      files.push(parsed.binary ? await recheckBinary(file, notes, textMarkedBinary) : file);
    }
    if (textMarkedBinary.length > 0) {
      const listed = textMarkedBinary.slice(0, 5).join(", ");
      const more = textMarkedBinary.length > 5 ? ` and ${textMarkedBinary.length - 5} more` : "";
      notes.push(
        `${textMarkedBinary.length} file(s) marked binary by .gitattributes hold text (${listed}${more}); their added lines were worked out from the whole files and cannot take inline comments.`,
      );
    }
    return {
      files,
      root,
      baseRef: range.baseRef,
      headRef: range.headRef,
      baseId: range.baseId,
      headId: range.headId,
      notes,
      readAtBase: async (path) => decode(await reader.read(baseName(path), path), path),
      close: () => reader.close(),
    };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

interface ResolvedRange {
  readonly baseId: string;
  readonly baseRef: string;
  readonly headId?: string;
  readonly headRef: string;
}

async function resolveRange(options: OpenGitChangeOptions, git: GitProcessOptions): Promise<ResolvedRange> {
  if (options.staged) {
    if (options.base !== undefined) {
      const baseId = await resolveCommit(options.base, git);
      return { baseId, baseRef: describe(options.base, baseId), headRef: "index" };
    }
    // A repository without commits yet: everything staged is added.
    const headId = await tryResolveCommit("HEAD", git);
    const baseId = headId ?? (await emptyTree(git));
    return { baseId, baseRef: headId ? describe("HEAD", headId) : "empty tree (no commits yet)", headRef: "index" };
  }
  const headRefName = options.head ?? "HEAD";
  const headId = await resolveCommit(headRefName, git);
  const headRef = describe(headRefName, headId);
  if (options.base !== undefined) {
    const baseId = await resolveCommit(options.base, git);
    return { baseId, baseRef: describe(options.base, baseId), headId, headRef };
  }
  const base = await defaultBase(headId, git);
  return { baseId: base.id, baseRef: describe(base.ref, base.id), headId, headRef };
}

function describe(name: string, id: string): string {
  return `${name} (${id.slice(0, 8)})`;
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
    addedLines: parsed.addedLines,
    commentableLines: parsed.commentableLines,
    readHead,
    readBase,
  };
}

/**
 * `.gitattributes` in the scanned tree can mark any file `binary` or `-diff`, and git then hides
 * its lines. A change must not blind its own scan that way: when the head content has no NUL byte,
 * the added lines are worked out from the whole files instead (and none is commentable).
 */
async function recheckBinary(file: ChangedFile, notes: string[], textMarkedBinary: string[]): Promise<ChangedFile> {
  if (file.status === "removed") return file;
  let head: string | null;
  let base: string | null;
  try {
    head = await file.readHead();
    if (head === null) return file;
    // A base that really is binary has no lines to subtract: every head line is new.
    base = await file.readBase().catch((error: unknown) => {
      if (error instanceof ContentError && error.reason === "binary") return null;
      throw error;
    });
  } catch (error) {
    if (error instanceof ContentError && error.reason === "binary") return file;
    notes.push(`${file.path}: git calls it binary and it could not be read (${(error as Error).message}); its lines were not scanned.`);
    return file;
  }
  textMarkedBinary.push(file.path);
  return {
    ...file,
    binary: false,
    patchMissing: true,
    addedLines: addedLinesFromContents(base, head),
    commentableLines: new Set(),
  };
}

function decode(content: Buffer | null, path: string): string | null {
  if (content === null) return null;
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw new ContentError(`${path}: binary file`, "binary");
  return content.toString("utf8");
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}
