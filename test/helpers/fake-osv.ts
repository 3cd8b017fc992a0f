/**
 * An OSV API that is not OSV: a real HTTP server on 127.0.0.1 answering `POST /v1/querybatch` and
 * `GET /v1/vulns/{id}` over an in-memory list of records, with OSV's response shapes (a query with
 * no hits answers `{}`, hits are `{ id, modified }` only, `next_page_token` per result, 400 above
 * 1,000 queries, 404 `{ code: 5 }` for an unknown id). It decides itself which records affect a
 * queried version (exact `versions` entries and SEMVER ranges, with its own small evaluator) so the
 * client under test is not graded by its own logic. Failure modes imitate what goes wrong in
 * production: refused connections, answers that never come, garbage, and transient statuses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as semver from "semver";
import type { OsvRecord } from "../../src/services/osv/osv-record.js";

export type FakeOsvEndpoint = "querybatch" | "vulns";

export type FakeOsvMode =
  | "ok"
  /** Connection refused: the server stops listening (`setMode("ok")` listens again on the same port). */
  | "down"
  /** Requests are read and never answered. */
  | "slow"
  | { readonly kind: "slow"; readonly only?: FakeOsvEndpoint }
  /** 200 with `body` (default: HTML, not JSON); also for answers of the wrong shape. */
  | { readonly kind: "garbage"; readonly body?: string; readonly only?: FakeOsvEndpoint }
  /** Answers `status` for the next `times` requests (default 1), then goes back to "ok". */
  | { readonly kind: "status"; readonly status: number; readonly times?: number; readonly only?: FakeOsvEndpoint };

export interface FakeOsvOptions {
  /** Most ids in one result before `next_page_token`. Default 1,000 (OSV's own). */
  readonly pageSize?: number;
  /** The first page of every query with hits holds only a token (OSV does this when a query runs long). */
  readonly tokenOnlyFirstPage?: boolean;
  /** Added before every answer, so concurrency can be observed. */
  readonly latencyMs?: number;
}

export interface FakeOsvRequests {
  querybatch: number;
  vulns: number;
  other: number;
  /** Queries in each querybatch request, in arrival order. */
  readonly batchSizes: number[];
  /** Queries that carried a `page_token`. */
  pagedQueries: number;
  /** Ids asked for with `GET /v1/vulns/{id}`, decoded, in arrival order. */
  readonly vulnIds: string[];
  /** Most requests open at the same time. */
  maxInFlight: number;
  reset(): void;
}

export interface FakeOsv {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly requests: FakeOsvRequests;
  setMode(mode: FakeOsvMode): Promise<void>;
  /** Replaces the served records (e.g. a newer `modified`). */
  setRecords(records: readonly OsvRecord[]): void;
  close(): Promise<void>;
}

interface QueryItem {
  package?: { ecosystem?: unknown; name?: unknown };
  version?: unknown;
  page_token?: unknown;
}

const MAX_QUERIES = 1_000;
const DEFAULT_MODIFIED = "2024-01-01T00:00:00Z";

export async function startFakeOsv(initialRecords: readonly OsvRecord[], options: FakeOsvOptions = {}): Promise<FakeOsv> {
  let records = [...initialRecords];
  let mode: FakeOsvMode = "ok";
  let statusLeft = 0;
  let inFlight = 0;
  const pageSize = options.pageSize ?? 1_000;

  const requests: FakeOsvRequests = {
    querybatch: 0,
    vulns: 0,
    other: 0,
    batchSizes: [],
    pagedQueries: 0,
    vulnIds: [],
    maxInFlight: 0,
    reset() {
      this.querybatch = this.vulns = this.other = this.pagedQueries = this.maxInFlight = 0;
      this.batchSizes.length = 0;
      this.vulnIds.length = 0;
    },
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    requests.maxInFlight = Math.max(requests.maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { code: 13, message: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake-osv");
    const endpoint = endpointOf(req.method, url.pathname);
    if (endpoint === "querybatch") requests.querybatch++;
    else if (endpoint === "vulns") requests.vulns++;
    else requests.other++;
    const body = await readBody(req);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));

    const fault = typeof mode === "string" ? (mode === "slow" ? { kind: "slow" as const } : undefined) : mode;
    if (fault && (!fault.only || fault.only === endpoint)) {
      if (fault.kind === "slow") return; // never answered; close() destroys the socket
      if (fault.kind === "garbage") return sendRaw(res, 200, fault.body ?? "<html><body>Service Unavailable</body></html>");
      if (statusLeft > 0) {
        statusLeft--;
        if (statusLeft === 0) mode = "ok";
        return send(res, fault.status, { code: 14, message: "injected failure" });
      }
    }

    if (endpoint === "querybatch") return answerQuerybatch(res, body);
    if (endpoint === "vulns") return answerVuln(res, url.pathname);
    send(res, 404, { code: 5, message: "Not Found" });
  }

  function answerQuerybatch(res: ServerResponse, body: string): void {
    let parsed: { queries?: unknown };
    try {
      parsed = JSON.parse(body) as { queries?: unknown };
    } catch {
      return send(res, 400, { code: 3, message: "Invalid JSON payload" });
    }
    if (!Array.isArray(parsed.queries)) return send(res, 400, { code: 3, message: "queries: expected a list" });
    const queries = parsed.queries as QueryItem[];
    requests.batchSizes.push(queries.length);
    if (queries.length > MAX_QUERIES) return send(res, 400, { code: 3, message: "Too many queries." });
    const results: unknown[] = [];
    for (const query of queries) {
      const ecosystem = query.package?.ecosystem;
      const name = query.package?.name;
      if (typeof ecosystem !== "string" || typeof name !== "string" || typeof query.version !== "string") {
        return send(res, 400, { code: 3, message: "Invalid query: package.ecosystem, package.name and version are required" });
      }
      const hits = records.filter((r) => affects(r, ecosystem, name, query.version as string));
      let offset = 0;
      if (query.page_token !== undefined) {
        requests.pagedQueries++;
        const decoded = decodeToken(query.page_token);
        if (decoded === undefined) return send(res, 400, { code: 3, message: "Invalid page token" });
        offset = decoded;
      } else if (options.tokenOnlyFirstPage && hits.length > 0) {
        results.push({ next_page_token: encodeToken(0) });
        continue;
      }
      const page = hits.slice(offset, offset + pageSize);
      const result: Record<string, unknown> = {};
      if (page.length > 0) result.vulns = page.map((r) => ({ id: r.id, modified: r.modified ?? DEFAULT_MODIFIED }));
      if (offset + pageSize < hits.length) result.next_page_token = encodeToken(offset + pageSize);
      results.push(result);
    }
    send(res, 200, { results });
  }

  function answerVuln(res: ServerResponse, pathname: string): void {
    const id = decodeURIComponent(pathname.slice("/v1/vulns/".length));
    requests.vulnIds.push(id);
    const record = records.find((r) => r.id === id);
    if (!record) return send(res, 404, { code: 5, message: "Bug not found." });
    send(res, 200, { ...record, modified: record.modified ?? DEFAULT_MODIFIED });
  }

  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async setMode(next) {
      if (next === "down") {
        if (server.listening) await stop(server);
      } else if (!server.listening) {
        await listen(server, port);
      }
      mode = next;
      statusLeft = typeof next === "object" && next.kind === "status" ? (next.times ?? 1) : 0;
    },
    setRecords(next) {
      records = [...next];
    },
    async close() {
      if (server.listening) await stop(server);
    },
  };
}

function endpointOf(method: string | undefined, pathname: string): FakeOsvEndpoint | undefined {
  if (method === "POST" && pathname === "/v1/querybatch") return "querybatch";
  if (method === "GET" && pathname.startsWith("/v1/vulns/") && pathname.length > "/v1/vulns/".length) return "vulns";
  return undefined;
}

/** Whether `record` lists `ecosystem`/`name` at `version`: an exact `versions` entry or a SEMVER range. */
function affects(record: OsvRecord, ecosystem: string, name: string, version: string): boolean {
  return (record.affected ?? []).some(
    (affected) =>
      affected.package?.ecosystem === ecosystem &&
      sameName(ecosystem, affected.package.name, name) &&
      (affected.versions?.includes(version) ||
        (affected.ranges ?? []).some((range) => range.type === "SEMVER" && inSemverRange(range.events, version))),
  );
}

/** OSV matches PyPI names after PEP 503 normalisation; other ecosystems exactly. */
function sameName(ecosystem: string, a: string, b: string): boolean {
  if (ecosystem !== "PyPI") return a === b;
  const normalise = (s: string) => s.toLowerCase().replace(/[-_.]+/g, "-");
  return normalise(a) === normalise(b);
}

type RangeEvent = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };

/** The OSV schema's evaluation: walk the events in version order, `introduced` opens, `fixed`/`last_affected` close. */
function inSemverRange(events: readonly RangeEvent[], version: string): boolean {
  const target = semver.valid(version.replace(/^v/, ""));
  if (!target) return false;
  const point = (e: RangeEvent) => {
    const raw = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? "0";
    return raw === "0" ? "0.0.0-0" : (semver.valid(raw.replace(/^v/, "")) ?? "0.0.0-0");
  };
  const sorted = events.filter((e) => e.limit === undefined).sort((a, b) => semver.compare(point(a), point(b)));
  let affected = false;
  for (const event of sorted) {
    const at = point(event);
    if (event.introduced !== undefined && semver.lte(at, target)) affected = true;
    else if (event.fixed !== undefined && semver.lte(at, target)) affected = false;
    else if (event.last_affected !== undefined && semver.lt(at, target)) affected = false;
  }
  return affected;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeToken(token: unknown): number | undefined {
  if (typeof token !== "string") return undefined;
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), "application/json");
}

function sendRaw(res: ServerResponse, status: number, text: string, type = "text/html"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
