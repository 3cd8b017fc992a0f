/**
 * The machine-readable report. Its shape is a promise to scripts: fields are copied one by one
 * (never spread from internal objects, so an internal field never leaks into it), and `version`
 * changes when a field is renamed or removed. docs/json-output.md describes every field.
 */
import type { ScanResult } from "../core/types.js";
import { rangeLabel, type ScanScope } from "./scan-scope.js";

/** Bump on any breaking change of the shape below; adding a field is not breaking. */
export const JSON_REPORT_VERSION = 1;

export interface JsonReportOptions {
  readonly toolVersion: string;
  /** What was scanned; `scope` is `null` without it. */
  readonly scope?: ScanScope;
}

export function toJsonReport(result: ScanResult, options: JsonReportOptions) {
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: "pr-sentinel", version: options.toolVersion },
    scope: options.scope ? scopeJson(options.scope) : null,
    verdict: {
      conclusion: result.verdict.conclusion,
      title: result.verdict.title,
      failOn: result.verdict.failOn,
      onError: result.verdict.onError,
      counts: { ...result.verdict.counts },
      reasons: [...result.verdict.reasons],
    },
    stats: {
      files: result.stats.files,
      addedLines: result.stats.addedLines,
      durationMs: result.stats.durationMs,
      distinctFindings: result.stats.distinctFindings,
    },
    findings: result.findings.map((f) => ({
      checkId: f.checkId,
      ruleId: f.ruleId,
      severity: f.severity,
      confidence: f.confidence,
      path: f.path,
      startLine: f.startLine,
      endLine: f.endLine,
      message: f.message,
      remediation: f.remediation ?? null,
      suggestion: f.suggestion ?? null,
      evidence: f.evidence ?? null,
      helpUrl: f.helpUrl,
      fingerprint: f.fingerprint,
      identity: f.identity ?? null,
      commentable: f.commentable,
      properties: { ...(f.properties ?? {}) },
    })),
    outcomes: result.outcomes.map((o) => ({
      checkId: o.checkId,
      status: o.status,
      message: o.message ?? null,
      warnings: [...o.warnings],
      durationMs: o.durationMs,
      findingCount: o.findingCount,
    })),
    suppressed: {
      ignoredPaths: result.suppressed.ignoredPaths,
      inline: result.suppressed.inline,
      allowlist: result.suppressed.allowlist,
      baseline: result.suppressed.baseline ?? 0,
    },
    expiredAllowlist: result.expiredAllowlist.map((e) => ({
      fingerprint: e.fingerprint,
      reason: e.reason,
      expires: e.expires,
    })),
    rules: result.rules.map((r) => ({
      id: r.id,
      checkId: r.checkId,
      title: r.title,
      description: r.description ?? null,
      severity: r.severity,
      helpUrl: r.helpUrl,
    })),
    notes: [...result.notes],
  };
}

function scopeJson(scope: ScanScope) {
  return {
    range: rangeLabel(scope),
    staged: scope.staged,
    base: { ref: scope.base.ref, commit: scope.base.commit, chosenBy: scope.base.chosenBy },
    head: { ref: scope.head.ref, commit: scope.head.commit },
    config: {
      source: scope.config.source,
      path: scope.config.path,
      commit: scope.config.commit,
      found: scope.config.found,
      changedByBranch: scope.config.changedByBranch,
    },
    changedFiles: scope.changedFiles,
    paths: [...scope.paths],
    matchedFiles: scope.matchedFiles,
  };
}

export type JsonReport = ReturnType<typeof toJsonReport>;

export function renderJson(result: ScanResult, options: JsonReportOptions): string {
  return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}
