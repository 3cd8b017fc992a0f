/**
 * Builds the audit record of one completed check run from what the runner knows at that point: the
 * job (which change), the engine's result, the check run id, where the config came from, timings.
 *
 * What is left out on purpose: a finding's message, evidence, remediation, suggestion and
 * properties, and its `identity` (a hash of the secret that, unkeyed, would let anyone holding the
 * database confirm a guessed secret offline). Free text that does go in (verdict title and reasons,
 * check messages, notes) is written by our own code, but may quote what a parser choked on; it is
 * scrubbed as check errors are for the check run (src/core/check-error-message.ts), so a secret a
 * lockfile parser quoted in its error never reaches the database.
 */
import { countBySeverity } from "../../core/verdict.js";
import type { RiskScore } from "../risk-score.js";
import type { ScanTarget } from "../../app/jobs/scan-job.js";
import { scrubCheckErrorMessage } from "../../core/check-error-message.js";
import type { ScanResult, VerdictConclusion } from "../../core/types.js";
import { canonicalJson, sha256Hex, type CanonicalValue } from "./canonical-json.js";
import {
  AUDIT_SCHEMA_VERSION,
  MAX_LISTED_FINDINGS,
  type AuditAllowlistEntry,
  type AuditCheck,
  type AuditFinding,
  type AuditRecordInput,
  type AuditSubject,
  type AuditTimings,
  type ConfigSource,
} from "./record.js";

export interface AuditJobFields {
  readonly target: Pick<ScanTarget, "kind" | "owner" | "repo" | "headSha" | "baseSha"> & { readonly pullNumber?: number; readonly headRef?: string };
  readonly event: string;
  readonly installationId?: number | null;
  readonly deliveryId?: string | null;
}

export interface AuditConfigInfo {
  /** `configHash(effectiveConfig)`; null when no config was read (it did not parse). */
  readonly hash: string | null;
  readonly source: ConfigSource;
  /** The config's allowlist, to list the entries in effect with their reason and expiry. */
  readonly allowlist?: readonly { readonly fingerprint: string; readonly reason: string; readonly expires?: string | undefined }[];
}

/** Milliseconds since the epoch: the webhook accepted the job, the runner took it, the run completed. */
export interface AuditTimingInput {
  readonly queuedAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

interface Common {
  readonly job: AuditJobFields;
  readonly checkRunId: number;
  readonly configInfo: AuditConfigInfo;
  readonly timings: AuditTimingInput;
  readonly appVersion: string;
  /** "today" (YYYY-MM-DD) for which allowlist entries are in effect; default: the finish day. */
  readonly today?: string;
}

export interface ScannedRunInput extends Common {
  readonly result: ScanResult;
  /** The scan's risk score, computed with the config's `score:` weights. */
  readonly score?: RiskScore;
  /** What the check run was completed with; default from the verdict (pass: success…). */
  readonly checkRunConclusion?: string;
}

export interface UnscannedRunInput extends Common {
  /** action_required (invalid config), neutral or failure (a crash, a timeout). */
  readonly checkRunConclusion: string;
  readonly title: string;
  readonly reasons?: readonly string[];
}

/** The engine may attribute allowlist hits to entries; older results only count them. */
type AttributedCounts = { readonly allowlistApplied?: readonly { readonly fingerprint: string; readonly findings: number }[] };

const CHECK_RUN_CONCLUSION: Record<VerdictConclusion, string> = { pass: "success", fail: "failure", neutral: "neutral" };

const MAX_TEXT_CHARS = 300;
const MAX_NOTES = 50;

export function auditRecordFromScan(input: ScannedRunInput): AuditRecordInput {
  const { result } = input;
  const listed = result.findings.slice(0, MAX_LISTED_FINDINGS);
  const byCheck: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of result.findings) {
    byCheck[f.checkId] = (byCheck[f.checkId] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const suppressed = result.suppressed as typeof result.suppressed & AttributedCounts;
  return {
    ...commonFields(input),
    scanned: true,
    verdict: {
      conclusion: result.verdict.conclusion,
      check_run_conclusion: input.checkRunConclusion ?? CHECK_RUN_CONCLUSION[result.verdict.conclusion],
      title: auditText(result.verdict.title),
      fail_on: result.verdict.failOn,
      on_error: result.verdict.onError,
      reasons: result.verdict.reasons.slice(0, MAX_NOTES).map((r) => auditText(r)),
    },
    counts: { total: result.findings.length, by_severity: countBySeverity(result.findings), by_check: byCheck, by_rule: byRule },
    findings: listed.map(
      (f): AuditFinding => ({
        fingerprint: f.fingerprint,
        rule_id: f.ruleId,
        check_id: f.checkId,
        path: f.path,
        start_line: f.startLine,
        end_line: f.endLine,
        severity: f.severity,
        confidence: f.confidence,
      }),
    ),
    findings_omitted: result.findings.length - listed.length,
    suppressions: {
      inline: result.suppressed.inline,
      ignored_paths: result.suppressed.ignoredPaths,
      allowlist: {
        count: result.suppressed.allowlist,
        entries: allowlistInEffect(input, suppressed.allowlistApplied),
      },
      expired_allowlist: result.expiredAllowlist.map((e) => ({ fingerprint: e.fingerprint, reason: plainText(e.reason), expires: e.expires })),
      baseline: result.suppressed.baseline ?? 0,
    },
    checks: result.outcomes.map(
      (o): AuditCheck => ({
        check_id: o.checkId,
        status: o.status,
        message: o.message === undefined ? null : auditText(o.message),
        duration_ms: Math.max(0, Math.round(o.durationMs)),
        finding_count: o.findingCount,
      }),
    ),
    notes: result.notes.slice(0, MAX_NOTES).map((n) => auditText(n)),
    stats: { files: result.stats.files, added_lines: result.stats.addedLines, engine_ms: Math.max(0, Math.round(result.stats.durationMs)) },
    ...(input.score
      ? {
          score: {
            score: input.score.score,
            criticality: input.score.criticality,
            points: input.score.points,
            rows: input.score.rows.map((r) => ({ check_id: r.checkId, findings: r.findings, points: r.points })),
          },
        }
      : {}),
  };
}

/** A check run completed without a verdict from the engine: it is audited all the same. */
export function auditRecordWithoutScan(input: UnscannedRunInput): AuditRecordInput {
  return {
    ...commonFields(input),
    scanned: false,
    verdict: {
      conclusion: null,
      check_run_conclusion: input.checkRunConclusion,
      title: auditText(input.title),
      fail_on: null,
      on_error: null,
      reasons: (input.reasons ?? []).slice(0, MAX_NOTES).map((r) => auditText(r)),
    },
    counts: { total: 0, by_severity: countBySeverity([]), by_check: {}, by_rule: {} },
    findings: [],
    findings_omitted: 0,
    suppressions: { inline: 0, ignored_paths: 0, allowlist: { count: 0, entries: [] }, expired_allowlist: [], baseline: 0 },
    checks: [],
    notes: [],
    stats: { files: 0, added_lines: 0, engine_ms: 0 },
  };
}

/** `sha256:<hex>` of the canonical JSON of a config (YAML-derived: plain objects, arrays, scalars). */
export function configHash(config: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(toCanonical(config)))}`;
}

/**
 * Free text our code wrote but that may quote its input (a parser's error): scrubbed the way check
 * errors are for the check run (quoted text and token-like runs dropped, one bounded line).
 */
export function auditText(text: string): string {
  return scrubCheckErrorMessage(text);
}

/** Text that is data, not prose (an allowlist entry's reason, an event name): one bounded line, as is. */
function plainText(text: string, max = MAX_TEXT_CHARS): string {
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function commonFields(input: Common): Pick<
  AuditRecordInput,
  "schema_version" | "repository" | "installation_id" | "subject" | "head_sha" | "base_sha" | "event" | "delivery_id" | "check_run_id" | "config" | "app_version" | "timings"
> {
  const { job } = input;
  return {
    schema_version: AUDIT_SCHEMA_VERSION,
    repository: `${job.target.owner}/${job.target.repo}`,
    installation_id: job.installationId ?? null,
    subject: subjectOf(job),
    head_sha: job.target.headSha,
    base_sha: job.target.baseSha,
    event: plainText(job.event, 100),
    delivery_id: job.deliveryId ? plainText(job.deliveryId, 200) : null,
    check_run_id: input.checkRunId,
    config: { hash: input.configInfo.hash, source: input.configInfo.source },
    app_version: input.appVersion,
    timings: timingsOf(input.timings),
  };
}

function subjectOf(job: AuditJobFields): AuditSubject {
  if (job.target.kind === "pull_request") {
    if (job.target.pullNumber === undefined) throw new TypeError("a pull_request target needs pullNumber");
    return { kind: "pull_request", pull_request: job.target.pullNumber };
  }
  if (job.target.headRef === undefined) throw new TypeError("a merge_group target needs headRef");
  return { kind: "merge_group", ref: job.target.headRef };
}

function timingsOf(t: AuditTimingInput): AuditTimings {
  // Clocks of different replicas disagree a little: a negative span is reported as 0, not as is.
  return {
    queued_at: new Date(t.queuedAt).toISOString(),
    started_at: new Date(t.startedAt).toISOString(),
    finished_at: new Date(t.finishedAt).toISOString(),
    queue_ms: Math.max(0, Math.round(t.startedAt - t.queuedAt)),
    run_ms: Math.max(0, Math.round(t.finishedAt - t.startedAt)),
    total_ms: Math.max(0, Math.round(t.finishedAt - t.queuedAt)),
  };
}

/** The entries that applied on the scan's day, with how many findings each silenced when known. */
function allowlistInEffect(input: Common, applied: AttributedCounts["allowlistApplied"]): AuditAllowlistEntry[] {
  const today = input.today ?? new Date(input.timings.finishedAt).toISOString().slice(0, 10);
  const hits = applied ? new Map(applied.map((a) => [a.fingerprint, a.findings])) : undefined;
  return (input.configInfo.allowlist ?? [])
    .filter((e) => !e.expires || e.expires >= today)
    .map((e) => ({ fingerprint: e.fingerprint, reason: plainText(e.reason), expires: e.expires ?? null, findings: hits ? (hits.get(e.fingerprint) ?? 0) : null }));
}

function toCanonical(value: unknown, depth = 0): CanonicalValue {
  if (depth > 1000) throw new TypeError("config nested too deeply to hash");
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toCanonical(v, depth + 1));
  if (typeof value === "object") {
    const out = Object.create(null) as Record<string, CanonicalValue>;
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCanonical(v, depth + 1);
    return out;
  }
  return String(value);
}
