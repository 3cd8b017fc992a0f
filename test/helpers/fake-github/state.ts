/** What the fake GitHub holds: repositories, commits, pull requests and everything the app writes. */

export const APP_BOT = { login: "pr-sentinel[bot]", id: 4_200_001, type: "Bot" } as const;
export const PERSON = { login: "octocat", id: 583_231, type: "User" } as const;
export type FakeUser = { login: string; id: number; type: string };

export interface FakeDiffEntry {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  sha: string | null;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export interface FakeRepo {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  /** Files on the default branch (what `context.config` reads). */
  readonly defaultBranchFiles: Map<string, string>;
  /** Files at each commit this repository can read (a fork's pull-request head included). */
  readonly commits: Map<string, Map<string, string>>;
  readonly blobs: Map<string, string>;
  /** Tags of an action's repository: name -> commit SHA (`GET /commits/{ref}`, `GET /tags`). */
  readonly tags: Map<string, string>;
  /** Commits with their own diff (`GET /commits/{sha}` with `files`, `GET /pulls/{n}/commits`). */
  readonly commitDetails: Map<string, FakeCommit>;
}

export interface FakeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly authorDate: string;
  readonly message: string;
  /** The commit's diff against its first parent, as GitHub lists it. */
  readonly files: readonly FakeDiffEntry[];
}

export interface FakePull {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  headSha: string;
  baseSha: string;
  /** `owner/name` of the head repository; differs from the base for fork pull requests. */
  headRepoFullName: string;
  draft: boolean;
  state: "open" | "closed";
  files: FakeDiffEntry[];
  /** The pull request's commits, oldest first; unset: one commit, the head (with the base as parent). */
  commits?: string[];
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
  /** Every status the run went through, in order. */
  history: { status: string; conclusion: string | null; at: number }[];
}

export interface FakeReviewComment {
  id: number;
  node_id: string;
  pull: string;
  path: string;
  line: number;
  side: string;
  body: string;
  user: FakeUser;
  in_reply_to_id?: number;
  pull_request_review_id: number;
  commit_id: string;
}

export interface FakeThread {
  id: string;
  pull: string;
  isResolved: boolean;
  resolvedBy?: string;
  commentIds: number[];
}

export interface FakeReview {
  id: number;
  pull: string;
  body: string;
  event: string;
  commit_id: string;
  user: FakeUser;
}

export interface FakeIssueComment {
  id: number;
  issue: string;
  body: string;
  user: FakeUser;
  edits: number;
}

export class FakeState {
  readonly repos = new Map<string, FakeRepo>();
  readonly pulls = new Map<string, FakePull>();
  readonly compares = new Map<string, FakeDiffEntry[]>();
  readonly checkRuns = new Map<number, FakeCheckRun>();
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly threads: FakeThread[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  addRepo(owner: string, name: string): FakeRepo {
    const repo: FakeRepo = { owner, name, id: this.id(), defaultBranchFiles: new Map(), commits: new Map(), blobs: new Map(), tags: new Map(), commitDetails: new Map() };
    this.repos.set(`${owner}/${name}`, repo);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`);
  }

  pull(owner: string, repo: string, number: number): FakePull | undefined {
    return this.pulls.get(pullKey(owner, repo, number));
  }

  checkRunsFor(headSha: string): FakeCheckRun[] {
    return [...this.checkRuns.values()].filter((r) => r.head_sha === headSha);
  }

  reviewsOf(owner: string, repo: string, number: number): FakeReview[] {
    return this.reviews.filter((r) => r.pull === pullKey(owner, repo, number));
  }

  reviewCommentsOf(owner: string, repo: string, number: number): FakeReviewComment[] {
    return this.reviewComments.filter((c) => c.pull === pullKey(owner, repo, number));
  }

  issueCommentsOf(owner: string, repo: string, number: number): FakeIssueComment[] {
    return this.issueComments.filter((c) => c.issue === pullKey(owner, repo, number));
  }

  threadOf(commentId: number): FakeThread | undefined {
    return this.threads.find((t) => t.commentIds[0] === commentId);
  }

  /** A person replies in the thread of `commentId` (the app must then leave that thread open). */
  reply(commentId: number, body: string, user: FakeUser = PERSON): FakeReviewComment {
    const parent = this.reviewComments.find((c) => c.id === commentId);
    const thread = this.threadOf(commentId);
    if (!parent || !thread) throw new Error(`no review comment ${commentId}`);
    const id = this.id();
    const reply: FakeReviewComment = { ...parent, id, node_id: `PRRC_${id}`, body, user, in_reply_to_id: commentId };
    this.reviewComments.push(reply);
    thread.commentIds.push(id);
    return reply;
  }
}

export function pullKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}
