/**
 * The audit trail the processes of a load or fault test wrote, held against the check runs the
 * fake GitHub ended up with: one record per completed check run with a final verdict, none missing,
 * none twice, each naming its run's repository, head and conclusion, and every chain intact
 * (`verifyAuditTrail`). Read after the processes stopped, so no write is still on its way.
 *
 * Which completed runs carry a record follows src/app/run-scan-job.ts: every final verdict does;
 * a run cancelled by a newer push does not (the newer head's run has the verdict), nor does a run
 * closed because GitHub kept failing (`retryable`: the next delivery scans it again under the same
 * run, and records it then).
 */
import { pino } from "pino";
import { openAuditStore, verifyAuditTrail, type AuditVerification } from "../../src/posture/audit/index.js";
import type { FakeCheckRun } from "../../test/helpers/fake-github/state.js";

/** The title src/app/scan-change.ts gives a run closed after transient GitHub errors (retryable, not recorded). */
const GAVE_UP_TITLE = "PR Sentinel could not reach GitHub";

export interface AuditReckoning {
  /** Records in the store. */
  readonly records: number;
  /** Completed check runs on the fake that must have a record. */
  readonly expected: number;
  /** Completed runs that carry no record by design (cancelled, gave up). */
  readonly exempt: number;
  readonly missing: string[];
  /** A check run, or a head, with more than one record. */
  readonly duplicated: string[];
  /** A record whose run is not on the fake, is not completed, or says another repository, head or conclusion. */
  readonly mismatched: string[];
  readonly verification: AuditVerification;
  readonly ok: boolean;
}

interface StoredRecord {
  readonly id: number;
  readonly repoKey: string;
  readonly checkRunId: number;
  readonly headSha: string;
  readonly conclusion: string;
}

/** Whether a completed run must have an audit record. */
export function recordExpected(run: Pick<FakeCheckRun, "status" | "conclusion" | "output">): boolean {
  return run.status === "completed" && run.conclusion !== "cancelled" && run.output.title !== GAVE_UP_TITLE;
}

/** Holds `records` (as read from the store) against the fake's check runs. Pure: the tests feed it rows. */
export function matchRecords(runs: Iterable<FakeCheckRun>, records: readonly StoredRecord[], verification: AuditVerification): AuditReckoning {
  const byRun = new Map<number, StoredRecord[]>();
  const byHead = new Map<string, StoredRecord[]>();
  for (const r of records) {
    byRun.set(r.checkRunId, [...(byRun.get(r.checkRunId) ?? []), r]);
    const head = `${r.repoKey}@${r.headSha}`;
    byHead.set(head, [...(byHead.get(head) ?? []), r]);
  }
  const runsById = new Map<number, FakeCheckRun>();
  const missing: string[] = [];
  const mismatched: string[] = [];
  let expected = 0;
  let exempt = 0;
  for (const run of runs) {
    runsById.set(run.id, run);
    if (run.status !== "completed") continue;
    if (!recordExpected(run)) {
      exempt++;
      continue;
    }
    expected++;
    if (!byRun.has(run.id)) missing.push(`${describe(run)} (${run.conclusion})`);
  }
  for (const r of records) {
    const run = runsById.get(r.checkRunId);
    const label = `record ${r.id} (check run ${r.checkRunId}, ${r.repoKey}@${r.headSha.slice(0, 7)})`;
    if (!run) mismatched.push(`${label}: no such check run on GitHub`);
    else if (!recordExpected(run)) mismatched.push(`${label}: its run is ${run.status} ${run.conclusion ?? ""} (${run.output.title ?? "no title"}), which is not recorded`);
    else if (`${run.owner}/${run.repo}`.toLowerCase() !== r.repoKey || run.head_sha !== r.headSha) mismatched.push(`${label}: its run is ${describe(run)}`);
    else if (run.conclusion !== r.conclusion) mismatched.push(`${label}: says ${r.conclusion}, the check run ${run.conclusion}`);
  }
  const duplicated = [
    ...[...byRun].filter(([, rs]) => rs.length > 1).map(([id, rs]) => `check run ${id}: ${rs.length} records (${rs.map((r) => r.id).join(", ")})`),
    // No scenario here re-runs a check, so a head has one run: two records for one head is a duplicate verdict.
    ...[...byHead].filter(([, rs]) => new Set(rs.map((r) => r.checkRunId)).size > 1).map(([head, rs]) => `${head.slice(0, head.indexOf("@") + 8)}: ${rs.length} records for one head`),
  ];
  const ok = missing.length === 0 && duplicated.length === 0 && mismatched.length === 0 && verification.ok;
  return { records: records.length, expected, exempt, missing, duplicated, mismatched, verification, ok };
}

/** Opens the store the topology's processes wrote (SQLite under `dataDir`, or `databaseUrl`) and reckons it. */
export async function reckonAuditTrail(runs: Iterable<FakeCheckRun>, where: { dataDir: string; databaseUrl?: string | undefined }): Promise<AuditReckoning> {
  const store = await openAuditStore({
    dataDir: where.dataDir,
    ...(where.databaseUrl ? { databaseUrl: where.databaseUrl } : {}),
    logger: pino({ level: "silent" }),
    create: false,
  });
  try {
    const rows = await store.db.selectFrom("audit_records").select(["id", "repo_key", "check_run_id", "head_sha", "conclusion"]).orderBy("id").execute();
    const records = rows.map((r) => ({ id: Number(r.id), repoKey: r.repo_key, checkRunId: Number(r.check_run_id), headSha: r.head_sha, conclusion: r.conclusion }));
    return matchRecords(runs, records, await verifyAuditTrail(store));
  } finally {
    await store.close();
  }
}

/** The verdict lines of a load or fault test, first line `audit trail: … ok|MISSED`, then up to 10 problems. */
export function auditLines(r: AuditReckoning, where: string): string[] {
  const head =
    `audit trail (${where}): ${r.records} records for ${r.expected} completed check runs (${r.exempt} cancelled or retried, not recorded); ` +
    `missing ${r.missing.length}, duplicated ${r.duplicated.length}, mismatched ${r.mismatched.length}; ` +
    `verify ${r.verification.ok ? "intact" : `BROKEN (${r.verification.breaks.length})`} over ${r.verification.chains.length} chains ${r.ok ? "ok" : "MISSED"}`;
  const problems = [
    ...r.missing.map((m) => `no audit record: ${m}`),
    ...r.duplicated.map((d) => `duplicate audit record: ${d}`),
    ...r.mismatched,
    ...r.verification.breaks.map((b) => `verify: ${b.repository}: ${b.message}`),
  ];
  return [head, ...problems.slice(0, 10).map((p) => `  ${p}`), ...(problems.length > 10 ? [`  … and ${problems.length - 10} more`] : [])];
}

function describe(run: FakeCheckRun): string {
  return `check run ${run.id} on ${run.owner}/${run.repo}@${run.head_sha.slice(0, 7)}`;
}
