/**
 * The process's audit store (src/posture/audit), opened on first use: SQLite under DATA_DIR by
 * default, PostgreSQL with DATABASE_URL. A store that cannot be opened is logged and tried again
 * at the next check run, and never holds up a verdict: the check run on GitHub is written first,
 * the record after it (recordCheckRun retries and logs a record it could not write).
 *
 * The process that owns the schedule (the app server or a standalone worker, not each sandboxed
 * child) also runs retention.
 */
import type { Logger } from "pino";
import { openAuditStore, scheduleRetention, type AuditStore, type RetentionSchedule } from "../posture/audit/index.js";

export interface AuditTrailSettings {
  readonly DATA_DIR: string;
  readonly DATABASE_URL?: string | undefined;
  readonly AUDIT_RETENTION_DAYS: number;
}

export class AuditTrail {
  private opening: Promise<AuditStore> | undefined;
  private retention: RetentionSchedule | undefined;

  constructor(
    private readonly settings: AuditTrailSettings,
    private readonly log: Logger,
    private readonly options: { readonly runRetention: boolean },
  ) {}

  /** The store, or undefined when it cannot be opened now (logged). */
  async store(): Promise<AuditStore | undefined> {
    this.opening ??= openAuditStore({
      dataDir: this.settings.DATA_DIR,
      ...(this.settings.DATABASE_URL ? { databaseUrl: this.settings.DATABASE_URL } : {}),
      logger: this.log,
    }).then((store) => {
      if (this.options.runRetention) this.retention = scheduleRetention(store, { days: this.settings.AUDIT_RETENTION_DAYS, logger: this.log });
      return store;
    });
    try {
      return await this.opening;
    } catch (error) {
      this.opening = undefined;
      this.log.error({ err: { message: (error as Error).message } }, "the audit trail cannot be opened; this check run is not recorded");
      return undefined;
    }
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    await this.retention?.stop();
    const store = await opening?.catch(() => undefined);
    await store?.close();
  }
}
