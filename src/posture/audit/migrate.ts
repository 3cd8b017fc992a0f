/**
 * Runs a kysely Migrator so that processes opening one database at the same time migrate it once.
 * On PostgreSQL the Migrator locks by itself (an advisory lock in its transaction). On SQLite it
 * does not: it assumes one process with one connection, so processes opening a new file together
 * (the workers and sandboxed children of one host, sharing DATA_DIR) all see no migration run and
 * all run them, and all but the first fail with `table "audit_records" already exists`; a store
 * that cannot be opened loses the record of the check run that opened it. Here the SQLite
 * migrations run inside one `BEGIN IMMEDIATE` transaction: the others wait for the write lock
 * (busy timeout), then find everything done. A failed migration rolls back whole.
 */
import type { Kysely } from "kysely";
import { Migrator, type MigrationProvider, type MigrationResultSet } from "kysely/migration";
import type { Dialect } from "./migrations.js";
import type { AuditDatabase } from "./tables.js";
import { inWriteTransaction } from "./write-transaction.js";

/**
 * `build` makes the Migrator on the Kysely instance it is handed (on SQLite, the connection that
 * holds the write lock). Throws the migration's error.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: Dialect, build: (db: Kysely<DB>) => Migrator): Promise<MigrationResultSet> {
  const run = async (q: Kysely<DB>) => {
    const result = await build(q).migrateToLatest();
    if (result.error) throw result.error;
    return result;
  };
  if (dialect === "postgres") return await run(db);
  // Any schema will do: on SQLite inWriteTransaction hands its callback the locked connection's Kysely.
  return await inWriteTransaction(db as unknown as Kysely<AuditDatabase>, dialect, (q) => run(q as unknown as Kysely<DB>));
}

/** A part of the product's own tables (the API's, the dashboard's) with its own migration bookkeeping. */
export interface OwnMigrations {
  readonly provider: MigrationProvider;
  /** Its own `kysely_migration`-style tables, so its migrations and the audit trail's never renumber each other. */
  readonly table: string;
  readonly lockTable: string;
}

/** `migrateToLatest` for tables migrated by a Migrator of their own. */
export async function migrateOwnTables<DB>(db: Kysely<DB>, dialect: Dialect, own: OwnMigrations): Promise<MigrationResultSet> {
  return await migrateToLatest(db, dialect, (q) => new Migrator({ db: q, provider: own.provider, migrationTableName: own.table, migrationLockTableName: own.lockTable }));
}
