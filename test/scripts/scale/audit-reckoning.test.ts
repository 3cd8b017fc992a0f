/**
 * The load and fault tests' audit verdict (scripts/scale/audit-reckoning.ts): the trail the
 * processes wrote, held against the fake GitHub's check runs. Pure matching on hand-made rows, then
 * the whole path against a real SQLite store, untouched and then edited behind the chain's back.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditLines, matchRecords, reckonAuditTrail, recordExpected } from "../../../scripts/scale/audit-reckoning.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import type { AuditVerification } from "../../../src/posture/audit/verify.js";
import type { FakeCheckRun } from "../../helpers/fake-github/state.js";
import { record } from "../../posture/audit/fixtures.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const intact: AuditVerification = { ok: true, records: 0, chains: [], breaks: [] };
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(id: number, overrides: Partial<FakeCheckRun> = {}): FakeCheckRun {
  return {
    id,
    owner: "Org-1",
    repo: "service",
    name: "PR Sentinel",
    head_sha: `${id}`.padStart(40, "a"),
    status: "completed",
    conclusion: "success",
    output: { title: "No problems found" },
    annotations: [],
    history: [],
    ...overrides,
  };
}

const stored = (r: FakeCheckRun, overrides: Partial<{ id: number; repoKey: string; checkRunId: number; headSha: string; conclusion: string }> = {}) => ({
  id: r.id * 10,
  repoKey: `${r.owner}/${r.repo}`.toLowerCase(),
  checkRunId: r.id,
  headSha: r.head_sha,
  conclusion: r.conclusion ?? "",
  ...overrides,
});

describe("which completed check runs must have a record", () => {
  it("every final verdict; not a cancelled run, a run still in progress, or a run closed after GitHub kept failing", () => {
    expect(recordExpected(run(1))).toBe(true);
    expect(recordExpected(run(2, { conclusion: "failure" }))).toBe(true);
    expect(recordExpected(run(3, { conclusion: "neutral", output: { title: "PR Sentinel could not finish the scan" } }))).toBe(true);
    expect(recordExpected(run(4, { conclusion: "cancelled" }))).toBe(false);
    expect(recordExpected(run(5, { status: "in_progress", conclusion: null }))).toBe(false);
    expect(recordExpected(run(6, { conclusion: "neutral", output: { title: "PR Sentinel could not reach GitHub" } }))).toBe(false);
  });
});

describe("matching records to check runs", () => {
  const runs = [run(1), run(2, { conclusion: "failure" }), run(3, { conclusion: "cancelled" }), run(4, { status: "in_progress", conclusion: null })];

  it("one record per recorded run, nothing else: ok", () => {
    const r = matchRecords(runs, [stored(runs[0]!), stored(runs[1]!)], intact);
    expect(r).toMatchObject({ ok: true, records: 2, expected: 2, exempt: 1, missing: [], duplicated: [], mismatched: [] });
    expect(auditLines(r, "SQLite")).toEqual([expect.stringMatching(/^audit trail \(SQLite\): 2 records for 2 completed check runs .* ok$/)]);
  });

  it("a run without its record is missing", () => {
    const r = matchRecords(runs, [stored(runs[0]!)], intact);
    expect(r.ok).toBe(false);
    expect(r.missing).toEqual(["check run 2 on Org-1/service@aaaaaaa (failure)"]);
    expect(auditLines(r, "SQLite")[0]).toMatch(/missing 1, .* MISSED$/);
  });

  it("two records of one run, or two runs' records on one head, are duplicates", () => {
    const twice = matchRecords(runs, [stored(runs[0]!), stored(runs[0]!, { id: 99 }), stored(runs[1]!)], intact);
    expect(twice.ok).toBe(false);
    expect(twice.duplicated).toEqual(["check run 1: 2 records (10, 99)"]);
    const second = run(5, { head_sha: runs[0]!.head_sha });
    const oneHead = matchRecords([...runs, second], [stored(runs[0]!), stored(runs[1]!), stored(second)], intact);
    expect(oneHead.duplicated).toEqual([expect.stringMatching(/^org-1\/service@aaaaaaa: 2 records for one head$/)]);
  });

  it("a record for no run, for a cancelled run, or disagreeing with its run is mismatched", () => {
    const r = matchRecords(
      runs,
      [stored(runs[0]!, { conclusion: "failure" }), stored(runs[1]!, { headSha: "b".repeat(40) }), stored(runs[2]!), stored(run(77))],
      intact,
    );
    expect(r.ok).toBe(false);
    expect(r.mismatched).toEqual([
      expect.stringMatching(/^record 10 .*: says failure, the check run success$/),
      expect.stringMatching(/^record 20 .*: its run is check run 2 on Org-1\/service@aaaaaaa$/),
      expect.stringMatching(/^record 30 .*: its run is completed cancelled .*not recorded$/),
      expect.stringMatching(/^record 770 .*: no such check run on GitHub$/),
    ]);
  });

  it("a broken chain fails it even when every record matches", () => {
    const broken: AuditVerification = { ok: false, records: 2, chains: [], breaks: [{ repository: "org-1/service", recordId: 10, seq: 1, problem: "edited", message: "record 10 (seq 1) was edited" }] };
    const r = matchRecords(runs, [stored(runs[0]!), stored(runs[1]!)], broken);
    expect(r.ok).toBe(false);
    expect(auditLines(r, "SQLite")).toEqual([expect.stringMatching(/verify BROKEN \(1\) .* MISSED$/), "  verify: org-1/service: record 10 (seq 1) was edited"]);
  });
});

describe("reckoning a real store", () => {
  it("passes on the trail as written and fails once a record is edited behind the chain's back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-reckon-"));
    dirs.push(dir);
    const dataDir = join(dir, "data");
    const inputs = [record({ repo: "org-1/service", checkRunId: 501 }), record({ repo: "org-2/service", checkRunId: 502 }), record({ repo: "org-1/service", checkRunId: 503 })];
    const store = await openAuditStore({ dataDir, logger: silent });
    try {
      await store.appendMany(inputs);
    } finally {
      await store.close();
    }
    const runs = inputs.map((i) => {
      const [owner, repo] = i.repository.split("/") as [string, string];
      return run(i.check_run_id, { owner, repo, head_sha: i.head_sha, conclusion: i.verdict.check_run_conclusion });
    });
    const cancelled = run(504, { conclusion: "cancelled" });
    expect(await reckonAuditTrail([...runs, cancelled], { dataDir })).toMatchObject({ ok: true, records: 3, expected: 3, exempt: 1 });

    const edit = await openAuditStore({ dataDir, logger: silent, create: false });
    try {
      const row = await edit.db.selectFrom("audit_records").select(["id", "content"]).where("check_run_id", "=", 503).executeTakeFirstOrThrow();
      await edit.db.updateTable("audit_records").set({ content: row.content.replace('"installation_id":42', '"installation_id":43') }).where("id", "=", row.id).execute();
    } finally {
      await edit.close();
    }
    const after = await reckonAuditTrail(runs, { dataDir });
    expect(after.ok).toBe(false);
    expect(after.missing).toEqual([]);
    expect(after.verification.breaks.map((b) => b.problem)).toEqual(["edited"]);
  });
});
