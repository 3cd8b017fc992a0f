/**
 * Keeps the dashboard's projection (tables.ts) up to date with the audit trail. It reads records
 * past its cursor, projects each one once (idempotent by record id, so two replicas syncing at
 * once, or a sync interrupted half-way, never count a record twice) and sums them by week.
 *
 * Why the cursor trails on PostgreSQL: ids come from a sequence when a row is inserted, and a
 * transaction holding a lower id can commit after one holding a higher id. A cursor moved straight
 * to the highest id read would skip the late one for ever. So the cursor only moves past records
 * older than `SETTLE_MS`; newer ones are projected too (pages are current) and read again on the
 * next sync, where the record-id check skips them. SQLite has one writer: no such gap.
 *
 * Retention deletes a repository's oldest records: the projection of that repository is dropped
 * and rebuilt from what is left (the cursor steps back to its first remaining record).
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { AuditStore } from "../audit/open-store.js";
import type { AuditDatabase } from "../audit/tables.js";
import { inWriteTransaction } from "../audit/write-transaction.js";
import { readRecord, RecordShapeError, weekOf, type ProjectedRecord } from "./read-record.js";
import type { DashboardDatabase } from "./tables.js";

type Q = Kysely<DashboardDatabase> | Transaction<DashboardDatabase>;

export interface SyncLogger {
  warn(obj: object, msg?: string): void;
}

export interface SyncResult {
  readonly projected: number;
  /** Records whose content could not be read (logged by id). */
  readonly unreadable: number;
  /**
   * Names the trail's state the projection now reflects (newest record and retention run), or null
   * while records may still arrive out of order (PostgreSQL, within SETTLE_MS): pages may be cached
   * under it, since nothing they show changes until it does.
   */
  readonly version?: string | null;
}

const BATCH = 2000;
const SETTLE_MS = 60_000;
const DELETE_CHUNK = 500;

export function dashboardDb(store: AuditStore): Kysely<DashboardDatabase> {
  return store.db as unknown as Kysely<DashboardDatabase>;
}

/** What this process last saw of each store: when nothing is newer, a sync is two reads, no transaction. */
const seen = new WeakMap<AuditStore, { record: number; retention: number }>();

async function newest(store: AuditStore): Promise<{ record: number; retention: number }> {
  const [record, retention] = await Promise.all([
    store.db.selectFrom("audit_records").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst(),
    store.db.selectFrom("audit_retention_runs").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst(),
  ]);
  return { record: Number(record?.id ?? 0), retention: Number(retention?.id ?? 0) };
}

export async function syncDashboard(store: AuditStore, logger: SyncLogger): Promise<SyncResult> {
  const latest = await newest(store);
  const last = seen.get(store);
  const version = `${latest.record}/${latest.retention}`;
  if (last && last.record >= latest.record && last.retention >= latest.retention) return { projected: 0, unreadable: 0, version };
  const db = dashboardDb(store);
  await db.insertInto("dashboard_cursor").values({ id: 1, record_id: 0, retention_run_id: 0 }).onConflict((c) => c.column("id").doNothing()).execute();
  let projected = 0;
  let unreadable = 0;
  let position = -1;
  let cursor = 0;
  for (;;) {
    const step = await inWriteTransaction(store.db, store.dialect, (q) => syncStep(q as unknown as Q, store, position, logger));
    projected += step.projected;
    unreadable += step.unreadable;
    position = step.position;
    cursor = step.cursor;
    if (!step.more) break;
  }
  // The fast path is taken only once the cursor has settled past every record seen: until then
  // (PostgreSQL, records younger than SETTLE_MS) each sync re-reads them, and a late commit is found.
  const settled = cursor >= latest.record;
  seen.set(store, { record: settled ? latest.record : -1, retention: latest.retention });
  return { projected, unreadable, version: settled ? version : null };
}

interface Step extends SyncResult {
  readonly position: number;
  readonly cursor: number;
  readonly more: boolean;
}

async function syncStep(q: Q, store: AuditStore, from: number, logger: SyncLogger): Promise<Step> {
  let cursorQuery = q.selectFrom("dashboard_cursor").selectAll().where("id", "=", 1);
  if (store.dialect === "postgres") cursorQuery = cursorQuery.forUpdate();
  const cursor = await cursorQuery.executeTakeFirstOrThrow();
  let cursorId = Number(cursor.record_id);
  const rewound = await applyRetentionRuns(q, Number(cursor.retention_run_id));
  if (rewound) cursorId = Math.min(cursorId, rewound.rewindTo);
  const start = rewound ? cursorId : Math.max(cursorId, from);

  const heads = await q
    .selectFrom("audit_records")
    .select(["id", "created_at"])
    .where("id", ">", start)
    .orderBy("id")
    .limit(BATCH)
    .execute();
  const ids = heads.map((h) => Number(h.id));
  const known = new Set<number>();
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
    const rows = await q.selectFrom("dashboard_scans").select("record_id").where("record_id", "in", ids.slice(i, i + DELETE_CHUNK)).execute();
    for (const row of rows) known.add(Number(row.record_id));
  }
  const fresh = ids.filter((id) => !known.has(id));
  const rows: { id: number; created_at: string; repo_key: string; content: string }[] = [];
  for (let i = 0; i < fresh.length; i += DELETE_CHUNK) {
    rows.push(
      ...(await q.selectFrom("audit_records").select(["id", "created_at", "repo_key", "content"]).where("id", "in", fresh.slice(i, i + DELETE_CHUNK)).orderBy("id").execute()),
    );
  }
  const readable: Projected[] = [];
  for (const row of rows) {
    try {
      readable.push({ id: Number(row.id), repoKey: row.repo_key, createdAt: row.created_at, week: weekOf(row.created_at), record: readRecord(row.content) });
    } catch (error) {
      if (!(error instanceof RecordShapeError)) throw error;
      logger.warn({ recordId: Number(row.id), problem: error.message }, "dashboard: an audit record could not be read; it is left out of the dashboard (run `pr-sentinel audit verify`)");
    }
  }
  await project(q, readable);

  const settled = store.dialect === "postgres" ? store.now().getTime() - SETTLE_MS : Infinity;
  let newCursor = cursorId;
  for (const head of heads) {
    if (Date.parse(head.created_at) >= settled) break;
    newCursor = Math.max(newCursor, Number(head.id));
  }
  const retentionRunId = rewound ? rewound.retentionRunId : Number(cursor.retention_run_id);
  await q.updateTable("dashboard_cursor").set({ record_id: newCursor, retention_run_id: retentionRunId }).where("id", "=", 1).execute();
  const position = ids.length ? ids[ids.length - 1]! : start;
  return { projected: readable.length, unreadable: rows.length - readable.length, position, cursor: newCursor, more: heads.length === BATCH };
}

interface Projected {
  readonly id: number;
  readonly repoKey: string;
  readonly createdAt: string;
  readonly week: string;
  readonly record: ProjectedRecord;
}

async function applyRetentionRuns(q: Q, after: number): Promise<{ rewindTo: number; retentionRunId: number } | undefined> {
  const runs = await q.selectFrom("audit_retention_runs").select(["id", "repo_key"]).where("id", ">", after).orderBy("id").execute();
  if (runs.length === 0) return undefined;
  const keys = [...new Set(runs.map((r) => r.repo_key))];
  let rewindTo = Number.MAX_SAFE_INTEGER;
  for (const key of keys) {
    for (const table of ["dashboard_scans", "dashboard_pulls", "dashboard_repos", "dashboard_repo_weeks", "dashboard_check_weeks", "dashboard_rule_weeks", "dashboard_allowlist"] as const) {
      await q.deleteFrom(table).where("repo_key", "=", key).execute();
    }
    const first = await (q as unknown as Kysely<AuditDatabase>).selectFrom("audit_records").select((eb) => eb.fn.min("id").as("id")).where("repo_key", "=", key).executeTakeFirst();
    if (first?.id != null) rewindTo = Math.min(rewindTo, Number(first.id) - 1);
  }
  return { rewindTo: rewindTo === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : rewindTo, retentionRunId: Number(runs[runs.length - 1]!.id) };
}

const INSERT_CHUNK = 200;

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await write(rows.slice(i, i + INSERT_CHUNK));
}

function add<K>(map: Map<string, K & { findings: number }>, key: string, make: () => K & { findings: number }, n: number): void {
  const entry = map.get(key) ?? make();
  entry.findings += n;
  map.set(key, entry);
}

async function project(q: Q, projected: readonly Projected[]): Promise<void> {
  if (projected.length === 0) return;
  await inChunks(
    projected.map((p) => ({
      record_id: p.id,
      repo_key: p.repoKey,
      repository: p.record.repository,
      pull_request: p.record.pullRequest,
      check_run_id: p.record.checkRunId,
      head_sha: p.record.headSha,
      conclusion: p.record.conclusion,
      title: p.record.title,
      created_at: p.createdAt,
      week: p.week,
      score: p.record.score,
      findings: p.record.findings,
    })),
    (chunk) => q.insertInto("dashboard_scans").values(chunk).onConflict((c) => c.column("record_id").doNothing()).execute(),
  );

  const latestPull = new Map<string, Projected>();
  const latestOfRepo = new Map<string, Projected>();
  const repoWeeks = new Map<string, { repo_key: string; week: string; repository: string; scans: number; score_sum: number; score_max: number; failures: number }>();
  const checkWeeks = new Map<string, { repo_key: string; week: string; check_id: string; findings: number }>();
  const ruleWeeks = new Map<string, { repo_key: string; week: string; rule_id: string; findings: number }>();
  for (const p of projected) {
    const r = p.record;
    if (r.pullRequest !== null) {
      const key = `${p.repoKey}\0${r.pullRequest}`;
      if ((latestPull.get(key)?.id ?? -1) < p.id) latestPull.set(key, p);
    }
    if ((latestOfRepo.get(p.repoKey)?.id ?? -1) < p.id) latestOfRepo.set(p.repoKey, p);
    const weekKey = `${p.repoKey}\0${p.week}`;
    const week = repoWeeks.get(weekKey) ?? { repo_key: p.repoKey, week: p.week, repository: r.repository, scans: 0, score_sum: 0, score_max: 0, failures: 0 };
    week.scans++;
    week.score_sum += r.score;
    week.score_max = Math.max(week.score_max, r.score);
    if (r.conclusion === "failure") week.failures++;
    repoWeeks.set(weekKey, week);
    for (const [checkId, n] of r.byCheck) add(checkWeeks, `${weekKey}\0${checkId}`, () => ({ repo_key: p.repoKey, week: p.week, check_id: checkId, findings: 0 }), n);
    for (const [ruleId, n] of r.byRule) add(ruleWeeks, `${weekKey}\0${ruleId}`, () => ({ repo_key: p.repoKey, week: p.week, rule_id: ruleId, findings: 0 }), n);
  }

  const newer = (column: string) => sql<boolean>`excluded.record_id > ${sql.ref(column)}`;
  await inChunks(
    [...latestPull.values()].map((p) => ({
      repo_key: p.repoKey,
      pull_request: p.record.pullRequest!,
      repository: p.record.repository,
      record_id: p.id,
      conclusion: p.record.conclusion,
      created_at: p.createdAt,
      score: p.record.score,
      findings: p.record.findings,
    })),
    (chunk) =>
      q
        .insertInto("dashboard_pulls")
        .values(chunk)
        .onConflict((c) =>
          c
            .columns(["repo_key", "pull_request"])
            .doUpdateSet((eb) => ({
              repository: eb.ref("excluded.repository"),
              record_id: eb.ref("excluded.record_id"),
              conclusion: eb.ref("excluded.conclusion"),
              created_at: eb.ref("excluded.created_at"),
              score: eb.ref("excluded.score"),
              findings: eb.ref("excluded.findings"),
            }))
            .where(newer("dashboard_pulls.record_id")),
        )
        .execute(),
  );
  for (const p of latestOfRepo.values()) {
    const failing = sql<number>`(select count(*) from dashboard_pulls where repo_key = ${p.repoKey} and conclusion = 'failure')`;
    await q
      .insertInto("dashboard_repos")
      .values({ repo_key: p.repoKey, repository: p.record.repository, failing })
      .onConflict((c) => c.column("repo_key").doUpdateSet((eb) => ({ repository: eb.ref("excluded.repository"), failing: eb.ref("excluded.failing") })))
      .execute();
  }
  await inChunks([...repoWeeks.values()], (chunk) =>
    q
      .insertInto("dashboard_repo_weeks")
      .values(chunk)
      .onConflict((c) =>
        c.columns(["repo_key", "week"]).doUpdateSet({
          scans: sql`dashboard_repo_weeks.scans + excluded.scans`,
          score_sum: sql`dashboard_repo_weeks.score_sum + excluded.score_sum`,
          score_max: sql`case when excluded.score_max > dashboard_repo_weeks.score_max then excluded.score_max else dashboard_repo_weeks.score_max end`,
          failures: sql`dashboard_repo_weeks.failures + excluded.failures`,
        }),
      )
      .execute(),
  );
  await inChunks([...checkWeeks.values()], (chunk) =>
    q
      .insertInto("dashboard_check_weeks")
      .values(chunk)
      .onConflict((c) => c.columns(["repo_key", "week", "check_id"]).doUpdateSet({ findings: sql`dashboard_check_weeks.findings + excluded.findings` }))
      .execute(),
  );
  await inChunks([...ruleWeeks.values()], (chunk) =>
    q
      .insertInto("dashboard_rule_weeks")
      .values(chunk)
      .onConflict((c) => c.columns(["repo_key", "week", "rule_id"]).doUpdateSet({ findings: sql`dashboard_rule_weeks.findings + excluded.findings` }))
      .execute(),
  );
  for (const p of latestOfRepo.values()) await replaceAllowlist(q, p);
}

/** The latest scan lists every unexpired entry of the repository's config: its list replaces the stored one. */
async function replaceAllowlist(q: Q, p: Projected): Promise<void> {
  const stored = await q.selectFrom("dashboard_allowlist").select((eb) => eb.fn.max("record_id").as("id")).where("repo_key", "=", p.repoKey).executeTakeFirst();
  if (stored?.id != null && Number(stored.id) > p.id) return;
  await q.deleteFrom("dashboard_allowlist").where("repo_key", "=", p.repoKey).execute();
  const entries = new Map(p.record.allowlist.map((e) => [e.fingerprint, e]));
  await inChunks(
    [...entries.values()].map((e) => ({ repo_key: p.repoKey, fingerprint: e.fingerprint, repository: p.record.repository, reason: e.reason, expires: e.expires, record_id: p.id })),
    (chunk) => q.insertInto("dashboard_allowlist").values(chunk).execute(),
  );
}
