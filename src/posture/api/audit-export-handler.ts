/**
 * `GET /api/v1/audit`: the audit trail for auditors' tools, the same records and bytes as
 * `pr-sentinel audit export` (exportAudit writes them), one page per request. In order:
 *   1. the route (anything else is not ours: false), GET only (405);
 *   2. the token, with the `audit` scope, and its rate (api-guard.ts: 401, 403, 429);
 *   3. the query (400 naming each bad parameter, audit-query.ts);
 *   4. an export slot (503 + Retry-After when EXPORT_CONCURRENCY exports are streaming);
 *   5. where the page ends: the key of its last record and whether more follow, read from the
 *      index before anything is sent, because the `Link: <…>; rel="next"` header has to go before
 *      the body (see docs/api.md, "Paging", for why not a trailer or a last line);
 *   6. the page, streamed (never held whole): exportAudit writes through a sink that honours
 *      `write()` returning false (waits for `drain`) and fails the export as soon as the client
 *      disconnects, so a gone client stops the query at the next page boundary.
 * The page is the records after the cursor up to and including the last key found in step 5: a
 * record committed meanwhile inside that range is in this page, never skipped and never in two.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { auditPageEnd, exportAudit, type AuditExportKey, type AuditSink } from "../audit/export.js";
import type { AuditStore } from "../audit/open-store.js";
import { type ApiGuard, logToken } from "./api-guard.js";
import { encodeCursor } from "./audit-cursor.js";
import { AuditQueryError, parseAuditQuery, type AuditQuery } from "./audit-query.js";
import { sendProblem, type Problem } from "./problem.js";
import { hasUnreadBody } from "./read-body.js";
import { ScanGate } from "./scan-gate.js";

export const AUDIT_PATH = "/api/v1/audit";
/** Exports streaming at once per process: each holds a database reader while it reads a page. */
export const EXPORT_CONCURRENCY = 2;
const BUSY_RETRY_SECONDS = 5;

const CONTENT_TYPES = { jsonl: "application/x-ndjson", csv: "text/csv; charset=utf-8" } as const;

export interface AuditApiOptions {
  readonly store: AuditStore;
  /** The server's guard, shared with the scan API (one rate per token). */
  readonly guard: ApiGuard;
  readonly logger: Logger;
  readonly concurrency?: number;
}

export type AuditApiHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  readonly stats: () => { readonly running: number };
};

interface RequestLog {
  token?: string;
  tokenId?: number;
  format?: string;
  repo?: string;
  limit?: number;
  records?: number;
  bytes?: number;
  more?: boolean;
  reason?: string;
}

/** The client went away while its page was being written. */
class ClientGone extends Error {}

export function createAuditApiHandler(options: AuditApiOptions): AuditApiHandler {
  const gate = new ScanGate({ concurrency: options.concurrency ?? EXPORT_CONCURRENCY, queue: 0 });
  const logger = options.logger.child({ component: "audit-api" });

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, log: RequestLog): Promise<void> => {
    const fail = (problem: Problem) => {
      log.reason = problem.kind;
      sendProblem(res, { ...problem, close: problem.close ?? hasUnreadBody(req) });
    };
    if (req.method !== "GET") return fail({ kind: "method-not-allowed", detail: `${AUDIT_PATH} takes GET`, headers: { allow: "GET" } });
    const admitted = await options.guard.admit(req, "audit");
    logToken(log, admitted);
    if (!admitted.ok) return fail(admitted.problem);
    let query: AuditQuery;
    try {
      query = parseAuditQuery(url.searchParams, req.headers.accept);
    } catch (error) {
      if (error instanceof AuditQueryError) return fail({ kind: "invalid-query", detail: error.message.slice(0, 1000), errors: error.errors });
      throw error;
    }
    Object.assign(log, { format: query.format, limit: query.limit, ...(query.repo ? { repo: query.repo } : {}) });
    const place = gate.enter();
    if (!place) return fail({ kind: "exports-busy", detail: `${gate.limits.concurrency} exports are streaming; retry later`, headers: { "retry-after": String(BUSY_RETRY_SECONDS) } });
    await place.run(() => streamPage(req, res, query, log));
  };

  const streamPage = async (req: IncomingMessage, res: ServerResponse, query: AuditQuery, log: RequestLog): Promise<void> => {
    const filters = { ...(query.repo ? { repo: query.repo } : {}), ...(query.since ? { since: query.since } : {}), ...(query.until ? { until: query.until } : {}) };
    const end = await auditPageEnd(options.store, { ...filters, ...(query.cursor ? { after: query.cursor } : {}) }, query.limit);
    log.more = end?.more ?? false;
    // Headers go out with the first bytes, so an error on the first page can still be a 500.
    const start = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        "content-type": CONTENT_TYPES[query.format],
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...(end?.more ? { link: `<${nextPageUrl(query, end.last)}>; rel="next"` } : {}),
        ...(hasUnreadBody(req) ? { connection: "close" } : {}),
      });
    };
    log.bytes = 0;
    const sink = responseSink(res, start, (bytes) => (log.bytes! += bytes));
    log.records = await exportAudit(
      options.store,
      { format: query.format, ...filters, ...(query.cursor ? { after: query.cursor } : {}), ...(end ? { through: end.last } : {}) },
      sink,
    );
    start();
    res.end();
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== AUDIT_PATH) return false;
    const url = new URL(req.url!, "http://localhost");
    const started = performance.now();
    const log: RequestLog = {};
    try {
      await handle(req, res, url, log);
    } catch (error) {
      if (error instanceof ClientGone) log.reason = "client-disconnected";
      else {
        // Its message may quote internals (a database error): logged here, not answered.
        logger.error({ err: { message: (error as Error).message }, token: log.token }, "audit API request failed");
        log.reason = "internal-error";
      }
      if (!res.headersSent && !(error instanceof ClientGone)) sendProblem(res, { kind: "export-failed", detail: "the server could not complete the export; the error is in its log", close: true });
      // Mid-stream: no terminating chunk, so the client sees a broken answer, not a short page.
      else res.destroy();
    }
    logger.info({ method: req.method, status: res.statusCode, durationMs: Math.round(performance.now() - started), ...log }, "audit API request");
    return true;
  };
  return Object.assign(handler, { stats: () => ({ running: gate.stats().running }) });
}

/** The same query with the cursor moved on; relative, so it never trusts the request's Host. */
function nextPageUrl(query: AuditQuery, last: AuditExportKey): string {
  const params = new URLSearchParams();
  if (query.repo) params.set("repo", query.repo);
  if (query.since) params.set("since", query.since);
  if (query.until) params.set("until", query.until);
  params.set("format", query.format);
  params.set("limit", String(query.limit));
  params.set("cursor", encodeCursor(last));
  return `${AUDIT_PATH}?${params.toString()}`;
}

/**
 * The response as exportAudit's sink. `drain` is passed on; a client that disconnects makes the
 * next write throw, and a wait for `drain` in progress fail (events.once rejects on `error`), so
 * the export never waits forever on a socket that is gone.
 */
function responseSink(res: ServerResponse, start: () => void, written: (bytes: number) => void): AuditSink & EventEmitter {
  const emitter = new EventEmitter();
  let gone = false;
  res.on("drain", () => emitter.emit("drain"));
  res.once("close", () => {
    if (res.writableFinished) return;
    gone = true;
    if (emitter.listenerCount("error") > 0) emitter.emit("error", new ClientGone("the client disconnected"));
  });
  return Object.assign(emitter, {
    write(chunk: string | Uint8Array) {
      if (gone || res.destroyed) throw new ClientGone("the client disconnected");
      start();
      written(Buffer.byteLength(chunk));
      return res.write(chunk);
    },
  });
}
