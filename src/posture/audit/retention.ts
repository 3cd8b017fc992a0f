/**
 * Retention (`AUDIT_RETENTION_DAYS`, default 400: a year of audits plus a quarter's slack; 0 keeps
 * everything). Only whole prefixes of a chain are deleted: from its start up to the first record
 * still inside the window, so a chain never gets a hole. The chain's new start remembers the hash
 * of the last deleted record, and a retention run row says what was deleted and why, so `verify`
 * passes after retention and still fails after tampering.
 *
 * Before deleting, the prefix is verified: deleting a tampered stretch would destroy the evidence,
 * so a broken prefix is left in place and reported instead.
 */
import type { AuditStore } from "./open-store.js";
import { inWriteTransaction, lockChain } from "./write-transaction.js";
import { walkLinks, type AuditBreak } from "./verify.js";

export const DEFAULT_RETENTION_DAYS = 400;
const DAY_MS = 86_400_000;

export interface RetentionRun {
  readonly repository: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly deleted: number;
}

export interface RetentionResult {
  readonly cutoff: string | null;
  readonly deleted: number;
  readonly runs: readonly RetentionRun[];
  /** Chains whose old records were kept because they do not verify. */
  readonly refused: readonly AuditBreak[];
}

export async function applyRetention(store: AuditStore, options: { readonly days: number }): Promise<RetentionResult> {
  if (!Number.isInteger(options.days) || options.days < 0) throw new RangeError(`retention days must be a whole number ≥ 0, got ${options.days}`);
  if (options.days === 0) return { cutoff: null, deleted: 0, runs: [], refused: [] };
  const now = store.now();
  const cutoff = new Date(now.getTime() - options.days * DAY_MS).toISOString();
  const keys = await store.db.selectFrom("audit_chains").select("repo_key").orderBy("repo_key").execute();
  const runs: RetentionRun[] = [];
  const refused: AuditBreak[] = [];
  for (const { repo_key: key } of keys) {
    const outcome = await inWriteTransaction(store.db, store.dialect, async (q) => {
      const chain = await lockChain(q, store.dialect, key);
      if (!chain) return undefined;
      const startSeq = Number(chain.start_seq);
      const firstKept = await q
        .selectFrom("audit_records")
        .select((eb) => eb.fn.min("seq").as("seq"))
        .where("repo_key", "=", key)
        .where("created_at", ">=", cutoff)
        .executeTakeFirst();
      const cutSeq = firstKept?.seq === null || firstKept?.seq === undefined ? Number(chain.last_seq) + 1 : Number(firstKept.seq);
      if (cutSeq <= startSeq) return undefined;
      const walk = await walkLinks(q, key, startSeq, chain.start_prev_hash, cutSeq - 1);
      if (walk.broken || walk.endSeq !== cutSeq - 1) {
        return {
          refused: walk.broken ?? { repository: key, recordId: null, seq: walk.endSeq + 1, problem: "missing" as const, message: `records seq ${walk.endSeq + 1}..${cutSeq - 1} are missing` },
        };
      }
      const result = await q.deleteFrom("audit_records").where("repo_key", "=", key).where("seq", "<", cutSeq).executeTakeFirst();
      const deleted = Number(result.numDeletedRows);
      await q.updateTable("audit_chains").set({ start_seq: cutSeq, start_prev_hash: walk.endHash }).where("repo_key", "=", key).execute();
      await q
        .insertInto("audit_retention_runs")
        .values({ repo_key: key, ran_at: now.toISOString(), cutoff, first_seq: startSeq, last_seq: cutSeq - 1, deleted, last_hash: walk.endHash })
        .execute();
      return { run: { repository: key, firstSeq: startSeq, lastSeq: cutSeq - 1, deleted } };
    });
    if (outcome?.run) runs.push(outcome.run);
    if (outcome?.refused) refused.push(outcome.refused);
  }
  return { cutoff, deleted: runs.reduce((n, r) => n + r.deleted, 0), runs, refused };
}
