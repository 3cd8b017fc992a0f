/**
 * The dashboard's own tables: a projection of the audit trail (one small row per record, weekly
 * sums per repository, check family and rule, the allowlist in effect) and the sign-in sessions.
 * Pages never parse record content in bulk: at 100,000 records that alone would take seconds, so
 * the projection keeps what the overview needs, summed by week, and every page reads only it
 * (a pull request's page parses its own few records). All of it can be rebuilt from the trail.
 */
import type { AuditDatabase } from "../audit/tables.js";

export interface DashboardScansTable {
  /** `audit_records.id`: the projection is idempotent by it. */
  record_id: number;
  repo_key: string;
  repository: string;
  pull_request: number | null;
  check_run_id: number;
  head_sha: string;
  conclusion: string;
  title: string;
  created_at: string;
  /** Monday of the record's week (UTC), YYYY-MM-DD. */
  week: string;
  score: number;
  findings: number;
}

/** The latest scan of each pull request: "failing now" is a question about it. */
export interface DashboardPullsTable {
  repo_key: string;
  pull_request: number;
  repository: string;
  record_id: number;
  conclusion: string;
  created_at: string;
  score: number;
  findings: number;
}

/** Per repository: how many of its pull requests fail now (kept so the overview sums 50 rows, not 100,000). */
export interface DashboardReposTable {
  repo_key: string;
  repository: string;
  failing: number;
}

export interface DashboardRepoWeeksTable {
  repo_key: string;
  week: string;
  repository: string;
  scans: number;
  score_sum: number;
  score_max: number;
  failures: number;
}

export interface DashboardCheckWeeksTable {
  repo_key: string;
  week: string;
  check_id: string;
  findings: number;
}

export interface DashboardRuleWeeksTable {
  repo_key: string;
  week: string;
  rule_id: string;
  findings: number;
}

/** The allowlist in effect in each repository's latest scan (a scan lists every unexpired entry). */
export interface DashboardAllowlistTable {
  repo_key: string;
  fingerprint: string;
  repository: string;
  reason: string;
  expires: string | null;
  record_id: number;
}

export interface DashboardCursorTable {
  id: number;
  /** Every record up to this id is projected (later ones may be, too: see project.ts). */
  record_id: number;
  retention_run_id: number;
}

export interface DashboardSessionsTable {
  /** SHA-256 of the session id the cookie carries: a copy of this table opens no session. */
  id: string;
  user_id: number;
  login: string;
  created_at: string;
  checked_at: string;
  expires_at: string;
}

export interface DashboardSessionReposTable {
  session_id: string;
  repo_key: string;
}

export interface DashboardTables {
  dashboard_scans: DashboardScansTable;
  dashboard_pulls: DashboardPullsTable;
  dashboard_repos: DashboardReposTable;
  dashboard_repo_weeks: DashboardRepoWeeksTable;
  dashboard_check_weeks: DashboardCheckWeeksTable;
  dashboard_rule_weeks: DashboardRuleWeeksTable;
  dashboard_allowlist: DashboardAllowlistTable;
  dashboard_cursor: DashboardCursorTable;
  dashboard_sessions: DashboardSessionsTable;
  dashboard_session_repos: DashboardSessionReposTable;
}

export type DashboardDatabase = DashboardTables & AuditDatabase;
