/**
 * `npm run worker`: a queue worker without a webhook side. Takes scan jobs from Redis, runs them in
 * sandboxed child processes, serves `/healthz` (Redis reachable) and `/metrics` on PORT, and on
 * SIGTERM stops taking jobs, lets running ones finish within SHUTDOWN_GRACE_SECONDS, then hands the
 * rest back (their locks lapse and another worker takes them).
 */
import { createServer } from "node:http";
import { Redis } from "ioredis";
import { pino } from "pino";
import { loadWorkerEnv } from "./env.js";
import { createHttpEndpoints } from "./http-endpoints.js";
import { createMetrics } from "./metrics.js";
import { QueueWorker } from "./queue/queue-worker.js";
import { RedisScanState } from "./state/redis-scan-state.js";

async function main(): Promise<void> {
  let env;
  try {
    env = loadWorkerEnv(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const redisUrl = env.REDIS_URL!;
  const log = pino({ level: env.LOG_LEVEL, base: { name: "pr-sentinel-worker" } });
  const metrics = createMetrics();
  const state = new RedisScanState(new Redis(redisUrl, { maxRetriesPerRequest: 2 }));
  const worker = new QueueWorker({
    redisUrl,
    concurrency: Math.max(1, env.WORKER_CONCURRENCY),
    processor: { kind: "sandboxed", env: process.env },
    lockDurationMs: env.QUEUE_LOCK_SECONDS * 1000,
    stalledIntervalMs: (env.QUEUE_LOCK_SECONDS * 1000) / 2,
    state,
    metrics,
    log,
  });
  let ready = true;
  const endpoints = createHttpEndpoints(metrics, { ready: () => ready, worker: () => worker });
  const server = createServer((req, res) => {
    void endpoints(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.listen(env.PORT, env.HOST ?? "localhost");
  log.info({ port: env.PORT, concurrency: env.WORKER_CONCURRENCY }, "pr-sentinel worker taking jobs");
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ready = false;
    log.info({ signal, graceSeconds: env.SHUTDOWN_GRACE_SECONDS }, "worker shutting down");
    void worker
      .close(env.SHUTDOWN_GRACE_SECONDS * 1000)
      .then(() => state.close())
      .finally(() => {
        server.close();
        process.exit(0);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
