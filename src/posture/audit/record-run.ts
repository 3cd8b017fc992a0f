/**
 * The runner's one call: write a completed check run's record, trying again a few times when the
 * database is away for a moment. The verdict is already on GitHub by then and is never changed by
 * an audit failure; a record that still cannot be written is logged as an error naming the check
 * run (an auditor must be able to see that one is missing, and why), never silently dropped.
 */
import type { AppendResult } from "./append.js";
import type { AuditLogger, AuditStore } from "./open-store.js";
import type { AuditRecordInput } from "./record.js";

export interface RecordRunOptions {
  readonly logger: AuditLogger;
  readonly attempts?: number;
  /** Before the second attempt; doubled each time. */
  readonly backoffMs?: number;
}

export async function recordCheckRun(store: AuditStore, record: AuditRecordInput, options: RecordRunOptions): Promise<AppendResult | undefined> {
  const attempts = options.attempts ?? 4;
  let wait = options.backoffMs ?? 250;
  const where = { repo: record.repository, checkRunId: record.check_run_id };
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await store.append(record);
      options.logger.info({ ...where, audit: result.status, ...(result.status === "inserted" ? { seq: result.seq } : {}) }, "audit record written");
      return result;
    } catch (error) {
      const message = (error as Error).message;
      if (attempt >= attempts) {
        options.logger.error({ ...where, attempts, err: { message } }, "audit record NOT written; the check run has no audit record");
        return undefined;
      }
      options.logger.warn({ ...where, attempt, err: { message } }, "audit record not written yet; trying again");
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}
