/**
 * One audit record: what pr-sentinel concluded about one completed check run, in the words an
 * auditor asks for (which change, which verdict, which findings, what was silenced and by whom,
 * which policy, how long it took). It names findings by fingerprint, rule, path and line only: no
 * message, evidence, suggestion or file content is ever copied in, because any of those can hold the
 * secret the finding is about. The committed JSON Schema (docs/audit-record.schema.json) describes
 * `AuditRecord`, the exported form; a test validates built records against it.
 */
import type { CheckStatus, Confidence, Severity, VerdictConclusion } from "../../core/types.js";

export const AUDIT_SCHEMA_VERSION = 1;

/** Findings listed one by one per record; the counts always cover all of them. */
export const MAX_LISTED_FINDINGS = 10_000;

export type AuditSubject =
  | { readonly kind: "pull_request"; readonly pull_request: number }
  | { readonly kind: "merge_group"; readonly ref: string };

export interface AuditFinding {
  readonly fingerprint: string;
  /** `<check>/<rule>`. */
  readonly rule_id: string;
  readonly check_id: string;
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly severity: Severity;
  readonly confidence: Confidence;
}

export interface AuditAllowlistEntry {
  readonly fingerprint: string;
  readonly reason: string;
  /** YYYY-MM-DD, or null for an entry without expiry. */
  readonly expires: string | null;
  /** Findings this entry silenced in this scan; null when the engine did not attribute them. */
  readonly findings: number | null;
}

export interface AuditSuppressions {
  readonly inline: number;
  /** Files left out by `paths.ignore`. */
  readonly ignored_paths: number;
  readonly allowlist: { readonly count: number; readonly entries: readonly AuditAllowlistEntry[] };
  readonly expired_allowlist: readonly { readonly fingerprint: string; readonly reason: string; readonly expires: string }[];
  readonly baseline: number;
}

export type ConfigSource =
  | { readonly kind: "repository"; readonly path: string; readonly ref: string }
  | { readonly kind: "extends"; readonly path: string; readonly ref: string; readonly extends: string }
  | { readonly kind: "defaults" };

export interface AuditCheck {
  readonly check_id: string;
  readonly status: CheckStatus;
  readonly message: string | null;
  readonly duration_ms: number;
  readonly finding_count: number;
}

export interface AuditTimings {
  /** ISO 8601 UTC, milliseconds. */
  readonly queued_at: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly queue_ms: number;
  readonly run_ms: number;
  readonly total_ms: number;
}

/** What the builders produce and `append` takes: everything but what the store assigns. */
export interface AuditRecordInput {
  readonly schema_version: typeof AUDIT_SCHEMA_VERSION;
  /** `owner/name` as GitHub spells it. */
  readonly repository: string;
  readonly installation_id: number | null;
  readonly subject: AuditSubject;
  readonly head_sha: string;
  readonly base_sha: string;
  /** `pull_request.synchronize`, `check_run.rerequested`, … */
  readonly event: string;
  readonly delivery_id: string | null;
  readonly check_run_id: number;
  /** False when the check run completed without a scan (invalid config, a crash, a timeout). */
  readonly scanned: boolean;
  readonly verdict: {
    /** The engine's verdict; null when nothing was scanned. */
    readonly conclusion: VerdictConclusion | null;
    /** What the check run says on GitHub: success, failure, neutral, action_required… */
    readonly check_run_conclusion: string;
    readonly title: string;
    readonly fail_on: Severity | "never" | null;
    readonly on_error: "neutral" | "fail" | null;
    readonly reasons: readonly string[];
  };
  readonly counts: {
    readonly total: number;
    readonly by_severity: Readonly<Record<Severity, number>>;
    readonly by_check: Readonly<Record<string, number>>;
    readonly by_rule: Readonly<Record<string, number>>;
  };
  readonly findings: readonly AuditFinding[];
  /** Findings past `MAX_LISTED_FINDINGS`, counted but not listed. */
  readonly findings_omitted: number;
  readonly suppressions: AuditSuppressions;
  readonly config: { readonly hash: string | null; readonly source: ConfigSource };
  readonly checks: readonly AuditCheck[];
  readonly notes: readonly string[];
  readonly stats: { readonly files: number; readonly added_lines: number; readonly engine_ms: number };
  readonly app_version: string;
  readonly timings: AuditTimings;
  /** The scan's risk score (src/posture/risk-score.ts) with the weights its config set; absent when nothing was scanned. */
  readonly score?: AuditScore;
}

export interface AuditScore {
  /** 0 to 100. */
  readonly score: number;
  readonly criticality: string;
  /** Sum of the rows' points, before the criticality multiplier. */
  readonly points: number;
  readonly rows: readonly { readonly check_id: string; readonly findings: number; readonly points: number }[];
}

/** The part of a record its hash covers: the input plus the store's chain position and time. */
export interface AuditRecordContent extends AuditRecordInput {
  /** Position in the repository's chain, from 1. */
  readonly seq: number;
  /** When the store wrote it (ISO 8601 UTC, milliseconds). */
  readonly created_at: string;
}

/** A record as read back and exported. */
export interface AuditRecord extends AuditRecordContent {
  /** The store's row id (not hashed: the chain is ordered by `seq`). */
  readonly id: number;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The chain a record belongs to: one per repository, by its name in lower case (GitHub ignores case). */
export function chainKey(repository: string): string {
  return repository.toLowerCase();
}
