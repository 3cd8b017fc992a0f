/**
 * Builds the Probot app function. Handlers only translate a webhook into a scan target and hand it
 * to `scanChange`; the scan runs in the background so GitHub gets its answer at once (it waits 10 s at
 * most and never redelivers on its own). `idle()` lets tests and the benchmark wait for that work.
 */
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { ApplicationFunction, Context, Probot } from "probot";
import { builtinChecks } from "../checks/index.js";
import type { Check, Services } from "../core/types.js";
import { createServices } from "../services/create-services.js";
import { limitConcurrency } from "../core/limit-concurrency.js";
import type { GitHubClient } from "../sources/github/octokit.js";
import { loadEnv, type AppEnv } from "./env.js";
import { findPullRequestByHead } from "./find-pull-request.js";
import { CHECK_RUN_NAME } from "./github-limits.js";
import { createHttpEndpoints } from "./http-endpoints.js";
import { InFlightScans, RecentDeliveries } from "./in-flight-scans.js";
import { createMetrics, instrumentOctokit, type AppMetrics } from "./metrics.js";
import { scanChange, type ScanTarget } from "./scan-change.js";

export interface AppOptions {
  /** Defaults to `process.env`, validated with `loadEnv`. */
  readonly env?: AppEnv;
  /** Defaults to the built-in checks. */
  readonly checks?: readonly Check[];
  /** Clients injected into checks; defaults to ones built from the environment. */
  readonly services?: Services;
  readonly metrics?: AppMetrics;
  /** How long a delivery id is remembered, to ignore redeliveries. */
  readonly deliveryTtlMs?: number;
}

export interface PrSentinelApp {
  readonly appFn: ApplicationFunction;
  readonly metrics: AppMetrics;
  /** Resolves when no scan is running. */
  idle(): Promise<void>;
}

const CONFIG_FILE = "pr-sentinel.yml";
const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

export function createApp(options: AppOptions = {}): PrSentinelApp {
  const env = options.env ?? loadEnv();
  const checks = options.checks ?? builtinChecks;
  const metrics = options.metrics ?? createMetrics();
  const services = options.services ?? servicesFromEnv(env);
  const toolVersion = readToolVersion();
  const inFlight = new InFlightScans();
  const deliveries = new RecentDeliveries(options.deliveryTtlMs);
  const jobs = new Set<Promise<void>>();
  // The engine is CPU-bound: at most WORKER_CONCURRENCY scans run it at once; the rest wait their
  // turn after their check run is already in_progress.
  const engineSlot = limitConcurrency(env.WORKER_CONCURRENCY);
  let ready = false;

  /** `ownSlot`: a re-run of an older commit must not cancel the scan of the pull request's current head. */
  const startScan = (context: Context, target: ScanTarget, log: Logger, ownSlot = false) => {
    const base = target.kind === "pull_request" ? `${target.owner}/${target.repo}#${target.pullNumber}` : `${target.owner}/${target.repo}@${target.headRef}`;
    const key = ownSlot ? `${base}@${target.headSha}` : base;
    const controller = inFlight.begin(key, target.headSha);
    const octokit = context.octokit as unknown as GitHubClient;
    const started = performance.now();
    const job = scanChange(target, {
      octokit,
      log,
      loadConfig: () => context.config(CONFIG_FILE),
      checks,
      services,
      metrics,
      toolVersion,
      signal: controller.signal,
      readConcurrency: Math.max(4, env.WORKER_CONCURRENCY * 2),
      engineSlot,
    })
      .then((end) => {
        const outcome = end === "superseded" ? "cancelled" : end === "skipped-draft" ? undefined : end;
        if (outcome) {
          metrics.scans.inc({ outcome });
          metrics.scanDuration.observe({ outcome }, (performance.now() - started) / 1000);
        }
        log.info({ end, totalMs: Math.round(performance.now() - started) }, "scan done");
      })
      .catch((error: unknown) => {
        metrics.scans.inc({ outcome: "error" });
        log.error({ err: { message: (error as Error).message } }, "scan failed before the check run could be written");
      })
      .finally(() => {
        inFlight.end(key, controller);
        jobs.delete(job);
      });
    jobs.add(job);
  };

  /** Common start of every handler: count, drop redeliveries, a child logger with the ids. */
  const accept = (context: Context, fields: Record<string, unknown>): Logger | undefined => {
    metrics.webhooksReceived.inc({ event: context.name });
    const log = context.log.child({ delivery: context.id, event: context.name, ...fields });
    if (deliveries.checkAndRemember(context.id)) {
      log.info("delivery already handled; ignored");
      return undefined;
    }
    const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
    instrumentOctokit(context.octokit as unknown as GitHubClient, metrics, String(installation ?? "none"));
    return log;
  };

  const appFn: ApplicationFunction = (app: Probot, { addHandler }) => {
    addHandler(createHttpEndpoints(metrics, () => ready));

    app.on(
      PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
      async (context) => {
        const { pull_request: pr, repository } = context.payload;
        const log = accept(context, { repo: repository.full_name, pr: pr.number, sha: pr.head.sha, action: context.payload.action });
        if (!log) return;
        startScan(context, pullRequestTarget(repository, pr, context.payload.action === "opened"), log);
      },
    );

    // Retargeting a pull request at another base branch changes its diff without a push: scan again.
    // Other edits (title, body) change nothing a check looks at.
    app.on("pull_request.edited", async (context) => {
      const { pull_request: pr, repository, changes } = context.payload;
      if (!(changes as { base?: unknown } | undefined)?.base) return;
      const log = accept(context, { repo: repository.full_name, pr: pr.number, sha: pr.head.sha, action: "edited (base changed)" });
      if (!log) return;
      startScan(context, pullRequestTarget(repository, pr, false), log);
    });

    app.on(["check_run.rerequested", "check_suite.rerequested"], async (context) => {
      const payload = context.payload;
      const isRun = "check_run" in payload;
      const headSha = isRun ? payload.check_run.head_sha : payload.check_suite.head_sha;
      const { repository } = payload;
      const log = accept(context, { repo: repository.full_name, sha: headSha, action: payload.action });
      if (!log) return;
      if (isRun && payload.check_run.name !== CHECK_RUN_NAME) return;
      const listed = isRun ? payload.check_run.pull_requests : payload.check_suite.pull_requests;
      const repo = { owner: repository.owner.login, repo: repository.name };
      const octokit = context.octokit as unknown as GitHubClient;
      let pr: { number: number; baseSha: string; draft: boolean } | undefined = listed[0]
        ? { number: listed[0].number, baseSha: listed[0].base.sha, draft: false }
        : undefined;
      // The payload names the pull request's current head: a re-run on an older commit is outdated.
      const outdated = listed[0] !== undefined && listed[0].head.sha !== headSha;
      if (!pr) {
        // Fork pull requests: the Checks payload does not name them.
        try {
          pr = await findPullRequestByHead(octokit, repo, headSha);
        } catch (error) {
          log.error({ err: { message: (error as Error).message } }, "could not find the pull request of this head commit");
          return;
        }
      }
      if (!pr) {
        log.info("no open pull request has this head commit; nothing to re-run");
        return;
      }
      startScan(context, {
        kind: "pull_request",
        ...repo,
        pullNumber: pr.number,
        headSha,
        baseSha: pr.baseSha,
        // A person asked for this run: scan even a draft.
        draft: false,
        fresh: false,
      }, log.child({ pr: pr.number }), outdated);
    });

    // Merge queues wait for required checks on the merge group's head commit: report the same
    // check there, scanning the group's own diff (base..head) through the compare API.
    app.on("merge_group.checks_requested", async (context) => {
      const group = context.payload.merge_group;
      const { repository } = context.payload;
      const log = accept(context, { repo: repository?.full_name, sha: group.head_sha, mergeGroup: group.head_ref });
      if (!log || !repository) return;
      startScan(context, {
        kind: "merge_group",
        owner: repository.owner.login,
        repo: repository.name,
        headSha: group.head_sha,
        baseSha: group.base_sha,
        headRef: group.head_ref,
      }, log);
    });

    app.on(["installation", "installation_repositories"], async (context) => {
      metrics.webhooksReceived.inc({ event: context.name });
      const payload = context.payload as { action?: string; installation?: { id?: number; account?: { login?: string } | null } };
      context.log.info(
        { delivery: context.id, event: context.name, action: payload.action, installation: payload.installation?.id, account: payload.installation?.account?.login },
        "installation event",
      );
    });

    ready = true;
  };

  return {
    appFn,
    metrics,
    async idle() {
      while (jobs.size > 0) await Promise.allSettled([...jobs]);
    },
  };
}

/** The clients checks get in the app, from the environment (the same construction as the CLI's). */
export function servicesFromEnv(env: AppEnv): Services {
  return createServices(env, { offline: false });
}

function readToolVersion(): string {
  try {
    // Two levels up from src/app/ and from dist/app/ is the package root.
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** The scan target of a `pull_request` payload; `fresh` only for `opened` (no earlier comment of ours can exist). */
function pullRequestTarget(
  repository: { readonly name: string; readonly owner: { readonly login: string } },
  pr: {
    readonly number: number;
    readonly head: { readonly sha: string };
    readonly base: { readonly sha: string };
    readonly draft?: boolean;
    readonly changed_files?: number;
  },
  fresh: boolean,
): ScanTarget {
  return {
    kind: "pull_request",
    owner: repository.owner.login,
    repo: repository.name,
    pullNumber: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    draft: pr.draft ?? false,
    fresh,
    expectedFileCount: pr.changed_files,
  };
}
