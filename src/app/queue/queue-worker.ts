/**
 * The consumer side of queue mode: a BullMQ worker that runs scan jobs, `concurrency` at a time.
 *
 * Sandboxed (the default): each job runs in a child process (sandboxed-processor.ts), so a
 * CPU-bound check cannot stall this process's event loop, its lock renewals or, when the worker
 * shares the app's process, webhook acknowledgement. Once a scan knows its deadline (the longest
 * `timeout_seconds` of its checks, plus a margin) the child tells this process, which ends the
 * child past it: the job's next attempt then only closes the check run as timed out.
 * Inline: jobs run in this process (tests with checks that cannot cross a process boundary).
 *
 * A killed or frozen worker stops renewing its jobs' locks; BullMQ's stalled-job check hands them to
 * another worker, whose attempt takes over the same check run (the run record says which).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { decodeScanJob, type ScanJob } from "../jobs/scan-job.js";
import type { AppMetrics } from "../metrics.js";
import type { JobEnd } from "../run-scan-job.js";
import type { ScanState } from "../state/scan-state.js";
import { ShutdownError } from "../superseded-error.js";
import { QUEUE_NAME } from "./bull-scan-queue.js";
import { recordJobEnd, recordJobFailure, type JobRunner } from "./scan-queue.js";
import { redisAnswers } from "../state/redis-answers.js";

/** What a sandboxed child reports back per job: the parent keeps the metrics. */
export interface ProcessorResult {
  readonly end: JobEnd;
  readonly writes: number;
  readonly retries: number;
}

/** Progress a child sends once it knows how long its scan may take. */
export interface DeadlineProgress {
  readonly pid: number;
  readonly deadlineAt: number;
}

export type ProcessorChoice =
  | { readonly kind: "sandboxed"; readonly env?: NodeJS.ProcessEnv }
  | { readonly kind: "inline"; readonly run: JobRunner };

export interface QueueWorkerOptions {
  readonly redisUrl: string;
  readonly concurrency: number;
  readonly processor: ProcessorChoice;
  readonly state: ScanState;
  readonly metrics: AppMetrics;
  readonly log: Logger;
  /** BullMQ lock: a job whose worker does not renew it for this long is stalled. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
}

export function sandboxedProcessorPath(): string {
  const beside = fileURLToPath(new URL("./sandboxed-processor.js", import.meta.url));
  if (existsSync(beside)) return beside;
  // Running from src/ (tests): the compiled processor, which `npm run build` writes.
  return fileURLToPath(new URL("../../../dist/app/queue/sandboxed-processor.js", import.meta.url));
}

export class QueueWorker {
  private readonly worker: Worker;
  private readonly connection: Redis;
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: QueueWorkerOptions) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on("error", () => undefined);
    const { processor } = options;
    const common = {
      connection: this.connection,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      // A job whose worker died twice is not tried a third time by the stalled check alone.
      maxStalledCount: 2,
      skipVersionCheck: true,
    };
    this.worker =
      processor.kind === "sandboxed"
        ? new Worker(QUEUE_NAME, sandboxedProcessorPath(), { ...common, workerForkOptions: { env: processor.env ?? process.env, stdio: "inherit" } })
        : new Worker(QUEUE_NAME, (job: Job) => this.runInline(job, processor.run), common);
    this.worker.on("error", (error) => options.log.warn({ err: { message: error.message } }, "queue worker error"));
    this.worker.on("stalled", (jobId) => {
      options.metrics.jobsStalled.inc();
      options.log.warn({ jobId }, "job stalled (its worker died or froze); another worker takes it");
    });
    this.worker.on("progress", (job, progress) => this.armDeadline(job, progress));
    if (processor.kind === "sandboxed") {
      // Inline runners measure themselves (measuredRunner); a child's job is measured here.
      this.worker.on("active", (job) => {
        const acceptedAt = (job.data as { acceptedAt?: unknown }).acceptedAt;
        if (job.attemptsMade === 0 && typeof acceptedAt === "number") options.metrics.queueWait.observe(Math.max(0, Date.now() - acceptedAt) / 1000);
      });
    }
    this.worker.on("completed", (job, result: ProcessorResult | undefined) => {
      this.disarm(job.id);
      if (processor.kind === "sandboxed") this.recordChild(job, result);
    });
    this.worker.on("failed", (job, error) => {
      if (!job) return;
      this.disarm(job.id);
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (processor.kind === "sandboxed") {
        recordJobFailure(options.metrics, final, job.processedOn ? Math.max(0, Date.now() - job.processedOn) / 1000 : undefined);
      }
      options.log.warn({ jobId: job.id, attemptsMade: job.attemptsMade, final, err: { message: error.message } }, "job attempt failed");
    });
  }

  /** Whether the worker's Redis answers. */
  async healthy(): Promise<boolean> {
    return redisAnswers(this.connection);
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for running ones. Past it, they are stopped: inline
   * ones are aborted and hand their job back; sandboxed children are ended, and the jobs, left
   * with expiring locks, are taken by another worker.
   */
  async close(graceMs: number): Promise<void> {
    const closing = this.worker.close();
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (late) {
      this.shutdown.abort(new ShutdownError(true));
      await this.worker.close(true).catch(() => undefined);
    }
    for (const t of this.deadlines.values()) clearTimeout(t);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private async runInline(job: Job, run: JobRunner): Promise<JobEnd> {
    const decoded: ScanJob = decodeScanJob(job.data);
    const number = job.attemptsMade + 1;
    return run(decoded, { number, final: number >= (job.opts.attempts ?? 1), resumed: job.attemptsStarted > 1, signal: this.shutdown.signal });
  }

  private armDeadline(job: Job, progress: unknown): void {
    const p = progress as Partial<DeadlineProgress> | undefined;
    if (!job.id || typeof p?.pid !== "number" || typeof p.deadlineAt !== "number") return;
    this.disarm(job.id);
    const jobId = job.id;
    const pid = p.pid;
    const timer = setTimeout(async () => {
      this.deadlines.delete(jobId);
      this.options.log.error({ jobId, pid }, "scan ran past its deadline; ending its processor");
      const run = await this.options.state.getRun(jobId).catch(() => undefined);
      if (run) await this.options.state.putRun(jobId, { ...run, timedOut: true }).catch(() => undefined);
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, Math.max(0, p.deadlineAt - Date.now()));
    timer.unref();
    this.deadlines.set(jobId, timer);
  }

  private disarm(jobId: string | undefined): void {
    if (!jobId) return;
    clearTimeout(this.deadlines.get(jobId));
    this.deadlines.delete(jobId);
  }

  private recordChild(job: Job, result: ProcessorResult | undefined): void {
    if (!result) return;
    const { metrics } = this.options;
    const acceptedAt = (job.data as { acceptedAt?: unknown }).acceptedAt;
    recordJobEnd(metrics, result.end, typeof acceptedAt === "number" ? acceptedAt : Date.now(), job.processedOn ? Math.max(0, Date.now() - job.processedOn) / 1000 : 0);
    const installation = String((job.data as { installationId?: unknown }).installationId ?? "none");
    if (result.writes > 0) metrics.githubWrites.inc({ installation }, result.writes);
    if (result.retries > 0) metrics.githubRetries.inc({ status: "child" }, result.retries);
  }
}
