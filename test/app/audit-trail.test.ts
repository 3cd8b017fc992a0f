/**
 * The audit trail as the App writes it, end to end: a scanned pull request leaves exactly one
 * record in the SQLite file under DATA_DIR (nothing to configure), a redelivery of the same webhook
 * and a second push add one record per check run, the chain verifies, and the planted secret is
 * nowhere in the database file; the records survive a restart of the App. A process that dies after
 * its verdict but before its scan state says so has recorded it already, and the scan that takes
 * the head over adds no second record.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { AuditTrail } from "../../src/app/audit-trail.js";
import { MemoryScanState } from "../../src/app/state/memory-scan-state.js";
import type { RunRecord } from "../../src/app/state/scan-state.js";
import { DEFAULT_RETENTION_DAYS, openAuditStore, verifyAuditTrail } from "../../src/posture/audit/index.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest } from "../helpers/fake-github/scenario.js";
import { checksUnderTest, fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";

const KEY = fakeAwsKeyId("audited");
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ checks: checksUnderTest() });
});
afterAll(async () => {
  await h?.stop();
});

async function records(dataDir: string) {
  const store = await openAuditStore({ dataDir, logger: pino({ level: "silent" }), create: false });
  try {
    const rows = await store.db.selectFrom("audit_records").select(["check_run_id", "head_sha", "conclusion", "content"]).orderBy("seq").execute();
    const verification = await verifyAuditTrail(store);
    return { rows, verification };
  } finally {
    await store.close();
  }
}

describe("the App's audit trail", () => {
  it("records each completed check run once, verifiably, without the secret", async () => {
    const pull = addPullRequest(h.fake, { owner: "acme", repo: "audited", number: 4, changes: [{ path: "src/aws.ts", base: null, head: `export const key = "${KEY}";\n` }] });
    const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "audited", installationId: 41, number: 4, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: 1 });
    expect((await h.send("pull_request", payload, "audit-delivery-1")).status).toBe(200);
    await h.app.idle();
    // The same delivery again, and the same head under a new delivery id (a re-run of the event).
    await h.send("pull_request", payload, "audit-delivery-1");
    await h.send("pull_request", { ...payload, action: "synchronize" }, "audit-delivery-2");
    await h.app.idle();

    const runs = h.fake.state.checkRunsFor(pull.headSha);
    expect(runs).toHaveLength(1);
    const { rows, verification } = await records(h.dataDir);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.check_run_id).toBe(runs[0]!.id);
    expect(rows[0]!.head_sha).toBe(pull.headSha);
    expect(rows[0]!.conclusion).toBe("failure");
    expect(JSON.parse(rows[0]!.content)).toMatchObject({ repository: "acme/audited" });
    expect(verification.ok).toBe(true);

    // No part of the key in any file of the database (the WAL included).
    for (const name of readdirSync(h.dataDir)) {
      const bytes = readFileSync(join(h.dataDir, name)).toString("latin1");
      for (let i = 0; i + 8 <= KEY.length; i++) expect(bytes, name).not.toContain(KEY.slice(i, i + 8));
    }
  });

  it("keeps the records across a restart of the App", async () => {
    const before = (await records(h.dataDir)).rows.length;
    const second = await startHarness({ checks: checksUnderTest(), replicaOf: h });
    try {
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "audited", number: 5, changes: [{ path: "README.md", base: "# a\n", head: "# b\n" }] });
      const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "audited", installationId: 41, number: 5, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: 1 });
      expect((await second.send("pull_request", payload)).status).toBe(200);
      await second.app.idle();
    } finally {
      await second.stop();
    }
    const { rows, verification } = await records(h.dataDir);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)!.conclusion).toBe("success");
    expect(verification.ok).toBe(true);
  });
});

/** The scan state, dying (throwing) once where it would have marked a head's run completed. */
class DyingState extends MemoryScanState {
  dieAtNextCompletion = false;
  override async putRun(headKey: string, run: RunRecord): Promise<void> {
    if (run.status === "completed" && this.dieAtNextCompletion) {
      this.dieAtNextCompletion = false;
      throw new Error("the process died here");
    }
    await super.putRun(headKey, run);
  }
}

describe("a process that dies between its verdict and its scan state", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-dying-"));
  const state = new DyingState();
  let d: Harness;
  beforeAll(async () => {
    const audit = new AuditTrail({ DATA_DIR: dataDir, AUDIT_RETENTION_DAYS: DEFAULT_RETENTION_DAYS }, pino({ level: "silent" }), { runRetention: false });
    d = await startHarness({ checks: checksUnderTest(), state, audit });
  });
  afterAll(async () => {
    await d?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("has written the record first, and the scan taking the head over writes no second one", async () => {
    const pull = addPullRequest(d.fake, { owner: "acme", repo: "dying", number: 6, changes: [{ path: "src/aws.ts", base: null, head: `export const key = "${KEY}";\n` }] });
    const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "dying", installationId: 43, number: 6, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: 1 });
    state.dieAtNextCompletion = true;
    expect((await d.send("pull_request", payload, "dying-delivery-1")).status).toBe(200);
    await d.app.idle();
    const [run] = d.fake.state.checkRunsFor(pull.headSha);
    expect(run?.conclusion).toBe("failure");
    // The state never heard the head is done (as after a crash): it is still a run in progress.
    expect((await state.getRun(`acme/dying#6|${pull.headSha}`))?.status).toBe("in_progress");
    // Recorded already: a record written only after the state said "done" would be missing now, for good.
    expect((await records(dataDir)).rows.map((r) => r.check_run_id)).toEqual([run!.id]);

    // The head's next delivery takes the unfinished run over, scans again, and finds it recorded.
    await d.send("pull_request", { ...payload, action: "synchronize" }, "dying-delivery-2");
    await d.app.idle();
    expect(d.fake.state.checkRunsFor(pull.headSha)).toHaveLength(1);
    expect((await state.getRun(`acme/dying#6|${pull.headSha}`))?.status).toBe("completed");
    const { rows, verification } = await records(dataDir);
    expect(rows.map((r) => [r.check_run_id, r.conclusion])).toEqual([[run!.id, "failure"]]);
    expect(verification.ok).toBe(true);
  });
});
