/**
 * The queue between the webhook side and the runners. Two implementations with one contract:
 * `InProcessQueue` (no REDIS_URL) and `BullScanQueue` (BullMQ on Redis). Either way a job is keyed
 * by its head (`headKey`), so the same head queued twice is one job, a failed attempt is tried again
 * with backoff, and the runner is told when an attempt is the last.
 */
import type { ScanJob } from "../jobs/scan-job.js";
import type { AppMetrics, ScanOutcome } from "../metrics.js";
import type { Attempt, JobEnd } from "../run-scan-job.js";

export type QueueMode = "in-process" | "redis";

export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
}

export interface ScanQueue {
  readonly mode: QueueMode;
  /** "duplicate": a job for the same head is already waiting or running. */
  enqueue(job: ScanJob): Promise<"queued" | "duplicate">;
  counts(): Promise<QueueCounts>;
  /** Resolves when no job is waiting, delayed or running here (tests and benchmarks). */
  idle(): Promise<void>;
  /** Whether the queue's store answers. */
  healthy(): Promise<boolean>;
  /** Stops taking jobs; running ones get `graceMs` to finish, then are stopped (and handed back). */
  close(graceMs: number): Promise<void>;
}

export type JobRunner = (job: ScanJob, attempt: Attempt) => Promise<JobEnd>;

/** Attempts per job, and the backoff between them (exponential with jitter, from this base). */
export const JOB_ATTEMPTS = 4;
export const JOB_BACKOFF_MS = 2_000;

const CONCLUSIONS = new Set<string>(["success", "failure", "neutral", "action_required", "cancelled"]);

/**
 * The metrics of one ended attempt, the same whichever process ran it: the inline runner records
 * its own (measuredRunner), a worker records its sandboxed children's.
 */
export function recordJobEnd(metrics: AppMetrics, end: JobEnd, acceptedAt: number, durationSeconds: number): void {
  metrics.jobs.inc({ outcome: end });
  metrics.jobDuration.observe({ outcome: end }, durationSeconds);
  const conclusion = end === "superseded" ? "cancelled" : end;
  if (CONCLUSIONS.has(conclusion)) {
    metrics.scans.inc({ outcome: conclusion as ScanOutcome });
    metrics.scanDuration.observe({ outcome: conclusion as ScanOutcome }, Math.max(0, Date.now() - acceptedAt) / 1000);
  }
}

/** A failed attempt: retried (counted as a retry), or the last one (counted as a scan error). */
export function recordJobFailure(metrics: AppMetrics, final: boolean, durationSeconds?: number): void {
  const outcome = final ? "failed" : "retry";
  metrics.jobs.inc({ outcome });
  if (durationSeconds !== undefined) metrics.jobDuration.observe({ outcome }, durationSeconds);
  if (final) metrics.scans.inc({ outcome: "error" });
  else metrics.jobRetries.inc();
}

/** Wraps a runner with the job metrics both queues report. */
export function measuredRunner(run: JobRunner, metrics: AppMetrics): JobRunner {
  return async (job, attempt) => {
    if (attempt.number === 1) metrics.queueWait.observe(Math.max(0, Date.now() - job.acceptedAt) / 1000);
    const started = performance.now();
    try {
      const end = await run(job, attempt);
      recordJobEnd(metrics, end, job.acceptedAt, (performance.now() - started) / 1000);
      return end;
    } catch (error) {
      recordJobFailure(metrics, attempt.final, (performance.now() - started) / 1000);
      throw error;
    }
  };
}
