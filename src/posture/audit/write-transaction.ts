/**
 * One write transaction, the same way for both databases' locking: on SQLite `BEGIN IMMEDIATE`
 * (the write lock is taken before anything is read, so no two writers read the same chain end and
 * no transaction fails half-way on upgrading a read lock); on PostgreSQL an ordinary transaction
 * in which the caller locks the chain rows it touches (`SELECT … FOR UPDATE`).
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { Dialect } from "./migrations.js";
import type { AuditDatabase } from "./tables.js";

export type AuditQueries = Kysely<AuditDatabase> | Transaction<AuditDatabase>;

export async function inWriteTransaction<T>(db: Kysely<AuditDatabase>, dialect: Dialect, write: (q: AuditQueries) => Promise<T>): Promise<T> {
  if (dialect === "postgres") return await db.transaction().execute(write);
  return await db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await write(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/** The chain's row, locked against other writers until the transaction ends (SQLite: already is). */
export async function lockChain(q: AuditQueries, dialect: Dialect, repoKey: string) {
  let head = q.selectFrom("audit_chains").selectAll().where("repo_key", "=", repoKey);
  if (dialect === "postgres") head = head.forUpdate();
  return await head.executeTakeFirst();
}
