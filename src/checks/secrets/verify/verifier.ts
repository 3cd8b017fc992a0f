/**
 * The live verifier the app and the CLI inject when the operator enables it. Every request is
 * bounded in time and size, redirects are refused (a credential is never forwarded elsewhere),
 * concurrency is capped, and nothing here throws or logs: the worst outcome is `unknown`.
 */
import { readBounded } from "../../../services/read-bounded.js";
import { limitConcurrency } from "../../../core/limit-concurrency.js";
import { DEFAULT_BASE_URLS, PROVIDERS, type BaseUrls, type ProviderCall } from "./providers.js";
import type { SecretVerifier, VerificationRequest, VerificationResult } from "./types.js";

export interface SecretVerifierOptions {
  readonly fetch?: typeof fetch;
  /** Tests point these at loopback fakes. */
  readonly baseUrls?: Partial<BaseUrls>;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly now?: () => Date;
}

const MAX_BODY_BYTES = 64 * 1024;

export function createSecretVerifier(options: SecretVerifierOptions = {}): SecretVerifier {
  const baseUrls: BaseUrls = { ...DEFAULT_BASE_URLS, ...options.baseUrls };
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const limit = limitConcurrency(options.concurrency ?? 4);

  return {
    supports: (verifier) => Object.hasOwn(PROVIDERS, verifier),
    async verify(request: VerificationRequest, signal?: AbortSignal): Promise<VerificationResult> {
      const provider = Object.hasOwn(PROVIDERS, request.verifier) ? PROVIDERS[request.verifier] : undefined;
      if (!provider) return { status: "unknown", detail: "no verifier" };
      return limit(async () => {
        const call: ProviderCall = async (url, init) => {
          const timeout = AbortSignal.timeout(timeoutMs);
          const response = await fetchImpl(url, {
            ...init,
            redirect: "manual",
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
          return { status: response.status, body: await readBody(response) };
        };
        try {
          return await provider({ secret: request.secret, related: request.related ?? [], baseUrls, call, now });
        } catch (error) {
          const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
          return { status: "unknown", detail: timedOut ? "timed out" : "request failed" };
        }
      });
    },
  };
}

/** JSON when the body parses, else text; at most `MAX_BODY_BYTES`. */
async function readBody(response: Response): Promise<unknown> {
  if (!response.body) return undefined;
  const body = await readBounded(response.body, MAX_BODY_BYTES);
  if (body === undefined) return undefined;
  const text = body.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

