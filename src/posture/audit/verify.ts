/**
 * Walks every chain (or one repository's) from its start to its end and reports the first broken
 * link of each, naming the record. What it detects, by whoever did not also rewrite everything
 * after the change:
 * - an edited record: its content no longer hashes to its `hash` (or is no longer canonical JSON,
 *   or a column copy disagrees with the content);
 * - a record edited with its hash recomputed, or a record replaced or reordered: the next record's
 *   `prev_hash` no longer matches;
 * - deleted records: a gap in `seq`, or a chain that ends before its recorded end;
 * - a chain start moved without a retention run explaining it.
 * What it cannot detect alone: someone with write access who rewrites a whole chain and its end.
 * That is what anchoring is for: `audit verify` prints each chain's end hash; kept elsewhere (a
 * ticket, a log sink), an earlier printout shows whether the chain was rewritten (docs/audit-trail.md).
 */
import type { Selectable } from "kysely";
import { canonicalJson, chainHash, type CanonicalValue } from "./canonical-json.js";
import type { AuditStore } from "./open-store.js";
import { chainKey } from "./record.js";
import type { AuditChainsTable, AuditRecordsTable } from "./tables.js";
import type { AuditQueries } from "./write-transaction.js";

export type AuditProblem = "edited" | "link-broken" | "missing" | "tail-missing" | "start-moved" | "no-chain";

export interface AuditBreak {
  readonly repository: string;
  /** The first record found wrong; null when the problem is the chain's end or start. */
  readonly recordId: number | null;
  readonly seq: number | null;
  readonly problem: AuditProblem;
  readonly message: string;
}

export interface AuditChainSummary {
  readonly repository: string;
  readonly records: number;
  readonly startSeq: number;
  readonly lastSeq: number;
  /** Print and keep it elsewhere: a later verify against it shows a rewritten chain. */
  readonly lastHash: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  readonly chains: readonly AuditChainSummary[];
  readonly breaks: readonly AuditBreak[];
}

const PAGE = 5_000;

export async function verifyAuditTrail(store: AuditStore, options: { readonly repo?: string } = {}): Promise<AuditVerification> {
  const only = options.repo === undefined ? undefined : chainKey(options.repo);
  let chainsQuery = store.db.selectFrom("audit_chains").selectAll().orderBy("repo_key");
  if (only !== undefined) chainsQuery = chainsQuery.where("repo_key", "=", only);
  const chains = await chainsQuery.execute();
  const summaries: AuditChainSummary[] = [];
  const breaks: AuditBreak[] = [];
  let records = 0;
  for (const chain of chains) {
    const walked = await walkChain(store, chain);
    records += walked.records;
    summaries.push({ repository: chain.repo_key, records: walked.records, startSeq: Number(chain.start_seq), lastSeq: Number(chain.last_seq), lastHash: chain.last_hash });
    const startProblem = await startProblemOf(store, chain);
    if (walked.broken) breaks.push(walked.broken);
    else if (startProblem) breaks.push(startProblem);
  }
  breaks.push(...(await recordsWithoutChain(store, only)));
  return { ok: breaks.length === 0, records, chains: summaries, breaks };
}

export interface Walk {
  readonly records: number;
  readonly broken?: AuditBreak;
  /** The last record that stood up (the chain's start when none did). */
  readonly endSeq: number;
  readonly endHash: string;
}

async function walkChain(store: AuditStore, chain: AuditChainsTable): Promise<Walk> {
  const walk = await walkLinks(store.db, chain.repo_key, Number(chain.start_seq), chain.start_prev_hash);
  if (walk.broken) return walk;
  const lastSeq = Number(chain.last_seq);
  if (walk.endSeq !== lastSeq || walk.endHash !== chain.last_hash) {
    const message =
      walk.endSeq < lastSeq
        ? `the chain ends at seq ${walk.endSeq} but its recorded end is seq ${lastSeq}: the last records were deleted`
        : `the chain's recorded end (seq ${lastSeq}) does not match its last record (seq ${walk.endSeq}): the end was rewritten`;
    return { ...walk, broken: { repository: chain.repo_key, recordId: null, seq: lastSeq, problem: "tail-missing", message } };
  }
  return walk;
}

/**
 * Checks the links of one chain from `startSeq` (whose record must follow `startPrev`) up to
 * `untilSeq` (default: its last record), in pages by seq; stops at the first break.
 */
export async function walkLinks(q: AuditQueries, repository: string, startSeq: number, startPrev: string, untilSeq?: number): Promise<Walk> {
  let expectedSeq = startSeq;
  let prev = startPrev;
  let count = 0;
  let after = -1;
  for (;;) {
    let page = q.selectFrom("audit_records").selectAll().where("repo_key", "=", repository).where("seq", ">", after);
    if (untilSeq !== undefined) page = page.where("seq", "<=", untilSeq);
    const rows = await page.orderBy("seq").limit(PAGE).execute();
    for (const row of rows) {
      count++;
      const seq = Number(row.seq);
      const at = (problem: AuditProblem, message: string): Walk => ({
        records: count,
        broken: { repository, recordId: Number(row.id), seq, problem, message },
        endSeq: expectedSeq - 1,
        endHash: prev,
      });
      if (seq < expectedSeq) return at("link-broken", `record ${row.id} has seq ${seq}, before the chain's start (seq ${expectedSeq}): it was inserted or renumbered`);
      if (seq > expectedSeq) {
        const gap = expectedSeq === seq - 1 ? `seq ${expectedSeq} is` : `seq ${expectedSeq}..${seq - 1} are`;
        return at("missing", `records before record ${row.id} were deleted: ${gap} missing`);
      }
      if (row.prev_hash !== prev) {
        return at("link-broken", `record ${row.id} (seq ${seq}) does not follow the record before it: its prev_hash is not that record's hash (the record before it was edited, replaced or reordered)`);
      }
      const contentProblem = contentProblemOf(row);
      if (contentProblem) return at("edited", `record ${row.id} (seq ${seq}) was edited: ${contentProblem}`);
      prev = row.hash;
      expectedSeq = seq + 1;
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { records: count, endSeq: expectedSeq - 1, endHash: prev };
}

/** Why a record's stored content does not stand up, or undefined when it does. */
function contentProblemOf(row: Selectable<AuditRecordsTable>): string | undefined {
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(row.content) as Record<string, unknown>;
  } catch {
    return "its content is not JSON";
  }
  if (canonicalJson(content as CanonicalValue) !== row.content) return "its content is not in canonical form";
  if (chainHash(row.content, row.prev_hash) !== row.hash) return "its content does not hash to its hash";
  const subject = content.subject as { kind?: string; pull_request?: number } | undefined;
  const verdict = content.verdict as { check_run_conclusion?: string } | undefined;
  const copies: [string, unknown, unknown][] = [
    ["seq", content.seq, Number(row.seq)],
    ["created_at", content.created_at, row.created_at],
    ["check_run_id", content.check_run_id, Number(row.check_run_id)],
    ["repository", typeof content.repository === "string" ? chainKey(content.repository) : undefined, row.repo_key],
    ["head_sha", content.head_sha, row.head_sha],
    ["conclusion", verdict?.check_run_conclusion, row.conclusion],
    ["pull_request", subject?.kind === "pull_request" ? subject.pull_request : null, row.pull_request === null ? null : Number(row.pull_request)],
  ];
  const wrong = copies.find(([, inContent, inColumn]) => inContent !== inColumn);
  return wrong ? `its ${wrong[0]} column says ${String(wrong[2])}, its content ${String(wrong[1])}` : undefined;
}

/** A chain that starts after seq 1 must say why: a retention run that ended exactly there. */
async function startProblemOf(store: AuditStore, chain: AuditChainsTable): Promise<AuditBreak | undefined> {
  const startSeq = Number(chain.start_seq);
  if (startSeq === 1) return undefined;
  const run = await store.db
    .selectFrom("audit_retention_runs")
    .select(["id"])
    .where("repo_key", "=", chain.repo_key)
    .where("last_seq", "=", startSeq - 1)
    .where("last_hash", "=", chain.start_prev_hash)
    .executeTakeFirst();
  if (run) return undefined;
  return {
    repository: chain.repo_key,
    recordId: null,
    seq: startSeq,
    problem: "start-moved",
    message: `the chain starts at seq ${startSeq} but no retention run deleted the records before it`,
  };
}

async function recordsWithoutChain(store: AuditStore, only: string | undefined): Promise<AuditBreak[]> {
  let query = store.db
    .selectFrom("audit_records")
    .select((eb) => ["repo_key", eb.fn.min("id").as("first_id")])
    .where("repo_key", "not in", store.db.selectFrom("audit_chains").select("repo_key"))
    .groupBy("repo_key")
    .orderBy("repo_key");
  if (only !== undefined) query = query.where("repo_key", "=", only);
  const rows = await query.execute();
  return rows.map((r) => ({
    repository: r.repo_key,
    recordId: Number(r.first_id),
    seq: null,
    problem: "no-chain" as const,
    message: `records of ${r.repo_key} exist without their chain's row (audit_chains): the row was deleted`,
  }));
}
