/**
 * Export for auditors, streamed: keyset pages of 5,000 records ordered by (created_at, id), never
 * OFFSET (which rereads every skipped row) and never more than one page in memory. The destination's
 * backpressure is honoured (a slow reader slows the export, it does not fill memory) between pages,
 * never while a page holds the connection.
 *
 * Where the time goes (issue 10 asks for 50,000 records/s; profiled over 1,000,000 records): the
 * stored content already is the record's canonical JSON, so a JSONL line is that text with three
 * members put in front, never parsed and re-serialised. On SQLite a page is one `all()` call on the
 * read-only connection (a native call per row through the iterator cost a third of the export). Lines
 * are encoded straight into ~1 MB UTF-8 chunks (utf8-chunks.ts) instead of being joined into large
 * strings the stream then re-encodes. PostgreSQL reads the next page while this one is written.
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
import { Utf8Chunks } from "./utf8-chunks.js";
import type { Selectable, SelectQueryBuilder } from "kysely";
import type { AuditDatabase, AuditRecordsTable } from "./tables.js";

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
  /** Start after this record's key, exclusive (an API page's cursor). */
  readonly after?: AuditExportKey;
  /** End at this record's key, inclusive (an API page's last record, from `auditPageEnd`). */
  readonly through?: AuditExportKey;
}

/** A record's place in export order. */
export interface AuditExportKey {
  readonly created_at: string;
  readonly id: number;
}

/**
 * Anything with `write` (a Node stream, an HTTP response); `once("drain")` is used when it has it.
 * The export writes UTF-8 bytes (Buffers), each chunk whole records (a chunk's `toString()` is its
 * text); the CLI also writes strings through the same sink.
 */
export interface AuditSink {
  write(chunk: string | Uint8Array): boolean | unknown;
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

/** Writes the matching records to `sink`; resolves with how many. */
export async function exportAudit(store: AuditStore, options: AuditExportOptions, sink: AuditSink): Promise<number> {
  const range = exportRange(options);
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const encode = options.format === "csv" ? csvLine : jsonLine;
  const out = new Utf8Chunks();
  if (options.format === "csv") {
    const header = csvRow(CSV_COLUMNS);
    out.reserve(header.length);
    out.write(header);
  }
  const pageQuery = (cursor: Cursor | undefined) =>
    whereExported(store.db.selectFrom("audit_records").select(["id", "created_at", "content", "prev_hash", "hash"]), { ...range, after: cursor })
      .orderBy("created_at")
      .orderBy("id")
      .limit(pageSize);
  let cursor: Cursor | undefined = options.after;
  let count = 0;
  let prefetched: Promise<Row[]> | undefined;
  for (;;) {
    // The page is read to its end before the destination is waited on: a slow reader must not hold
    // a database connection.
    let rows: Row[];
    if (store.readRows) {
      // SQLite: the whole page in one call.
      rows = store.readRows<Row>(pageQuery(cursor).compile());
    } else {
      // PostgreSQL: a bounded page; the next one is asked for while this one is written.
      rows = await (prefetched ?? pageQuery(cursor).execute());
      const last = rows.at(-1);
      prefetched = rows.length === pageSize && last ? pageQuery(cursorOf(last)).execute() : undefined;
      // Awaited on the next turn; a failure meanwhile (the sink broke first) is not left unhandled.
      prefetched?.catch(() => undefined);
    }
    for (const row of rows) encode(out, row);
    for (const chunk of out.take()) await write(sink, chunk);
    count += rows.length;
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) return count;
    cursor = cursorOf(last);
  }
}

type Cursor = AuditExportKey;

interface ExportRange {
  readonly repoKey: string | undefined;
  readonly since: string | undefined;
  readonly until: string | undefined;
  readonly after: Cursor | undefined;
  readonly through: Cursor | undefined;
}

/** The options as the query needs them: the chain key, stored-form instants (checked), the keys. */
function exportRange(options: Omit<AuditExportOptions, "format" | "pageSize">): ExportRange {
  return {
    repoKey: options.repo === undefined ? undefined : chainKey(options.repo),
    since: options.since === undefined ? undefined : isoInstant(options.since, "since"),
    until: options.until === undefined ? undefined : isoInstant(options.until, "until"),
    after: options.after,
    through: options.through,
  };
}

function whereExported<O>(query: SelectQueryBuilder<AuditDatabase, "audit_records", O>, range: ExportRange): SelectQueryBuilder<AuditDatabase, "audit_records", O> {
  let q = query;
  if (range.repoKey !== undefined) q = q.where("repo_key", "=", range.repoKey);
  if (range.since !== undefined) q = q.where("created_at", ">=", range.since);
  if (range.until !== undefined) q = q.where("created_at", "<", range.until);
  // Row-value comparisons, which both databases answer from the (created_at, id) index.
  const { after, through } = range;
  if (after) q = q.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(after.created_at, after.id)));
  if (through) q = q.where((eb) => eb(eb.refTuple("created_at", "id"), "<=", eb.tuple(through.created_at, through.id)));
  return q;
}

/**
 * Where a page of `limit` records after `options.after` ends, found before a byte of it is sent
 * (an HTTP answer's headers, with its next-page link, go first): the key of the page's last record
 * and whether another follows, or `undefined` when fewer than `limit` are left. It reads keys only,
 * from the (created_at, id) index (OFFSET over index entries, never over records).
 */
export async function auditPageEnd(store: AuditStore, options: Omit<AuditExportOptions, "format" | "pageSize" | "through">, limit: number): Promise<{ readonly last: AuditExportKey; readonly more: boolean } | undefined> {
  const query = whereExported(store.db.selectFrom("audit_records").select(["created_at", "id"]), exportRange(options)).orderBy("created_at").orderBy("id").limit(2).offset(limit - 1);
  const rows: { created_at: string; id: number }[] = store.readRows ? store.readRows<{ created_at: string; id: number }>(query.compile()) : await query.execute();
  const last = rows[0];
  return last ? { last: { created_at: last.created_at, id: Number(last.id) }, more: rows.length > 1 } : undefined;
}

function cursorOf(row: Row): Cursor {
  return { created_at: row.created_at, id: Number(row.id) };
}

type Row = Pick<Selectable<AuditRecordsTable>, "id" | "created_at" | "content" | "prev_hash" | "hash">;

/** The stored content with id and hashes in front: built by hand, so the content is not re-serialised. */
function jsonLine(out: Utf8Chunks, row: Row): void {
  const head = `{"id":${Number(row.id)},"prev_hash":${JSON.stringify(row.prev_hash)},"hash":${JSON.stringify(row.hash)},`;
  out.reserve(head.length + row.content.length);
  out.write(head);
  out.write(row.content.slice(1));
  out.write("\n");
}

function csvLine(out: Utf8Chunks, row: Row): void {
  const line = csvText(row);
  out.reserve(line.length);
  out.write(line);
}

function csvText(row: Row): string {
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

async function write(sink: AuditSink, chunk: Uint8Array): Promise<void> {
  const ok = sink.write(chunk);
  if (ok === false && sink.once) await once(sink as unknown as NodeJS.EventEmitter, "drain");
}

/**
 * `2026-01-31` (midnight UTC) or a full ISO 8601 date-time, as the stored form (UTC, milliseconds).
 * Errors start with `label` (default the CLI flag, `--since`).
 */
export function isoInstant(value: string, name: string, label = `--${name}`): string {
  const text = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = dateOnly || dateTime ? Date.parse(dateOnly ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== text)) {
    throw new AuditExportError(`${label}: expected a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return new Date(ms).toISOString();
}
