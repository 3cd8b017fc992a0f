/**
 * The projection against real stores (SQLite, PostgreSQL): it counts each record once however often
 * it syncs, keeps the latest scan per pull request, rebuilds a repository after retention, and
 * reports an unreadable record instead of reading half of it.
 */
import { rmSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditStore } from "../../../src/posture/audit/open-store.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { applyRetention } from "../../../src/posture/audit/retention.js";
import { migrateDashboardTables } from "../../../src/posture/dashboard/migrations.js";
import { dashboardDb, syncDashboard } from "../../../src/posture/dashboard/project.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";
import { finding, record, scanResult } from "../audit/fixtures.js";
import { silent, sqliteFactory, type StoreFactory } from "./harness.js";

const dirs: string[] = [];
let pg: PostgresServer | undefined;
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
});

function suite(factory: () => StoreFactory) {
  let store: AuditStore;
  const clock = { now: new Date("2026-01-07T10:00:00Z") };
  beforeAll(async () => {
    store = await factory().open(() => clock.now);
    await migrateDashboardTables(store.db as never, store.dialect);
  });
  afterAll(() => store?.close());

  const totals = async () => {
    const db = dashboardDb(store);
    const [scans, checks, pulls] = await Promise.all([
      db.selectFrom("dashboard_scans").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
      db.selectFrom("dashboard_check_weeks").select((eb) => eb.fn.sum("findings").as("n")).executeTakeFirstOrThrow(),
      db.selectFrom("dashboard_pulls").selectAll().orderBy("repo_key").orderBy("pull_request").execute(),
    ]);
    return { scans: Number(scans.n), findings: Number(checks.n ?? 0), pulls: pulls.map((p) => [p.repo_key, Number(p.pull_request), p.conclusion, Number(p.score)]) };
  };

  it("projects each record once, however often it syncs", async () => {
    await store.append(record({ repo: "acme/a", pullNumber: 1, result: scanResult([finding(), finding({ checkId: "policy", ruleId: "policy/x", severity: "medium" })]) }));
    await store.append(record({ repo: "acme/a", pullNumber: 1, result: scanResult([]) }));
    await store.append(record({ repo: "Acme/B", pullNumber: 2, result: scanResult([finding({ severity: "critical" })]) }));
    const first = await syncDashboard(store, silent);
    expect(first.projected).toBe(3);
    await syncDashboard(store, silent);
    // Forget the cursor: a sync from zero finds every record projected and adds nothing.
    await dashboardDb(store).updateTable("dashboard_cursor").set({ record_id: 0 }).execute();
    expect((await syncDashboard(store, silent)).projected).toBe(0);
    expect(await totals()).toEqual({
      scans: 3,
      findings: 3,
      // #1's latest scan passed; scores are computed from the record's findings (high 20, critical 40).
      pulls: [
        ["acme/a", 1, "success", 0],
        ["acme/b", 2, "failure", 40],
      ],
    });
  });

  it("reports an unreadable record by id and projects the others", async () => {
    await store.append(record({ repo: "acme/a", pullNumber: 3 }));
    const broken = await store.append(record({ repo: "acme/a", pullNumber: 4 }));
    if (broken.status !== "inserted") throw new Error("not inserted");
    await sql`update audit_records set content = ${"{not json"} where id = ${broken.id}`.execute(store.db);
    const warnings: object[] = [];
    const result = await syncDashboard(store, { warn: (obj) => warnings.push(obj) });
    expect(result).toMatchObject({ projected: 1, unreadable: 1 });
    expect(warnings).toEqual([{ recordId: broken.id, problem: "content is not JSON" }]);
  });

  it("rebuilds a repository's projection after retention deleted its oldest records", async () => {
    clock.now = new Date("2026-01-07T11:00:00Z");
    await store.append(record({ repo: "acme/c", pullNumber: 5, result: scanResult([finding(), finding()]) }));
    clock.now = new Date("2026-03-01T10:00:00Z");
    await store.append(record({ repo: "acme/c", pullNumber: 9, result: scanResult([finding()]) }));
    await syncDashboard(store, silent);
    const retention = await applyRetention(store, { days: 30 });
    // acme/a's chain holds the edited record above: retention refuses it and leaves it whole.
    expect(retention.runs.map((r) => r.repository.toLowerCase()).sort()).toEqual(["acme/b", "acme/c"]);
    await syncDashboard(store, silent);
    const db = dashboardDb(store);
    const pulls = await db.selectFrom("dashboard_pulls").select(["repo_key", "pull_request"]).where("repo_key", "in", ["acme/b", "acme/c"]).execute();
    expect(pulls.map((p) => [p.repo_key, Number(p.pull_request)])).toEqual([["acme/c", 9]]);
    const weeks = await db.selectFrom("dashboard_check_weeks").select(["week", "findings"]).where("repo_key", "=", "acme/c").execute();
    expect(weeks.map((w) => [w.week, Number(w.findings)])).toEqual([["2026-02-23", 1]]);
  });
}

describe("projection on SQLite", () => suite(() => sqliteFactory(dirs)));

describe.skipIf(postgresMode() === "skip")("projection on PostgreSQL", () => {
  beforeAll(async () => {
    pg = await startPostgresServer();
  }, 60_000);
  suite(() => ({ name: "PostgreSQL", open: async (now) => openAuditStore({ databaseUrl: await pg!.createDatabase(), logger: silent, now }) }));
});
