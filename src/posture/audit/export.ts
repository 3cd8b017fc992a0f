/**
 * Export for auditors, streamed: keyset pages of 5,000 records ordered by (created_at, id), never
 * OFFSET (which rereads every skipped row) and never more than one page in memory. On SQLite each
 * page is read through the statement iterator; pages are short, so the scans' writes go on between
 * them. The destination's backpressure is honoured (a slow reader slows the export, it does not
 * fill memory) between pages, never while a page holds the connection.
 *
 * JSONL is the format to verify: one record per line, exactly as hashed plus `id`, `prev_hash` and
 * `hash` (docs/audit-trail.md shows how to recompute a hash). CSV is for reading: one row per
 * record, nested parts as JSON cells, formula-looking cells prefixed with `'` (so CSV cells are not
 * always the stored bytes, and cannot be hash-checked).
 */
import { once } from "node:events";
import { csvRow } from "./csv.js";
import type { AuditStore } from "./open-store.js";
import { chainKey, type AuditRecordContent } from "./record.js";
import type { Selectable } from "kysely";
import type { AuditRecordsTable } from "./tables.js";

export type AuditExportFormat = "jsonl" | "csv";

export interface AuditExportOptions {
  readonly repo?: string;
  /** Inclusive; ISO 8601 date or date-time. */
  readonly since?: string;
  /** Exclusive. */
  readonly until?: string;
  readonly format: AuditExportFormat;
  /** Records per page (default 5,000). */
  readonly pageSize?: number;
}

/** Anything with `write` (a Node stream, an HTTP response); `once("drain")` is used when it has it. */
export interface AuditSink {
  write(chunk: string): boolean | unknown;
  once?(event: "drain", listener: () => void): unknown;
}

export class AuditExportError extends Error {}

export const CSV_COLUMNS = [
  "id",
  "created_at",
  "repository",
  "subject_kind",
  "pull_request",
  "merge_group_ref",
  "head_sha",
  "base_sha",
  "event",
  "check_run_id",
  "installation_id",
  "scanned",
  "conclusion",
  "check_run_conclusion",
  "title",
  "fail_on",
  "findings_total",
  "counts",
  "findings",
  "suppressions",
  "config_hash",
  "config_source",
  "checks",
  "notes",
  "app_version",
  "timings",
  "seq",
  "prev_hash",
  "hash",
] as const;

const DEFAULT_PAGE = 5_000;
/** Lines per write: about 1 MB. */
const WRITE_LINES = 500;

/** Writes the matching records to `sink`; resolves with how many. */
export async function exportAudit(store: AuditStore, options: AuditExportOptions, sink: AuditSink): Promise<number> {
  const since = options.since === undefined ? undefined : isoInstant(options.since, "since");
  const until = options.until === undefined ? undefined : isoInstant(options.until, "until");
  const repoKey = options.repo === undefined ? undefined : chainKey(options.repo);
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const line = options.format === "csv" ? csvLine : jsonLine;
  if (options.format === "csv") await write(sink, csvRow(CSV_COLUMNS));
  const pageQuery = (cursor: Cursor | undefined) => {
    let query = store.db.selectFrom("audit_records").select(["id", "created_at", "content", "prev_hash", "hash"]);
    if (repoKey !== undefined) query = query.where("repo_key", "=", repoKey);
    if (since !== undefined) query = query.where("created_at", ">=", since);
    if (until !== undefined) query = query.where("created_at", "<", until);
    if (cursor) {
      const { created_at: at, id } = cursor;
      // A row-value comparison, which both databases answer from the (created_at, id) index.
      query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(at, id)));
    }
    return query.orderBy("created_at").orderBy("id").limit(pageSize);
  };
  let cursor: Cursor | undefined;
  let count = 0;
  let prefetched: Promise<Row[]> | undefined;
  for (;;) {
    // The page is read to its end before the destination is waited on: a slow reader must not hold
    // a database connection.
    const lines: string[] = [];
    let last: Row | undefined;
    if (store.iterateRows) {
      // SQLite: the statement iterator, one row at a time.
      for (const row of store.iterateRows<Row>(pageQuery(cursor).compile())) {
        lines.push(line(row));
        last = row;
      }
    } else {
      // PostgreSQL: a bounded page; the next one is asked for while this one is written.
      const rows = await (prefetched ?? pageQuery(cursor).execute());
      last = rows.at(-1);
      prefetched = rows.length === pageSize && last ? pageQuery(cursorOf(last)).execute() : undefined;
      // Awaited on the next turn; a failure meanwhile (the sink broke first) is not left unhandled.
      prefetched?.catch(() => undefined);
      for (const row of rows) lines.push(line(row));
    }
    const rows = lines.length;
    for (let start = 0; start < rows; start += WRITE_LINES) await write(sink, lines.slice(start, start + WRITE_LINES).join(""));
    count += rows;
    if (rows < pageSize || !last) return count;
    cursor = cursorOf(last);
  }
}

type Cursor = { readonly created_at: string; readonly id: number };

function cursorOf(row: Row): Cursor {
  return { created_at: row.created_at, id: Number(row.id) };
}

type Row = Pick<Selectable<AuditRecordsTable>, "id" | "created_at" | "content" | "prev_hash" | "hash">;

/** The stored content with id and hashes in front: built by hand, so the content is not re-serialised. */
function jsonLine(row: Row): string {
  return `{"id":${Number(row.id)},"prev_hash":${JSON.stringify(row.prev_hash)},"hash":${JSON.stringify(row.hash)},${row.content.slice(1)}\n`;
}

function csvLine(row: Row): string {
  let r: AuditRecordContent;
  try {
    r = JSON.parse(row.content) as AuditRecordContent;
  } catch {
    throw new AuditExportError(`record ${Number(row.id)}: its content is not JSON; run \`pr-sentinel audit verify\``);
  }
  const json = (value: unknown) => JSON.stringify(value);
  return csvRow([
    Number(row.id),
    r.created_at,
    r.repository,
    r.subject.kind,
    r.subject.kind === "pull_request" ? r.subject.pull_request : null,
    r.subject.kind === "merge_group" ? r.subject.ref : null,
    r.head_sha,
    r.base_sha,
    r.event,
    r.check_run_id,
    r.installation_id,
    r.scanned,
    r.verdict.conclusion,
    r.verdict.check_run_conclusion,
    r.verdict.title,
    r.verdict.fail_on,
    r.counts.total,
    json(r.counts),
    json(r.findings),
    json(r.suppressions),
    r.config.hash,
    json(r.config.source),
    json(r.checks),
    json(r.notes),
    r.app_version,
    json(r.timings),
    r.seq,
    row.prev_hash,
    row.hash,
  ]);
}

async function write(sink: AuditSink, chunk: string): Promise<void> {
  const ok = sink.write(chunk);
  if (ok === false && sink.once) await once(sink as unknown as NodeJS.EventEmitter, "drain");
}

/** `2026-01-31` (midnight UTC) or a full ISO 8601 date-time, as the stored form (UTC, milliseconds). */
export function isoInstant(value: string, name: string): string {
  const text = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = dateOnly || dateTime ? Date.parse(dateOnly ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== text)) {
    throw new AuditExportError(`--${name}: expected a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return new Date(ms).toISOString();
}
