import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { scheduleRetention } from "../../../src/posture/audit/retention-schedule.js";
import { verifyAuditTrail } from "../../../src/posture/audit/verify.js";
import { record } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-schedule-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scheduleRetention", () => {
  it("trims old records soon after start and logs what it did", async () => {
    let clock = Date.parse("2025-01-01T00:00:00Z");
    const store = await openAuditStore({ dataDir: dir, logger: { info() {}, warn() {}, error() {} }, now: () => new Date(clock) });
    try {
      await store.append(record({ checkRunId: 1 }));
      clock = Date.parse("2026-06-01T00:00:00Z");
      await store.append(record({ checkRunId: 2 }));
      const infos: object[] = [];
      const schedule = scheduleRetention(store, { days: 400, firstMs: 5, logger: { info: (o) => void infos.push(o), warn() {}, error() {} } });
      await expect.poll(() => infos.length, { timeout: 5_000 }).toBe(1);
      await schedule.stop();
      expect(infos[0]).toMatchObject({ deleted: 1, repositories: 1 });
      expect(await verifyAuditTrail(store)).toMatchObject({ ok: true, records: 1 });
    } finally {
      await store.close();
    }
  });

  it("does nothing with 0 days", async () => {
    const calls: string[] = [];
    const record = (level: string) => () => void calls.push(level);
    // A store that fails on any use: a run at all would be logged as an error.
    const store = new Proxy({}, { get: () => { throw new Error("the store was used"); } });
    const schedule = scheduleRetention(store as never, { days: 0, firstMs: 1, logger: { info: record("info"), warn: record("warn"), error: record("error") } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await schedule.stop();
    expect(calls).toEqual([]);
  });
});
