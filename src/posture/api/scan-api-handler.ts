/**
 * `POST /api/v1/scan`: another tool asks for a scan without a pull request. Added to the app's
 * server like /healthz (`(req, res) => Promise<boolean>`, true when it answered). In order:
 *   1. the route (anything else is not ours: false);
 *   2. the token (401 missing or invalid, 403 revoked or without the `scan` scope), then its rate
 *      (429 + Retry-After): api-guard.ts, shared with the other endpoints;
 *   3. the body's type (415) and declared size (413), before a byte of it is read;
 *   4. a place in the scan queue (503 + Retry-After when every slot and place is taken);
 *   5. the body, read within its limit (413, 408), and validated (400 naming what is wrong);
 *   6. the scan, when a slot is free: the engine's JSON report (or SARIF), 200 whatever the verdict.
 * Scans run offline unless the operator passes services (SCAN_API_SERVICES); a check that could not
 * run says so in the report's outcomes. Each request is logged once, by token label, never with
 * the token or anything from the body but counts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { runScan } from "../../core/engine.js";
import type { Check, ScanResult, Services } from "../../core/types.js";
import { toJsonReport } from "../../reporters/json.js";
import { renderSarif } from "../../reporters/sarif.js";
import { projectUrlOf } from "../../core/docs-url.js";
import { toolVersion } from "../../tool-version.js";
import { createApiGuard, type ApiGuard, logToken } from "./api-guard.js";
import { sendProblem, type Problem } from "./problem.js";
import { declaredLength, hasUnreadBody, readBoundedBody } from "./read-body.js";
import { ScanGate } from "./scan-gate.js";
import { parseScanRequest, ScanRequestError, type ScanPlan } from "./scan-request.js";
import type { ScanApiLimits } from "./scan-api-env.js";
import { scanApiLimits } from "./scan-api-env.js";
import type { ApiTokenStore } from "./token-store.js";

export const SCAN_PATH = "/api/v1/scan";

export interface ScanApiOptions {
  readonly tokens: ApiTokenStore;
  readonly checks: readonly Check[];
  readonly logger: Logger;
  readonly limits?: Partial<ScanApiLimits>;
  /** The network services API scans may use; without them scans run offline. */
  readonly services?: Services;
  readonly docsBaseUrl?: string;
  /** Milliseconds clock for rate limits (tests move it); unused with `guard`. */
  readonly now?: () => number;
  /** The server's shared guard (one rate per token across endpoints); default one over `tokens`. */
  readonly guard?: ApiGuard;
}

export type ScanApiHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** Scans running and places held (bodies being read or waiting), for metrics and tests. */
  readonly stats: () => { readonly running: number; readonly waiting: number };
};

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

interface RequestLog {
  token?: string;
  tokenId?: number;
  bytes?: number;
  input?: string;
  files?: number;
  findings?: number;
  conclusion?: string;
  queuedMs?: number;
  reason?: string;
}

export function createScanApiHandler(options: ScanApiOptions): ScanApiHandler {
  const limits = { ...scanApiLimits(), ...options.limits };
  const gate = new ScanGate({ concurrency: limits.concurrency, queue: limits.queue });
  const guard = options.guard ?? createApiGuard({ tokens: options.tokens, ...(options.now ? { now: options.now } : {}) });
  const logger = options.logger.child({ component: "scan-api" });
  let averageScanMs = 1000;

  const handle = async (req: IncomingMessage, res: ServerResponse, log: RequestLog): Promise<void> => {
    const fail = (problem: Problem) => {
      log.reason = problem.kind;
      // A body left unread is not drained: the connection is closed after the answer instead.
      sendProblem(res, { ...problem, close: problem.close ?? hasUnreadBody(req) });
    };
    if (req.method !== "POST") return fail({ kind: "method-not-allowed", detail: `${SCAN_PATH} takes POST`, headers: { allow: "POST" } });

    const admitted = await guard.admit(req, "scan");
    logToken(log, admitted);
    if (!admitted.ok) return fail(admitted.problem);

    if (!JSON_TYPE.test(req.headers["content-type"] ?? "")) {
      return fail({ kind: "unsupported-media-type", detail: "send the body as `Content-Type: application/json` (UTF-8)", headers: { accept: "application/json" } });
    }
    const declared = declaredLength(req);
    if (declared !== undefined && declared > limits.maxBodyBytes) {
      log.bytes = declared;
      return fail({ kind: "body-too-large", detail: `the body declares ${declared} bytes; the limit is ${limits.maxBodyBytes}` });
    }

    const place = gate.enter();
    if (!place) {
      const retry = Math.min(60, Math.max(1, Math.ceil(((limits.queue / limits.concurrency + 1) * averageScanMs) / 1000)));
      return fail({ kind: "queue-full", detail: `${limits.concurrency} scans are running and ${limits.queue} waiting; retry later`, headers: { "retry-after": String(retry) } });
    }
    let plan: ScanPlan;
    try {
      const body = await readBoundedBody(req, limits.maxBodyBytes, limits.bodyTimeoutMs);
      if (!body.ok) {
        place.release();
        log.bytes = body.bytesRead;
        if (body.reason === "too-large") return fail({ kind: "body-too-large", detail: `the body is over the limit of ${limits.maxBodyBytes} bytes`, close: true });
        if (body.reason === "timeout") return fail({ kind: "request-timeout", detail: `the body did not arrive within ${limits.bodyTimeoutMs / 1000}s`, close: true });
        log.reason = "client-aborted";
        res.destroy();
        return;
      }
      log.bytes = body.body.length;
      plan = parseScanRequest(body.body, options.checks);
    } catch (error) {
      place.release();
      if (error instanceof ScanRequestError) return fail({ kind: "invalid-request", detail: error.message.slice(0, 1000), errors: error.errors });
      throw error;
    }
    log.input = plan.input;
    log.files = plan.files.length;
    const queued = performance.now();
    const result = await place.run(async () => {
      log.queuedMs = Math.round(performance.now() - queued);
      const started = performance.now();
      try {
        return await runScan({
          files: plan.files,
          config: plan.config,
          checks: options.checks,
          logger,
          offline: options.services === undefined,
          ...(options.services ? { services: options.services } : {}),
          ...(options.docsBaseUrl ? { docsBaseUrl: options.docsBaseUrl } : {}),
        });
      } finally {
        averageScanMs = averageScanMs * 0.8 + (performance.now() - started) * 0.2;
      }
    });
    log.findings = result.findings.length;
    log.conclusion = result.verdict.conclusion;
    sendReport(res, result, plan, options.docsBaseUrl);
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== SCAN_PATH) return false;
    const started = performance.now();
    const log: RequestLog = {};
    try {
      await handle(req, res, log);
    } catch (error) {
      // Not the caller's fault, and its message may quote internals: logged here, not answered.
      logger.error({ err: { message: (error as Error).message }, token: log.token }, "scan API request failed");
      if (!res.headersSent) sendProblem(res, { kind: "scan-failed", detail: "the server could not complete the scan; the error is in its log", close: hasUnreadBody(req) });
      else res.destroy();
      log.reason ??= "internal-error";
    }
    logger.info({ method: req.method, status: res.statusCode, durationMs: Math.round(performance.now() - started), ...log }, "scan API request");
    return true;
  };
  return Object.assign(handler, { stats: () => gate.stats() });
}

function sendReport(res: ServerResponse, result: ScanResult, plan: ScanPlan, docsBaseUrl: string | undefined): void {
  const text =
    plan.format === "sarif"
      ? renderSarif(result, { toolVersion: toolVersion(), ...(docsBaseUrl ? { informationUri: projectUrlOf(docsBaseUrl) } : {}) })
      : JSON.stringify(toJsonReport(result, { toolVersion: toolVersion() }));
  res.writeHead(200, {
    "content-type": plan.format === "sarif" ? "application/sarif+json" : "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    "x-pr-sentinel-conclusion": result.verdict.conclusion,
  });
  res.end(text);
}
