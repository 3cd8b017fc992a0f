/**
 * Runs the demo's pull request through the real app: loopback fakes of OSV and the npm registry,
 * the fake GitHub and the real Probot server with every built-in check (the end-to-end tests'
 * harness, which gives the app's service clients a fetch that refuses anything but 127.0.0.1),
 * one signed `pull_request.opened` webhook, and then everything the app wrote, read back from the
 * fake. Whatever happens, the servers are stopped before this returns: the demo ends by itself.
 */
import { isSummaryComment } from "../../src/app/markers.js";
import { builtinChecks } from "../../src/checks/index.js";
import { startDependencyFakes, type DependencyFakes } from "../../test/checks/dependencies/harness.js";
import { startHarness, type Harness } from "../../test/helpers/fake-github/harness.js";
import { addPullRequest, ensureRepo } from "../../test/helpers/fake-github/scenario.js";
import { pullRequestPayload } from "../../test/helpers/fake-github/webhooks.js";
import { ACTION, HEAD_BRANCH, NUMBER, OWNER, REPO, TITLE, demoAdvisories, demoChanges, demoPackuments } from "./pull-request.js";

export interface ReviewedFile {
  readonly path: string;
  readonly status: string;
  readonly additions: number;
  readonly deletions: number;
  /** The unified diff GitHub lists for the file; undefined when it left it out. */
  readonly patch: string | undefined;
  /** The file at head (null when removed), to quote the line a comment is on. */
  readonly head: string | null;
}

export interface InlineComment {
  readonly path: string;
  readonly line: number;
  readonly body: string;
}

/** Everything pr-sentinel posted on the pull request, with the pull request itself. */
export interface PostedReview {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly headBranch: string;
  readonly headSha: string;
  readonly files: readonly ReviewedFile[];
  readonly checkRun: { readonly name: string; readonly conclusion: string | null; readonly title: string; readonly summary: string; readonly annotations: number } | undefined;
  readonly review: { readonly event: string; readonly body: string } | undefined;
  readonly comments: readonly InlineComment[];
  readonly summaryComment: string | undefined;
  /** The app's warnings and errors (its log at `warn`), to show when it posted nothing. */
  readonly appLog: readonly string[];
}

/** A scan of six small files takes about a second; this bounds a demo that would otherwise hang. */
const DEFAULT_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export async function runReview(options: { timeoutMs?: number } = {}): Promise<PostedReview> {
  let fakes: DependencyFakes | undefined;
  let harness: Harness | undefined;
  try {
    return await withTimeout(
      (async () => {
        fakes = await startDependencyFakes(demoAdvisories(), demoPackuments());
        harness = await startHarness({ checks: builtinChecks, osvApiUrl: fakes.osv.url, npmRegistryUrl: fakes.npm.url, logLevel: "warn" });
        return await openAndCollect(harness);
      })(),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      "the review did not finish",
    );
  } finally {
    // Stopping waits for the app to go idle: bounded too, so a stuck scan cannot keep the demo alive.
    await withTimeout(Promise.allSettled([harness?.stop(), fakes?.close()]), STOP_TIMEOUT_MS, "the servers did not stop").catch(() => undefined);
  }
}

async function openAndCollect(h: Harness): Promise<PostedReview> {
  // The action's repository, so the app can resolve the tag to a commit for its pin suggestion.
  const action = ensureRepo(h.fake, ACTION.owner, ACTION.repo);
  action.tags.set(ACTION.tag, ACTION.sha);
  action.tags.set(ACTION.release, ACTION.sha);
  ensureRepo(h.fake, OWNER, REPO);
  const changes = demoChanges();
  const pull = addPullRequest(h.fake, { owner: OWNER, repo: REPO, number: NUMBER, changes });
  const payload = pullRequestPayload({ action: "opened", owner: OWNER, repo: REPO, installationId: 1, number: NUMBER, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: changes.length });
  const pr = payload.pull_request as { title: string; head: { ref: string } };
  pr.title = TITLE;
  pr.head.ref = HEAD_BRANCH;
  const delivery = await h.send("pull_request", payload);
  if (delivery.status !== 200) throw new Error(`the app answered the webhook with HTTP ${delivery.status}`);
  await h.app.idle();

  const state = h.fake.state;
  const run = state.checkRunsFor(pull.headSha).at(-1);
  const review = state.reviewsOf(OWNER, REPO, NUMBER).at(-1);
  const summary = state.issueCommentsOf(OWNER, REPO, NUMBER).filter((c) => isSummaryComment(c.body)).at(-1);
  const heads = new Map(changes.map((c) => [c.path, c.head]));
  return {
    repository: `${OWNER}/${REPO}`,
    number: NUMBER,
    title: TITLE,
    headBranch: HEAD_BRANCH,
    headSha: pull.headSha,
    files: pull.files.map((f) => ({ path: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, patch: f.patch, head: heads.get(f.filename) ?? null })),
    checkRun: run && { name: run.name, conclusion: run.conclusion, title: run.output.title ?? "", summary: run.output.summary ?? "", annotations: run.annotations.length },
    review: review && { event: review.event, body: review.body },
    // Top-level comments only (no replies in a fresh pull request), in the order they read on the page.
    comments: state
      .reviewCommentsOf(OWNER, REPO, NUMBER)
      .filter((c) => c.in_reply_to_id === undefined)
      .map((c) => ({ path: c.path, line: c.line, body: c.body })),
    summaryComment: summary?.body,
    appLog: h.logs.map(logLine),
  };
}

/** A pino JSON line as `level message` (the raw line when it is not JSON). */
function logLine(raw: string): string {
  try {
    const entry = JSON.parse(raw) as { level?: number; msg?: string; err?: { message?: string } };
    const level = entry.level === undefined ? "log" : entry.level >= 50 ? "error" : entry.level >= 40 ? "warn" : "info";
    return `${level}: ${entry.msg ?? ""}${entry.err?.message ? ` (${entry.err.message})` : ""}`;
  } catch {
    return raw.trimEnd();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
