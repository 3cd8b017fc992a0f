/**
 * The producer side of queue mode: jobs go to a BullMQ queue on Redis, keyed by head
 * (`headKey`), so a head queued by two replicas, or redelivered, is one job. Completed jobs are kept
 * a day for that reason; failed ones are removed at once, so the next delivery for that head can
 * queue it again ("retried by the next delivery").
 */
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { headKey, type ScanJob } from "../jobs/scan-job.js";
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, type QueueCounts, type ScanQueue } from "./scan-queue.js";
import { redisAnswers } from "../state/redis-answers.js";

export const QUEUE_NAME = "pr-sentinel-scans";
/** Name of the job type inside the queue (BullMQ requires one). */
export const JOB_NAME = "scan";

/** A job's end from its return value: the runner's (inline) or the sandboxed processor's result. */
function endOf(returned: unknown): unknown {
  return typeof returned === "object" && returned !== null ? (returned as { end?: unknown }).end : returned;
}

export class BullScanQueue implements ScanQueue {
  readonly mode = "redis" as const;
  private readonly queue: Queue;
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    private readonly retry: { attempts?: number; backoffMs?: number } = {},
  ) {
    // Fail fast while Redis is away: the webhook then answers 500 and the delivery can be redelivered,
    // instead of hanging past GitHub's 10 s and being lost silently.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.connection.on("error", () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection, skipVersionCheck: true });
    this.queue.on("error", () => undefined);
  }

  async enqueue(job: ScanJob): Promise<"queued" | "duplicate"> {
    if ((await this.addAndCheck(job)) === "queued") return "queued";
    // A head whose every attempt met GitHub errors is scanned again by the next delivery for it.
    const existing = await this.queue.getJob(headKey(job));
    if (existing && (await existing.getState()) === "completed" && endOf(existing.returnvalue) === "gave-up") {
      await existing.remove().catch(() => undefined);
      return this.addAndCheck(job);
    }
    return "duplicate";
  }

  /** BullMQ's `add` keeps the job already holding the id; reading it back says whose it is. */
  private async addAndCheck(job: ScanJob): Promise<"queued" | "duplicate"> {
    await this.add(job);
    const stored = await this.queue.getJob(headKey(job));
    // Gone already (completed and removed in between) counts as ours: it ran.
    return !stored || (stored.data as ScanJob).deliveryId === job.deliveryId ? "queued" : "duplicate";
  }

  private add(job: ScanJob) {
    return this.queue.add(JOB_NAME, job, {
      jobId: headKey(job),
      attempts: this.retry.attempts ?? JOB_ATTEMPTS,
      backoff: { type: "exponential", delay: this.retry.backoffMs ?? JOB_BACKOFF_MS, jitter: 0.5 },
      removeOnComplete: { age: 24 * 60 * 60, count: 100_000 },
      removeOnFail: true,
    });
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  async idle(): Promise<void> {
    for (;;) {
      const c = await this.counts();
      if (c.waiting + c.active + c.delayed === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async healthy(): Promise<boolean> {
    return redisAnswers(this.connection);
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
