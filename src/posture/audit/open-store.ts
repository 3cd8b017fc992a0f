/**
 * The audit store: SQLite in a file under DATA_DIR by default (nothing to install), PostgreSQL when
 * DATABASE_URL is set (many replicas, one trail). One query layer (kysely) over both; migrations
 * run at every open. Opening fails with one line naming the database (never its password).
 *
 * SQLite runs in WAL mode (readers, such as an export, do not block the writer) with a busy
 * timeout (another process holding the write lock is waited for, not failed; migrations take it
 * too, so processes opening a new file together migrate it once) and synchronous=FULL:
 * a record is on disk when append returns, at a cost that one write per check run does not feel.
 * Pages are 16 KB (records are ~2 KB: 4 KB pages would hold one each, half empty). Exports read
 * through a second, read-only connection. One store per process: two in one process would wait on
 * each other's write lock synchronously (better-sqlite3 blocks) and time out.
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { appendRecords, type AppendResult } from "./append.js";
import { migrateToLatest } from "./migrate.js";
import { auditMigrations, type Dialect } from "./migrations.js";
import type { AuditRecordInput } from "./record.js";
import type { AuditDatabase } from "./tables.js";

export const AUDIT_FILE_NAME = "audit.sqlite";
export const DEFAULT_DATA_DIR = "./data";
const BUSY_TIMEOUT_MS = 10_000;
const PG_POOL_SIZE = 4;

export interface AuditLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OpenAuditStoreOptions {
  /** `DATA_DIR`: the SQLite file goes here as audit.sqlite (default ./data). */
  readonly dataDir?: string;
  /** `DATABASE_URL`: a postgres:// URL; when set, SQLite is not used. */
  readonly databaseUrl?: string;
  readonly logger: AuditLogger;
  /** False: a missing SQLite file is an error, not a new empty trail (verify and export must not invent one). */
  readonly create?: boolean;
  /** The time records are stamped with; tests move it. */
  readonly now?: () => Date;
}

export interface AuditStore {
  readonly dialect: Dialect;
  /** A file path, or `postgres://host:port/db` without credentials. */
  readonly location: string;
  /** For this folder's modules (verify, retention, export); not an API for callers. */
  readonly db: Kysely<AuditDatabase>;
  readonly now: () => Date;
  /**
   * SQLite only: runs a compiled SELECT on a second, read-only connection and returns its rows
   * (better-sqlite3's `all()`: one native call for the page, where `iterate()` makes one per row).
   * WAL lets it read a committed snapshot while the app writes, and it never sees a transaction in
   * progress; exports read through it, a bounded page at a time, without holding the writer.
   */
  readonly readRows?: <R>(query: CompiledQuery) => R[];
  /** Writes one check run's record; a second write for the same check run is a no-op. */
  append(record: AuditRecordInput): Promise<AppendResult>;
  /** The same for many records in one transaction (imports, the bench): one result per record, in order. */
  appendMany(records: readonly AuditRecordInput[]): Promise<AppendResult[]>;
  close(): Promise<void>;
}

export class AuditStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AuditStoreError";
  }
}

export async function openAuditStore(options: OpenAuditStoreOptions): Promise<AuditStore> {
  const opened = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openSqlite(options.dataDir ?? DEFAULT_DATA_DIR, options.create ?? true);
  const { db, dialect, location, reader } = opened;
  try {
    // Serialised across processes (migrate.ts): several of them may open a new SQLite file at once.
    const { results } = await migrateToLatest(db, dialect, (q) => new Migrator({ db: q, provider: auditMigrations(dialect) }));
    const ran = (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    options.logger.info({ dialect, location, migrations: ran }, ran.length ? "audit store migrated" : "audit store opened");
  } catch (error) {
    await db.destroy().catch(() => undefined);
    reader?.close();
    throw new AuditStoreError(`audit store ${location}: migrations failed: ${(error as Error).message}`, { cause: error });
  }
  const now = options.now ?? (() => new Date());
  let closed: Promise<void> | undefined;
  return {
    dialect,
    location,
    db,
    now,
    append: async (record) => (await appendRecords(db, dialect, [record], now))[0]!,
    appendMany: (records) => appendRecords(db, dialect, records, now),
    ...(reader ? { readRows: reader.all } : {}),
    close: () => (closed ??= db.destroy().finally(() => reader?.close())),
  };
}

interface Opened {
  readonly db: Kysely<AuditDatabase>;
  readonly dialect: Dialect;
  readonly location: string;
  readonly reader?: SqliteReader;
}

interface SqliteReader {
  all<R>(query: CompiledQuery): R[];
  close(): void;
}

/** The read-only connection, opened on first use. */
function sqliteReader(file: string): SqliteReader {
  let connection: Database.Database | undefined;
  return {
    all<R>(query: CompiledQuery) {
      if (!connection) {
        connection = new Database(file, { readonly: true, fileMustExist: true });
        connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      return connection.prepare<unknown[], R>(query.sql).all(...(query.parameters as unknown[]));
    },
    close() {
      connection?.close();
      connection = undefined;
    },
  };
}

async function openSqlite(dataDir: string, create: boolean): Promise<Opened> {
  const dir = resolve(dataDir);
  const file = join(dir, AUDIT_FILE_NAME);
  let database: Database.Database | undefined;
  if (!create && !existsSync(file)) throw new AuditStoreError(`audit store ${file}: no such database (set DATA_DIR to the folder holding audit.sqlite, or DATABASE_URL)`);
  try {
    // The trail names repositories, paths and fingerprints: for the service's user only.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    database = new Database(file);
    chmodSync(file, 0o600);
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Only takes effect on a new file (before WAL is set).
    database.pragma("page_size = 16384");
    const mode = await journalModeWal(database);
    if (String(mode).toLowerCase() !== "wal") throw new Error(`journal_mode is ${String(mode)}, WAL could not be set`);
    database.pragma("synchronous = FULL");
    database.pragma("foreign_keys = ON");
    database.pragma("trusted_schema = OFF");
  } catch (error) {
    // The next check run tries again: no connection left open behind each failed try.
    database?.close();
    throw new AuditStoreError(`audit store ${file}: cannot open: ${(error as Error).message}`, { cause: error });
  }
  return { db: new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database }) }), dialect: "sqlite", location: file, reader: sqliteReader(file) };
}

/**
 * `PRAGMA journal_mode = WAL`, tried again while another process holds the lock it needs. On a new
 * file opened by several processes at once SQLite answers SQLITE_BUSY at once, without waiting out
 * the busy timeout as other statements do; one of the processes then failed to open the trail.
 */
async function journalModeWal(database: Database.Database): Promise<unknown> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return database.pragma("journal_mode = WAL", { simple: true });
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    }
  }
}

/** int8 (bigint) arrives as a string from pg; ids and sequence numbers stay far below 2^53. */
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID && format !== "binary") return (value: string) => toSafeInteger(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function toSafeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new AuditStoreError(`integer ${value} is past 2^53`);
  return n;
}

async function openPostgres(url: string): Promise<Opened> {
  const location = describePostgresUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE, application_name: "pr-sentinel-audit", types: pgTypes, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AuditStoreError(`audit store ${location}: cannot connect: ${(error as Error).message}`, { cause: error });
  }
  return { db: new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool }) }), dialect: "postgres", location };
}

/** `postgres://host:port/db`, credentials and query left out: safe to log. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "DATABASE_URL (not a URL)";
  }
}
