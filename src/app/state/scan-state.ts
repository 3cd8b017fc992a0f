/**
 * What the webhook side and the runners must agree on to be correct under redelivery, reordering
 * and several replicas: which deliveries were handled, which head of each pull request is current,
 * which check run belongs to which head, and who may comment on a pull request right now. One
 * interface, two stores: memory for a single process, Redis for replicas (redis-scan-state.ts).
 */

export interface HeadRecord {
  readonly headSha: string;
  /** `ScanJob.order`: larger is newer. */
  readonly order: number;
}

export interface RunRecord {
  readonly checkRunId: number;
  readonly botLogin?: string;
  readonly htmlUrl?: string;
  readonly status: "in_progress" | "completed";
  readonly conclusion?: string;
  /** Completed only because GitHub kept failing: the next delivery for this head scans it again. */
  readonly retryable?: boolean;
  /** Its processor was ended past the deadline: the next attempt closes the run as timed out. */
  readonly timedOut?: boolean;
}

export interface ScanState {
  /** True the first time `deliveryId` is seen within the TTL; a redelivery gets false. */
  claimDelivery(deliveryId: string): Promise<boolean>;
  /** Forgets a claim whose handling failed, so a redelivery of it is handled. */
  releaseDelivery(deliveryId: string): Promise<void>;
  /**
   * Records `head` as the subject's current head unless a newer one (larger order) is recorded;
   * equal orders: the later call wins (a push and its own `edited` share one). Returns the current head.
   */
  observeHead(subject: string, head: HeadRecord): Promise<HeadRecord>;
  currentHead(subject: string): Promise<HeadRecord | undefined>;
  getRun(headKey: string): Promise<RunRecord | undefined>;
  putRun(headKey: string, run: RunRecord): Promise<void>;
  /**
   * Runs `fn` while holding the lock `key`, waiting for it up to `waitMs`; the lock expires after
   * `holdMs` should its holder die. Throws `LockTimeoutError` when it could not be had.
   */
  withLock<T>(key: string, options: { holdMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T>;
  /** Whether the store answers (Redis reachable). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class LockTimeoutError extends Error {
  constructor(key: string, waitMs: number) {
    super(`could not take the lock ${key} within ${waitMs} ms`);
    this.name = "LockTimeoutError";
  }
}

export const DELIVERY_TTL_MS = 24 * 60 * 60 * 1000;
/** Heads and runs are kept a week: longer than any pull request waits between two pushes that matter. */
export const RECORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
