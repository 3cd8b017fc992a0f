/**
 * One installation-scoped client per installation, kept while it is used: its token is renewed by
 * Octokit's auth hook, and its write pacing is the installation's own (Octokit's throttling keys
 * its limiters by installation id; in queue mode Bottleneck shares them through Redis). Every client
 * is instrumented (requests and writes by installation) and retries transient answers.
 */
import type { Logger } from "pino";
import type { GitHubClient } from "../../sources/github/octokit.js";
import { instrumentOctokit, type AppMetrics } from "../metrics.js";
import { cacheConfigReads } from "./config-read-cache.js";
import { retryTransientErrors, type RetryOptions } from "./transient-retry.js";

export type InstallationAuth = (installationId: number) => Promise<GitHubClient>;

export function installationClients(
  auth: InstallationAuth,
  options: { metrics: AppMetrics; log: Logger; retry?: RetryOptions; max?: number },
): (installationId: number) => Promise<GitHubClient> {
  const clients = new Map<number, Promise<GitHubClient>>();
  const max = options.max ?? 2_000;
  return (installationId) => {
    const known = clients.get(installationId);
    if (known) {
      clients.delete(installationId);
      clients.set(installationId, known);
      return known;
    }
    const created = auth(installationId).then((octokit) => {
      // Innermost first: the instrumentation counts each attempt the retry layer makes, and the
      // config cache, outermost, answers repeated config reads without a request.
      instrumentOctokit(octokit, options.metrics, String(installationId));
      retryTransientErrors(octokit, {
        ...options.retry,
        onRetry(info) {
          options.metrics.githubRetries.inc({ status: String(info.status) });
          options.log.warn({ installation: installationId, ...info }, "GitHub answered with a transient error; retrying");
        },
      });
      cacheConfigReads(octokit);
      return octokit;
    });
    created.catch(() => clients.delete(installationId));
    clients.set(installationId, created);
    if (clients.size > max) clients.delete(clients.keys().next().value!);
    return created;
  };
}
