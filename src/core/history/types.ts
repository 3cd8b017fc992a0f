/**
 * A change seen commit by commit: what each commit of a pull request (or of a repository's
 * history) added, so that a secret committed and deleted again on the branch is still found. Such
 * a secret is public once pushed; deleting it is not enough, it must be rotated.
 */
import type { ChangedFile, Finding } from "../types.js";

export interface CommitChange {
  /** 40 hex digits. */
  readonly sha: string;
  /** ISO 8601, the commit's author date. */
  readonly authorDate: string;
  /** The commit's own diff against its first parent (a root commit: against the empty tree). */
  readonly files: readonly ChangedFile[];
  /** What the source could not give whole (a commit cut at the size cap), in one line each. */
  readonly notes?: readonly string[];
}

/** A finding from one commit, with where it came from. `commentable` is false: it may not be in the head. */
export interface CommitFinding extends Finding {
  readonly commit: string;
  readonly authorDate: string;
}
