/**
 * The audit record of one completed check run (src/posture/audit), built from what the runner
 * knows when the run completes: the job, the check run, how it ended and, when the engine ran, its
 * result and the config it used. A run that ended without a scan (invalid config, a crash, a
 * timeout, a shutdown) is recorded too, as not scanned, so the trail has every verdict.
 */
import { CONFIG_PATH } from "../core/config/load-config.js";
import { auditRecordFromScan, auditRecordWithoutScan, configHash, type AuditRecordInput } from "../posture/audit/index.js";
import type { CheckConclusion } from "./check-run-writer.js";
import type { ScanJob } from "./jobs/scan-job.js";
import type { CompletedHow } from "./scan-change.js";

export interface AuditRecordContext {
  readonly job: ScanJob;
  readonly checkRunId: number;
  readonly conclusion: CheckConclusion;
  readonly how: CompletedHow | undefined;
  readonly startedAt: number;
  readonly appVersion: string;
}

export function auditRecordFor({ job, checkRunId, conclusion, how, startedAt, appVersion }: AuditRecordContext): AuditRecordInput {
  const config = how?.config;
  const target = job.target;
  const common = {
    job: {
      target: {
        kind: target.kind,
        owner: target.owner,
        repo: target.repo,
        headSha: target.headSha,
        baseSha: target.baseSha,
        ...(target.kind === "pull_request" ? { pullNumber: target.pullNumber } : { headRef: target.headRef }),
      },
      event: job.event,
      installationId: job.installationId,
      deliveryId: job.deliveryId,
    },
    checkRunId,
    appVersion,
    configInfo: {
      hash: config ? configHash(config) : null,
      // The runner reads config through Probot's `context.config` semantics: the default branch's
      // file, else the organisation's; which of them (or `_extends`) it was is not reported back.
      source: config ? { kind: "repository" as const, path: CONFIG_PATH, ref: "default branch" } : { kind: "defaults" as const },
      ...(config ? { allowlist: config.allowlist } : {}),
    },
    timings: { queuedAt: job.acceptedAt, startedAt, finishedAt: Date.now() },
  };
  return how?.result
    ? auditRecordFromScan({ ...common, result: how.result, checkRunConclusion: conclusion, ...(how.score ? { score: how.score } : {}) })
    : auditRecordWithoutScan({ ...common, checkRunConclusion: conclusion, title: how?.title ?? conclusion });
}
