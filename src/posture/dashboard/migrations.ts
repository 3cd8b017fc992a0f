/**
 * The dashboard's tables, in the audit store's database, migrated by a Migrator of their own
 * (`dashboard_migrations`), as the scan API's are: neither renumbers the audit trail's. Append-only.
 * The indexes are the ones the pages' queries walk (see queries.ts).
 */
import type { Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { migrateOwnTables } from "../audit/migrate.js";
import type { Dialect } from "../audit/migrations.js";

export const DASHBOARD_MIGRATION_TABLE = "dashboard_migrations";
export const DASHBOARD_MIGRATION_LOCK_TABLE = "dashboard_migrations_lock";

function initial(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("dashboard_scans")
        .addColumn("record_id", "bigint", (c) => c.primaryKey())
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("pull_request", "bigint")
        .addColumn("check_run_id", "bigint", (c) => c.notNull())
        .addColumn("head_sha", "text", (c) => c.notNull())
        .addColumn("conclusion", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("week", "text", (c) => c.notNull())
        .addColumn("score", "integer", (c) => c.notNull())
        .addColumn("findings", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("dashboard_scans_repo").on("dashboard_scans").columns(["repo_key", "record_id"]).execute();
      await db.schema.createIndex("dashboard_scans_pull").on("dashboard_scans").columns(["repo_key", "pull_request", "record_id"]).execute();

      await db.schema
        .createTable("dashboard_pulls")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("pull_request", "bigint", (c) => c.notNull())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("record_id", "bigint", (c) => c.notNull())
        .addColumn("conclusion", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("score", "integer", (c) => c.notNull())
        .addColumn("findings", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("dashboard_pulls_pk", ["repo_key", "pull_request"])
        .execute();
      await db.schema.createIndex("dashboard_pulls_conclusion").on("dashboard_pulls").columns(["conclusion", "created_at"]).execute();
      await db.schema.createIndex("dashboard_pulls_repo_conclusion").on("dashboard_pulls").columns(["repo_key", "conclusion", "created_at"]).execute();

      await db.schema
        .createTable("dashboard_repos")
        .addColumn("repo_key", "text", (c) => c.primaryKey())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("failing", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("dashboard_repo_weeks")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("week", "text", (c) => c.notNull())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("scans", "integer", (c) => c.notNull())
        .addColumn("score_sum", "bigint", (c) => c.notNull())
        .addColumn("score_max", "integer", (c) => c.notNull())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("dashboard_repo_weeks_pk", ["repo_key", "week"])
        .execute();
      for (const table of ["dashboard_check_weeks", "dashboard_rule_weeks"] as const) {
        const column = table === "dashboard_check_weeks" ? "check_id" : "rule_id";
        await db.schema
          .createTable(table)
          .addColumn("repo_key", "text", (c) => c.notNull())
          .addColumn("week", "text", (c) => c.notNull())
          .addColumn(column, "text", (c) => c.notNull())
          .addColumn("findings", "bigint", (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ["repo_key", "week", column])
          .execute();
      }
      await db.schema
        .createTable("dashboard_allowlist")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("repository", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("expires", "text")
        .addColumn("record_id", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("dashboard_allowlist_pk", ["repo_key", "fingerprint"])
        .execute();
      await db.schema.createIndex("dashboard_allowlist_expires").on("dashboard_allowlist").columns(["expires"]).execute();
      await db.schema
        .createTable("dashboard_cursor")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("record_id", "bigint", (c) => c.notNull())
        .addColumn("retention_run_id", "bigint", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("dashboard_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "bigint", (c) => c.notNull())
        .addColumn("login", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("checked_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("dashboard_sessions_expires").on("dashboard_sessions").columns(["expires_at"]).execute();
      await db.schema
        .createTable("dashboard_session_repos")
        .addColumn("session_id", "text", (c) => c.notNull())
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("dashboard_session_repos_pk", ["session_id", "repo_key"])
        .execute();
    },
  };
}

function dashboardMigrations(): MigrationProvider {
  return { getMigrations: () => Promise.resolve({ "0001_dashboard": initial() }) };
}

/** Several replicas opening a new SQLite file at once migrate it once (see audit/migrate.ts). */
export async function migrateDashboardTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await migrateOwnTables(db, dialect, { provider: dashboardMigrations(), table: DASHBOARD_MIGRATION_TABLE, lockTable: DASHBOARD_MIGRATION_LOCK_TABLE });
}
