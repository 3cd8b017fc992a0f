/**
 * Retries what GitHub means as "later", not "no": 5xx, secondary rate limits (403/429 with
 * `retry-after` or the "secondary rate limit" message), an exhausted primary limit, and network
 * errors. Waits with exponential backoff and full jitter, never less than `retry-after` says. A
 * wait longer than `maxWaitMs` is not slept through: the error goes up, and the job is retried
 * later by the queue instead of holding a worker slot.
 *
 * This is the app's one retry layer: Octokit's retry plugin is switched off (pr-sentinel-octokit.ts)
 * so attempts do not multiply, and the throttling plugin still paces writes under it.
 */
import type { GitHubClient } from "../../sources/github/octokit.js";

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (info: { method: string; url: string; status: number | "network"; waitMs: number; attempt: number }) => void;
}

interface FailedRequest {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | undefined> };
}

export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly waitMs: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** How long GitHub asks us to wait, or undefined when the error is not transient. */
export function transientWait(error: unknown, now = Date.now()): { waitMs: number; status: number | "network" } | undefined {
  const failed = error as FailedRequest;
  if (failed?.name === "AbortError") return undefined;
  const status = failed?.status;
  const headers = failed?.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (status === undefined || status === 0) return { waitMs: 0, status: "network" };
  if (status >= 500) return { waitMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0, status };
  if (status === 403 || status === 429) {
    if (Number.isFinite(retryAfter)) return { waitMs: retryAfter * 1000, status };
    if (/secondary rate limit/i.test(failed.message ?? "")) return { waitMs: 60_000, status };
    if (headers["x-ratelimit-remaining"] === "0") {
      const reset = Number(headers["x-ratelimit-reset"]) * 1000;
      return { waitMs: Number.isFinite(reset) ? Math.max(0, reset - now) : 60_000, status };
    }
    if (status === 429) return { waitMs: 0, status };
  }
  return undefined;
}

// Octokit wraps a failed fetch as a RequestError with status 500 and a message from the fetch
// error; both that and a plain network error are transient.
function isNetworkError(error: unknown): boolean {
  const failed = error as FailedRequest & { cause?: unknown };
  return failed?.status === undefined && failed?.name !== "AbortError";
}

export function retryTransientErrors(octokit: GitHubClient, options: RetryOptions = {}): void {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const maxWait = options.maxWaitMs ?? 30_000;
  const sleep = options.sleep ?? ((ms, signal) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  }));
  const random = options.random ?? Math.random;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const wait = transientWait(error) ?? (isNetworkError(error) ? { waitMs: 0, status: "network" as const } : undefined);
        if (!wait) throw error;
        const backoff = random() * base * 2 ** (attempt - 1);
        const waitMs = Math.round(Math.max(wait.waitMs, backoff));
        if (attempt >= attempts || waitMs > maxWait) {
          throw new RetryLaterError(
            `GitHub answered ${wait.status === "network" ? "with a network error" : wait.status} to ${String(requestOptions.method)} ${String(requestOptions.url)} after ${attempt} attempt(s): ${(error as Error).message}`,
            waitMs,
            error,
          );
        }
        options.onRetry?.({ method: String(requestOptions.method), url: String(requestOptions.url), status: wait.status, waitMs, attempt });
        await sleep(waitMs, (requestOptions.request as { signal?: AbortSignal } | undefined)?.signal);
      }
    }
  });
}
