/**
 * The BullMQ sandboxed processor: runs in a child process of a queue worker, one job at a time.
 * It builds its runtime once from the environment it inherited (app id and key, Redis, service
 * URLs), decodes the job (Redis is a trust boundary), runs it, and reports the metrics the parent
 * keeps. It tells the parent its deadline as soon as the engine starts, so a check that never yields
 * ends with its process rather than holding the slot for ever.
 */
import type { SandboxedJob } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { Probot } from "probot";
import { githubBaseUrl, loadWorkerEnv } from "../env.js";
import { PrSentinelOctokit } from "../github/pr-sentinel-octokit.js";
import { decodeScanJob } from "../jobs/scan-job.js";
import { createMetrics } from "../metrics.js";
import { AuditTrail } from "../audit-trail.js";
import { createRunner, createRunnerDeps } from "../runtime.js";
import { RedisScanState } from "../state/redis-scan-state.js";
import { readPrivateKey } from "../github/private-key.js";
import type { DeadlineProgress, ProcessorResult } from "./queue-worker.js";

type Runtime = { run: ReturnType<typeof createRunner>; metrics: ReturnType<typeof createMetrics> };
let runtime: Runtime | undefined;

function buildRuntime(): Runtime {
  const env = loadWorkerEnv(process.env);
  const log = pino({ level: env.LOG_LEVEL, base: { name: "pr-sentinel-worker", pid: process.pid } });
  const probot = new Probot({
    appId: env.APP_ID,
    privateKey: readPrivateKey(env),
    baseUrl: githubBaseUrl(env),
    Octokit: PrSentinelOctokit,
    log,
    redisConfig: env.REDIS_URL,
  });
  const metrics = createMetrics({ defaultMetrics: false });
  // Commands wait through a short Redis outage (reconnecting) rather than fail the scan.
  const state = new RedisScanState(new Redis(env.REDIS_URL!, { maxRetriesPerRequest: 20 }));
  const deps = createRunnerDeps({
    env,
    // The child runs one job at a time: one engine slot.
    engineConcurrency: 1,
    // Records its own check runs; retention is the parent's (the app server's or the worker's).
    audit: new AuditTrail(env, log, { runRetention: false }),
    auth: (id) => probot.auth(id) as never,
    state,
    metrics,
    log,
  });
  return { run: createRunner(deps), metrics };
}

async function total(counter: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);
}

export default async function processScanJob(job: SandboxedJob): Promise<ProcessorResult> {
  runtime ??= buildRuntime();
  const { run, metrics } = runtime;
  const decoded = decodeScanJob(job.data);
  const number = job.attemptsMade + 1;
  const writesBefore = await total(metrics.githubWrites);
  const retriesBefore = await total(metrics.githubRetries);
  const end = await run(decoded, {
    number,
    final: number >= (job.opts.attempts ?? 1),
    // Started before (failed, stalled, handed back): the check run may exist unrecorded.
    resumed: (job.attemptsStarted ?? 0) > 1,
    reportDeadline(deadlineAt) {
      const progress: DeadlineProgress = { pid: process.pid, deadlineAt };
      void job.updateProgress(progress as unknown as object);
    },
  });
  return { end, writes: (await total(metrics.githubWrites)) - writesBefore, retries: (await total(metrics.githubRetries)) - retriesBefore };
}
