/**
 * Builds repositories and pull requests in the fake GitHub from plain before/after file contents:
 * commits, blobs (with git's blob SHAs) and the per-file patches GitHub would list.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FakeGitHub } from "./server.js";
import type { FakeCommit, FakeDiffEntry, FakePull, FakeRepo } from "./state.js";

export interface FileChange {
  readonly path: string;
  /** Content at base; `null` for an added file. */
  readonly base: string | null;
  /** Content at head; `null` for a removed file. */
  readonly head: string | null;
  /** GitHub left out the patch (as it does for very large diffs). */
  readonly omitPatch?: boolean;
}

export interface PullRequestSpec {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly changes: readonly FileChange[];
  /** Owner of a fork the head commit comes from. */
  readonly forkOwner?: string;
  readonly draft?: boolean;
}

export function randomSha(): string {
  return randomBytes(20).toString("hex");
}

export function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest("hex");
}

export function ensureRepo(fake: FakeGitHub, owner: string, name: string): FakeRepo {
  return fake.state.repo(owner, name) ?? fake.state.addRepo(owner, name);
}

export function addPullRequest(fake: FakeGitHub, spec: PullRequestSpec): FakePull {
  const repo = ensureRepo(fake, spec.owner, spec.repo);
  const baseSha = randomSha();
  repo.commits.set(baseSha, new Map(spec.changes.filter((c) => c.base !== null).map((c) => [c.path, c.base!])));
  const pull: FakePull = {
    owner: spec.owner,
    repo: spec.repo,
    number: spec.number,
    baseSha,
    headSha: "",
    headRepoFullName: spec.forkOwner ? `${spec.forkOwner}/${spec.repo}` : `${spec.owner}/${spec.repo}`,
    draft: spec.draft ?? false,
    state: "open",
    files: [],
  };
  if (spec.forkOwner) ensureRepo(fake, spec.forkOwner, spec.repo);
  pushCommit(fake, pull, spec.changes);
  fake.state.pulls.set(`${spec.owner}/${spec.repo}#${spec.number}`, pull);
  return pull;
}

/** A new head commit: `changes` are the whole change from base to the new head. */
export function pushCommit(fake: FakeGitHub, pull: FakePull, changes: readonly FileChange[]): string {
  const repo = fake.state.repo(pull.owner, pull.repo)!;
  const headSha = randomSha();
  const headFiles = new Map<string, string>();
  for (const c of changes) {
    if (c.head === null) continue;
    headFiles.set(c.path, c.head);
    // The base repository can read a fork's pull-request head by SHA, as on GitHub.
    repo.blobs.set(blobSha(c.head), c.head);
  }
  repo.commits.set(headSha, headFiles);
  pull.headSha = headSha;
  pull.files = changes.map(diffEntry);
  return headSha;
}

export function diffEntry(change: FileChange): FakeDiffEntry {
  const oldLines = change.base === null ? [] : splitLines(change.base);
  const newLines = change.head === null ? [] : splitLines(change.head);
  const patch = unifiedPatch(oldLines, newLines);
  const additions = patch.split("\n").filter((l) => l.startsWith("+")).length;
  const deletions = patch.split("\n").filter((l) => l.startsWith("-")).length;
  return {
    filename: change.path,
    status: change.base === null ? "added" : change.head === null ? "removed" : "modified",
    sha: change.head === null ? null : blobSha(change.head),
    additions,
    deletions,
    changes: additions + deletions,
    ...(change.omitPatch || patch === "" ? {} : { patch }),
  };
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** One hunk around the changed middle (common prefix and suffix trimmed), with 3 lines of context. */
function unifiedPatch(oldLines: string[], newLines: string[]): string {
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix++;
  }
  const removed = oldLines.slice(prefix, oldLines.length - suffix);
  const added = newLines.slice(prefix, newLines.length - suffix);
  if (removed.length === 0 && added.length === 0) return "";
  const before = oldLines.slice(Math.max(0, prefix - 3), prefix);
  const after = oldLines.slice(oldLines.length - suffix, oldLines.length - suffix + 3);
  const oldStart = prefix - before.length + 1;
  const newStart = prefix - before.length + 1;
  const oldCount = before.length + removed.length + after.length;
  const newCount = before.length + added.length + after.length;
  const header = `@@ -${oldCount === 0 ? 0 : oldStart},${oldCount} +${newCount === 0 ? 0 : newStart},${newCount} @@`;
  return [
    header,
    ...before.map((l) => ` ${l}`),
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    ...after.map((l) => ` ${l}`),
  ].join("\n");
}

export interface CommitSpec {
  /** Files this commit writes (`null`: deletes), on top of the previous commit. */
  readonly files: Readonly<Record<string, string | null>>;
  readonly authorDate?: string;
  /** A merge commit (a second parent), e.g. the base branch merged into the pull request. */
  readonly merge?: boolean;
}

export interface PullRequestWithCommitsSpec {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  /** Files at the base commit. */
  readonly base: Readonly<Record<string, string>>;
  /** Oldest first; the last one is the head. */
  readonly commits: readonly CommitSpec[];
}

/**
 * A pull request built commit by commit, as on GitHub: each commit with its own diff against its
 * first parent (`GET /commits/{sha}`), listed by `GET /pulls/{n}/commits`, and the pull request's
 * files the net change from base to head.
 */
export function addPullRequestWithCommits(fake: FakeGitHub, spec: PullRequestWithCommitsSpec): FakePull {
  const repo = ensureRepo(fake, spec.owner, spec.repo);
  const baseSha = randomSha();
  const baseFiles = new Map(Object.entries(spec.base));
  repo.commits.set(baseSha, baseFiles);
  let previous = { sha: baseSha, files: baseFiles };
  const shas: string[] = [];
  for (const [i, commit] of spec.commits.entries()) {
    const files = new Map(previous.files);
    const entries: FakeDiffEntry[] = [];
    for (const [path, content] of Object.entries(commit.files)) {
      const before = previous.files.get(path) ?? null;
      if (content === null) files.delete(path);
      else {
        files.set(path, content);
        repo.blobs.set(blobSha(content), content);
      }
      if (before !== content) entries.push(diffEntry({ path, base: before, head: content }));
    }
    const sha = randomSha();
    const detail: FakeCommit = {
      sha,
      parents: commit.merge ? [previous.sha, randomSha()] : [previous.sha],
      authorDate: commit.authorDate ?? new Date(Date.parse("2026-03-01T10:00:00Z") + i * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      message: `commit ${i + 1}`,
      files: entries,
    };
    repo.commits.set(sha, files);
    repo.commitDetails.set(sha, detail);
    shas.push(sha);
    previous = { sha, files };
  }
  const paths = new Set([...baseFiles.keys(), ...previous.files.keys()]);
  const net = [...paths]
    .sort()
    .map((path) => ({ path, base: baseFiles.get(path) ?? null, head: previous.files.get(path) ?? null }))
    .filter((c) => c.base !== c.head)
    .map(diffEntry);
  const pull: FakePull = {
    owner: spec.owner,
    repo: spec.repo,
    number: spec.number,
    baseSha,
    headSha: previous.sha,
    headRepoFullName: `${spec.owner}/${spec.repo}`,
    draft: false,
    state: "open",
    files: net,
    commits: shas,
  };
  fake.state.pulls.set(`${spec.owner}/${spec.repo}#${spec.number}`, pull);
  return pull;
}
