/**
 * Composes the app: the webhook side (webhook-side.ts) enqueues jobs; the runner (run-scan-job.ts)
 * works them off a queue. Without `REDIS_URL` the queue is in this process. With it, jobs go to
 * BullMQ on Redis, and this process also works them when `WORKER_CONCURRENCY` > 0 (sandboxed
 * child processes by default). `idle()` lets tests and benchmarks wait for the work, `close()`
 * shuts down gracefully.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { pino, type Logger } from "pino";
import type { ApplicationFunction, Probot } from "probot";
import type { Check, Services } from "../core/types.js";
import { AuditTrail } from "./audit-trail.js";
import type { AppEnv } from "./env.js";
import type { RetryOptions } from "./github/transient-retry.js";
import { loadEnv } from "./env.js";
import { createHttpEndpoints } from "./http-endpoints.js";
import { createMetrics, type AppMetrics } from "./metrics.js";
import { BullScanQueue } from "./queue/bull-scan-queue.js";
import { InProcessQueue } from "./queue/in-process-queue.js";
import { QueueWorker, type ProcessorChoice } from "./queue/queue-worker.js";
import { measuredRunner, type ScanQueue } from "./queue/scan-queue.js";
import { createRunner, createRunnerDeps } from "./runtime.js";
import { MemoryScanState } from "./state/memory-scan-state.js";
import { RedisScanState } from "./state/redis-scan-state.js";
import type { ScanState } from "./state/scan-state.js";
import { webhookBodyLimit } from "./webhook-body-limit.js";
import { registerWebhookHandlers } from "./webhook-side.js";

export interface AppOptions {
  /** Defaults to `process.env`, validated with `loadEnv`. */
  readonly env?: AppEnv;
  /** Defaults to the built-in checks. */
  readonly checks?: readonly Check[];
  /** Clients injected into checks; defaults to ones built from the environment. */
  readonly services?: Services;
  readonly metrics?: AppMetrics;
  /** Defaults to memory without REDIS_URL, Redis with it. */
  readonly state?: ScanState;
  /**
   * Queue mode only: how this process's workers run jobs. Default sandboxed child processes, which
   * build their own checks and services from the environment; "inline" runs them here, with
   * `checks` and `services` (tests).
   */
  readonly processor?: "sandboxed" | "inline";
  /** Environment handed to sandboxed children (default `process.env`). */
  readonly childEnv?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Retry and polling tempo (tests make it fast; production keeps the defaults). */
  readonly tuning?: AppTuning;
  /** The audit trail; default one opened from DATA_DIR / DATABASE_URL on first use. */
  readonly audit?: AuditTrail;
  /** `POST /api/v1/scan` (src/posture/api), built by the server once the audit store is open. */
  readonly scanApi?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** `GET /api/v1/audit` (src/posture/api), built with the scan API. */
  readonly auditApi?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** `/dashboard` (src/posture/dashboard), built by the server. */
  readonly dashboard?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface AppTuning {
  readonly retry?: RetryOptions;
  readonly jobAttempts?: number;
  readonly jobBackoffMs?: number;
  readonly headPollMs?: number;
}

export interface PrSentinelApp {
  readonly appFn: ApplicationFunction;
  readonly metrics: AppMetrics;
  /** Resolves when no job is waiting or running (in queue mode: in the whole queue). */
  idle(): Promise<void>;
  /** Stops taking jobs, gives running ones `graceMs`, then stops them and closes connections. */
  close(graceMs?: number): Promise<void>;
}

export function createApp(options: AppOptions = {}): PrSentinelApp {
  const env = options.env ?? loadEnv();
  const metrics = options.metrics ?? createMetrics();
  const redisUrl = env.REDIS_URL;
  const state = options.state ?? (redisUrl ? new RedisScanState(new Redis(redisUrl, { maxRetriesPerRequest: 2 })) : new MemoryScanState());
  let queue: ScanQueue | undefined;
  let worker: QueueWorker | undefined;
  let ready = false;
  let audit = options.audit;

  const appFn: ApplicationFunction = (app: Probot, { addHandler }) => {
    const log = options.logger ?? (app.log as unknown as Logger) ?? pino();
    audit ??= new AuditTrail(env, log, { runRetention: true });
    if (redisUrl && !env.DATABASE_URL) {
      log.warn("queue mode without DATABASE_URL: each host writes its own SQLite audit trail under DATA_DIR; set DATABASE_URL for one trail");
    }
    const runnerDeps = () =>
      createRunnerDeps({
        env,
        auth: (id) => app.auth(id) as never,
        state,
        metrics,
        log,
        checks: options.checks,
        services: options.services,
        retry: options.tuning?.retry,
        headPollMs: options.tuning?.headPollMs,
        audit,
      });
    if (redisUrl) {
      queue = new BullScanQueue(redisUrl, { attempts: options.tuning?.jobAttempts, backoffMs: options.tuning?.jobBackoffMs });
      if (env.WORKER_CONCURRENCY > 0) {
        const processor: ProcessorChoice =
          options.processor === "inline"
            ? { kind: "inline", run: measuredRunner(createRunner(runnerDeps()), metrics) }
            : { kind: "sandboxed", env: options.childEnv ?? process.env };
        worker = new QueueWorker({
          redisUrl,
          concurrency: env.WORKER_CONCURRENCY,
          processor,
          state,
          metrics,
          log,
          lockDurationMs: env.QUEUE_LOCK_SECONDS * 1000,
          stalledIntervalMs: (env.QUEUE_LOCK_SECONDS * 1000) / 2,
        });
      }
    } else {
      // Scans wait mostly on GitHub (paced writes), so more of them run at once than engines do.
      queue = new InProcessQueue(measuredRunner(createRunner(runnerDeps()), metrics), {
        concurrency: env.WORKER_CONCURRENCY * 4,
        attempts: options.tuning?.jobAttempts,
        backoffMs: options.tuning?.jobBackoffMs,
        onError: (job, error, final) =>
          log.warn({ delivery: job.deliveryId, final, err: { message: (error as Error).message } }, final ? "job failed for good" : "job failed; will be tried again"),
      });
    }
    const activeQueue = queue;
    // The API before the webhook body limit: that one refuses chunked bodies and allows 25 MB, the
    // API counts its own (2 MB by default). The dashboard's small forms pass the limit.
    if (options.scanApi) addHandler(options.scanApi);
    if (options.auditApi) addHandler(options.auditApi);
    addHandler(webhookBodyLimit());
    if (options.dashboard) addHandler(options.dashboard);
    addHandler(
      createHttpEndpoints(metrics, {
        ready: () => ready,
        queue: activeQueue,
        worker: () => worker,
      }),
    );
    registerWebhookHandlers(app, { queue: () => activeQueue, state, metrics });
    ready = true;
  };

  return {
    appFn,
    metrics,
    async idle() {
      await queue?.idle();
    },
    async close(graceMs = env.SHUTDOWN_GRACE_SECONDS * 1000) {
      ready = false;
      await Promise.all([worker?.close(graceMs), queue?.close(graceMs)]);
      await state.close();
      await audit?.close();
    },
  };
}
