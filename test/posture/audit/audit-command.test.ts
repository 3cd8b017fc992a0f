/** `pr-sentinel audit verify|export` in-process, over the database the app writes. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAuditCommand } from "../../../src/cli/audit-command.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";
import { record } from "./fixtures.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

class Collect extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString("utf8");
    done();
  }
}

async function run(argv: string[], env: Record<string, string>) {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runAuditCommand(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function seededEnv(env: Record<string, string>, count = 3) {
  const store = await openAuditStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR! }), logger: silent });
  await store.appendMany(Array.from({ length: count }, (_, i) => record({ checkRunId: 1 + i, repo: i === 0 ? "acme/first" : "acme/widgets" })));
  return store;
}

function sqliteEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-cli-"));
  dirs.push(dir);
  return { DATA_DIR: join(dir, "data") };
}

describe("pr-sentinel audit", () => {
  it("verify exits 0 on an intact trail and prints each chain's end hash", async () => {
    const env = sqliteEnv();
    await (await seededEnv(env)).close();
    const { code, stdout } = await run(["verify"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^audit trail intact: 3 records in 2 repositories/);
    expect(stdout).toMatch(/acme\/widgets {2}seq 1\.\.2 {2}[0-9a-f]{64}/);
  });

  it("verify exits 1 naming the edited record", async () => {
    const env = sqliteEnv();
    const store = await seededEnv(env);
    const victim = await store.db.selectFrom("audit_records").select(["id", "content"]).where("repo_key", "=", "acme/widgets").where("seq", "=", 2).executeTakeFirstOrThrow();
    await store.db.updateTable("audit_records").set({ content: victim.content.replace('"total":1', '"total":0') }).where("id", "=", victim.id).execute();
    await store.close();
    const { code, stdout } = await run(["verify"], env);
    expect(code).toBe(1);
    expect(stdout).toContain(`acme/widgets: record ${victim.id} (seq 2) was edited`);
    expect((await run(["verify", "--repo", "acme/first"], env)).code).toBe(0);
  });

  it("export writes JSONL to stdout, or CSV to a file", async () => {
    const env = sqliteEnv();
    await (await seededEnv(env)).close();
    const jsonl = await run(["export", "--repo", "acme/widgets"], env);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { check_run_id: number }).check_run_id)).toEqual([2, 3]);
    const output = join(env.DATA_DIR!, "..", "audit.csv");
    const csv = await run(["export", "--format", "csv", "--since", "2000-01-01", "--output", output], env);
    expect(csv).toMatchObject({ code: 0, stdout: "" });
    expect(csv.stderr).toContain("exported 3 records");
    expect(readFileSync(output, "utf8").split("\r\n")).toHaveLength(5);
  });

  it("says what is wrong with the command line and exits 2 without opening anything", async () => {
    const env = { DATA_DIR: join(sqliteEnv().DATA_DIR!, "missing") };
    for (const [argv, message] of [
      [["frobnicate"], /unknown subcommand/],
      [["export", "--format", "xml"], /--format: expected jsonl or csv/],
      [["export", "--since", "last week"], /--since: expected a date/],
      [["verify", "--repo", "../etc"], /--repo: expected OWNER\/NAME/],
      [["verify", "--bogus"], /Unknown option '--bogus'/],
    ] as const) {
      const result = await run([...argv], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(await run([], env)).toMatchObject({ code: 2, stdout: "", stderr: expect.stringContaining("Usage: pr-sentinel audit") });
    expect(await run(["--help"], env)).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: pr-sentinel audit") });
    const seeded = sqliteEnv();
    await (await seededEnv(seeded)).close();
    expect(await run(["export", "--output", "/nonexistent/dir/out.jsonl"], seeded)).toMatchObject({ code: 2, stderr: expect.stringMatching(/ENOENT/) });
    const missing = await run(["verify"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(env.DATA_DIR, "audit.sqlite")}: no such database`);
    expect(existsSync(env.DATA_DIR)).toBe(false);
    const badUrl = await run(["verify"], { DATABASE_URL: "mysql://x" });
    expect(badUrl).toMatchObject({ code: 2 });
    expect(badUrl.stderr).toContain("DATABASE_URL: expected a postgres:// URL");
  });

  it("names the database it cannot reach, without its password", async () => {
    const result = await run(["verify"], { DATABASE_URL: "postgres://auditor:hunter2-not-real@127.0.0.1:1/audit" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("postgres://127.0.0.1:1/audit: cannot connect");
    expect(result.stderr).not.toContain("hunter2");
  });
});

describe.skipIf(postgresMode() === "skip")("pr-sentinel audit on PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => server?.stop());

  it("verifies and exports through DATABASE_URL", async () => {
    const env = { DATABASE_URL: await server.createDatabase() };
    await (await seededEnv(env)).close();
    expect(await run(["verify"], env)).toMatchObject({ code: 0 });
    expect((await run(["export"], env)).stdout.trim().split("\n")).toHaveLength(3);
  });
});
