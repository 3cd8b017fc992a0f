/**
 * The webhook side: verify (Probot), filter, turn the event into a serialisable `ScanJob`, record
 * the pull request's newest head, enqueue, answer. No scan runs here and no GitHub write is made,
 * so acknowledgement stays fast whatever the runners are doing. A redelivery (same
 * `X-GitHub-Delivery`) is dropped before anything else.
 */
import type { Logger } from "pino";
import type { Context, Probot } from "probot";
import type { GitHubClient } from "../sources/github/octokit.js";
import { findPullRequestByHead } from "./find-pull-request.js";
import { CHECK_RUN_NAME } from "./github-limits.js";
import { decodeScanJob, ScanJobError, subjectKey, type ScanJob, type ScanTarget } from "./jobs/scan-job.js";
import type { AppMetrics } from "./metrics.js";
import type { ScanQueue } from "./queue/scan-queue.js";
import type { ScanState } from "./state/scan-state.js";

export interface WebhookSideDeps {
  readonly queue: () => ScanQueue;
  readonly state: ScanState;
  readonly metrics: AppMetrics;
}

const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

export function registerWebhookHandlers(app: Probot, deps: WebhookSideDeps): void {
  const { metrics, state } = deps;

  // Deliveries this process claimed and is still handling: a handler that fails gives its claim
  // back, so that GitHub's redelivery of it (same id) is handled instead of ignored.
  const claimed = new Set<string>();

  /** Count, drop redeliveries, a child logger with the ids. */
  const accept = async (context: Context, fields: Record<string, unknown>): Promise<Logger | undefined> => {
    metrics.webhooksReceived.inc({ event: context.name });
    const log = context.log.child({ delivery: context.id, event: context.name, ...fields });
    if (!(await state.claimDelivery(context.id))) {
      log.info("delivery already handled; ignored");
      return undefined;
    }
    claimed.add(context.id);
    return log;
  };

  /** Runs a handler; when it fails after claiming its delivery, the claim is released. */
  const guarded =
    <C extends Context>(handler: (context: C) => Promise<void>) =>
    async (context: C): Promise<void> => {
      try {
        await handler(context);
      } catch (error) {
        if (claimed.has(context.id)) await state.releaseDelivery(context.id).catch(() => undefined);
        throw error;
      } finally {
        claimed.delete(context.id);
      }
    };

  const enqueue = async (context: Context, target: ScanTarget, log: Logger, extra: Pick<ScanJob, "order"> & Partial<Pick<ScanJob, "rerun">>) => {
    let job: ScanJob;
    try {
      // The payload is the sender's word: the job is validated here, not only when a worker reads it.
      job = decodeScanJob({
        v: 1,
        target,
        installationId: (context.payload as { installation?: { id?: unknown } }).installation?.id,
        deliveryId: context.id,
        event: `${context.name}.${String((context.payload as { action?: unknown }).action ?? "")}`.slice(0, 100),
        acceptedAt: Date.now(),
        ...extra,
      });
    } catch (error) {
      log.warn({ problems: error instanceof ScanJobError ? error.problems.slice(0, 5) : [(error as Error).message] }, "the event does not describe a scannable change; ignored");
      return;
    }
    if (target.kind === "pull_request" && !job.rerun) {
      const current = await state.observeHead(subjectKey(target), { headSha: target.headSha, order: job.order });
      if (current.headSha !== target.headSha) {
        log.info({ current: current.headSha }, "an event for an older head; a newer one is current, nothing queued");
        return;
      }
    }
    const queued = await deps.queue().enqueue(job);
    log.info({ queued }, queued === "queued" ? "scan queued" : "a scan of this head is already queued");
  };

  app.on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    guarded(async (context) => {
      const { pull_request: pr, repository } = context.payload;
      const log = await accept(context, { repo: repository.full_name, pr: pr.number, sha: pr.head.sha, action: context.payload.action });
      if (!log) return;
      await enqueue(context, pullRequestTarget(repository, pr, context.payload.action === "opened"), log, { order: orderOf(pr) });
    }),
  );

  // Retargeting a pull request at another base branch changes its diff without a push: scan again.
  // Other edits (title, body) change nothing a check looks at.
  app.on("pull_request.edited", guarded(async (context) => {
    const { pull_request: pr, repository, changes } = context.payload;
    if (!(changes as { base?: unknown } | undefined)?.base) return;
    const log = await accept(context, { repo: repository.full_name, pr: pr.number, sha: pr.head.sha, action: "edited (base changed)" });
    if (!log) return;
    await enqueue(context, pullRequestTarget(repository, pr, false), log, { order: orderOf(pr) });
  }));

  app.on(["check_run.rerequested", "check_suite.rerequested"], guarded(async (context) => {
    const payload = context.payload;
    const isRun = "check_run" in payload;
    const headSha = isRun ? payload.check_run.head_sha : payload.check_suite.head_sha;
    const { repository } = payload;
    if (isRun && payload.check_run.name !== CHECK_RUN_NAME) return;
    const log = await accept(context, { repo: repository.full_name, sha: headSha, action: payload.action });
    if (!log) return;
    const listed = isRun ? payload.check_run.pull_requests : payload.check_suite.pull_requests;
    const repo = { owner: repository.owner.login, repo: repository.name };
    let pr: { number: number; baseSha: string } | undefined = listed[0] ? { number: listed[0].number, baseSha: listed[0].base.sha } : undefined;
    // The payload names the pull request's current head: a re-run on an older commit is outdated.
    const outdated = listed[0] !== undefined && listed[0].head.sha !== headSha;
    if (!pr) {
      // Fork pull requests: the Checks payload does not name them.
      try {
        pr = await findPullRequestByHead(context.octokit as unknown as GitHubClient, repo, headSha);
      } catch (error) {
        log.error({ err: { message: (error as Error).message } }, "could not find the pull request of this head commit");
        throw error;
      }
    }
    if (!pr) {
      log.info("no open pull request has this head commit; nothing to re-run");
      return;
    }
    // A person asked for this run: scan even a draft.
    const target: ScanTarget = { kind: "pull_request", ...repo, pullNumber: pr.number, headSha, baseSha: pr.baseSha, draft: false, fresh: false };
    await enqueue(context, target, log.child({ pr: pr.number }), { order: 0, rerun: { outdated } });
  }));

  // Merge queues wait for required checks on the merge group's head commit: report the same
  // check there, scanning the group's own diff (base..head) through the compare API.
  app.on("merge_group.checks_requested", guarded(async (context) => {
    const group = context.payload.merge_group;
    const { repository } = context.payload;
    const log = await accept(context, { repo: repository?.full_name, sha: group.head_sha, mergeGroup: group.head_ref });
    if (!log || !repository) return;
    const target: ScanTarget = {
      kind: "merge_group",
      owner: repository.owner.login,
      repo: repository.name,
      headSha: group.head_sha,
      baseSha: group.base_sha,
      headRef: group.head_ref,
    };
    await enqueue(context, target, log, { order: 0 });
  }));

  app.on(["installation", "installation_repositories"], async (context) => {
    metrics.webhooksReceived.inc({ event: context.name });
    const payload = context.payload as { action?: string; installation?: { id?: number; account?: { login?: string } | null } };
    context.log.info(
      { delivery: context.id, event: context.name, action: payload.action, installation: payload.installation?.id, account: payload.installation?.account?.login },
      "installation event",
    );
  });
}

/** `updated_at` moves with every push, so it orders a pull request's heads whatever the arrival order. */
function orderOf(pr: { readonly updated_at?: string | null }): number {
  const at = pr.updated_at ? Date.parse(pr.updated_at) : Number.NaN;
  return Number.isFinite(at) && at > 0 ? at : 0;
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
    readonly commits?: number;
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
    ...(pr.changed_files !== undefined ? { expectedFileCount: pr.changed_files } : {}),
    ...(pr.commits !== undefined ? { expectedCommitCount: pr.commits } : {}),
  };
}
