/**
 * Appending to the hash chains. Each repository's records form one chain: a record's `prev_hash`
 * is the hash of the record before it, its `seq` the next number. Two writers must never read the
 * same chain end, so appends are serialised per repository: on PostgreSQL by `SELECT … FOR UPDATE`
 * on the repository's row in `audit_chains` (other repositories proceed in parallel); on SQLite by
 * `BEGIN IMMEDIATE`, which takes the database's write lock before the chain end is read (SQLite has
 * one writer anyway; other processes wait out the busy timeout).
 *
 * Written once per check run: (repository, check run id) is unique. A redelivery or a retried job
 * finds its check run recorded while holding the chain lock and writes nothing; the insert itself
 * still says `ON CONFLICT DO NOTHING`, and a row it did not write aborts the transaction rather
 * than leave a gap in the chain.
 */
import type { Insertable, Kysely } from "kysely";
import { canonicalJson, chainHash, GENESIS_HASH, type CanonicalValue } from "./canonical-json.js";
import type { Dialect } from "./migrations.js";
import { chainKey, type AuditRecordContent, type AuditRecordInput } from "./record.js";
import type { AuditDatabase, AuditRecordsTable } from "./tables.js";
import { inWriteTransaction, lockChain, type AuditQueries as Q } from "./write-transaction.js";

export type AppendResult =
  | { readonly status: "inserted"; readonly id: number; readonly seq: number; readonly hash: string }
  | { readonly status: "duplicate"; readonly id: number | null };

/** Rows per INSERT: 11 parameters each, well under SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 500;

export async function appendRecords(db: Kysely<AuditDatabase>, dialect: Dialect, records: readonly AuditRecordInput[], now: () => Date): Promise<AppendResult[]> {
  if (records.length === 0) return [];
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const key = chainKey(record.repository);
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  // Chains locked in one order by every writer: two batches over the same repositories cannot deadlock.
  const keys = [...groups.keys()].sort();
  const results = new Array<AppendResult>(records.length);
  const write = async (q: Q) => {
    const createdAt = now().toISOString();
    for (const key of keys) await appendToChain(q, dialect, key, groups.get(key)!, records, results, createdAt);
  };
  await inWriteTransaction(db, dialect, write);
  return results;
}

async function appendToChain(
  q: Q,
  dialect: Dialect,
  key: string,
  indexes: readonly number[],
  records: readonly AuditRecordInput[],
  results: AppendResult[],
  createdAt: string,
): Promise<void> {
  await q
    .insertInto("audit_chains")
    .values({ repo_key: key, start_seq: 1, start_prev_hash: GENESIS_HASH, last_seq: 0, last_hash: GENESIS_HASH })
    .onConflict((c) => c.column("repo_key").doNothing())
    .execute();
  const chain = await lockChain(q, dialect, key);
  if (!chain) throw new Error(`audit chain ${key}: its row vanished inside the transaction`);

  const recorded = await recordedCheckRuns(q, key, indexes.map((i) => records[i]!.check_run_id));
  let seq = Number(chain.last_seq);
  let prev = chain.last_hash;
  const rows: (Insertable<AuditRecordsTable> & { seq: number; hash: string })[] = [];
  const rowIndexes: number[] = [];
  for (const index of indexes) {
    const record = records[index]!;
    if (recorded.has(record.check_run_id)) {
      results[index] = { status: "duplicate", id: recorded.get(record.check_run_id) ?? null };
      continue;
    }
    // The same check run twice in one batch: the first is the record.
    recorded.set(record.check_run_id, null);
    seq += 1;
    const content: AuditRecordContent = { ...record, seq, created_at: createdAt };
    const contentJson = canonicalJson(content as unknown as CanonicalValue);
    const hash = chainHash(contentJson, prev);
    rows.push({
      repo_key: key,
      seq,
      check_run_id: record.check_run_id,
      created_at: createdAt,
      pull_request: record.subject.kind === "pull_request" ? record.subject.pull_request : null,
      head_sha: record.head_sha,
      conclusion: record.verdict.check_run_conclusion,
      content: contentJson,
      prev_hash: prev,
      hash,
    });
    rowIndexes.push(index);
    prev = hash;
  }
  if (rows.length === 0) return;
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const inserted = await q
      .insertInto("audit_records")
      .values(chunk)
      .onConflict((c) => c.columns(["repo_key", "check_run_id"]).doNothing())
      .returning(["id", "seq"])
      .execute();
    if (inserted.length !== chunk.length) throw new Error(`audit chain ${key}: ${chunk.length - inserted.length} records were not written; nothing was`);
    const bySeq = new Map(inserted.map((r) => [Number(r.seq), Number(r.id)]));
    for (const row of chunk) ids.push(bySeq.get(row.seq)!);
  }
  rows.forEach((row, i) => (results[rowIndexes[i]!] = { status: "inserted", id: ids[i]!, seq: row.seq, hash: row.hash }));
  await q.updateTable("audit_chains").set({ last_seq: seq, last_hash: prev }).where("repo_key", "=", key).execute();
}

/** Check run ids of this chain already recorded, with their record ids. */
async function recordedCheckRuns(q: Q, key: string, checkRunIds: readonly number[]): Promise<Map<number, number | null>> {
  const found = new Map<number, number | null>();
  const distinct = [...new Set(checkRunIds)];
  for (let start = 0; start < distinct.length; start += LOOKUP_CHUNK) {
    const rows = await q
      .selectFrom("audit_records")
      .select(["id", "check_run_id"])
      .where("repo_key", "=", key)
      .where("check_run_id", "in", distinct.slice(start, start + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.set(Number(row.check_run_id), Number(row.id));
  }
  return found;
}
