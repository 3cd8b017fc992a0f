/**
 * The engine: runs the enabled checks over a change, each isolated and timed, and turns their
 * drafts into findings, suppressions and a verdict. It does not know where the change came from.
 */
import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import type { PrSentinelConfig, CheckConfig } from "./config/schema.js";
import { addedLineView } from "./added-line-view.js";
import { scrubCheckErrorMessage } from "./check-error-message.js";
import { ruleDocsUrl } from "./docs-url.js";
import { fingerprint } from "./fingerprint.js";
import { createPathMatcher } from "./paths.js";
import { applyAllowlist, applyBaseline, isSuppressedInline, LineReader, type Baseline } from "./suppressions.js";
import {
  ContentError,
  CONFIDENCES,
  SEVERITIES,
  severityRank,
  type ChangedFile,
  type Check,
  type CheckOutcome,
  type CheckRunResult,
  type Finding,
  type FindingDraft,
  type ScanResult,
  type RepositoryRef,
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
  /**
   * Files the source already left out for `paths.ignore` (the git source turns the globs into
   * pathspecs, so an ignored tree is never read): counted with those the engine filters itself.
   */
  readonly ignoredBySource?: number;
  /**
   * Reads a file at head that the change does not touch (see `CheckContext.readFileAtHead`). Files
   * in the change are read through their own `readHead()`; without this, other paths are refused.
   */
  readonly readFileAtHead?: (path: string) => Promise<string | null>;
  /** See `CheckContext.repository`. */
  readonly repository?: RepositoryRef;
  /** Fingerprints accepted by the baseline file, suppressed like allowlist entries but counted apart. */
  readonly baseline?: Baseline;
  /** Where rule documentation lives (`PR_SENTINEL_DOCS_URL`: forks, Enterprise Server mirrors); default the project's. */
  readonly docsBaseUrl?: string;
}

/** An error the engine itself raised about a check (timeout, broken contract): its text is the engine's. */
class EngineVerdictError extends Error {}

const COMMON_CHECK_KEYS = new Set(["enabled", "severity", "timeout_seconds", "paths"]);
const DEFAULT_TIMEOUT_SECONDS = 60;
/** A check that reports more than this (a minified bundle full of matches) is cut, with a warning. */
export const MAX_FINDINGS_PER_CHECK = 5000;

export async function runScan(input: ScanInput): Promise<ScanResult> {
  const started = performance.now();
  const { config, logger } = input;
  assertUniqueIds(input.checks);
  const isIgnored = createPathMatcher(config.paths.ignore);
  const files = input.files.filter((f) => !isIgnored(f.path));
  const ignoredPaths = input.files.length - files.length + (input.ignoredBySource ?? 0);

  const readFileAtHead = fileAtHeadReader(input);
  const results = await Promise.all(
    input.checks.map((check) => runOneCheck(check, filesForCheck(files, config.checks[check.meta.id]), input, readFileAtHead)),
  );
  const outcomes = results.map((r) => r.outcome).sort((a, b) => compareText(a.checkId, b.checkId));

  const filesByPath = new Map(files.map((f) => [f.path, f]));
  // One lazy reader per file serves both fingerprint keys and inline markers.
  const readers = new Map<string, LineReader>();
  const readerFor = (path: string): LineReader => {
    let reader = readers.get(path);
    if (!reader) readers.set(path, (reader = new LineReader(filesByPath.get(path)!)));
    return reader;
  };

  const completed: Finding[] = [];
  for (const [index, check] of input.checks.entries()) {
    const drafts = results[index]!.drafts;
    if (drafts) completed.push(...(await completeDrafts(check, drafts, filesByPath, config.checks[check.meta.id], readerFor, input.docsBaseUrl)));
  }

  const kept: Finding[] = [];
  const silenced: Finding[] = [];
  for (const f of completed) (await isSuppressedInline(f, readerFor(f.path)) ? silenced : kept).push(f);
  const inline = silenced.length;
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const allow = applyAllowlist(kept, config.allowlist, today);
  const base = applyBaseline(allow.kept, input.baseline);
  const findings = base.kept.sort(compareFindings);
  silenced.push(...allow.allowedFindings, ...base.baselined);

  const verdict = computeVerdict(findings, outcomes, config);
  const identities = new Set(findings.map((f) => f.identity ?? f.fingerprint));
  const ran = new Set(outcomes.filter((o) => o.status !== "disabled").map((o) => o.checkId));
  const rules = input.checks
    .filter((check) => ran.has(check.meta.id))
    .flatMap((check) =>
      check.meta.rules.map((r) => ({
        ...r,
        id: `${check.meta.id}/${r.id}`,
        checkId: check.meta.id,
        helpUrl: ruleDocsUrl(check.meta.id, r.id, input.docsBaseUrl),
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
    suppressed: { ignoredPaths, inline, allowlist: allow.allowed, baseline: base.baselined.length },
    expiredAllowlist: allow.expired,
    verdict,
    stats: {
      files: files.length,
      addedLines: files.reduce((n, f) => n + addedLineView(f).count, 0),
      durationMs,
      distinctFindings: identities.size,
    },
    rules,
    notes: input.notes ?? [],
    suppressedIdentities: [...new Set(silenced.map((f) => f.identity ?? f.fingerprint))],
  };
}

function assertUniqueIds(checks: readonly Check[]): void {
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.meta.id)) throw new Error(`two checks have the id ${JSON.stringify(check.meta.id)}`);
    seen.add(check.meta.id);
  }
}

/** Code-unit order, not locale order: reports must be byte-identical on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.path, b.path) ||
    a.startLine - b.startLine ||
    compareText(a.ruleId, b.ruleId) ||
    a.endLine - b.endLine ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

interface OneCheckResult {
  readonly outcome: CheckOutcome;
  readonly drafts?: readonly FindingDraft[];
}

/**
 * A check's own `paths.include` / `paths.ignore` narrow what it looks at, on top of the global
 * `paths.ignore`: quieting the secrets check on lockfiles must not blind the dependencies check.
 */
function filesForCheck(files: readonly ChangedFile[], entry: CheckConfig | undefined): readonly ChangedFile[] {
  const { include = [], ignore = [] } = entry?.paths ?? {};
  if (include.length === 0 && ignore.length === 0) return files;
  const included = include.length > 0 ? createPathMatcher(include) : () => true;
  const ignored = ignore.length > 0 ? createPathMatcher(ignore) : () => false;
  return files.filter((f) => included(f.path) && !ignored(f.path));
}

/** Files of the change are read through themselves (cached there); others through the source, or refused. */
function fileAtHeadReader(input: ScanInput): (path: string) => Promise<string | null> {
  const changed = new Map(input.files.map((f) => [f.path, f]));
  return async (path) => {
    const file = changed.get(path);
    if (file) return file.readHead();
    if (input.readFileAtHead) return input.readFileAtHead(path);
    throw new ContentError(`${path}: this source cannot read files outside the change`, "unavailable");
  };
}

/** Only the services a check declared: a check that does not talk to the network gets no fetch. */
function servicesFor(check: Check, services: Services | undefined): Services {
  const picked: Record<string, unknown> = {};
  for (const name of check.meta.services ?? []) if (services?.[name] !== undefined) picked[name] = services[name];
  return picked as Services;
}

async function runOneCheck(
  check: Check,
  files: readonly ChangedFile[],
  input: ScanInput,
  readFileAtHead: (path: string) => Promise<string | null>,
): Promise<OneCheckResult> {
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
    return { outcome: done("skipped", "needs the network and the scan is offline; nothing was checked") };
  }
  if (input.signal?.aborted) return { outcome: done("error", `aborted before it started: ${reasonText(input.signal.reason)}`) };

  const timeoutSeconds = entry?.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
  const controller = new AbortController();
  // A check hands its signal to every request it makes (hundreds of registry lookups at once, each
  // listening for the abort): that is not a leak, and Node's warning at 10 listeners would be noise.
  setMaxListeners(10_000, controller.signal);
  const onOuterAbort = () => controller.abort(input.signal?.reason ?? new Error("aborted"));
  input.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const logger = input.logger.child({ check: id });
  let timer: NodeJS.Timeout | undefined;
  try {
    // The check cannot be forced to stop; racing it lets the scan go on while its signal tells it to.
    // This bounds a check that waits (network, I/O) but not one that computes without yielding: the
    // timer cannot fire while the event loop is blocked, and in the app a blocked loop also stops
    // webhooks from being answered. Checks therefore keep their own CPU bounded (RE2 patterns, size
    // caps, `await` between files); moving checks into worker threads would need contents and
    // services that can cross a thread boundary, which the check context does not promise today.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new EngineVerdictError(`timed out after ${timeoutSeconds}s (checks.${id}.timeout_seconds)`);
        controller.abort(error);
        reject(error);
      }, timeoutSeconds * 1000);
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason ?? new Error("aborted")), {
        once: true,
      });
    });
    // Settled by `finally` whether or not the race below was reached: never an unhandled rejection.
    timeout.catch(() => {});
    aborted.catch(() => {});
    const options = checkOptions(check, entry);
    // `then` turns a synchronous throw inside `run` into a rejection like any other.
    const running = Promise.resolve().then(() =>
      check.run({
        files,
        options,
        logger,
        signal: controller.signal,
        services: servicesFor(check, input.services),
        offline: input.offline ?? false,
        readFileAtHead,
        ...(input.repository ? { repository: input.repository } : {}),
      }),
    );
    const raw: unknown = await Promise.race([running, timeout, aborted]);
    const result = asRunResult(raw);
    validateDrafts(id, result.findings, files);
    // Warnings reach the same places as errors, and a check may word one from a parser's message.
    const safe = safeNames(files);
    const warnings = (result.warnings ?? []).map((w) => scrubCheckErrorMessage(w, safe));
    let drafts = result.findings;
    if (drafts.length > MAX_FINDINGS_PER_CHECK) {
      warnings.push(`reported ${drafts.length} findings; only the first ${MAX_FINDINGS_PER_CHECK} are shown`);
      drafts = drafts.slice(0, MAX_FINDINGS_PER_CHECK);
    }
    const incomplete = (result.incomplete ?? []).map((w) => scrubCheckErrorMessage(w, safe));
    if (incomplete.length > 0) {
      // The first reason is the outcome's message; the others are listed with the warnings.
      const more = incomplete.length > 1 ? ` (and ${incomplete.length - 1} more, listed in the warnings)` : "";
      logger.warn({ incomplete: incomplete.length }, "check could not judge everything");
      return { outcome: done("error", `${incomplete[0]}${more}`, [...incomplete.slice(1), ...warnings], drafts.length), drafts };
    }
    return { outcome: done("ok", undefined, warnings, drafts.length), drafts };
  } catch (error) {
    // The engine's own words are safe to show; a check's may quote the file it failed on.
    const message = error instanceof EngineVerdictError ? reasonText(error) : scrubCheckErrorMessage(reasonText(error), safeNames(files));
    logger.warn({ err: { message } }, "check failed");
    return { outcome: done("error", message) };
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener("abort", onOuterAbort);
    if (!controller.signal.aborted) controller.abort(new Error("check finished"));
  }
}

/**
 * What a check may name in a message without it being taken for file content: the changed paths,
 * and every word of them (a run like `a1b2c3d4e5f6a7b8c9` in a hashed file name is a name, not a key).
 */
function safeNames(files: readonly ChangedFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    names.add(f.path);
    for (const word of f.path.match(/[A-Za-z0-9_+=-]+/g) ?? []) names.add(word);
  }
  return names;
}

function reasonText(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  return text.split("\n")[0]!.slice(0, 500) || "unknown error";
}

/** A check may return its drafts or `{ findings, warnings }`; anything else is the check's bug. */
function asRunResult(raw: unknown): CheckRunResult {
  if (Array.isArray(raw)) return { findings: raw as FindingDraft[] };
  if (raw !== null && typeof raw === "object" && Array.isArray((raw as CheckRunResult).findings)) {
    const { warnings, incomplete } = raw as CheckRunResult;
    const texts = (list: unknown) => list === undefined || (Array.isArray(list) && list.every((w) => typeof w === "string"));
    if (texts(warnings) && texts(incomplete)) return raw as CheckRunResult;
  }
  throw new EngineVerdictError("returned neither a list of findings nor { findings, warnings }");
}

/** A check's own options: its config entry less the keys every check shares (already validated). */
function checkOptions(check: Check, entry: CheckConfig | undefined): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry ?? {})) if (!COMMON_CHECK_KEYS.has(key)) own[key] = value;
  return check.optionsSchema.parse(own);
}

const SEVERITY_SET = new Set<string>(SEVERITIES);
const CONFIDENCE_SET = new Set<string>(CONFIDENCES);

/** A check's drafts are trusted only as far as they are checked: a bad one makes the check an error. */
function validateDrafts(checkId: string, drafts: readonly FindingDraft[], files: readonly ChangedFile[]): void {
  const paths = new Set(files.map((f) => f.path));
  for (const d of drafts) {
    const where = `(${checkId}/${String(d?.ruleId).slice(0, 60)})`;
    if (d === null || typeof d !== "object") throw new EngineVerdictError("reported a finding that is not an object");
    if (typeof d.ruleId !== "string" || !/^[A-Za-z0-9][\w.-]*$/.test(d.ruleId)) {
      throw new EngineVerdictError(`reported a finding with an invalid rule id ${quoteShort(d.ruleId)}`);
    }
    if (!paths.has(d.path)) throw new EngineVerdictError(`reported a finding on ${quoteShort(d.path)}, which is not in the change ${where}`);
    if (!Number.isInteger(d.startLine) || d.startLine < 1 || (d.endLine !== undefined && (!Number.isInteger(d.endLine) || d.endLine < d.startLine))) {
      throw new EngineVerdictError(`reported a finding with invalid lines ${d.startLine}-${d.endLine ?? ""} ${where}`);
    }
    if (typeof d.message !== "string" || d.message.trim() === "") throw new EngineVerdictError(`reported a finding without a message ${where}`);
    if (d.severity !== undefined && !SEVERITY_SET.has(d.severity)) throw new EngineVerdictError(`reported an unknown severity ${quoteShort(d.severity)} ${where}`);
    if (d.confidence !== undefined && !CONFIDENCE_SET.has(d.confidence)) {
      throw new EngineVerdictError(`reported an unknown confidence ${quoteShort(d.confidence)} ${where}`);
    }
    if (d.suggestion !== undefined && (typeof d.suggestion !== "string" || d.suggestion.split("\n").length !== (d.endLine ?? d.startLine) - d.startLine + 1)) {
      throw new EngineVerdictError(`reported a suggestion that does not replace exactly its lines ${where}`);
    }
  }
}

/** A value a check reported, quoted for an error message: a buggy check may have put anything there. */
function quoteShort(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

async function completeDrafts(
  check: Check,
  drafts: readonly FindingDraft[],
  filesByPath: ReadonlyMap<string, ChangedFile>,
  entry: CheckConfig | undefined,
  readerFor: (path: string) => LineReader,
  docsBaseUrl: string | undefined,
): Promise<Finding[]> {
  const checkId = check.meta.id;
  const rules = new Map(check.meta.rules.map((r) => [r.id, r]));
  const overrides = entry?.severity ?? {};
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  // Occurrence numbers follow line order, not the order a check happened to report in: otherwise
  // two identical lines could swap fingerprints (and an allowlist entry its finding) between runs.
  const ordered = [...drafts].sort((a, b) => compareText(a.path, b.path) || a.startLine - b.startLine || (a.endLine ?? a.startLine) - (b.endLine ?? b.startLine));
  for (const d of ordered) {
    const ruleId = `${checkId}/${d.ruleId}`;
    // The most specific override wins: the rule's local id, then its full id, then the check's "*".
    const severity =
      overrides[d.ruleId] ??
      overrides[ruleId] ??
      overrides["*"] ??
      d.severity ??
      rules.get(d.ruleId)?.severity ??
      check.meta.defaultSeverity;
    // Without a key of its own, a finding is keyed by its line's text (an added or a context line),
    // which moves with the line when unrelated lines are inserted above it.
    const key = d.fingerprintKey ?? ((await readerFor(d.path).line(d.startLine)) ?? "").trim();
    const slot = `${ruleId}\u0000${d.path}\u0000${key}`;
    const occurrence = occurrences.get(slot) ?? 0;
    occurrences.set(slot, occurrence + 1);
    const endLine = d.endLine ?? d.startLine;
    const file = filesByPath.get(d.path)!;
    findings.push({
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
      helpUrl: ruleDocsUrl(checkId, d.ruleId, docsBaseUrl),
      fingerprint: fingerprint({ checkId, ruleId, path: d.path, key, occurrence }),
      identity: d.identity,
      commentable: file.commentableLines.has(endLine),
      properties: d.properties,
      ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
    });
  }
  return findings;
}
