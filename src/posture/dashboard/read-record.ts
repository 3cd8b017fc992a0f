/**
 * What the projection takes from one record's content, checked field by field. The content is our
 * own canonical JSON, but a store is a file anyone with disk access can edit: a record that does
 * not have this shape is reported by id (project.ts logs and skips it), never half-read.
 */
import { riskScore } from "../risk-score.js";
import { scoreConfigSchema } from "../score-config.js";
import type { Confidence, Severity } from "../../core/types.js";

export interface ProjectedRecord {
  readonly repository: string;
  readonly pullRequest: number | null;
  readonly checkRunId: number;
  readonly headSha: string;
  readonly conclusion: string;
  readonly title: string;
  readonly score: number;
  readonly findings: number;
  readonly byCheck: ReadonlyMap<string, number>;
  readonly byRule: ReadonlyMap<string, number>;
  readonly allowlist: readonly { readonly fingerprint: string; readonly reason: string; readonly expires: string | null }[];
}

const DEFAULT_SCORE_CONFIG = scoreConfigSchema.parse({});
const SEVERITIES = new Set(["critical", "high", "medium", "low", "info"]);
const CONFIDENCES = new Set(["high", "medium", "low"]);

export class RecordShapeError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function field<T>(object: Json, key: string, check: (v: unknown) => v is T, what: string): T {
  const value = object[key];
  if (!check(value)) throw new RecordShapeError(`${key}: expected ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function counts(object: unknown, key: string): Map<string, number> {
  if (!isObject(object)) throw new RecordShapeError(`counts.${key}: expected an object`);
  const out = new Map<string, number>();
  for (const [name, n] of Object.entries(object)) {
    if (!isCount(n)) throw new RecordShapeError(`counts.${key}.${name}: expected a count`);
    if (n > 0) out.set(name, n);
  }
  return out;
}

/** The record's own score when it carries one (`score` or `score.score`), else computed from its findings. */
function scoreOf(content: Json, findings: unknown[]): number {
  const own = content.score;
  if (typeof own === "number" && own >= 0 && own <= 100) return Math.round(own);
  if (isObject(own) && typeof own.score === "number" && own.score >= 0 && own.score <= 100) return Math.round(own.score);
  const scored = findings.flatMap((f) => {
    if (!isObject(f) || !isString(f.check_id) || !isString(f.fingerprint) || !SEVERITIES.has(f.severity as string) || !CONFIDENCES.has(f.confidence as string)) return [];
    return [{ checkId: f.check_id, fingerprint: f.fingerprint, severity: f.severity as Severity, confidence: f.confidence as Confidence }];
  });
  return riskScore(scored, DEFAULT_SCORE_CONFIG).score;
}

export function readRecord(contentJson: string): ProjectedRecord {
  let content: unknown;
  try {
    content = JSON.parse(contentJson);
  } catch {
    throw new RecordShapeError("content is not JSON");
  }
  if (!isObject(content)) throw new RecordShapeError("content is not an object");
  const subject = field(content, "subject", isObject, "an object");
  const verdict = field(content, "verdict", isObject, "an object");
  const countsObject = field(content, "counts", isObject, "an object");
  const findings = field(content, "findings", Array.isArray, "a list");
  const suppressions = field(content, "suppressions", isObject, "an object");
  const allowlist = isObject(suppressions.allowlist) && Array.isArray(suppressions.allowlist.entries) ? suppressions.allowlist.entries : [];
  return {
    repository: field(content, "repository", isString, "a string"),
    pullRequest: subject.kind === "pull_request" ? field(subject, "pull_request", isCount, "a number") : null,
    checkRunId: field(content, "check_run_id", isCount, "a number"),
    headSha: field(content, "head_sha", isString, "a string"),
    conclusion: field(verdict, "check_run_conclusion", isString, "a string"),
    title: field(verdict, "title", isString, "a string"),
    score: scoreOf(content, findings),
    findings: field(countsObject, "total", isCount, "a count"),
    byCheck: counts(countsObject.by_check, "by_check"),
    byRule: counts(countsObject.by_rule, "by_rule"),
    allowlist: allowlist.flatMap((e: unknown) =>
      isObject(e) && isString(e.fingerprint) && isString(e.reason) ? [{ fingerprint: e.fingerprint, reason: e.reason, expires: isString(e.expires) ? e.expires : null }] : [],
    ),
  };
}

/** Monday of the UTC week holding an ISO timestamp, as YYYY-MM-DD. */
export function weekOf(iso: string): string {
  const day = new Date(iso.slice(0, 10) + "T00:00:00Z");
  if (Number.isNaN(day.getTime())) throw new RecordShapeError(`created_at: ${iso.slice(0, 40)} is not a date`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}
