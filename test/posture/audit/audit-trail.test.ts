/**
 * The audit store's behaviour, one suite run against SQLite (a temp folder) and PostgreSQL (a
 * private server for this file). Without PostgreSQL binaries the second half fails, unless
 * PR_SENTINEL_SKIP_POSTGRES=1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainHash, canonicalJson, type CanonicalValue } from "../../../src/posture/audit/canonical-json.js";
import { exportAudit } from "../../../src/posture/audit/export.js";
import { openAuditStore, type AuditStore } from "../../../src/posture/audit/open-store.js";
import { applyRetention } from "../../../src/posture/audit/retention.js";
import { verifyAuditTrail } from "../../../src/posture/audit/verify.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";
import { finding, record, scanResult } from "./fixtures.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Backend {
  /** A new, empty database; `open` may be called again on it (a restart). */
  fresh(): Promise<{ open(now?: () => Date): Promise<AuditStore> }>;
}

const sqliteBackend: Backend & { dirs: string[] } = {
  dirs: [],
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-"));
    this.dirs.push(dir);
    return { open: (now) => openAuditStore({ dataDir: join(dir, "data"), logger: silent, ...(now ? { now } : {}) }) };
  },
};

let server: PostgresServer | undefined;
const postgresBackend: Backend = {
  async fresh() {
    if (!server) throw new Error("the PostgreSQL server did not start (see the error in beforeAll)");
    const url = await server.createDatabase();
    return { open: (now) => openAuditStore({ databaseUrl: url, logger: silent, ...(now ? { now } : {}) }) };
  },
};

afterAll(async () => {
  for (const dir of sqliteBackend.dirs) rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

describe("audit trail on SQLite", () => suite(sqliteBackend));

describe.skipIf(postgresMode() === "skip")("audit trail on PostgreSQL", () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  suite(postgresBackend);
});

class Collect extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString("utf8");
    done();
  }
}

async function exported(store: AuditStore, options: Parameters<typeof exportAudit>[1] = { format: "jsonl" }): Promise<Record<string, unknown>[]> {
  const out = new Collect();
  await exportAudit(store, options, out);
  return out.text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function suite(backend: Backend) {
  let store: AuditStore;
  const withStore = async (now?: () => Date) => {
    const db = await backend.fresh();
    store = await db.open(now);
    return db;
  };
  const closeStore = async () => store?.close();

  it("writes a record that reads back whole, chained from the genesis hash, and verifies", async () => {
    await withStore();
    try {
      const input = record({ checkRunId: 5_000_000_001 });
      const result = await store.append(input);
      expect(result).toMatchObject({ status: "inserted", seq: 1 });
      const [line] = await exported(store);
      expect(line).toMatchObject({ repository: "acme/widgets", check_run_id: 5_000_000_001, seq: 1, prev_hash: "0".repeat(64) });
      // The export is enough to recompute the hash: drop id and the hashes, canonicalise, hash.
      const { id, prev_hash, hash, ...content } = line!;
      expect(id).toBe((result as { id: number }).id);
      expect(chainHash(canonicalJson(content as CanonicalValue), prev_hash as string)).toBe(hash);
      expect(await verifyAuditTrail(store)).toMatchObject({ ok: true, records: 1 });
    } finally {
      await closeStore();
    }
  });

  it("writes once per check run: a redelivery, a retried job or a racing replica is a no-op", async () => {
    await withStore();
    try {
      const first = record({ checkRunId: 77 });
      expect((await store.append(first)).status).toBe("inserted");
      expect(await store.append(record({ checkRunId: 77 }))).toMatchObject({ status: "duplicate" });
      // The same check run from ten concurrent writers, and another repository's run 77 (its own key).
      const raced = await Promise.all([...Array.from({ length: 10 }, () => store.append(record({ checkRunId: 78 }))), store.append(record({ repo: "acme/other", checkRunId: 77 }))]);
      expect(raced.filter((r) => r.status === "inserted")).toHaveLength(2);
      // Within one batch too.
      const batch = await store.appendMany([record({ checkRunId: 79 }), record({ checkRunId: 79 })]);
      expect(batch.map((r) => r.status)).toEqual(["inserted", "duplicate"]);
      const verification = await verifyAuditTrail(store);
      expect(verification).toMatchObject({ ok: true, records: 4 });
      expect(verification.chains.map((c) => [c.repository, c.lastSeq])).toEqual([
        ["acme/other", 1],
        ["acme/widgets", 3],
      ]);
    } finally {
      await closeStore();
    }
  });

  it("keeps one unbroken chain per repository under concurrent appends (names in any case)", async () => {
    await withStore();
    try {
      const repos = ["Acme/Widgets", "acme/widgets", "acme/gadgets"];
      await Promise.all(Array.from({ length: 60 }, (_, i) => store.append(record({ repo: repos[i % 3], checkRunId: 10_000 + i }))));
      const verification = await verifyAuditTrail(store);
      expect(verification.ok).toBe(true);
      expect(verification.chains.map((c) => [c.repository, c.records, c.lastSeq])).toEqual([
        ["acme/gadgets", 20, 20],
        ["acme/widgets", 40, 40],
      ]);
      expect((await verifyAuditTrail(store, { repo: "ACME/gadgets" })).records).toBe(20);
    } finally {
      await closeStore();
    }
  });

  describe("verify finds the first broken link", () => {
    const seed = async () => {
      await withStore();
      for (let i = 1; i <= 5; i++) await store.append(record({ checkRunId: 100 + i }));
      await store.append(record({ repo: "acme/untouched", checkRunId: 1 }));
      return store.db.selectFrom("audit_records").select(["id", "seq", "content", "prev_hash"]).where("repo_key", "=", "acme/widgets").orderBy("seq").execute();
    };
    const brokenIn = async () => {
      const v = await verifyAuditTrail(store);
      expect(v.ok).toBe(false);
      expect(v.breaks.map((b) => b.repository)).toEqual(["acme/widgets"]);
      return v.breaks[0]!;
    };

    it("an edited record", async () => {
      const rows = await seed();
      try {
        const edited = rows[2]!.content.replace('"conclusion":"fail"', '"conclusion":"pass"');
        expect(edited).not.toBe(rows[2]!.content);
        await store.db.updateTable("audit_records").set({ content: edited }).where("id", "=", rows[2]!.id).execute();
        expect(await brokenIn()).toMatchObject({ problem: "edited", recordId: rows[2]!.id, seq: 3 });
        expect(await verifyAuditTrail(store, { repo: "acme/untouched" })).toMatchObject({ ok: true });
      } finally {
        await closeStore();
      }
    });

    it("an edited record whose hash was recomputed: the next link breaks", async () => {
      const rows = await seed();
      try {
        const edited = rows[1]!.content.replace('"title":"1 findings"', '"title":"0 findings"');
        await store.db
          .updateTable("audit_records")
          .set({ content: edited, hash: chainHash(edited, rows[1]!.prev_hash) })
          .where("id", "=", rows[1]!.id)
          .execute();
        expect(await brokenIn()).toMatchObject({ problem: "link-broken", recordId: rows[2]!.id });
      } finally {
        await closeStore();
      }
    });

    it("a column that no longer matches the hashed content", async () => {
      const rows = await seed();
      try {
        await store.db.updateTable("audit_records").set({ conclusion: "success" }).where("id", "=", rows[0]!.id).execute();
        const found = await brokenIn();
        expect(found).toMatchObject({ problem: "edited", recordId: rows[0]!.id });
        expect(found.message).toContain("conclusion");
      } finally {
        await closeStore();
      }
    });

    it("a deleted record, and deleted last records", async () => {
      const rows = await seed();
      try {
        await store.db.deleteFrom("audit_records").where("id", "=", rows[1]!.id).execute();
        expect(await brokenIn()).toMatchObject({ problem: "missing", recordId: rows[2]!.id });
        await store.db.deleteFrom("audit_records").where("id", "in", [rows[1]!.id, rows[2]!.id, rows[3]!.id, rows[4]!.id]).execute();
        expect(await brokenIn()).toMatchObject({ problem: "tail-missing", recordId: null, seq: 5 });
      } finally {
        await closeStore();
      }
    });

    it("reordered records", async () => {
      const rows = await seed();
      try {
        // Swap the chain positions of records 2 and 3 (through a free seq, the pair is unique).
        await store.db.updateTable("audit_records").set({ seq: 1000 }).where("id", "=", rows[1]!.id).execute();
        await store.db.updateTable("audit_records").set({ seq: 2 }).where("id", "=", rows[2]!.id).execute();
        await store.db.updateTable("audit_records").set({ seq: 3 }).where("id", "=", rows[1]!.id).execute();
        expect(await brokenIn()).toMatchObject({ problem: "link-broken", recordId: rows[2]!.id, seq: 2 });
      } finally {
        await closeStore();
      }
    });

    it("a deleted chain row", async () => {
      await seed();
      try {
        await store.db.deleteFrom("audit_chains").where("repo_key", "=", "acme/widgets").execute();
        expect(await brokenIn()).toMatchObject({ problem: "no-chain" });
      } finally {
        await closeStore();
      }
    });
  });

  describe("retention", () => {
    const DAY = 86_400_000;
    let clock = 0;
    const seedOverDays = async () => {
      clock = Date.parse("2026-01-01T00:00:00Z");
      await withStore(() => new Date(clock));
      for (let day = 0; day < 10; day++) {
        clock = Date.parse("2026-01-01T00:00:00Z") + day * DAY;
        await store.append(record({ checkRunId: 500 + day }));
        if (day < 3) await store.append(record({ repo: "acme/old", checkRunId: 900 + day }));
      }
      clock = Date.parse("2026-01-10T12:00:00Z");
    };

    it("deletes whole old prefixes and verify still passes; tampering after it still fails", async () => {
      await seedOverDays();
      try {
        const result = await applyRetention(store, { days: 4 });
        // Kept: created on or after Jan 6 12:00, i.e. days 6..9 of acme/widgets; acme/old entirely gone.
        expect(result.runs).toEqual([
          { repository: "acme/old", firstSeq: 1, lastSeq: 3, deleted: 3 },
          { repository: "acme/widgets", firstSeq: 1, lastSeq: 6, deleted: 6 },
        ]);
        expect(result.deleted).toBe(9);
        const verified = await verifyAuditTrail(store);
        expect(verified).toMatchObject({ ok: true, records: 4 });
        expect(verified.chains.find((c) => c.repository === "acme/widgets")).toMatchObject({ startSeq: 7, lastSeq: 10 });
        expect((await applyRetention(store, { days: 4 })).deleted).toBe(0);
        // The chain continues after retention.
        await store.append(record({ checkRunId: 600 }));
        await store.append(record({ repo: "acme/old", checkRunId: 601 }));
        expect(await verifyAuditTrail(store)).toMatchObject({ ok: true, records: 6 });

        const first = await store.db.selectFrom("audit_records").select("id").where("repo_key", "=", "acme/widgets").where("seq", "=", 7).executeTakeFirstOrThrow();
        await store.db.deleteFrom("audit_records").where("id", "=", first.id).execute();
        expect((await verifyAuditTrail(store)).breaks[0]).toMatchObject({ repository: "acme/widgets", problem: "missing" });
      } finally {
        await closeStore();
      }
    });

    it("a chain start moved without a retention run is reported", async () => {
      await seedOverDays();
      try {
        const second = await store.db.selectFrom("audit_records").select(["id", "prev_hash"]).where("repo_key", "=", "acme/old").where("seq", "=", 2).executeTakeFirstOrThrow();
        await store.db.deleteFrom("audit_records").where("repo_key", "=", "acme/old").where("seq", "=", 1).execute();
        await store.db.updateTable("audit_chains").set({ start_seq: 2, start_prev_hash: second.prev_hash }).where("repo_key", "=", "acme/old").execute();
        expect((await verifyAuditTrail(store)).breaks).toMatchObject([{ repository: "acme/old", problem: "start-moved" }]);
      } finally {
        await closeStore();
      }
    });

    it("keeps a tampered prefix instead of deleting the evidence; 0 days keeps everything", async () => {
      await seedOverDays();
      try {
        expect((await applyRetention(store, { days: 0 })).deleted).toBe(0);
        await store.db.updateTable("audit_records").set({ head_sha: "f".repeat(40) }).where("repo_key", "=", "acme/old").where("seq", "=", 2).execute();
        const result = await applyRetention(store, { days: 4 });
        expect(result.refused).toMatchObject([{ repository: "acme/old", problem: "edited" }]);
        expect(result.runs.map((r) => r.repository)).toEqual(["acme/widgets"]);
        const kept = await store.db.selectFrom("audit_records").select("seq").where("repo_key", "=", "acme/old").orderBy("seq").execute();
        expect(kept.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
      } finally {
        await closeStore();
      }
    });
  });

  describe("export", () => {
    it("pages by keyset through every record once, in time order, with repo and date filters", async () => {
      let clock = Date.parse("2026-03-01T00:00:00Z");
      await withStore(() => new Date(clock));
      try {
        for (let i = 0; i < 11; i++) {
          clock += 3_600_000;
          await store.append(record({ repo: i % 2 ? "acme/odd" : "acme/even", checkRunId: 2000 + i }));
        }
        // Two records in the same millisecond: the id breaks the tie.
        await store.appendMany([record({ checkRunId: 3000 }), record({ checkRunId: 3001 })]);
        const all = await exported(store, { format: "jsonl", pageSize: 3 });
        expect(all.map((r) => r.check_run_id)).toEqual([...Array.from({ length: 11 }, (_, i) => 2000 + i), 3000, 3001]);
        expect((await exported(store, { format: "jsonl", repo: "ACME/odd", pageSize: 2 })).map((r) => r.check_run_id)).toEqual([2001, 2003, 2005, 2007, 2009]);
        const window = await exported(store, { format: "jsonl", since: "2026-03-01T03:00:00Z", until: "2026-03-01T06:00:00.000Z" });
        expect(window.map((r) => r.check_run_id)).toEqual([2002, 2003, 2004]);
        expect(await exported(store, { format: "jsonl", since: "2026-03-02" })).toEqual([]);
      } finally {
        await closeStore();
      }
    });

    it("writes CSV one row per record, quoted, with formula cells defused", async () => {
      await withStore();
      try {
        const result = scanResult([finding({ path: '=HYPERLINK("http://x.invalid","a,b")' })]);
        await store.append(record({ checkRunId: 1, result }));
        const out = new Collect();
        expect(await exportAudit(store, { format: "csv" }, out)).toBe(1);
        const lines = out.text.split("\r\n");
        expect(lines[0]).toMatch(/^id,created_at,repository,/);
        expect(lines).toHaveLength(3);
        expect(lines[2]).toBe("");
        // The findings cell is JSON (starts with `[`), quoted because it holds quotes and commas.
        expect(lines[1]).toContain('"[{""check_id"":""secrets""');
        expect(lines[1]).toContain('=HYPERLINK(\\""http://x.invalid\\"",\\""a,b\\"")');
      } finally {
        await closeStore();
      }
    });

    it("names the record whose content is broken instead of crashing a CSV export", async () => {
      await withStore();
      try {
        const written = await store.append(record({ checkRunId: 1 }));
        await store.db.updateTable("audit_records").set({ content: "{not json" }).execute();
        await expect(exportAudit(store, { format: "csv" }, new Collect())).rejects.toThrow(`record ${(written as { id: number }).id}: its content is not JSON`);
      } finally {
        await closeStore();
      }
    });

    it("waits for a slow destination instead of buffering the whole export", async () => {
      await withStore();
      try {
        await store.appendMany(Array.from({ length: 300 }, (_, i) => record({ checkRunId: 1 + i })));
        let drains = 0;
        let bytes = 0;
        const slow = new Writable({
          highWaterMark: 1024,
          write(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            setTimeout(done, 1);
          },
        });
        slow.on("drain", () => drains++);
        expect(await exportAudit(store, { format: "jsonl", pageSize: 50 }, slow)).toBe(300);
        expect(drains).toBeGreaterThan(0);
        expect(bytes).toBeGreaterThan(300 * 500);
      } finally {
        await closeStore();
      }
    });
  });

  it("goes on writing while an export waits for a stalled reader", async () => {
    await withStore();
    try {
      await store.appendMany(Array.from({ length: 600 }, (_, i) => record({ checkRunId: 1 + i })));
      let release: (() => void) | undefined;
      const stalled = new Writable({
        highWaterMark: 1024,
        write(_chunk: Buffer, _enc, done) {
          if (release) done();
          else release = done;
        },
      });
      // One page larger than a write, so a write waits while the page would still be open.
      const exporting = exportAudit(store, { format: "jsonl", pageSize: 600 }, stalled);
      await expect.poll(() => release !== undefined).toBe(true);
      // The reader takes nothing more; a scan's record must still be written, and promptly.
      const started = performance.now();
      expect(await store.append(record({ checkRunId: 9999 }))).toMatchObject({ status: "inserted" });
      expect(performance.now() - started).toBeLessThan(2_000);
      release!();
      // A record committed during an export may or may not be in it (PostgreSQL reads a page ahead).
      expect(await exporting).toBeGreaterThanOrEqual(600);
    } finally {
      await closeStore();
    }
  });

  it("survives a restart: records kept, migrations run once, the chain goes on", async () => {
    const db = await withStore();
    await store.append(record({ checkRunId: 1 }));
    await store.close();
    store = await db.open();
    try {
      await store.append(record({ checkRunId: 2 }));
      expect(await verifyAuditTrail(store)).toMatchObject({ ok: true, records: 2 });
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(["0001_audit_trail"]);
    } finally {
      await closeStore();
    }
  });
}
