/**
 * One scan of a change, as numbered steps with early returns:
 *   1. create the `PR Sentinel` check run (in_progress) on the head SHA
 *   2. load and validate the config, and the baseline it names, from the default branch
 *      (invalid: action_required, stop)
 *   3. list the changed files through the GitHub source (`paths.ignore`d files are never read)
 *   4. run the engine; for a pull request of several commits, also scan each commit for secrets
 *      (a token committed and deleted again is not in the net diff, yet it was pushed)
 *   5. complete the check run with the verdict and annotations (first, so a required check is
 *      unblocked before the slower, paced review writes)
 *   6. post one review with the new inline comments, resolve threads of findings that are gone
 *   7. create or edit the sticky summary comment
 * A crash anywhere still completes the check run, with the error message. A newer push aborts this
 * scan through `signal`; an aborted scan posts nothing more.
 */
import type { Logger } from "pino";
import { ConfigError, CONFIG_PATH, configFromObject } from "../core/config/load-config.js";
import type { PrSentinelConfig } from "../core/config/schema.js";
import { riskScore, type RiskScore } from "../posture/risk-score.js";
import { baselineFromText, MAX_BASELINE_BYTES } from "../core/config/baseline-file.js";
import { runScan } from "../core/engine.js";
import type { Baseline } from "../core/suppressions.js";
import { createPathMatcher } from "../core/paths.js";
import { ContentError, type Check, type ScanResult, type Services, type VerdictConclusion } from "../core/types.js";
import { renderMarkdown } from "../reporters/markdown.js";
import { codeSpan, escapeMarkdown } from "../reporters/markdown-escape.js";
import { isEarlierCommitFinding } from "../reporters/earlier-commits.js";
import { listComparedFiles, listPullRequestFiles, type ChangeSource } from "../sources/github/list-pull-request-files.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { readDefaultBranchFile } from "../sources/github/read-default-branch-file.js";
import { createActionRefResolver } from "../sources/github/action-ref-resolver.js";
import { annotationFor, completeCheckRun, type CheckConclusion, type CreatedCheckRun } from "./check-run-writer.js";
import { RetryLaterError, transientWait } from "./github/transient-retry.js";
import type { PullRequestTarget, ScanTarget } from "./jobs/scan-job.js";
import { ShutdownError, SupersededError } from "./superseded-error.js";
import { MAX_CHECK_OUTPUT_CHARS } from "./github-limits.js";
import type { AppMetrics } from "./metrics.js";
import { planReview, splitCandidates } from "./plan-review.js";
import { perCommitPassApplies, perCommitPassSeconds, withPullRequestCommits } from "./scan-pull-request-commits.js";
import {
  listCommentedFingerprints,
  listReviewBodyFingerprints,
  postReview,
  resolveStaleThreads,
  type PullRequestRef,
} from "./review-writer.js";
import { upsertSummaryComment } from "./summary-comment.js";

export type { ScanTarget } from "./jobs/scan-job.js";

/** How a check run was completed, for the runner's record (the audit trail). */
export interface CompletedHow {
  /** The queue will try this head again under the same check run: not final. */
  readonly retryable: boolean;
  /** The scan's result, when the engine ran. */
  readonly result?: ScanResult;
  /** The config the scan used, when it was read. */
  readonly config?: PrSentinelConfig;
  /** The check run's title, when no result says it. */
  readonly title?: string;
  /** The scan's risk score. */
  readonly score?: RiskScore;
}

export interface ScanDeps {
  readonly octokit: GitHubClient;
  readonly log: Logger;
  /** `context.config("pr-sentinel.yml")`: the default branch's config, `_extends` followed; null if none. */
  readonly loadConfig: () => Promise<unknown>;
  readonly checks: readonly Check[];
  readonly services: Services;
  readonly metrics: AppMetrics;
  readonly toolVersion: string;
  readonly signal: AbortSignal;
  readonly readConcurrency: number;
  /** Runs the engine when a slot is free (bounds CPU work across concurrent scans). */
  readonly engineSlot?: <T>(job: () => Promise<T>) => Promise<T>;
  readonly offline?: boolean;
  /** `PR_SENTINEL_DOCS_URL`: where help links point. */
  readonly docsBaseUrl?: string;
  /** Creates the check run, or hands back the one an earlier attempt at this head created. */
  readonly openCheckRun: () => Promise<CreatedCheckRun>;
  /** Told once the check run carries its conclusion (the runner records it: one verdict per head). */
  readonly onCompleted?: (conclusion: CheckConclusion, how?: CompletedHow) => Promise<void>;
  /** Told when the engine starts, with the longest time its checks may take (seconds). */
  readonly onEngineStart?: (maxCheckSeconds: number) => void;
  /** Serialises the review and summary writes of one pull request across scans and replicas. */
  readonly commentLock?: <T>(write: () => Promise<T>) => Promise<T>;
  /**
   * False while the queue will try this job again: a transient GitHub error then leaves the check
   * run in progress for the next attempt instead of completing it as "could not finish".
   */
  readonly finalAttempt?: boolean;
}

export type ScanEnd = CheckConclusion | "skipped-draft" | "superseded";

const CONCLUSION: Record<VerdictConclusion, CheckConclusion> = { pass: "success", fail: "failure", neutral: "neutral" };

export async function scanChange(target: ScanTarget, deps: ScanDeps): Promise<ScanEnd> {
  const { octokit, log, signal } = deps;
  const repoRef = { owner: target.owner, repo: target.repo };
  const started = performance.now();

  // Drafts: the config decides whether to look at all, so it is read before anything is written.
  let config: PrSentinelConfig | undefined;
  if (target.kind === "pull_request" && target.draft) {
    const early = await loadConfig(deps).catch(() => undefined);
    if (early && !early.review.include_drafts) {
      log.info("draft pull request skipped (review.include_drafts is off)");
      return "skipped-draft";
    }
    config = early;
  }

  // Once the verdict is on the check run, later errors are logged and never replace it.
  let verdictWritten: CheckConclusion | undefined;

  // 1. The check run exists before any slow step, so a required check is never left unreported.
  const { id: checkRunId, botLogin, htmlUrl } = await deps.openCheckRun();
  log.info({ checkRunId, ms: elapsed(started) }, "check run created");

  try {
    // 2. Config (and the baseline it names) from the default branch, never from the pull request.
    let baseline: Baseline | undefined;
    try {
      config ??= await loadConfig(deps);
      baseline = await loadBaseline(config, repoRef, deps);
    } catch (error) {
      // Only a file that really does not parse or validate is the user's to fix; a GitHub error
      // reading it is ours, and is retried.
      if (!isConfigProblem(error)) throw error;
      // A YAML parser's message goes on with a code frame of the file: its first line says what is wrong.
      const problems = error instanceof ConfigError ? error.problems : [firstLine((error as Error).message)];
      const file = error instanceof ConfigError && config?.baseline !== undefined && error.source === baselineSource(config.baseline) ? config.baseline : CONFIG_PATH;
      log.warn({ file, problems: problems.slice(0, MAX_LISTED_PROBLEMS), problemCount: problems.length }, "invalid config");
      await completeCheckRun(octokit, repoRef, checkRunId, {
        conclusion: "action_required",
        title: `Invalid ${file}`,
        summary: invalidConfigSummary(problems, file),
      });
      await deps.onCompleted?.("action_required", { retryable: false, title: `Invalid ${file}` });
      return "action_required";
    }
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 3. Only what changed.
    const source = await listFiles(target, deps, config);
    log.info({ files: source.files.length, ms: elapsed(started) }, "files listed");
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 4. The engine.
    const scanConfig = config;
    const commitCount = target.kind === "pull_request" ? target.expectedCommitCount : undefined;
    const perCommit = target.kind === "pull_request" && perCommitPassApplies({ commitCount, config: scanConfig, checks: deps.checks });
    const headScan = () =>
      runScan({
        files: source.files,
        config: scanConfig,
        checks: deps.checks,
        logger: log,
        // Per installation: action tags resolve through this installation's client (one-click pins).
        services: deps.offline ? deps.services : { ...deps.services, actionRefs: createActionRefResolver(octokit) },
        offline: deps.offline ?? false,
        signal,
        notes: source.notes,
        readFileAtHead: source.readFileAtHead,
        ...(baseline ? { baseline } : {}),
        repository: { owner: target.owner, name: target.repo },
        ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
      });
    const engine = async () => {
      const head = await headScan();
      if (!perCommit || target.kind !== "pull_request") return head;
      return withPullRequestCommits(head, {
        octokit,
        owner: target.owner,
        repo: target.repo,
        pullNumber: target.pullNumber,
        commitCount,
        config: scanConfig,
        checks: deps.checks,
        logger: log,
        signal,
        ...(baseline ? { baseline } : {}),
        ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
        retryable: deps.finalAttempt === false,
      });
    };
    // The deadline starts when the engine gets its slot, not while it waits for one.
    const startEngine = () => {
      deps.onEngineStart?.(longestCheckTimeout(scanConfig, deps.checks) + (perCommit ? perCommitPassSeconds(scanConfig) : 0));
      return engine();
    };
    const result = await (deps.engineSlot ? deps.engineSlot(startEngine) : startEngine());
    deps.metrics.engineDuration.observe(result.stats.durationMs / 1000);
    deps.metrics.recordFindings(result.findings);
    log.info({ engineMs: result.stats.durationMs, findings: result.findings.length, verdict: result.verdict.conclusion }, "engine finished");
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 5. The verdict (the risk score beside it is information only).
    const conclusion = CONCLUSION[result.verdict.conclusion];
    const score = riskScore(result.findings, scanConfig.score);
    const { droppedAnnotations } = await completeCheckRun(octokit, repoRef, checkRunId, {
      conclusion,
      title: result.verdict.title,
      summary: renderMarkdown(result, {
        maxLength: MAX_CHECK_OUTPUT_CHARS,
        toolVersion: deps.toolVersion,
        subject: target.kind === "pull_request" ? "this pull request" : "this merge group",
        commitUrl: commitLinker(htmlUrl, target),
        score,
      }),
      // A secret from an earlier commit has no line at the head to annotate: the summary lists it.
      annotations: result.findings.filter((f) => !isEarlierCommitFinding(f)).map(annotationFor),
    });
    verdictWritten = conclusion;
    await deps.onCompleted?.(conclusion, { retryable: false, result, config: scanConfig, score });
    log.info({ conclusion, droppedAnnotations, ms: elapsed(started) }, "check run completed");

    // 6 and 7. Words on the pull request; a failure here is logged, the verdict already stands.
    if (target.kind === "pull_request") {
      const comment = () => commentOnPullRequest(target, scanConfig, result, deps, botLogin, htmlUrl);
      await (deps.commentLock ? deps.commentLock(comment) : comment());
    }
    return conclusion;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (verdictWritten) {
      log.error({ err: { message } }, "error after the verdict was written; the check run keeps it");
      return verdictWritten;
    }
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);
    const transient = error instanceof RetryLaterError || transientWait(error) !== undefined;
    if (transient && deps.finalAttempt === false) {
      // The check run stays in progress; the next attempt takes it over.
      log.warn({ err: { message } }, "transient GitHub error; the scan will be tried again");
      throw error;
    }
    log.error({ err: { message, stack: (error as Error)?.stack } }, transient ? "GitHub kept failing; giving up on this attempt" : "scan crashed");
    // A GitHub outage is nobody's finding: neutral, whatever on_error says about checks that fail.
    const conclusion: CheckConclusion = !transient && config?.on_error === "fail" ? "failure" : "neutral";
    const title = transient ? "PR Sentinel could not reach GitHub" : "PR Sentinel could not finish the scan";
    const completed = await completeCheckRun(octokit, repoRef, checkRunId, {
      conclusion,
      title,
      summary: transient
        ? `GitHub kept answering with errors, so this change was **not** checked.\n\n${codeSpan(message, 1000)}\n\n` +
          "The next push, or a re-run of this check, scans it again."
        : `The scan stopped with an error, so this change was **not** fully checked.\n\n${codeSpan(message, 1000)}\n\n` +
          `The conclusion follows ${codeSpan("on_error")} (${config?.on_error ?? "neutral"}). Re-run the check to try again.`,
    }).then(
      () => true,
      (e: unknown) => {
        log.error({ err: { message: (e as Error).message } }, "could not complete the check run");
        return false;
      },
    );
    if (completed) await deps.onCompleted?.(conclusion, { retryable: transient, title, ...(config ? { config } : {}) });
    return conclusion;
  }
}

async function commentOnPullRequest(
  target: PullRequestTarget,
  config: PrSentinelConfig,
  result: ScanResult,
  deps: ScanDeps,
  botLogin: string | undefined,
  checkRunUrl: string | undefined,
): Promise<void> {
  const { octokit, log, signal } = deps;
  const pr: PullRequestRef = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  try {
    if (config.review.comments) {
      // Secrets from earlier commits are in the check run; the review speaks about lines of the head.
      const candidates = splitCandidates(result.findings.filter((f) => !isEarlierCommitFinding(f)), config.review);
      // After `opened` with nothing to say, nothing of ours can need tidying: skip the read. With
      // findings, read anyway: a redelivered `opened` (e.g. after a restart) must not comment twice.
      const nothingToSay = candidates.inline.length + candidates.bodyOnly.length === 0;
      const commented = target.fresh && nothingToSay ? new Set<string>() : await listCommentedFingerprints(octokit, pr, botLogin);
      let plan = planReview({ result, review: config.review, candidates, alreadyReported: commented });
      if (plan && plan.comments.length === 0) {
        // Only body-listed findings are new here: check they were not listed in an earlier review.
        const listed = await listReviewBodyFingerprints(octokit, pr, botLogin);
        plan = planReview({ result, review: config.review, candidates, alreadyReported: new Set([...commented, ...listed]) });
      }
      if (signal.aborted) return;
      if (plan) {
        await postReview(octokit, pr, target.headSha, plan);
        log.info({ inline: plan.comments.length }, "review posted");
      }
      const current = new Set(result.findings.map((f) => f.fingerprint));
      const stale = [...commented].some((fp) => !current.has(fp));
      if (stale && !signal.aborted) {
        const resolved = await resolveStaleThreads(octokit, pr, current, log);
        log.info({ resolved }, "stale review threads resolved");
      }
    }
    if (signal.aborted) return;
    const summary = await upsertSummaryComment({
      octokit,
      pr,
      result,
      mode: config.review.summary_comment,
      freshPullRequest: target.fresh,
      headSha: target.headSha,
      toolVersion: deps.toolVersion,
      botLogin,
      ...(checkRunUrl ? { checkRunUrl } : {}),
    });
    log.info({ summary }, "summary comment");
  } catch (error) {
    log.error({ err: { message: (error as Error).message } }, "could not post the review or summary comment");
  }
}

/**
 * The baseline file `baseline:` names, read where the config was (the default branch), so a branch
 * that adds a secret and a baseline entry for it still fails. Its problems are config problems.
 */
async function loadBaseline(config: PrSentinelConfig, repo: { owner: string; repo: string }, deps: ScanDeps): Promise<Baseline | undefined> {
  const path = config.baseline;
  if (path === undefined) return undefined;
  const where = baselineSource(path);
  let text: string | null;
  try {
    text = await readDefaultBranchFile(deps.octokit, repo, path, { maxBytes: MAX_BASELINE_BYTES, signal: deps.signal });
  } catch (error) {
    if (error instanceof ContentError && error.reason === "too-large") {
      throw new ConfigError(where, [`the baseline file is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB; write it for a smaller scope, or fix the findings it holds`]);
    }
    throw error;
  }
  if (text === null) {
    throw new ConfigError(where, [`\`baseline\` in the config names this file, and it does not exist on the default branch (write it with pr-sentinel baseline --output ${path}, and commit it)`]);
  }
  return baselineFromText(text, where);
}

function baselineSource(path: string): string {
  return `${path} on the default branch`;
}

async function loadConfig(deps: ScanDeps): Promise<PrSentinelConfig> {
  const raw = await deps.loadConfig();
  return configFromObject(raw, CONFIG_PATH, deps.checks);
}

function listFiles(target: ScanTarget, deps: ScanDeps, config: PrSentinelConfig): Promise<ChangeSource> {
  const common = {
    isIgnored: createPathMatcher(config.paths.ignore),
    octokit: deps.octokit,
    owner: target.owner,
    repo: target.repo,
    baseSha: target.baseSha,
    headSha: target.headSha,
    readConcurrency: deps.readConcurrency,
    signal: deps.signal,
  };
  return target.kind === "pull_request"
    ? listPullRequestFiles({ ...common, pullNumber: target.pullNumber, expectedFileCount: target.expectedFileCount })
    : listComparedFiles(common);
}

/**
 * The scan was stopped. By a newer head: the run is cancelled, pointing at the newer one. By a
 * shutdown (or anything else): the error goes up and the check run stays in progress, so the queue
 * hands the job to another worker, which takes the run over.
 */
async function superseded(deps: ScanDeps, repo: { owner: string; repo: string }, checkRunId: number): Promise<ScanEnd> {
  const reason: unknown = deps.signal.reason;
  if (reason instanceof ShutdownError && !reason.handBack) return await stoppedByShutdown(deps, repo, checkRunId);
  if (!(reason instanceof SupersededError)) throw reason instanceof Error ? reason : new Error(String(reason));
  deps.log.info("scan superseded by a newer push; nothing posted");
  const cancelled = await completeCheckRun(deps.octokit, repo, checkRunId, {
    conclusion: "cancelled",
    title: "Superseded by a newer push",
    summary: `This scan was cancelled (${escapeMarkdown(reason.message)}); the check run on the newer commit has the verdict.`,
  }).then(
    () => true,
    (e: unknown) => {
      deps.log.warn({ err: { message: (e as Error).message } }, "could not cancel the check run");
      return false;
    },
  );
  if (cancelled) await deps.onCompleted?.("cancelled");
  return "superseded";
}

/** One process and no queue to hand the job to: say so on the check run rather than leave it running. */
async function stoppedByShutdown(deps: ScanDeps, repo: { owner: string; repo: string }, checkRunId: number): Promise<ScanEnd> {
  deps.log.warn("stopped by shutdown before the verdict; the check run says so");
  await completeCheckRun(deps.octokit, repo, checkRunId, {
    conclusion: "neutral",
    title: "PR Sentinel was stopped before the scan finished",
    summary: "The server shut down while this change was being scanned, so it was **not** checked. Re-run the check, or push again, to scan it.",
  });
  await deps.onCompleted?.("neutral", { retryable: false, title: "PR Sentinel was stopped before the scan finished" });
  return "neutral";
}

/** A config with thousands of bad entries gets the first few listed; fixing those is the next step anyway. */
const MAX_LISTED_PROBLEMS = 20;

function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim() || "unreadable config";
}

function invalidConfigSummary(problems: readonly string[], file: string): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `- ${codeSpan(p, 1000)}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`- … and ${problems.length - MAX_LISTED_PROBLEMS} more problems`);
  const quoted = listed.join("\n");
  return (
    `${codeSpan(file)} on the default branch is invalid, so nothing was scanned. ` +
    `Fix these and re-run the check:\n\n${quoted}\n\n` +
    (file === CONFIG_PATH
      ? `The config is always read from the default branch: a pull request cannot change its own review.`
      : `The config and its baseline are always read from the default branch: a pull request cannot baseline its own findings.`)
  );
}


/**
 * Links to commits on the same GitHub as the check run (github.com or an Enterprise Server host),
 * taken from the run's own page; without it, commits are named but not linked.
 */
function commitLinker(checkRunUrl: string | undefined, target: ScanTarget): ((sha: string) => string) | undefined {
  if (!checkRunUrl) return undefined;
  let origin: string;
  try {
    origin = new URL(checkRunUrl).origin;
  } catch {
    return undefined;
  }
  const repo = `${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`;
  return (sha) => `${origin}/${repo}/commit/${sha}`;
}

export function externalId(target: ScanTarget): string {
  return target.kind === "pull_request" ? `pr-${target.pullNumber}` : `merge-group-${target.headSha.slice(0, 12)}`;
}

function longestCheckTimeout(config: PrSentinelConfig, checks: readonly Check[]): number {
  const entries = config.checks as Record<string, { timeout_seconds?: number } | undefined>;
  return Math.max(1, ...checks.map((c) => entries[c.meta.id]?.timeout_seconds ?? 60));
}

/** A config that does not parse or validate (the user's to fix), as opposed to a failure to read it. */
function isConfigProblem(error: unknown): boolean {
  if (error instanceof ConfigError) return true;
  const failed = error as { status?: unknown; message?: unknown };
  return failed?.status === undefined && typeof failed?.message === "string" && failed.message.startsWith("[@probot/octokit-plugin-config]");
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
