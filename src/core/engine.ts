/**
 * The engine: runs the enabled checks over a change, each isolated and timed, and turns their
 * drafts into findings, suppressions and a verdict. It does not know where the change came from.
 */
import type { Logger } from "pino";
import type { PrSentinelConfig, CheckConfig } from "./config/schema.js";
import { ruleDocsUrl } from "./docs-url.js";
import { fingerprint } from "./fingerprint.js";
import { createPathMatcher } from "./paths.js";
import { applyAllowlist, isSuppressedInline, LineReader } from "./suppressions.js";
import {
  severityRank,
  type ChangedFile,
  type Check,
  type CheckOutcome,
  type CheckRunResult,
  type Finding,
  type FindingDraft,
  type ScanResult,
  type Services,
} from "./types.js";
import { computeVerdict } from "./verdict.js";

export interface ScanInput {
  readonly files: readonly ChangedFile[];
  readonly config: PrSentinelConfig;
  readonly checks: readonly Check[];
  readonly logger: Logger;
  readonly services?: Services;
  readonly offline?: boolean;
  /** Aborts every check (e.g. a newer push superseded this scan). */
  readonly signal?: AbortSignal;
  /** For tests: "today" as YYYY-MM-DD, which decides allowlist expiry. */
  readonly today?: string;
  /** Notes from the source, e.g. a partial file list. */
  readonly notes?: readonly string[];
}

const COMMON_CHECK_KEYS = new Set(["enabled", "severity", "timeout_seconds"]);

export async function runScan(input: ScanInput): Promise<ScanResult> {
  const started = performance.now();
  const { config, logger } = input;
  const isIgnored = createPathMatcher(config.paths.ignore);
  const files = input.files.filter((f) => !isIgnored(f.path));
  const ignoredPaths = input.files.length - files.length;

  const outcomes: CheckOutcome[] = [];
  const drafts: { check: Check; drafts: readonly FindingDraft[] }[] = [];
  await Promise.all(
    input.checks.map(async (check) => {
      const outcome = await runOneCheck(check, files, input);
      outcomes.push(outcome.outcome);
      if (outcome.drafts) drafts.push({ check, drafts: outcome.drafts });
    }),
  );
  outcomes.sort((a, b) => a.checkId.localeCompare(b.checkId));

  const filesByPath = new Map(files.map((f) => [f.path, f]));
  let findings: Finding[] = [];
  for (const { check, drafts: list } of drafts) {
    findings.push(...completeDrafts(check, list, filesByPath, config.checks[check.meta.id]));
  }

  // Inline markers: read lines lazily, one reader per file.
  const readers = new Map<string, LineReader>();
  const kept: Finding[] = [];
  let inline = 0;
  for (const f of findings) {
    const file = filesByPath.get(f.path)!;
    let reader = readers.get(f.path);
    if (!reader) readers.set(f.path, (reader = new LineReader(file)));
    if (await isSuppressedInline(f, reader)) inline++;
    else kept.push(f);
  }
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const allow = applyAllowlist(kept, config.allowlist, today);
  findings = allow.kept.sort(compareFindings);

  const verdict = computeVerdict(findings, outcomes, config);
  const identities = new Set(findings.map((f) => f.identity ?? f.fingerprint));
  const rules = input.checks.flatMap((check) =>
    check.meta.rules.map((r) => ({
      ...r,
      id: `${check.meta.id}/${r.id}`,
      checkId: check.meta.id,
      helpUrl: ruleDocsUrl(check.meta.id, r.id),
    })),
  );
  const durationMs = Math.round(performance.now() - started);
  logger.info(
    { files: files.length, findings: findings.length, durationMs, conclusion: verdict.conclusion },
    "scan finished",
  );
  return {
    findings,
    outcomes,
    suppressed: { ignoredPaths, inline, allowlist: allow.allowed },
    expiredAllowlist: allow.expired,
    verdict,
    stats: {
      files: files.length,
      addedLines: files.reduce((n, f) => n + f.addedLines.length, 0),
      durationMs,
      distinctFindings: identities.size,
    },
    rules,
    notes: input.notes ?? [],
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.path.localeCompare(b.path) ||
    a.startLine - b.startLine ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

interface OneCheckResult {
  readonly outcome: CheckOutcome;
  readonly drafts?: readonly FindingDraft[];
}

async function runOneCheck(check: Check, files: readonly ChangedFile[], input: ScanInput): Promise<OneCheckResult> {
  const id = check.meta.id;
  const entry = input.config.checks[id];
  const started = performance.now();
  const done = (status: CheckOutcome["status"], message?: string, warnings: readonly string[] = [], count = 0) => ({
    checkId: id,
    status,
    message,
    warnings,
    durationMs: Math.round(performance.now() - started),
    findingCount: count,
  });
  if (entry && !entry.enabled) return { outcome: done("disabled") };
  if (check.meta.needsNetwork && input.offline) {
    return { outcome: done("skipped", "needs the network and --offline was given; nothing was checked") };
  }

  const options = checkOptions(check, entry);
  const timeoutMs = (entry?.timeout_seconds ?? 60) * 1000;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(input.signal?.reason);
  input.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const logger = input.logger.child({ check: id });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`timed out after ${timeoutMs / 1000}s`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason ?? new Error("aborted")), {
        once: true,
      });
    });
    const raw = await Promise.race([
      check.run({
        files,
        options,
        logger,
        signal: controller.signal,
        services: input.services ?? {},
        offline: input.offline ?? false,
      }),
      timeout,
      aborted,
    ]);
    const result: CheckRunResult = isResult(raw) ? raw : { findings: raw };
    validateDrafts(id, result.findings, files);
    return { outcome: done("ok", undefined, result.warnings ?? [], result.findings.length), drafts: result.findings };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ err: { message } }, "check failed");
    return { outcome: done("error", message) };
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener("abort", onOuterAbort);
    if (!controller.signal.aborted) controller.abort(new Error("check finished"));
  }
}

function isResult(raw: CheckRunResult | readonly FindingDraft[]): raw is CheckRunResult {
  return !Array.isArray(raw);
}

/** A check's own options: its config entry less the keys every check shares (already validated). */
function checkOptions(check: Check, entry: CheckConfig | undefined): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry ?? {})) if (!COMMON_CHECK_KEYS.has(key)) own[key] = value;
  return check.optionsSchema.parse(own);
}

function validateDrafts(checkId: string, drafts: readonly FindingDraft[], files: readonly ChangedFile[]): void {
  const paths = new Set(files.map((f) => f.path));
  for (const d of drafts) {
    if (!paths.has(d.path)) throw new Error(`reported a finding on ${JSON.stringify(d.path)}, which is not in the change`);
    if (!Number.isInteger(d.startLine) || d.startLine < 1 || (d.endLine !== undefined && d.endLine < d.startLine)) {
      throw new Error(`reported a finding with invalid lines ${d.startLine}-${d.endLine ?? ""} (${checkId}/${d.ruleId})`);
    }
  }
}

function completeDrafts(
  check: Check,
  drafts: readonly FindingDraft[],
  filesByPath: ReadonlyMap<string, ChangedFile>,
  entry: CheckConfig | undefined,
): Finding[] {
  const checkId = check.meta.id;
  const rules = new Map(check.meta.rules.map((r) => [r.id, r]));
  const overrides = entry?.severity ?? {};
  const occurrences = new Map<string, number>();
  const textOf = lineTexts(filesByPath);
  return drafts.map((d) => {
    const ruleId = `${checkId}/${d.ruleId}`;
    const severity =
      overrides[d.ruleId] ??
      overrides[ruleId] ??
      overrides["*"] ??
      d.severity ??
      rules.get(d.ruleId)?.severity ??
      check.meta.defaultSeverity;
    const key = d.fingerprintKey ?? (textOf(d.path, d.startLine) ?? "").trim();
    const slot = `${ruleId}\u0000${d.path}\u0000${key}`;
    const occurrence = occurrences.get(slot) ?? 0;
    occurrences.set(slot, occurrence + 1);
    const endLine = d.endLine ?? d.startLine;
    const file = filesByPath.get(d.path)!;
    return {
      checkId,
      ruleId,
      severity,
      confidence: d.confidence ?? "high",
      path: d.path,
      startLine: d.startLine,
      endLine,
      message: d.message,
      remediation: d.remediation,
      evidence: d.evidence,
      helpUrl: ruleDocsUrl(checkId, d.ruleId),
      fingerprint: fingerprint({ checkId, ruleId, path: d.path, key, occurrence }),
      identity: d.identity,
      commentable: file.commentableLines.has(endLine),
      properties: d.properties,
    };
  });
}

function lineTexts(filesByPath: ReadonlyMap<string, ChangedFile>) {
  const cache = new Map<string, Map<number, string>>();
  return (path: string, line: number): string | undefined => {
    let lines = cache.get(path);
    if (!lines) {
      lines = new Map(filesByPath.get(path)?.addedLines.map((l) => [l.line, l.text]));
      cache.set(path, lines);
    }
    return lines.get(line);
  };
}
