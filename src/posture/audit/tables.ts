/**
 * The audit tables as kysely sees them. Records keep their hashed content as canonical JSON text
 * (never `jsonb`, which reorders keys and would change the bytes the hash covers); the few columns
 * beside it are copies for indexes and queries, and `verify` checks every copy against the content.
 */
import type { Generated } from "kysely";

export interface AuditRecordsTable {
  id: Generated<number>;
  /** `chainKey(repository)`. */
  repo_key: string;
  seq: number;
  check_run_id: number;
  created_at: string;
  pull_request: number | null;
  head_sha: string;
  conclusion: string;
  content: string;
  prev_hash: string;
  hash: string;
}

/**
 * One row per repository: where its chain starts (after retention) and where it ends. Appends lock
 * this row, so one repository's records are written one at a time; the end lets `verify` notice
 * records deleted from the tail, which no link could show.
 */
export interface AuditChainsTable {
  repo_key: string;
  start_seq: number;
  start_prev_hash: string;
  last_seq: number;
  last_hash: string;
}

/** What retention deleted, so a shortened chain is explained rather than merely accepted. */
export interface AuditRetentionRunsTable {
  id: Generated<number>;
  repo_key: string;
  ran_at: string;
  cutoff: string;
  first_seq: number;
  last_seq: number;
  deleted: number;
  last_hash: string;
}

export interface AuditDatabase {
  audit_records: AuditRecordsTable;
  audit_chains: AuditChainsTable;
  audit_retention_runs: AuditRetentionRunsTable;
}
