/** `pr-sentinel tokens create|list|revoke` in-process, over SQLite and PostgreSQL. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { runTokensCommand } from "../../../src/cli/tokens-command.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { openApiTokenStore } from "../../../src/posture/api/token-store.js";
import { API_MIGRATION_LOCK_TABLE, API_MIGRATION_TABLE, apiMigrations } from "../../../src/posture/api/migrations.js";
import { generateToken, tokenHash, tokenLabel } from "../../../src/posture/api/token-format.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";

const dirs: string[] = [];
let postgres: PostgresServer | undefined;
beforeAll(async () => {
  if (postgresMode() === "run") postgres = await startPostgresServer();
}, 60_000);
afterAll(async () => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  await postgres?.stop();
});

const now = () => new Date("2030-05-01T12:00:00.000Z");

async function run(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runTokensCommand(argv, { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, env, now });
  return { code, stdout, stderr };
}

const environments = [
  {
    name: "SQLite",
    env: async (): Promise<Record<string, string>> => {
      const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-tokens-"));
      dirs.push(dir);
      return { DATA_DIR: join(dir, "data") };
    },
  },
  { name: "PostgreSQL", env: async (): Promise<Record<string, string>> => ({ DATABASE_URL: await postgres!.createDatabase() }), skip: postgresMode() === "skip" },
];

describe.each(environments)("pr-sentinel tokens on $name", ({ env: makeEnv, skip }) => {
  const test = skip ? it.skip : it;

  test("create prints the token once, stores only its hash; list shows it; revoke withdraws it", async () => {
    const env = await makeEnv();
    const created = await run(["create", "--name", "ci pipeline", "--rate", "10/min", "--expires", "30d"], env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(created.stdout).toMatch(/^prs_[0-9A-Za-z]{49}\n$/);
    expect(created.stderr).toContain(`created token 1 ${token.slice(0, 12)} "ci pipeline" (scopes scan, 10/min, expires 2030-05-31T12:00:00.000Z)`);
    expect(created.stderr).not.toContain(token);

    const store = await openAuditStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR! }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      const rows = await (await openApiTokenStore(store)).list();
      expect(rows).toEqual([expect.objectContaining({ id: 1, name: "ci pipeline", label: token.slice(0, 12), scopes: ["scan"], rate: { limit: 10, windowSeconds: 60 }, lastUsedAt: null, revokedAt: null })]);
      const hashes = await store.db.selectFrom("api_tokens" as never).selectAll().execute();
      expect(JSON.stringify(hashes)).toContain(tokenHash(token));
      expect(JSON.stringify(hashes)).not.toContain(token.slice(12, 30));
    } finally {
      await store.close();
    }

    const list = await run(["list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID +NAME +LABEL +SCOPES +RATE +CREATED +LAST USED +EXPIRES +STATUS\n1 +ci pipeline +prs_\w{8} +scan +10\/min +2030-05-01T12:00:00.000Z +never +2030-05-31T12:00:00.000Z +active\n$/);
    expect((await run(["create", "--name", "ci pipeline"], env)).stderr).toContain("an active token is already named");

    expect((await run(["revoke", token.slice(0, 12)], env))).toMatchObject({ code: 0, stderr: expect.stringContaining("revoked token 1") });
    const json = JSON.parse((await run(["list", "--json"], env)).stdout) as { status: string }[];
    expect(json.map((t) => t.status)).toEqual(["revoked"]);
    // The name is free again once its token is revoked.
    expect((await run(["create", "--name", "ci pipeline"], env)).code).toBe(0);
    expect((await run(["revoke", "99"], env)).stderr).toContain("no token has the id or label");
  });

  test("says what is wrong with the command line and exits 2", async () => {
    const env = await makeEnv();
    for (const [argv, message] of [
      [["create"], /needs --name/],
      [["create", "--name", "x", "--rate", "lots"], /--rate: expected a rate like 60\/min/],
      [["create", "--name", "x", "--expires", "2020-01-01"], /is not in the future/],
      [["create", "--name", "x", "--expires", "soon"], /--expires: expected 90d/],
      [["create", "--name", "x", "--scope", "admin"], /--scope: expected scan or audit, got "admin"/],
      [["create", "--name", "x", "--scope", "scan,audit"], /--scope: expected scan or audit, got "scan,audit" \(repeat --scope/],
      [["create", "--name", "x", "--scope"], /--scope/],
      [["revoke"], /one token id or label/],
      [["rotate"], /unknown subcommand "rotate"/],
      [["list", "--all"], /Unknown option/],
    ] as const) {
      const result = await run([...argv], env);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect((await run(["--help"], env)).stdout).toContain("Usage: pr-sentinel tokens");
    expect((await run(["--help"], env)).stdout).toContain("--scope scan|audit");
    // Nothing was created by the refused commands.
    expect((await run(["list"], env)).stdout).toMatch(/^no tokens/);
  });

  test("--scope gives a token scan, audit or both; list and --json show them", async () => {
    const env = await makeEnv();
    const audit = await run(["create", "--name", "auditor", "--scope", "audit"], env);
    expect(audit).toMatchObject({ code: 0, stderr: expect.stringContaining('"auditor" (scopes audit, 60/min, does not expire)') });
    // Repeated and duplicated, in any order: stored once each, in a fixed order.
    const both = await run(["create", "--name", "both", "--scope", "audit", "--scope", "scan", "--scope", "audit"], env);
    expect(both.stderr).toContain('"both" (scopes scan audit,');
    expect((await run(["create", "--name", "ci"], env)).stderr).toContain('"ci" (scopes scan,');
    const list = await run(["list"], env);
    expect(list.stdout.split("\n").slice(1, 4).map((line) => line.split(/ {2,}/)[3])).toEqual(["audit", "scan,audit", "scan"]);
    const json = JSON.parse((await run(["list", "--json"], env)).stdout) as { name: string; scopes: string[] }[];
    expect(json.map((t) => [t.name, t.scopes])).toEqual([["auditor", ["audit"]], ["both", ["scan", "audit"]], ["ci", ["scan"]]]);
  });

  test("migration 0002 gives tokens issued before scopes existed the scan scope only", async () => {
    const env = await makeEnv();
    const store = await openAuditStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR! }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      const db = store.db as unknown as Kysely<unknown>;
      const all = await apiMigrations(store.dialect).getMigrations();
      const first = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ "0001_api_tokens": all["0001_api_tokens"]! }) }, migrationTableName: API_MIGRATION_TABLE, migrationLockTableName: API_MIGRATION_LOCK_TABLE });
      expect((await first.migrateToLatest()).error).toBeUndefined();
      const old = generateToken();
      await sql`insert into api_tokens (name, label, hash, rate_limit, rate_window_seconds, created_at) values (${"old ci"}, ${tokenLabel(old)}, ${tokenHash(old)}, ${60}, ${60}, ${"2030-01-01T00:00:00.000Z"})`.execute(db);
      const tokens = await openApiTokenStore(store);
      const auth = await tokens.authenticate(old);
      expect(auth).toMatchObject({ ok: true, token: { name: "old ci", scopes: ["scan"] } });
      // Opening again runs nothing (the migration is recorded once).
      await openApiTokenStore(store);
      const ran = await sql<{ name: string }>`select name from ${sql.table(API_MIGRATION_TABLE)} order by name`.execute(db);
      expect(ran.rows.map((r) => r.name)).toEqual(["0001_api_tokens", "0002_api_token_scopes"]);
    } finally {
      await store.close();
    }
  });
});
