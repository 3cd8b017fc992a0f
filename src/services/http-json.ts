/**
 * One bounded JSON request, the way every data client here needs it: a time limit per attempt, a
 * body size cap (a broken or hostile server must not make us buffer gigabytes), one retry on
 * transient failures (network errors, timeouts, 429 and 5xx), and the answer validated with zod.
 * Failures become `HttpJsonError` with one line that says what went wrong and where, never the body.
 */
import type { z } from "zod";
import { readBounded } from "./read-bounded.js";

export interface HttpJsonRequest<T> {
  readonly url: string;
  readonly method?: "GET" | "POST";
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly schema: z.ZodType<T>;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Per attempt. Default 15 s. */
  readonly timeoutMs?: number;
  /** Default 32 MiB (OSV's own response cap on HTTP/1.1). */
  readonly maxBytes?: number;
  /** Extra attempts after a transient failure. Default 1. */
  readonly retries?: number;
  /** Statuses that are an answer, not a failure (e.g. 404 for "no such package"): resolved as `{ status }`. */
  readonly acceptStatus?: readonly number[];
  /** Wait before a retry, in ms. Default 250. */
  readonly retryDelayMs?: number;
}

export type HttpJsonResult<T> = { readonly status: 200; readonly data: T } | { readonly status: number; readonly data?: undefined };

export class HttpJsonError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "HttpJsonError";
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export async function requestJson<T>(request: HttpJsonRequest<T>): Promise<HttpJsonResult<T>> {
  const retries = request.retries ?? 1;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(request);
    } catch (error) {
      const transient = error instanceof TransientError;
      if (!transient || attempt >= retries || request.signal?.aborted) {
        throw error instanceof HttpJsonError ? error : new HttpJsonError((error as Error).message, (error as TransientError).status);
      }
      await sleep(request.retryDelayMs ?? 250, request.signal);
    }
  }
}

/** A failure worth one more try. */
class TransientError extends HttpJsonError {}

async function attemptOnce<T>(request: HttpJsonRequest<T>): Promise<HttpJsonResult<T>> {
  const where = describeUrl(request.url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(request.url, {
      method: request.method ?? "GET",
      headers: { accept: "application/json", ...(request.body !== undefined ? { "content-type": "application/json" } : {}), ...request.headers },
      body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
      signal,
      redirect: "follow",
    });
  } catch (error) {
    if (request.signal?.aborted) throw new HttpJsonError(`${where}: cancelled`);
    if (timeout.aborted) throw new TransientError(`${where}: no answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new TransientError(`${where}: cannot connect (${causeOf(error)})`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    if (request.acceptStatus?.includes(response.status)) return { status: response.status };
    const message = `${where}: HTTP ${response.status}`;
    if (response.status === 429 || response.status >= 500) throw new TransientError(message, response.status);
    throw new HttpJsonError(message, response.status);
  }
  let body: Buffer | undefined;
  try {
    body = response.body ? await readBounded(response.body, request.maxBytes ?? DEFAULT_MAX_BYTES) : Buffer.alloc(0);
  } catch (error) {
    if (timeout.aborted) throw new TransientError(`${where}: the answer did not arrive within ${Math.round(timeoutMs / 1000)} s`);
    throw new TransientError(`${where}: the answer was cut off (${causeOf(error)})`);
  }
  if (body === undefined) throw new HttpJsonError(`${where}: the answer is larger than ${Math.round((request.maxBytes ?? DEFAULT_MAX_BYTES) / 1024 / 1024)} MiB`);
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpJsonError(`${where}: the answer is not JSON`);
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpJsonError(`${where}: unexpected answer (${issue.path.join(".") || "top level"}: ${issue.message})`);
  }
  return { status: 200, data: parsed.data };
}

/** Scheme, host and path, never a query string (which could carry a token): how every message here opens. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "the service";
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? "unknown error";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
