/**
 * Vulnerability lookups against the OSV API (OSV_API_URL), the way OSV wants batch clients to work:
 * `POST /v1/querybatch` with at most 1,000 queries a request answers ids and `modified` times in
 * input order; a result with `next_page_token` means more ids for that one query (a page may hold
 * only the token), so just those queries are sent again with their token until none is left; then
 * each distinct id is fetched once with `GET /v1/vulns/{id}` and cached by id and `modified`.
 *
 * Every answer is validated before use, and anything short of a complete answer (a timeout, a 5xx
 * after the one retry, a body of the wrong shape, a `results` array of the wrong length, which
 * would pin advisories on the wrong packages) fails the whole lookup with a `LookupError`: the
 * check must never say "no known vulnerabilities" for packages it did not look up.
 */
import { z } from "zod";
import { LookupError, type PackageQuery, type VulnerabilityLookup } from "../../checks/dependencies/services.js";
import { limitConcurrency } from "../../core/limit-concurrency.js";
import { HttpJsonError, requestJson } from "../http-json.js";
import { osvRecordSchema, type OsvRecord } from "./osv-record.js";
import { createOsvRecordCache, type OsvRecordCache } from "./osv-record-cache.js";

export interface OsvApiClientOptions {
  /** `https://api.osv.dev` or a mirror; a path prefix is kept. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Per HTTP attempt. Default 15 s. */
  readonly timeoutMs?: number;
  /** Most OSV requests in flight at once, over all lookups of this client. Default 8. */
  readonly concurrency?: number;
  /** Default: an in-memory LRU of 5,000 records for one hour, on `now`'s clock. */
  readonly cache?: OsvRecordCache;
  readonly now?: () => number;
}

/** OSV's own limit (`MaxQueriesPerQueryBatchRequest`); a bigger batch is refused with 400. */
export const MAX_QUERIES_PER_BATCH = 1_000;
/** A server that keeps handing out page tokens is broken; osv-scanner and Homebrew stop at 100 too. */
const MAX_PAGE_ROUNDS = 100;
const DEFAULT_CONCURRENCY = 8;

// `.` and `..` would survive encodeURIComponent and walk the URL path up a level.
const vulnIdSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => id !== "." && id !== "..", "not an OSV id");

const querybatchSchema = z.object({
  results: z
    .array(
      z.object({
        vulns: z.array(z.object({ id: vulnIdSchema, modified: z.string().max(100).optional() })).optional(),
        next_page_token: z.string().max(10_000).optional(),
      }),
    )
    .max(MAX_QUERIES_PER_BATCH),
});

interface OsvQueryBody {
  readonly package: { readonly ecosystem: string; readonly name: string };
  readonly version: string;
  readonly page_token?: string;
}

interface PendingQuery {
  readonly index: number;
  readonly pageToken?: string;
}

/** Ids hit by one query, with the `modified` time querybatch gave for each. */
type Hits = Map<string, string | undefined>;

/** What failed, before it is worded for the report. */
class OsvStepError extends Error {
  constructor(
    readonly step: string,
    detail: string,
  ) {
    super(detail);
  }
}

export function createOsvApiClient(options: OsvApiClientOptions): VulnerabilityLookup {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const label = `OSV (${displayUrl(baseUrl)})`;
  const limit = limitConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY);
  const cache = options.cache ?? createOsvRecordCache({ now: options.now });

  async function send<T>(step: string, url: string, schema: z.ZodType<T>, signal: AbortSignal, body?: unknown): Promise<T> {
    return limit(async () => {
      signal.throwIfAborted();
      try {
        const answer = await requestJson({
          url,
          method: body === undefined ? "GET" : "POST",
          body,
          schema,
          signal,
          fetch: options.fetch,
          timeoutMs: options.timeoutMs,
        });
        return answer.data as T;
      } catch (error) {
        if (error instanceof HttpJsonError) throw new OsvStepError(step, withoutUrl(error.message));
        throw error;
      }
    });
  }

  async function querybatch(queries: readonly OsvQueryBody[], signal: AbortSignal) {
    const answer = await send("querybatch", `${baseUrl}/v1/querybatch`, querybatchSchema, signal, { queries });
    if (answer.results.length !== queries.length) {
      throw new OsvStepError("querybatch", `answered ${answer.results.length} results for ${queries.length} queries`);
    }
    return answer.results;
  }

  async function findHits(queries: readonly PackageQuery[], signal: AbortSignal): Promise<Hits[]> {
    const hits: Hits[] = queries.map(() => new Map());
    let pending: PendingQuery[] = queries.map((_, index) => ({ index }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_PAGE_ROUNDS) {
        throw new OsvStepError("querybatch", `still handing out page tokens after ${MAX_PAGE_ROUNDS} pages`);
      }
      const batches = chunk(pending, MAX_QUERIES_PER_BATCH);
      const answers = await Promise.all(
        batches.map((batch) => querybatch(batch.map((p) => queryBody(queries[p.index]!, p.pageToken)), signal)),
      );
      const next: PendingQuery[] = [];
      batches.forEach((batch, b) => {
        batch.forEach((query, k) => {
          const result = answers[b]![k]!;
          for (const vuln of result.vulns ?? []) addHit(hits[query.index]!, vuln.id, vuln.modified);
          if (result.next_page_token) next.push({ index: query.index, pageToken: result.next_page_token });
        });
      });
      pending = next;
    }
    return hits;
  }

  async function fetchRecord(id: string, modified: string | undefined, signal: AbortSignal): Promise<OsvRecord> {
    const cached = cache.get(id, modified);
    if (cached) return cached;
    const path = `/v1/vulns/${encodeURIComponent(id)}`;
    const step = `GET ${path}`;
    const record = await send(step, `${baseUrl}${path}`, osvRecordSchema, signal);
    if (record.id !== id) throw new OsvStepError(step, `answered record ${JSON.stringify(record.id)} instead`);
    cache.set(id, modified, record);
    return record;
  }

  async function fetchRecords(hits: readonly Hits[], signal: AbortSignal): Promise<Map<string, OsvRecord>> {
    const wanted: Hits = new Map();
    for (const ids of hits) for (const [id, modified] of ids) addHit(wanted, id, modified);
    const records = await Promise.all([...wanted].map(([id, modified]) => fetchRecord(id, modified, signal)));
    return new Map(records.map((record) => [record.id, record]));
  }

  return {
    kind: "api",
    async lookup(queries, signal) {
      if (queries.length === 0) return [];
      // One failed request fails the lookup, so the ones still in flight are not worth waiting for.
      const failFast = new AbortController();
      const combined = AbortSignal.any([signal, failFast.signal]);
      // The same package often appears in several lockfiles of a monorepo: ask OSV once.
      const { distinct, slots } = deduplicate(queries);
      try {
        const hits = await findHits(distinct, combined);
        const records = await fetchRecords(hits, combined);
        return slots.map((slot) => [...hits[slot]!.keys()].map((id) => records.get(id)!));
      } catch (error) {
        failFast.abort();
        throw toLookupError(error, label, signal, queries.length);
      }
    },
  };
}

function deduplicate(queries: readonly PackageQuery[]): { distinct: PackageQuery[]; slots: number[] } {
  const seen = new Map<string, number>();
  const distinct: PackageQuery[] = [];
  const slots = queries.map((query) => {
    const key = `${query.ecosystem}\u0000${query.name}\u0000${query.version}`;
    let slot = seen.get(key);
    if (slot === undefined) {
      slot = distinct.push(query) - 1;
      seen.set(key, slot);
    }
    return slot;
  });
  return { distinct, slots };
}

function queryBody(query: PackageQuery, pageToken: string | undefined): OsvQueryBody {
  const body = { package: { ecosystem: query.ecosystem, name: query.name }, version: query.version };
  return pageToken === undefined ? body : { ...body, page_token: pageToken };
}

/** Keeps the latest `modified` when an id is seen twice (ISO times compare as text). */
function addHit(hits: Hits, id: string, modified: string | undefined): void {
  const seen = hits.get(id);
  if (!hits.has(id) || (modified !== undefined && (seen === undefined || modified > seen))) hits.set(id, modified);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function toLookupError(error: unknown, label: string, signal: AbortSignal, count: number): LookupError {
  const missing = `no vulnerability data for ${count} package${count === 1 ? "" : "s"}`;
  if (signal.aborted) return new LookupError(`${label}: the lookup was cancelled; ${missing}`);
  if (error instanceof OsvStepError) return new LookupError(`${label} ${error.step}: ${error.message}; ${missing}`);
  return new LookupError(`${label}: ${(error as Error).message}; ${missing}`);
}

/** `HttpJsonError` opens with the URL it called; the label already says where. */
function withoutUrl(message: string): string {
  return message.replace(/^[a-z][a-z0-9+.-]*:\/\/\S*?: /i, "");
}

/** Scheme, host and path: never credentials or a query string from the configured URL. */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "OSV_API_URL";
  }
}
