/**
 * Prometheus metrics for operators. One registry per app instance (not prom-client's global one) so
 * that several app instances in one process, as in the tests, do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Finding } from "../core/types.js";
import type { GitHubClient } from "../sources/github/octokit.js";

export type ScanOutcome = "success" | "failure" | "neutral" | "action_required" | "cancelled" | "error";

export interface AppMetrics {
  readonly registry: Registry;
  readonly webhooksReceived: Counter<"event">;
  readonly scans: Counter<"outcome">;
  readonly scanDuration: Histogram<"outcome">;
  readonly engineDuration: Histogram;
  readonly findings: Counter<"check" | "severity">;
  readonly githubRequests: Counter<"method" | "status">;
  readonly rateLimitRemaining: Gauge<"installation">;
  readonly githubWrites: Counter<"installation">;
  readonly githubRetries: Counter<"status">;
  readonly queueDepth: Gauge<"state">;
  readonly queueWait: Histogram;
  readonly jobDuration: Histogram<"outcome">;
  readonly jobs: Counter<"outcome">;
  readonly jobRetries: Counter;
  readonly jobsStalled: Counter;
  recordFindings(findings: readonly Finding[]): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "pr_sentinel_" });
  const registers = [registry];
  const findings = new Counter({
    name: "pr_sentinel_findings_total",
    help: "Findings reported, by check and severity",
    labelNames: ["check", "severity"] as const,
    registers,
  });
  return {
    registry,
    webhooksReceived: new Counter({
      name: "pr_sentinel_webhooks_received_total",
      help: "Webhook deliveries handled, by event name",
      labelNames: ["event"] as const,
      registers,
    }),
    scans: new Counter({
      name: "pr_sentinel_scans_total",
      help: "Scans finished, by check-run conclusion (error: the scan crashed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    scanDuration: new Histogram({
      name: "pr_sentinel_scan_duration_seconds",
      help: "From webhook to the end of the scan (check run, review and summary comment written)",
      labelNames: ["outcome"] as const,
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers,
    }),
    engineDuration: new Histogram({
      name: "pr_sentinel_engine_duration_seconds",
      help: "The engine's own time, from files listed to findings ready",
      buckets: [0.01, 0.05, 0.1, 0.3, 1, 3, 10],
      registers,
    }),
    findings,
    githubRequests: new Counter({
      name: "pr_sentinel_github_requests_total",
      help: "GitHub API requests made, by method and response status",
      labelNames: ["method", "status"] as const,
      registers,
    }),
    rateLimitRemaining: new Gauge({
      name: "pr_sentinel_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the latest GitHub response, by installation",
      labelNames: ["installation"] as const,
      registers,
    }),
    githubWrites: new Counter({
      name: "pr_sentinel_github_writes_total",
      help: "GitHub API writes (POST, PATCH, PUT, DELETE, GraphQL mutations included), by installation",
      labelNames: ["installation"] as const,
      registers,
    }),
    githubRetries: new Counter({
      name: "pr_sentinel_github_retries_total",
      help: "GitHub requests retried after a transient answer (5xx, secondary rate limit, network), by status",
      labelNames: ["status"] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: "pr_sentinel_queue_depth",
      help: "Scan jobs in the queue, by state (waiting, active, delayed)",
      labelNames: ["state"] as const,
      registers,
    }),
    queueWait: new Histogram({
      name: "pr_sentinel_queue_wait_seconds",
      help: "From webhook accepted to job started",
      buckets: [0.05, 0.25, 1, 4, 16, 64, 256],
      registers,
    }),
    jobDuration: new Histogram({
      name: "pr_sentinel_job_duration_seconds",
      help: "One job attempt, from start to end, by how it ended",
      labelNames: ["outcome"] as const,
      buckets: [0.05, 0.25, 1, 4, 16, 64, 256],
      registers,
    }),
    jobs: new Counter({
      name: "pr_sentinel_jobs_total",
      help: "Scan jobs ended, by outcome (a check-run conclusion, superseded-before-start, duplicate, retry, failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    jobRetries: new Counter({ name: "pr_sentinel_job_retries_total", help: "Job attempts that failed and were scheduled again", registers }),
    jobsStalled: new Counter({ name: "pr_sentinel_jobs_stalled_total", help: "Jobs whose worker died or stopped renewing its lock, taken over by another", registers }),
    recordFindings(list) {
      for (const f of list) findings.inc({ check: f.checkId, severity: f.severity });
    },
  };
}

/** Counts every request an installation client makes and tracks the remaining primary rate limit. */
export function instrumentOctokit(octokit: GitHubClient, metrics: AppMetrics, installation: string): void {
  octokit.hook.wrap("request", async (request, options) => {
    const method = String(options.method ?? "GET");
    if (method !== "GET" && method !== "HEAD") metrics.githubWrites.inc({ installation });
    try {
      const response = await request(options);
      metrics.githubRequests.inc({ method, status: String(response.status) });
      trackRateLimit(response.headers as Record<string, string | undefined>, metrics, installation);
      return response;
    } catch (error) {
      const failed = error as { status?: number; response?: { headers?: Record<string, string | undefined> } };
      metrics.githubRequests.inc({ method, status: String(failed.status ?? "error") });
      if (failed.response?.headers) trackRateLimit(failed.response.headers, metrics, installation);
      throw error;
    }
  });
}

function trackRateLimit(headers: Record<string, string | undefined>, metrics: AppMetrics, installation: string): void {
  const remaining = Number(headers["x-ratelimit-remaining"]);
  if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set({ installation }, remaining);
}
