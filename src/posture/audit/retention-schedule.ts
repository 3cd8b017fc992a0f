/**
 * Retention runs in the app: shortly after start, then once a day. Replicas may all run it: each
 * chain is trimmed inside its own locked transaction, so a second replica finds nothing left to do.
 * A failed run is logged and the next one tries again; it never stops the app.
 */
import type { AuditLogger, AuditStore } from "./open-store.js";
import { applyRetention } from "./retention.js";

export interface RetentionSchedule {
  /** The run in progress, if any, finishes first. */
  stop(): Promise<void>;
}

export function scheduleRetention(store: AuditStore, options: { readonly days: number; readonly logger: AuditLogger; readonly firstMs?: number; readonly everyMs?: number }): RetentionSchedule {
  if (options.days === 0) return { stop: () => Promise.resolve() };
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = applyRetention(store, { days: options.days })
      .then((result) => {
        if (result.deleted > 0 || result.refused.length > 0) options.logger.info({ cutoff: result.cutoff, deleted: result.deleted, repositories: result.runs.length }, "audit retention ran");
        for (const refused of result.refused) options.logger.error({ repo: refused.repository, recordId: refused.recordId, problem: refused.problem }, `audit retention kept a broken chain: ${refused.message}`);
      })
      .catch((error: unknown) => options.logger.error({ err: { message: (error as Error).message } }, "audit retention failed; it runs again later"))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, options.firstMs ?? 60_000);
  const every = setInterval(run, options.everyMs ?? 86_400_000);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
