/**
 * Turns what the user asked for (`--base`, `--head`, `--staged`) into commit ids, so every later
 * git call gets plain object ids and never a user-supplied string it could read as an option.
 */
import { GitSourceError, gitComplaint, runGit, type GitProcessOptions } from "./run-git.js";

/** Where the default base is looked for, in order: the remote's default branch, then local names. */
export const DEFAULT_BASE_CANDIDATES: readonly string[] = [
  "refs/remotes/origin/HEAD",
  "main",
  "master",
  "refs/remotes/origin/main",
  "refs/remotes/origin/master",
];

export async function repositoryRoot(options: GitProcessOptions): Promise<string> {
  const result = await runGit(["rev-parse", "--show-toplevel"], options);
  if (result.code !== 0) {
    const complaint = gitComplaint(result.stderr);
    const detail = complaint.startsWith("not a git repository") ? "" : ` (${complaint})`;
    throw new GitSourceError(`not a git repository: ${options.cwd}${detail}`, "not-a-repository");
  }
  const root = result.stdout.toString("utf8").trim();
  if (root === "") throw new GitSourceError(`${options.cwd} is inside a bare repository; run pr-sentinel in a work tree`, "not-a-repository");
  return root;
}

/** The commit id `ref` names, or `undefined` when it names none. */
export async function tryResolveCommit(ref: string, options: GitProcessOptions): Promise<string | undefined> {
  if (ref === "" || ref.startsWith("-")) return undefined;
  const result = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], options);
  return result.code === 0 ? result.stdout.toString("utf8").trim() : undefined;
}

export async function resolveCommit(ref: string, options: GitProcessOptions): Promise<string> {
  const id = await tryResolveCommit(ref, options);
  if (id) return id;
  if (ref === "HEAD" && !(await tryResolveCommit("HEAD", options))) {
    throw new GitSourceError("this repository has no commits yet: commit first, or scan what is staged with --staged", "unknown-ref");
  }
  throw new GitSourceError(`unknown ref ${JSON.stringify(ref)}: no commit has that name in this repository${await shallowHint(options)}`, "unknown-ref");
}

/** CI checkouts are often shallow (depth 1): the commit asked for exists, but not in this clone. */
async function shallowHint(options: GitProcessOptions): Promise<string> {
  const result = await runGit(["rev-parse", "--is-shallow-repository"], options);
  return result.code === 0 && result.stdout.toString("utf8").trim() === "true"
    ? " (this is a shallow clone: fetch the history it needs, e.g. git fetch --unshallow, or a deeper fetch-depth in CI)"
    : "";
}

/** Merge-base of `head` with the first default-branch candidate that exists; `branch` is that candidate, as people name it. */
export async function defaultBase(head: string, options: GitProcessOptions): Promise<{ id: string; ref: string; branch: string }> {
  for (const candidate of DEFAULT_BASE_CANDIDATES) {
    const id = await tryResolveCommit(candidate, options);
    if (!id) continue;
    const result = await runGit(["merge-base", id, head], options);
    if (result.code === 0) {
      const branch = displayRef(candidate);
      return { id: result.stdout.toString("utf8").trim(), ref: `merge-base of ${branch} and HEAD`, branch };
    }
  }
  throw new GitSourceError(
    `no base to compare with: found neither origin/HEAD, main nor master sharing history with HEAD; pass --base <ref>${await shallowHint(options)}`,
    "no-base",
  );
}

/** The empty tree's id in this repository's hash (SHA-1 or SHA-256), for diffs against nothing. */
export async function emptyTree(options: GitProcessOptions): Promise<string> {
  const result = await runGit(["hash-object", "-t", "tree", "/dev/null"], options);
  if (result.code !== 0) throw new GitSourceError(`git hash-object failed: ${gitComplaint(result.stderr)}`, "git-failed");
  return result.stdout.toString("utf8").trim();
}

function displayRef(ref: string): string {
  return ref.replace(/^refs\/remotes\//, "");
}

/**
 * Why the base is what it is, for the report's scope: the flag; `HEAD` under `--staged`; the empty
 * tree of a repository without commits or of `--all`; or the merge-base with the default branch.
 */
export type BaseChoice =
  | { readonly by: "flag" | "staged-head" | "no-commits" | "all" }
  | { readonly by: "merge-base"; readonly branch: string };

export interface ResolvedRange {
  readonly baseId: string;
  /** What the base is, for people: `main (1a2b3c4d)`, `merge-base of origin/HEAD and HEAD (…)`. */
  readonly baseRef: string;
  readonly baseChoice: BaseChoice;
  readonly headId?: string;
  readonly headRef: string;
}

export interface RangeRequest {
  readonly base?: string;
  readonly head?: string;
  readonly staged?: boolean;
  /** Every file tracked at the head: the base is the empty tree. */
  readonly all?: boolean;
}

/** Commit ids (and names for people) of what to compare; with `staged` the head is the index. */
export async function resolveScanRange(options: RangeRequest, git: GitProcessOptions): Promise<ResolvedRange> {
  if (options.staged) {
    if (options.base !== undefined) {
      const baseId = await resolveCommit(options.base, git);
      return { baseId, baseRef: describe(options.base, baseId), baseChoice: { by: "flag" }, headRef: "index" };
    }
    // A repository without commits yet: everything staged is added.
    const headId = await tryResolveCommit("HEAD", git);
    const baseId = headId ?? (await emptyTree(git));
    return headId
      ? { baseId, baseRef: describe("HEAD", headId), baseChoice: { by: "staged-head" }, headRef: "index" }
      : { baseId, baseRef: "empty tree (no commits yet)", baseChoice: { by: "no-commits" }, headRef: "index" };
  }
  const headRefName = options.head ?? "HEAD";
  const headId = await resolveCommit(headRefName, git);
  const headRef = describe(headRefName, headId);
  if (options.all) return { baseId: await emptyTree(git), baseRef: "empty tree (--all)", baseChoice: { by: "all" }, headId, headRef };
  if (options.base !== undefined) {
    const baseId = await resolveCommit(options.base, git);
    return { baseId, baseRef: describe(options.base, baseId), baseChoice: { by: "flag" }, headId, headRef };
  }
  const base = await defaultBase(headId, git);
  return { baseId: base.id, baseRef: describe(base.ref, base.id), baseChoice: { by: "merge-base", branch: base.branch }, headId, headRef };
}

function describe(name: string, id: string): string {
  return `${name} (${id.slice(0, 8)})`;
}
