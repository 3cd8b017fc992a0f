/**
 * The pages' questions, asked of the projection (tables.ts). Every query that returns a
 * repository's data filters in SQL by the session's allowed set:
 * `repo_key IN (SELECT repo_key FROM dashboard_session_repos WHERE session_id = ?)`; nothing is
 * read first and filtered after. The week sums keep the overview's work proportional to repositories
 * × weeks, not to records: that is what holds it under 200 ms at 100,000 pull requests.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { AuditRecord } from "../audit/record.js";
import type { DashboardDatabase } from "./tables.js";
import { chainKey } from "../audit/record.js";

export type Q = Kysely<DashboardDatabase> | Transaction<DashboardDatabase>;

export const CHART_WEEKS = 26;
export const RULE_WEEKS = 12;
export const RISK_WEEKS = 4;
export const EXPIRY_DAYS = 14;
const LIST_LIMIT = 50;

function allowed(q: Q, sessionKey: string) {
  return q.selectFrom("dashboard_session_repos").select("repo_key").where("session_id", "=", sessionKey);
}

/** Monday `weeks - 1` weeks before the week of `now`: the first week a chart of `weeks` shows. */
export function firstWeek(now: Date, weeks: number): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7) - 7 * (weeks - 1));
  return day.toISOString().slice(0, 10);
}

export function weeksFrom(first: string, count: number): string[] {
  const out: string[] = [];
  const day = new Date(`${first}T00:00:00Z`);
  for (let i = 0; i < count; i++, day.setUTCDate(day.getUTCDate() + 7)) out.push(day.toISOString().slice(0, 10));
  return out;
}

export interface PullRow {
  readonly repository: string;
  readonly pullRequest: number;
  readonly conclusion: string;
  readonly createdAt: string;
  readonly score: number;
  readonly findings: number;
}
export interface WeekCount {
  readonly week: string;
  readonly key: string;
  readonly findings: number;
}
export interface RuleRow {
  readonly ruleId: string;
  readonly findings: number;
  readonly repositories: number;
}
export interface ExpiringEntry {
  readonly repository: string;
  readonly fingerprint: string;
  readonly reason: string;
  readonly expires: string;
}
export interface RiskRow {
  readonly repository: string;
  readonly average: number;
  readonly max: number;
  readonly scans: number;
  readonly trend: readonly { readonly week: string; readonly average: number | null }[];
}
export interface Overview {
  readonly failing: readonly PullRow[];
  readonly failingTotal: number;
  readonly weeks: readonly string[];
  readonly byCheck: readonly WeekCount[];
  readonly rules: readonly RuleRow[];
  readonly expiring: readonly ExpiringEntry[];
  readonly riskiest: readonly RiskRow[];
  readonly repositories: number;
}

const n = (v: unknown) => Number(v ?? 0);

function pullRow(r: { repository: string; pull_request: number; conclusion: string; created_at: string; score: number; findings: number }): PullRow {
  return { repository: r.repository, pullRequest: n(r.pull_request), conclusion: r.conclusion, createdAt: r.created_at, score: n(r.score), findings: n(r.findings) };
}

async function failingPulls(q: Q, sessionKey: string, repoKey?: string): Promise<{ rows: PullRow[]; total: number }> {
  let rows = q.selectFrom("dashboard_pulls").where("conclusion", "=", "failure").where("repo_key", "in", allowed(q, sessionKey));
  let total = q.selectFrom("dashboard_repos").select((eb) => eb.fn.sum<number>("failing").as("n")).where("repo_key", "in", allowed(q, sessionKey));
  if (repoKey !== undefined) {
    rows = rows.where("repo_key", "=", repoKey);
    total = total.where("repo_key", "=", repoKey);
  }
  const [found, count] = await Promise.all([
    rows.select(["repository", "pull_request", "conclusion", "created_at", "score", "findings"]).orderBy("created_at", "desc").limit(LIST_LIMIT).execute(),
    total.executeTakeFirst(),
  ]);
  return { rows: found.map(pullRow), total: n(count?.n) };
}

export async function overview(q: Q, sessionKey: string, now: Date): Promise<Overview> {
  const chartFrom = firstWeek(now, CHART_WEEKS);
  const ruleFrom = firstWeek(now, RULE_WEEKS);
  const riskFrom = firstWeek(now, RISK_WEEKS);
  const today = now.toISOString().slice(0, 10);
  const until = new Date(now.getTime() + EXPIRY_DAYS * 86_400_000).toISOString().slice(0, 10);
  const mine = allowed(q, sessionKey);

  const [failing, byCheck, rules, expiring, risk, repositories] = await Promise.all([
    failingPulls(q, sessionKey),
    q
      .selectFrom("dashboard_check_weeks")
      .select(["week", "check_id", (eb) => eb.fn.sum<number>("findings").as("findings")])
      .where("week", ">=", chartFrom)
      .where("repo_key", "in", mine)
      .groupBy(["week", "check_id"])
      .execute(),
    q
      .selectFrom("dashboard_rule_weeks")
      .select(["rule_id", (eb) => eb.fn.sum<number>("findings").as("findings"), (eb) => eb.fn.count<number>("repo_key").distinct().as("repositories")])
      .where("week", ">=", ruleFrom)
      .where("repo_key", "in", mine)
      .groupBy("rule_id")
      .orderBy("findings", "desc")
      .orderBy("rule_id")
      .limit(15)
      .execute(),
    q
      .selectFrom("dashboard_allowlist")
      .select(["repository", "fingerprint", "reason", "expires"])
      .where("expires", ">=", today)
      .where("expires", "<=", until)
      .where("repo_key", "in", mine)
      .orderBy("expires")
      .orderBy("repository")
      .limit(100)
      .execute(),
    q
      .selectFrom("dashboard_repo_weeks")
      .select([
        "repo_key",
        (eb) => eb.fn.max("repository").as("repository"),
        (eb) => eb.fn.sum<number>("scans").as("scans"),
        (eb) => eb.fn.sum<number>("score_sum").as("score_sum"),
        (eb) => eb.fn.max("score_max").as("score_max"),
      ])
      .where("week", ">=", riskFrom)
      .where("repo_key", "in", mine)
      .groupBy("repo_key")
      .orderBy(sql`sum(score_sum) * 1.0 / sum(scans)`, "desc")
      .orderBy("repo_key")
      .limit(10)
      .execute(),
    q.selectFrom("dashboard_session_repos").select((eb) => eb.fn.countAll().as("n")).where("session_id", "=", sessionKey).executeTakeFirst(),
  ]);
  const weeks = weeksFrom(chartFrom, CHART_WEEKS);
  const trends = await scoreTrends(
    q,
    risk.map((r) => r.repo_key),
    chartFrom,
  );
  return {
    failing: failing.rows,
    failingTotal: failing.total,
    weeks,
    byCheck: byCheck.map((r) => ({ week: r.week, key: r.check_id, findings: n(r.findings) })),
    rules: rules.map((r) => ({ ruleId: r.rule_id, findings: n(r.findings), repositories: n(r.repositories) })),
    expiring: expiring.map((r) => ({ repository: r.repository, fingerprint: r.fingerprint, reason: r.reason, expires: r.expires ?? "" })),
    riskiest: risk.map((r) => ({
      repository: String(r.repository),
      scans: n(r.scans),
      average: Math.round(n(r.score_sum) / Math.max(1, n(r.scans))),
      max: n(r.score_max),
      trend: weeks.map((week) => ({ week, average: trends.get(r.repo_key)?.get(week) ?? null })),
    })),
    repositories: n(repositories?.n),
  };
}

/** Average score per week of each repository (keys already known to be allowed). */
async function scoreTrends(q: Q, keys: readonly string[], from: string): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (keys.length === 0) return out;
  const rows = await q.selectFrom("dashboard_repo_weeks").select(["repo_key", "week", "scans", "score_sum"]).where("repo_key", "in", keys).where("week", ">=", from).execute();
  for (const row of rows) {
    const weeks = out.get(row.repo_key) ?? new Map<string, number>();
    weeks.set(row.week, Math.round(n(row.score_sum) / Math.max(1, n(row.scans))));
    out.set(row.repo_key, weeks);
  }
  return out;
}

export async function mayRead(q: Q, sessionKey: string, repository: string): Promise<boolean> {
  const row = await q.selectFrom("dashboard_session_repos").select("repo_key").where("session_id", "=", sessionKey).where("repo_key", "=", chainKey(repository)).executeTakeFirst();
  return row !== undefined;
}

export interface ScanRow {
  readonly recordId: number;
  readonly pullRequest: number | null;
  readonly checkRunId: number;
  readonly headSha: string;
  readonly conclusion: string;
  readonly title: string;
  readonly createdAt: string;
  readonly score: number;
  readonly findings: number;
}
export interface RepositoryPage {
  /** As the latest record spells it; null when nothing was recorded. */
  readonly repository: string | null;
  readonly weeks: readonly string[];
  readonly trend: readonly { readonly week: string; readonly average: number | null; readonly scans: number }[];
  readonly scans: readonly ScanRow[];
  readonly rules: readonly RuleRow[];
  readonly failing: readonly PullRow[];
  readonly failingTotal: number;
}

function scanRow(r: DashboardDatabase["dashboard_scans"]): ScanRow {
  return {
    recordId: n(r.record_id),
    pullRequest: r.pull_request === null ? null : n(r.pull_request),
    checkRunId: n(r.check_run_id),
    headSha: r.head_sha,
    conclusion: r.conclusion,
    title: r.title,
    createdAt: r.created_at,
    score: n(r.score),
    findings: n(r.findings),
  };
}

/** Callers check `mayRead` first; the key is filtered here again so a missed check still shows nothing. */
export async function repositoryPage(q: Q, sessionKey: string, repository: string, now: Date): Promise<RepositoryPage> {
  const key = chainKey(repository);
  const mine = allowed(q, sessionKey);
  const from = firstWeek(now, CHART_WEEKS);
  const [trendRows, scans, rules, failing] = await Promise.all([
    q.selectFrom("dashboard_repo_weeks").selectAll().where("repo_key", "=", key).where("repo_key", "in", mine).where("week", ">=", from).execute(),
    q.selectFrom("dashboard_scans").selectAll().where("repo_key", "=", key).where("repo_key", "in", mine).orderBy("record_id", "desc").limit(LIST_LIMIT).execute(),
    q
      .selectFrom("dashboard_rule_weeks")
      .select(["rule_id", (eb) => eb.fn.sum<number>("findings").as("findings")])
      .where("repo_key", "=", key)
      .where("repo_key", "in", mine)
      .where("week", ">=", firstWeek(now, RULE_WEEKS))
      .groupBy("rule_id")
      .orderBy("findings", "desc")
      .orderBy("rule_id")
      .limit(25)
      .execute(),
    failingPulls(q, sessionKey, key),
  ]);
  const weeks = weeksFrom(from, CHART_WEEKS);
  const byWeek = new Map(trendRows.map((r) => [r.week, r]));
  return {
    repository: scans[0]?.repository ?? trendRows[0]?.repository ?? null,
    weeks,
    trend: weeks.map((week) => {
      const row = byWeek.get(week);
      return { week, scans: n(row?.scans), average: row ? Math.round(n(row.score_sum) / Math.max(1, n(row.scans))) : null };
    }),
    scans: scans.map(scanRow),
    rules: rules.map((r) => ({ ruleId: r.rule_id, findings: n(r.findings), repositories: 1 })),
    failing: failing.rows,
    failingTotal: failing.total,
  };
}

export interface PullRequestPage {
  readonly scans: readonly ScanRow[];
  /** The latest scan's record as stored (findings by rule, path and line; no secret is in it). */
  readonly latest: AuditRecord | null;
}

const MAX_PULL_SCANS = 100;

export async function pullRequestPage(q: Q, sessionKey: string, repository: string, pullRequest: number): Promise<PullRequestPage> {
  const key = chainKey(repository);
  const scans = await q
    .selectFrom("dashboard_scans")
    .selectAll()
    .where("repo_key", "=", key)
    .where("repo_key", "in", allowed(q, sessionKey))
    .where("pull_request", "=", pullRequest)
    .orderBy("record_id", "desc")
    .limit(MAX_PULL_SCANS)
    .execute();
  if (scans.length === 0) return { scans: [], latest: null };
  const row = await q
    .selectFrom("audit_records")
    .select(["id", "content", "prev_hash", "hash"])
    .where("id", "=", scans[0]!.record_id)
    .where("repo_key", "in", allowed(q, sessionKey))
    .executeTakeFirst();
  let latest: AuditRecord | null = null;
  if (row) {
    try {
      latest = { ...(JSON.parse(row.content) as object), id: n(row.id), prev_hash: row.prev_hash, hash: row.hash } as AuditRecord;
    } catch {
      latest = null;
    }
  }
  return { scans: scans.map(scanRow), latest };
}
