/**
 * The job runner: one job in, at most one verdict out. Before anything is written it checks that
 * the job's head is still the pull request's current one (a superseded head costs no write at all)
 * and that no earlier job already gave this head its verdict (redeliveries, a second replica). Then
 * it authenticates as the installation and runs `scanChange`, watching the current head so that a
 * newer push stops it, and taking the pull request's comment lock around the review and summary.
 * The same runner serves the in-process queue and BullMQ workers.
 */
import type { Logger } from "pino";
import type { Check, Services } from "../core/types.js";
import { recordCheckRun, type AuditStore } from "../posture/audit/index.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { completeCheckRun, createCheckRun, type CheckConclusion } from "./check-run-writer.js";
import { auditRecordFor } from "./audit-record-for.js";
import { CHECK_RUN_NAME } from "./github-limits.js";
import { headKey, subjectKey, type ScanJob } from "./jobs/scan-job.js";
import type { AppMetrics } from "./metrics.js";
import { externalId, scanChange, type ScanEnd } from "./scan-change.js";
import type { RunRecord, ScanState } from "./state/scan-state.js";
import { SupersededError } from "./superseded-error.js";

export interface RunnerDeps {
  readonly state: ScanState;
  /** An installation-scoped client; the same one for every job of an installation. */
  readonly octokitFor: (installationId: number) => Promise<GitHubClient>;
  /** `context.config` semantics: the default branch's `.github/pr-sentinel.yml`, org fallback, `_extends`. */
  readonly loadConfig: (octokit: GitHubClient, repo: { owner: string; repo: string }) => Promise<unknown>;
  readonly checks: readonly Check[];
  readonly services: Services;
  readonly metrics: AppMetrics;
  readonly toolVersion: string;
  readonly log: Logger;
  readonly readConcurrency: number;
  readonly engineSlot?: <T>(job: () => Promise<T>) => Promise<T>;
  /** `PR_SENTINEL_DOCS_URL`: where help links point (forks, Enterprise Server). */
  readonly docsBaseUrl?: string;
  /** How often a running scan looks whether its head is still current. */
  readonly headPollMs?: number;
  /** The audit trail: one record per completed check run (src/posture/audit); undefined when it cannot be opened. */
  readonly audit?: () => Promise<AuditStore | undefined>;
}

export interface Attempt {
  /** 1 for the first. */
  readonly number: number;
  /** No attempt follows this one: a transient failure must complete the check run now. */
  readonly final: boolean;
  /** Aborted when the process shuts down: the job goes back to the queue. */
  readonly signal?: AbortSignal;
  /**
   * An earlier attempt of this job started (and failed, stalled or was handed back): it may have
   * created the check run without recording it (the store was away), so GitHub is asked first.
   */
  readonly resumed?: boolean;
  /** Told the time past which the scan must be ended (sandboxed processors are killed then). */
  readonly reportDeadline?: (deadlineAt: number) => void;
}

/** Past the longest check timeout, how long the rest of a scan (writes) may still take. */
const DEADLINE_MARGIN_MS = 30_000;

/** `gave-up`: every attempt met GitHub errors; the run says so, and the next delivery tries again. */
export type JobEnd = ScanEnd | "superseded-before-start" | "duplicate" | "not-found" | "timed-out" | "gave-up";

/** How long opening a check run (create and record) may take before another execution may try. */
const OPEN_RUN_LOCK_MS = 60_000;

/** How long the comment phase of one pull request may take before another scan may take over. */
const COMMENT_LOCK_MS = 120_000;

export async function runScanJob(job: ScanJob, deps: RunnerDeps, attempt: Attempt = { number: 1, final: true }): Promise<JobEnd> {
  const startedAt = Date.now();
  const { target } = job;
  const log = deps.log.child({
    delivery: job.deliveryId,
    event: job.event,
    installation: job.installationId,
    repo: `${target.owner}/${target.repo}`,
    ...(target.kind === "pull_request" ? { pr: target.pullNumber } : { mergeGroup: target.headRef }),
    sha: target.headSha,
    attempt: attempt.number,
  });
  const key = headKey(job);
  const subject = subjectKey(target);
  // A re-run was asked for on purpose, maybe of an older commit: it neither cancels nor is cancelled.
  const followsHead = target.kind === "pull_request" && !job.rerun;

  let octokit: GitHubClient | undefined;
  const client = async () => (octokit ??= await deps.octokitFor(job.installationId));

  if (followsHead) {
    const current = await currentHead(job, deps, client, log);
    if (current === undefined) return "not-found";
    if (current !== target.headSha) {
      log.info({ current }, "a newer head is current; this one is not scanned (no write)");
      return "superseded-before-start";
    }
  }
  const earlier = await deps.state.getRun(key);
  if (earlier?.timedOut) return await closeTimedOut(job, earlier, deps, await client(), log);
  if (earlier?.status === "completed" && !earlier.retryable && !job.rerun) {
    log.info({ checkRunId: earlier.checkRunId, conclusion: earlier.conclusion }, "this head already has its verdict; nothing to do");
    return "duplicate";
  }

  const controller = new AbortController();
  const stop = () => controller.abort(attempt.signal?.reason);
  attempt.signal?.addEventListener("abort", stop, { once: true });
  const watcher = followsHead ? watchHead(job, deps, controller) : undefined;
  let gaveUp = false;
  try {
    const github = await client();
    const repo = { owner: target.owner, repo: target.repo };
    const end = await scanChange(target, {
      octokit: github,
      log,
      loadConfig: () => deps.loadConfig(github, repo),
      checks: deps.checks,
      services: deps.services,
      metrics: deps.metrics,
      toolVersion: deps.toolVersion,
      signal: controller.signal,
      readConcurrency: deps.readConcurrency,
      engineSlot: deps.engineSlot,
      finalAttempt: attempt.final,
      ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
      // One opener per head at a time: when a stalled job is taken over while its first worker
      // still runs (Redis away for a moment, a lock not renewed), both executions reach here, and
      // only the first may create the run; the second finds it recorded and takes it over.
      openCheckRun: () =>
        deps.state.withLock(`open-run:${key}`, { holdMs: OPEN_RUN_LOCK_MS, waitMs: OPEN_RUN_LOCK_MS }, async () => {
          const known = job.rerun ? undefined : await deps.state.getRun(key);
          // An earlier attempt (crashed, stalled, handed back at shutdown) created it: take it over.
          if (known) {
            if (known.status === "completed") await reopenCheckRun(github, repo, known.checkRunId);
            return { id: known.checkRunId, ...(known.botLogin ? { botLogin: known.botLogin } : {}), ...(known.htmlUrl ? { htmlUrl: known.htmlUrl } : {}) };
          }
          if (attempt.resumed && !job.rerun) {
            const found = await findOwnCheckRun(github, repo, target.headSha, externalId(target));
            if (found) {
              log.info({ checkRunId: found.id }, "an earlier attempt created this check run; taking it over");
              await deps.state.putRun(key, { checkRunId: found.id, ...(found.botLogin ? { botLogin: found.botLogin } : {}), status: "in_progress" });
              if (found.completed) await reopenCheckRun(github, repo, found.id);
              return found;
            }
          }
          const created = await createCheckRun(github, repo, target.headSha, externalId(target));
          await deps.state.putRun(key, {
            checkRunId: created.id,
            ...(created.botLogin ? { botLogin: created.botLogin } : {}),
            ...(created.htmlUrl ? { htmlUrl: created.htmlUrl } : {}),
            status: "in_progress",
          });
          log.info({ checkRunId: created.id }, "check run created");
          return created;
        }),
      async onCompleted(conclusion: CheckConclusion, how) {
        const run = await deps.state.getRun(key);
        gaveUp = how?.retryable ?? false;
        // Final verdicts only: a retryable one is scanned again under the same check run, and a
        // cancelled run (a newer push) has the newer head's run to say what happened.
        const store = run && !gaveUp && conclusion !== "cancelled" ? await deps.audit?.() : undefined;
        // The record before the head is marked done: a process killed between the two leaves the
        // head unfinished, so the job's next attempt scans it again under the same check run and
        // writes the record (or finds it written). The other order made that attempt a
        // "duplicate" that returned at once, and the check run had no record, for good.
        if (store && run) {
          const record = auditRecordFor({ job, checkRunId: run.checkRunId, conclusion, how, startedAt, appVersion: deps.toolVersion });
          await recordCheckRun(store, record, { logger: log });
        }
        if (run) await deps.state.putRun(key, { ...run, status: "completed", conclusion, retryable: gaveUp });
      },
      onEngineStart(maxCheckSeconds) {
        attempt.reportDeadline?.(Date.now() + maxCheckSeconds * 1000 + DEADLINE_MARGIN_MS);
      },
      commentLock: (write) => deps.state.withLock(`comment:${subject}`, { holdMs: COMMENT_LOCK_MS, waitMs: COMMENT_LOCK_MS }, write),
    });
    return gaveUp ? "gave-up" : end;
  } finally {
    watcher?.stop();
    attempt.signal?.removeEventListener("abort", stop);
  }
}

/** Our check run on `headSha` (by name and external id), if one exists. */
async function findOwnCheckRun(
  octokit: GitHubClient,
  repo: { owner: string; repo: string },
  headSha: string,
  externalIdValue: string,
): Promise<{ id: number; botLogin?: string; completed: boolean } | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: headSha, check_name: CHECK_RUN_NAME, filter: "all", per_page: 100 });
  const run = data.check_runs.find((r) => r.external_id === externalIdValue);
  if (!run) return undefined;
  const slug = run.app?.slug;
  return { id: Number(run.id), ...(slug ? { botLogin: `${slug}[bot]` } : {}), completed: run.status === "completed" };
}

/** A run closed because GitHub kept failing is scanned again under the same check run. */
async function reopenCheckRun(octokit: GitHubClient, repo: { owner: string; repo: string }, checkRunId: number): Promise<void> {
  await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    ...repo,
    check_run_id: checkRunId,
    status: "in_progress",
    output: { title: "Scanning again", summary: "GitHub failed during the previous attempt; this change is being scanned again." },
  });
}

/** The previous attempt's processor was ended past its deadline: close its run, do not scan again. */
async function closeTimedOut(job: ScanJob, run: RunRecord, deps: RunnerDeps, octokit: GitHubClient, log: Logger): Promise<JobEnd> {
  log.warn({ checkRunId: run.checkRunId }, "the previous attempt ran past its deadline; closing its check run");
  await completeCheckRun(octokit, { owner: job.target.owner, repo: job.target.repo }, run.checkRunId, {
    conclusion: "neutral",
    title: "PR Sentinel timed out",
    summary:
      "The scan ran past the longest `timeout_seconds` of its checks and was stopped, so this change was **not** fully checked. " +
      "Re-run the check to try again; if it keeps timing out, raise `timeout_seconds` or exclude the largest files with `paths`.",
  });
  // The record first, as in onCompleted: a crash before the state says so leaves this to be redone.
  const store = await deps.audit?.();
  if (store) {
    const how = { retryable: false, title: "PR Sentinel timed out" };
    await recordCheckRun(store, auditRecordFor({ job, checkRunId: run.checkRunId, conclusion: "neutral", how, startedAt: Date.now(), appVersion: deps.toolVersion }), { logger: log });
  }
  await deps.state.putRun(headKey(job), { ...run, status: "completed", conclusion: "neutral", timedOut: false });
  return "timed-out";
}

/**
 * The pull request's current head: the newest one the webhook side recorded. When nothing is
 * recorded (the store was emptied, the job is older than the record's TTL) GitHub is asked, once.
 */
async function currentHead(job: ScanJob, deps: RunnerDeps, client: () => Promise<GitHubClient>, log: Logger): Promise<string | undefined> {
  const { target } = job;
  const subject = subjectKey(target);
  const recorded = await deps.state.currentHead(subject);
  // Two pushes in the same second share an order: then the record cannot tell, and GitHub is asked.
  const tied = recorded !== undefined && recorded.order === job.order && recorded.headSha !== target.headSha;
  if (recorded && !tied) return recorded.headSha;
  if (target.kind !== "pull_request") return target.headSha;
  try {
    const { data } = await (await client()).request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.pullNumber,
    });
    const head = (data as { head: { sha: string }; state?: string }).head.sha;
    if ((data as { state?: string }).state === "closed") {
      log.info("the pull request is closed; not scanned");
      return undefined;
    }
    // Recorded with this job's order only when it is this job's head; else the API's head is newer.
    const recordedNow = await deps.state.observeHead(subject, { headSha: head, order: head === target.headSha ? job.order : job.order + 1 });
    return recordedNow.headSha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      log.info("the pull request is gone; not scanned");
      return undefined;
    }
    throw error;
  }
}

/** Aborts the scan with `SupersededError` as soon as another head of its pull request is current. */
function watchHead(job: ScanJob, deps: RunnerDeps, controller: AbortController): { stop(): void } {
  const subject = subjectKey(job.target);
  let busy = false;
  const timer = setInterval(() => {
    if (busy || controller.signal.aborted) return;
    busy = true;
    deps.state
      .currentHead(subject)
      .then((current) => {
        if (current && current.headSha !== job.target.headSha) controller.abort(new SupersededError(job.target.headSha, current.headSha));
      })
      // A store that does not answer for a moment does not stop the scan; the next poll tries again.
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, deps.headPollMs ?? 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
