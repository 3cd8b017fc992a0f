/**
 * The unit of work between the webhook side and the job runner: everything a runner needs to scan
 * one head, and nothing it could not get again (no token, no payload). Jobs cross Redis in queue
 * mode, so a runner decodes every job with the schema below before trusting a field of it: whoever
 * can write to Redis must not be able to make a runner scan a path outside GitHub or post elsewhere.
 */
import { z } from "zod";

// GitHub's own rules for owner and repository names, so a decoded job can go into a URL path.
const name = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, "expected a GitHub owner or repository name")
  // URLs resolve dot segments: `..` as a name would send a request to another path of the API.
  .refine((v) => v !== "." && v !== "..", "expected a GitHub owner or repository name, not a dot segment");
const sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");
const positiveInt = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const pullRequestTarget = z.strictObject({
  kind: z.literal("pull_request"),
  owner: name,
  repo: name,
  pullNumber: positiveInt,
  headSha: sha,
  baseSha: sha,
  draft: z.boolean(),
  /** `opened`: no earlier comment or review of ours can exist, so none is looked for. */
  fresh: z.boolean(),
  expectedFileCount: z.number().int().min(0).max(1_000_000).optional(),
  /** `pull_request.commits`: a single-commit pull request skips the per-commit secrets pass's list request. */
  expectedCommitCount: z.number().int().min(0).max(1_000_000).optional(),
});

const mergeGroupTarget = z.strictObject({
  kind: z.literal("merge_group"),
  owner: name,
  repo: name,
  headSha: sha,
  baseSha: sha,
  headRef: z.string().min(1).max(1000),
});

export const scanTargetSchema = z.discriminatedUnion("kind", [pullRequestTarget, mergeGroupTarget]);
export type ScanTarget = z.infer<typeof scanTargetSchema>;
export type PullRequestTarget = Extract<ScanTarget, { kind: "pull_request" }>;

export const scanJobSchema = z.strictObject({
  v: z.literal(1),
  target: scanTargetSchema,
  installationId: positiveInt,
  /** `X-GitHub-Delivery` of the webhook that asked for the scan (logs and metrics only). */
  deliveryId: z.string().min(1).max(200),
  /** `pull_request.synchronize`, `check_run.rerequested`, … */
  event: z.string().min(1).max(100),
  /** When the webhook side accepted it (ms since the epoch): the queue's waiting time starts here. */
  acceptedAt: z.number().int().min(0),
  /**
   * Where this head stands among the pull request's heads: the payload's `pull_request.updated_at`
   * in ms. GitHub bumps it with every push, so a redelivered older event has a smaller order
   * whatever its arrival time. 0 when the event does not say (Checks events).
   */
  order: z.number().int().min(0),
  /**
   * A person asked for this run (Re-run in the Checks UI): it always gets a check run of its own,
   * even for a head that was scanned already. `outdated`: the head is not the pull request's
   * current one, so the run must neither cancel nor be cancelled by the current head's scan.
   */
  rerun: z.strictObject({ outdated: z.boolean() }).optional(),
});

export type ScanJob = z.infer<typeof scanJobSchema>;

export class ScanJobError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`not a valid scan job: ${problems.slice(0, 5).join("; ")}`);
    this.name = "ScanJobError";
  }
}

/** Validates a job read from the queue; throws `ScanJobError` naming each wrong field. */
export function decodeScanJob(data: unknown): ScanJob {
  const parsed = scanJobSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ScanJobError(parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "job"}: ${i.message}`));
}

/** The pull request (or merge group) a job belongs to: the key of "which head is current". */
export function subjectKey(target: ScanTarget): string {
  return target.kind === "pull_request"
    ? `${target.owner}/${target.repo}#${target.pullNumber}`
    : `${target.owner}/${target.repo}@merge-group/${target.headSha}`;
}

/**
 * The key of one head's scan: at most one job, one check run and one verdict for it. A re-run a
 * person asked for is a scan of its own, keyed by its delivery. No `:` (BullMQ reserves it in ids).
 */
export function headKey(job: Pick<ScanJob, "target" | "rerun" | "deliveryId">): string {
  const base = `${subjectKey(job.target).replace("@merge-group/", "|mg|")}|${job.target.headSha}`;
  return job.rerun ? `${base}|rerun|${job.deliveryId.replace(/[^A-Za-z0-9-]/g, "")}` : base;
}
