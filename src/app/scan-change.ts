/**
 * One scan of a change, as numbered steps with early returns:
 *   1. create the `PR Sentinel` check run (in_progress) on the head SHA
 *   2. load and validate the config from the default branch (invalid: action_required, stop)
 *   3. list the changed files through the GitHub source
 *   4. run the engine
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
import { runScan } from "../core/engine.js";
import type { Check, ScanResult, Services, VerdictConclusion } from "../core/types.js";
import { renderMarkdown } from "../reporters/markdown.js";
import { codeSpan, escapeMarkdown } from "../reporters/markdown-escape.js";
import { listComparedFiles, listPullRequestFiles, type ChangeSource } from "../sources/github/list-pull-request-files.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { createActionRefResolver } from "../sources/github/action-ref-resolver.js";
import { annotationFor, completeCheckRun, createCheckRun, type CheckConclusion } from "./check-run-writer.js";
import { MAX_CHECK_OUTPUT_CHARS } from "./github-limits.js";
import type { AppMetrics } from "./metrics.js";
import { planReview, splitCandidates } from "./plan-review.js";
import {
  listCommentedFingerprints,
  listReviewBodyFingerprints,
  postReview,
  resolveStaleThreads,
  type PullRequestRef,
} from "./review-writer.js";
import { upsertSummaryComment } from "./summary-comment.js";

export type ScanTarget =
  | {
      readonly kind: "pull_request";
      readonly owner: string;
      readonly repo: string;
      readonly pullNumber: number;
      readonly headSha: string;
      readonly baseSha: string;
      readonly draft: boolean;
      /** `opened`: no earlier comment or review of ours can exist, so none is looked for. */
      readonly fresh: boolean;
      readonly expectedFileCount?: number;
    }
  | {
      readonly kind: "merge_group";
      readonly owner: string;
      readonly repo: string;
      readonly headSha: string;
      readonly baseSha: string;
      readonly headRef: string;
    };

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
  const { id: checkRunId, botLogin } = await createCheckRun(octokit, repoRef, target.headSha, externalId(target));
  log.info({ checkRunId, ms: elapsed(started) }, "check run created");

  try {
    // 2. Config from the default branch, never from the pull request.
    if (!config) {
      try {
        config = await loadConfig(deps);
      } catch (error) {
        // A YAML parser's message goes on with a code frame of the file: its first line says what is wrong.
        const problems = error instanceof ConfigError ? error.problems : [firstLine((error as Error).message)];
        log.warn({ problems: problems.slice(0, MAX_LISTED_PROBLEMS), problemCount: problems.length }, "invalid config");
        await completeCheckRun(octokit, repoRef, checkRunId, {
          conclusion: "action_required",
          title: `Invalid ${CONFIG_PATH}`,
          summary: invalidConfigSummary(problems),
        });
        return "action_required";
      }
    }
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 3. Only what changed.
    const source = await listFiles(target, deps);
    log.info({ files: source.files.length, ms: elapsed(started) }, "files listed");
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 4. The engine.
    const scanConfig = config;
    const engine = () =>
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
        repository: { owner: target.owner, name: target.repo },
      });
    const result = await (deps.engineSlot ? deps.engineSlot(engine) : engine());
    deps.metrics.engineDuration.observe(result.stats.durationMs / 1000);
    deps.metrics.recordFindings(result.findings);
    log.info({ engineMs: result.stats.durationMs, findings: result.findings.length, verdict: result.verdict.conclusion }, "engine finished");
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);

    // 5. The verdict.
    const conclusion = CONCLUSION[result.verdict.conclusion];
    const { droppedAnnotations } = await completeCheckRun(octokit, repoRef, checkRunId, {
      conclusion,
      title: result.verdict.title,
      summary: renderMarkdown(result, { maxLength: MAX_CHECK_OUTPUT_CHARS, toolVersion: deps.toolVersion }),
      annotations: result.findings.map(annotationFor),
    });
    verdictWritten = conclusion;
    log.info({ conclusion, droppedAnnotations, ms: elapsed(started) }, "check run completed");

    // 6 and 7. Words on the pull request; a failure here is logged, the verdict already stands.
    if (target.kind === "pull_request") await commentOnPullRequest(target, config, result, deps, botLogin);
    return conclusion;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (verdictWritten) {
      log.error({ err: { message } }, "error after the verdict was written; the check run keeps it");
      return verdictWritten;
    }
    if (signal.aborted) return await superseded(deps, repoRef, checkRunId);
    log.error({ err: { message, stack: (error as Error)?.stack } }, "scan crashed");
    const conclusion: CheckConclusion = config?.on_error === "fail" ? "failure" : "neutral";
    await completeCheckRun(octokit, repoRef, checkRunId, {
      conclusion,
      title: "PR Sentinel could not finish the scan",
      summary: `The scan stopped with an error, so this change was **not** fully checked.\n\n${codeSpan(message, 1000)}\n\n` +
        `The conclusion follows ${codeSpan("on_error")} (${config?.on_error ?? "neutral"}). Re-run the check to try again.`,
    }).catch((e: unknown) => log.error({ err: { message: (e as Error).message } }, "could not complete the check run"));
    return conclusion;
  }
}

async function commentOnPullRequest(
  target: Extract<ScanTarget, { kind: "pull_request" }>,
  config: PrSentinelConfig,
  result: ScanResult,
  deps: ScanDeps,
  botLogin: string | undefined,
): Promise<void> {
  const { octokit, log, signal } = deps;
  const pr: PullRequestRef = { owner: target.owner, repo: target.repo, pullNumber: target.pullNumber };
  try {
    if (config.review.comments) {
      const candidates = splitCandidates(result.findings, config.review);
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
    });
    log.info({ summary }, "summary comment");
  } catch (error) {
    log.error({ err: { message: (error as Error).message } }, "could not post the review or summary comment");
  }
}

async function loadConfig(deps: ScanDeps): Promise<PrSentinelConfig> {
  const raw = await deps.loadConfig();
  return configFromObject(raw, CONFIG_PATH, deps.checks);
}

function listFiles(target: ScanTarget, deps: ScanDeps): Promise<ChangeSource> {
  const common = {
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

async function superseded(deps: ScanDeps, repo: { owner: string; repo: string }, checkRunId: number): Promise<ScanEnd> {
  deps.log.info("scan superseded by a newer push; nothing posted");
  const reason = deps.signal.reason instanceof Error ? deps.signal.reason.message : "superseded";
  await completeCheckRun(deps.octokit, repo, checkRunId, {
    conclusion: "cancelled",
    title: "Superseded by a newer push",
    summary: `This scan was cancelled (${escapeMarkdown(reason)}); the check run on the newer commit has the verdict.`,
  }).catch((e: unknown) => deps.log.warn({ err: { message: (e as Error).message } }, "could not cancel the check run"));
  return "superseded";
}

/** A config with thousands of bad entries gets the first few listed; fixing those is the next step anyway. */
const MAX_LISTED_PROBLEMS = 20;

function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim() || "unreadable config";
}

function invalidConfigSummary(problems: readonly string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `- ${codeSpan(p, 1000)}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`- … and ${problems.length - MAX_LISTED_PROBLEMS} more problems`);
  const quoted = listed.join("\n");
  return (
    `${codeSpan(CONFIG_PATH)} on the default branch is invalid, so nothing was scanned. ` +
    `Fix these and re-run the check:\n\n${quoted}\n\n` +
    `The config is always read from the default branch: a pull request cannot change its own review.`
  );
}

function externalId(target: ScanTarget): string {
  return target.kind === "pull_request" ? `pr-${target.pullNumber}` : `merge-group-${target.headSha.slice(0, 12)}`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
