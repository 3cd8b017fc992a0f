/**
 * Everything a job runner needs, built once per process from the environment: checks, service
 * clients, the state store, installation clients. The app process (in-process queue, or inline
 * queue workers), a queue worker and each sandboxed processor build theirs with this.
 */
import type { Logger } from "pino";
import { builtinChecks } from "../checks/index.js";
import { limitConcurrency } from "../core/limit-concurrency.js";
import type { Check, Services } from "../core/types.js";
import { toolVersion } from "../tool-version.js";
import { createServices } from "../services/create-services.js";
import type { AuditTrail } from "./audit-trail.js";
import type { AppEnv } from "./env.js";
import { installationClients, type InstallationAuth } from "./github/installation-clients.js";
import type { RetryOptions } from "./github/transient-retry.js";
import { loadRepoConfig } from "./github/load-repo-config.js";
import type { AppMetrics } from "./metrics.js";
import { runScanJob, type RunnerDeps } from "./run-scan-job.js";
import type { JobRunner } from "./queue/scan-queue.js";
import type { ScanState } from "./state/scan-state.js";

export interface RuntimeOptions {
  readonly env: AppEnv;
  readonly auth: InstallationAuth;
  readonly state: ScanState;
  readonly metrics: AppMetrics;
  readonly log: Logger;
  readonly checks?: readonly Check[];
  readonly services?: Services;
  /** Engine runs at once in this process (CPU-bound); defaults to WORKER_CONCURRENCY. */
  readonly engineConcurrency?: number;
  readonly retry?: RetryOptions;
  readonly headPollMs?: number;
  /** Where completed check runs are recorded. */
  readonly audit?: AuditTrail;
}

export function createRunnerDeps(options: RuntimeOptions): RunnerDeps {
  const concurrency = Math.max(1, options.engineConcurrency ?? options.env.WORKER_CONCURRENCY);
  return {
    state: options.state,
    octokitFor: installationClients(options.auth, { metrics: options.metrics, log: options.log, ...(options.retry ? { retry: options.retry } : {}) }),
    loadConfig: loadRepoConfig,
    checks: options.checks ?? builtinChecks,
    services: options.services ?? createServices(options.env, { offline: false }),
    metrics: options.metrics,
    toolVersion: toolVersion(),
    log: options.log,
    readConcurrency: Math.max(4, concurrency * 2),
    engineSlot: limitConcurrency(concurrency),
    ...(options.headPollMs ? { headPollMs: options.headPollMs } : {}),
    ...(options.audit ? { audit: () => options.audit!.store() } : {}),
    ...(options.env.PR_SENTINEL_DOCS_URL ? { docsBaseUrl: options.env.PR_SENTINEL_DOCS_URL } : {}),
  };
}

export function createRunner(deps: RunnerDeps): JobRunner {
  return (job, attempt) => runScanJob(job, deps, attempt);
}
