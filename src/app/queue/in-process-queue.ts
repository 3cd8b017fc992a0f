/**
 * The queue without Redis: jobs run in this process, at most `concurrency` at once, with the same
 * rules as BullMQ's (one job per head, attempts with backoff, the last attempt named). Nothing
 * survives a restart, which is why a lost in-process job never leaves a check run behind: at
 * shutdown, running scans close their check runs as "stopped" (see `ShutdownError`).
 */
import { limitConcurrency } from "../../core/limit-concurrency.js";
import { headKey, type ScanJob } from "../jobs/scan-job.js";
import { ShutdownError } from "../superseded-error.js";
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, type JobRunner, type QueueCounts, type ScanQueue } from "./scan-queue.js";

export interface InProcessQueueOptions {
  readonly concurrency: number;
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly onError?: (job: ScanJob, error: unknown, final: boolean) => void;
}

export class InProcessQueue implements ScanQueue {
  readonly mode = "in-process" as const;
  private readonly pending = new Map<string, "waiting" | "active" | "delayed">();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly slot: <T>(job: () => Promise<T>) => Promise<T>;
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(
    private readonly run: JobRunner,
    private readonly options: InProcessQueueOptions,
  ) {
    this.slot = limitConcurrency(options.concurrency);
  }

  async enqueue(job: ScanJob): Promise<"queued" | "duplicate"> {
    if (this.closed) throw new Error("the queue is closed");
    const key = headKey(job);
    if (this.pending.has(key)) return "duplicate";
    this.pending.set(key, "waiting");
    this.start(job, key, 1);
    return "queued";
  }

  async counts(): Promise<QueueCounts> {
    const states = [...this.pending.values()];
    return {
      waiting: states.filter((s) => s === "waiting").length,
      active: states.filter((s) => s === "active").length,
      delayed: states.filter((s) => s === "delayed").length,
    };
  }

  async idle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.allSettled([...this.running]);
      if (this.running.size === 0 && this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const finished = Promise.allSettled([...this.running]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    if ((await Promise.race([finished, deadline])) === "late") {
      // No queue to hand the jobs to: stop them, and let each close its check run.
      this.shutdown.abort(new ShutdownError(false));
      await finished;
    }
    clearTimeout(timer);
  }

  private start(job: ScanJob, key: string, attemptNumber: number): void {
    const attempts = this.options.attempts ?? JOB_ATTEMPTS;
    const final = attemptNumber >= attempts;
    const task = this.slot(async () => {
      if (this.shutdown.signal.aborted) return;
      this.pending.set(key, "active");
      try {
        await this.run(job, { number: attemptNumber, final, resumed: attemptNumber > 1, signal: this.shutdown.signal });
        this.pending.delete(key);
      } catch (error) {
        this.options.onError?.(job, error, final);
        if (final || this.closed) {
          this.pending.delete(key);
          return;
        }
        this.pending.set(key, "delayed");
        const wait = (this.options.backoffMs ?? JOB_BACKOFF_MS) * 2 ** (attemptNumber - 1) * (0.5 + Math.random() / 2);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.start(job, key, attemptNumber + 1);
        }, wait);
        this.timers.add(timer);
      }
    }).finally(() => this.running.delete(task));
    this.running.add(task);
  }
}
