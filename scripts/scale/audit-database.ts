/**
 * The database the processes of a load or fault test record their audit trail in: SQLite under the
 * topology's DATA_DIR (the default, one file written by every process), or, with `postgres`, a
 * private PostgreSQL cluster of the run's own (test/helpers/postgres-server.ts: Debian's
 * `postgresql` binaries, loopback, removed at the end).
 */
import { startPostgresServer } from "../../test/helpers/postgres-server.js";

export type AuditDatabaseKind = "sqlite" | "postgres";

export interface AuditDatabase {
  readonly kind: AuditDatabaseKind;
  /** Set for PostgreSQL: every process gets it as DATABASE_URL. */
  readonly databaseUrl?: string;
  stop(): Promise<void>;
}

/** `value` is the script's setting (LOADTEST_DATABASE, FAULTTEST_DATABASE); `name` is said in the error. */
export function auditDatabaseKind(value: string | undefined, name: string): AuditDatabaseKind {
  const kind = (value ?? "sqlite").trim().toLowerCase();
  if (kind === "sqlite" || kind === "postgres") return kind;
  throw new Error(`${name}: expected sqlite or postgres, got ${JSON.stringify(value)}`);
}

export async function startAuditDatabase(kind: AuditDatabaseKind): Promise<AuditDatabase> {
  if (kind === "sqlite") return { kind, stop: async () => undefined };
  const server = await startPostgresServer();
  try {
    return { kind, databaseUrl: await server.createDatabase("pr_sentinel_scale"), stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export function describeAuditDatabase(db: AuditDatabase): string {
  return db.kind === "postgres" ? "PostgreSQL, shared by every process" : "SQLite, one file shared by every process";
}
