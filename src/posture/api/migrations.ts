/**
 * The scan API's tables, in the audit store's database but migrated by a Migrator of their own
 * (`api_migrations`, `api_migrations_lock`): the audit trail's migrations and these never wait on
 * or renumber each other. Append-only, like the audit's: a released migration is never edited.
 */
import type { Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";
import { migrateOwnTables } from "../audit/migrate.js";
import type { Dialect } from "../audit/migrations.js";

export const API_MIGRATION_TABLE = "api_migrations";
export const API_MIGRATION_LOCK_TABLE = "api_migrations_lock";

function tokens(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", dialect === "postgres" ? "bigint" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("rate_limit", "integer", (c) => c.notNull())
        .addColumn("rate_window_seconds", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addColumn("last_used_at", "text")
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema.createIndex("api_tokens_label").on("api_tokens").column("label").execute();
    },
  };
}

/**
 * What a token may do (`scan`, `audit`; space-separated, see scopes.ts). Every token issued before
 * scopes existed keeps the one thing it could do: scan. None gains audit access by the upgrade.
 */
function tokenScopes(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("api_tokens")
        .addColumn("scopes", "text", (c) => c.notNull().defaultTo("scan"))
        .execute();
    },
  };
}

export function apiMigrations(dialect: Dialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve({ "0001_api_tokens": tokens(dialect), "0002_api_token_scopes": tokenScopes() }) };
}

/** Several replicas opening a new SQLite file at once migrate it once (see audit/migrate.ts). */
export async function migrateApiTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await migrateOwnTables(db, dialect, { provider: apiMigrations(dialect), table: API_MIGRATION_TABLE, lockTable: API_MIGRATION_LOCK_TABLE });
}
