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

/** Wraps a runner with the job metrics both queues report. */
export function measuredRunner(run: JobRunner, metrics: AppMetrics): JobRunner {
  return async (job, attempt) => {
    if (attempt.number === 1) metrics.queueWait.observe(Math.max(0, Date.now() - job.acceptedAt) / 1000);
    const started = performance.now();
    try {
      const end = await run(job, attempt);
      metrics.jobs.inc({ outcome: end });
      const conclusion = end === "superseded" ? "cancelled" : end;
      if (CONCLUSIONS.has(conclusion)) {
        metrics.scans.inc({ outcome: conclusion as ScanOutcome });
        metrics.scanDuration.observe({ outcome: conclusion as ScanOutcome }, Math.max(0, Date.now() - job.acceptedAt) / 1000);
      }
      metrics.jobDuration.observe({ outcome: end }, (performance.now() - started) / 1000);
      return end;
    } catch (error) {
      const outcome = attempt.final ? "failed" : "retry";
      metrics.jobs.inc({ outcome });
      if (!attempt.final) metrics.jobRetries.inc();
      else metrics.scans.inc({ outcome: "error" });
      metrics.jobDuration.observe({ outcome }, (performance.now() - started) / 1000);
      throw error;
    }
  };
}
