/**
 * What a scan looked at: which commits were compared and why those, which config was in force, and
 * how many files the range held. A verdict means nothing without it ("PASS" over an empty range is
 * not a clean change), so every CLI report names it. It travels in the report options, not in
 * `ScanResult`: only the CLI knows it (the app's check run is tied to its pull request already), and
 * the engine's types stay the same.
 *
 * The sentences here are shared by the text, JSON and Markdown reporters so they never disagree.
 * They take plain text; each reporter makes them safe for its medium.
 */

/** How the base commit was chosen. */
export type BaseChoice =
  /** `--base REF`. */
  | "flag"
  /** The merge-base of HEAD with the default branch (`origin/HEAD`, `main` or `master`). */
  | "merge-base"
  /** `--staged` without `--base`: the index against HEAD. */
  | "staged-head"
  /** `--staged` in a repository without commits: everything staged is new. */
  | "no-commits"
  /** `--all`: every file tracked at the head, as if added to an empty repository. */
  | "all"
  /** `--history [--since REF]`: every commit of the head (after REF), one by one. */
  | "history";

/** Where the config came from. */
export type ConfigSource =
  /** `.github/pr-sentinel.yml` read at the base commit (the default). */
  | "base"
  /** `.github/pr-sentinel.yml` in the working tree (`--staged`). */
  | "working-tree"
  /** `--config FILE`. */
  | "file"
  /** `.github/pr-sentinel.yml` at the head (`--all`: there is no base). */
  | "head";

export interface ScanScope {
  readonly staged: boolean;
  readonly base: {
    /** A name for people: the `--base` argument, the default branch whose merge-base was taken, `HEAD`, or `empty tree`. */
    readonly ref: string;
    /** Full commit id; `null` for the empty tree. */
    readonly commit: string | null;
    readonly chosenBy: BaseChoice;
  };
  readonly head: {
    /** `HEAD`, the `--head` argument, or `index` with `--staged`. */
    readonly ref: string;
    /** Full commit id; `null` for the index. */
    readonly commit: string | null;
  };
  readonly config: {
    readonly source: ConfigSource;
    /** The file looked for or given (as given, for `--config`). */
    readonly path: string;
    /** The commit it was read at (source `base` or `head`), else `null`. */
    readonly commit: string | null;
    /** `false`: there was no such file, and the defaults were used. */
    readonly found: boolean;
    /** The change itself edits `.github/pr-sentinel.yml` (which, read from the base, applies only after merge). */
    readonly changedByBranch: boolean;
  };
  /** Files the range changes, before `scan PATH…` and `paths.ignore`. */
  readonly changedFiles: number;
  /** `scan PATH…` as given; empty: the whole range. */
  readonly paths: readonly string[];
  /** Changed files that `paths` let through (equals `changedFiles` without paths). */
  readonly matchedFiles: number;
}

/** Short commit ids as git prints them. */
export const SHORT_COMMIT = 7;

/** `main@8de3ad9`; a ref that is itself a commit id (`--base 8de3ad9f…`) is not said twice. */
function end(ref: string, commit: string | null): string {
  if (commit === null) return ref;
  const id = commit.slice(0, SHORT_COMMIT);
  if (/^[0-9a-f]{4,64}$/i.test(ref) && commit.toLowerCase().startsWith(ref.toLowerCase())) return id;
  return `${ref}@${id}`;
}

/** `main@8de3ad9…HEAD@1a2b3c4`, `HEAD@8de3ad9…index`, `empty tree…index`. */
export function rangeLabel(scope: ScanScope): string {
  return `${end(scope.base.ref, scope.base.commit)}…${end(scope.head.ref, scope.head.commit)}`;
}

/** Why this base: `merge-base of HEAD and main`, `--base`, … */
export function baseChoiceLabel(scope: ScanScope): string {
  switch (scope.base.chosenBy) {
    case "flag":
      return scope.staged ? "--staged: the index against --base" : "base from --base";
    case "merge-base":
      return `base: the merge-base of ${scope.head.ref} and ${scope.base.ref}`;
    case "staged-head":
      return "--staged: the index against HEAD";
    case "no-commits":
      return "--staged in a repository without commits: everything staged is new";
    case "all":
      return `--all: every file tracked at ${scope.head.ref}, as if added`;
    case "history":
      return scope.base.commit === null
        ? `--history: every commit of ${scope.head.ref}, one by one`
        : `--history: the commits of ${scope.head.ref} after ${scope.base.ref}, one by one`;
  }
}

/** `.github/pr-sentinel.yml at base 8de3ad9`, `--config ci.yml`, `defaults: no .github/pr-sentinel.yml at base 8de3ad9`. */
export function configLabel(scope: ScanScope): string {
  const c = scope.config;
  if (c.source === "file") return `--config ${c.path}`;
  const where =
    c.source === "base" || c.source === "head"
      ? `at ${c.source} ${(c.commit ?? "").slice(0, SHORT_COMMIT)}`.trimEnd()
      : "in the working tree";
  return c.found ? `${c.path} ${where}` : `defaults: no ${c.path} ${where}`;
}

/** Said when the change edits the config file: when the edit takes effect. `undefined` otherwise. */
export function configChangeNote(scope: ScanScope, configPath: string): string | undefined {
  if (!scope.config.changedByBranch) return undefined;
  switch (scope.config.source) {
    case "base":
      return `the branch changes ${configPath}; that takes effect after merge (this scan used the version at base, so a change cannot weaken its own scan)`;
    case "file":
      return `the branch changes ${configPath}; this scan used --config ${scope.config.path}, and pull request scans use the change only after merge`;
    case "working-tree":
      return `this commit changes ${configPath}: --staged uses the working-tree copy now; pull request scans use it only after merge`;
    case "head":
      // --all has no base: the config at the head is the repository's own, not a change to it.
      return undefined;
  }
}

/**
 * Why nothing was scanned, with what to do about it; `undefined` when files were scanned.
 * `scannedFiles` is `stats.files` (after `paths.ignore`).
 */
export function nothingScannedReason(scope: ScanScope, scannedFiles: number): string | undefined {
  if (scannedFiles > 0) return undefined;
  if (scope.changedFiles === 0) {
    if (scope.staged) return "nothing is staged: the index matches its base; git add what the commit should hold";
    const same = scope.base.commit !== null && scope.base.commit === scope.head.commit;
    const why = same ? ` (${scope.head.ref} is the base itself: you are on ${scope.base.ref}, or the branch has no commits of its own)` : "";
    return `no files changed in ${rangeLabel(scope)}${why}; pass --base REF (e.g. --base HEAD~1) to compare with an earlier commit, or --all to scan every tracked file`;
  }
  if (scope.matchedFiles === 0) {
    const paths = scope.paths.join(" ");
    return scope.changedFiles === 1 ? `the only changed file does not match ${paths}` : `none of the ${scope.changedFiles} changed files matches ${paths}`;
  }
  return `${scope.matchedFiles === 1 ? "the only changed file is" : `all ${scope.matchedFiles} changed files are`} left out by paths.ignore`;
}
