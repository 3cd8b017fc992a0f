/**
 * Versioned migrations as code, run at every open by kysely's Migrator (it records what ran and
 * takes a lock, so replicas starting together migrate once). Migrations are append-only: a released
 * one is never edited, a change is a new one. The two dialects differ only where SQL does (ids).
 */
import type { Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";

export type Dialect = "sqlite" | "postgres";

function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id = (table: string) =>
        db.schema
          .createTable(table)
          .addColumn("id", dialect === "postgres" ? "bigint" : "integer", (c) =>
            dialect === "postgres" ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
          );
      await id("audit_records")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("check_run_id", "bigint", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("pull_request", "bigint")
        .addColumn("head_sha", "text", (c) => c.notNull())
        .addColumn("conclusion", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addUniqueConstraint("audit_records_check_run", ["repo_key", "check_run_id"])
        .addUniqueConstraint("audit_records_chain", ["repo_key", "seq"])
        .execute();
      await db.schema.createIndex("audit_records_created").on("audit_records").columns(["created_at", "id"]).execute();
      await db.schema.createIndex("audit_records_repo_created").on("audit_records").columns(["repo_key", "created_at", "id"]).execute();
      await db.schema
        .createTable("audit_chains")
        .addColumn("repo_key", "text", (c) => c.primaryKey())
        .addColumn("start_seq", "bigint", (c) => c.notNull())
        .addColumn("start_prev_hash", "text", (c) => c.notNull())
        .addColumn("last_seq", "bigint", (c) => c.notNull())
        .addColumn("last_hash", "text", (c) => c.notNull())
        .execute();
      await id("audit_retention_runs")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("ran_at", "text", (c) => c.notNull())
        .addColumn("cutoff", "text", (c) => c.notNull())
        .addColumn("first_seq", "bigint", (c) => c.notNull())
        .addColumn("last_seq", "bigint", (c) => c.notNull())
        .addColumn("deleted", "bigint", (c) => c.notNull())
        .addColumn("last_hash", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_retention_runs_repo").on("audit_retention_runs").columns(["repo_key", "id"]).execute();
    },
  };
}

export function auditMigrations(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({ "0001_audit_trail": initial(dialect) }),
  };
}
