/**
 * The export's bytes, pinned: the same output whatever the page size (a page boundary must not add,
 * drop, reorder or re-encode a byte), JSONL equal to each record's JSON with `id`, `prev_hash` and
 * `hash` first, every chunk handed to the sink whole records of valid UTF-8. Run against SQLite and
 * PostgreSQL (a private server for this file), with text that is not ASCII and hashes that are not hex.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, chainHash, type CanonicalValue } from "../../../src/posture/audit/canonical-json.js";
import { exportAudit, type AuditExportOptions } from "../../../src/posture/audit/export.js";
import { openAuditStore, type AuditStore } from "../../../src/posture/audit/open-store.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";
import { finding, record, scanResult } from "./fixtures.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const RECORDS = 23;
/** Paths from pull requests: hostile, and not ASCII. */
const PATHS = ["src/café/naïve.ts", "docs/中文/说明.md", "emoji/😀-🚀.txt", 'q"uote\\back\\slash.ts', "=HYPERLINK(1),a.csv", "tab\there.ts"];

/** What a sink was given: the chunks as they came, and their bytes. */
class Recorder {
  readonly chunks: Buffer[] = [];
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function exportBytes(store: AuditStore, options: AuditExportOptions): Promise<{ bytes: Buffer; chunks: Buffer[]; count: number }> {
  const sink = new Recorder();
  const count = await exportAudit(store, options, sink);
  return { bytes: sink.bytes(), chunks: sink.chunks, count };
}

let server: PostgresServer | undefined;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

describe("export bytes on SQLite", () =>
  suite(async (now) => {
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-export-"));
    dirs.push(dir);
    return openAuditStore({ dataDir: dir, logger: silent, now });
  }));

describe.skipIf(postgresMode() === "skip")("export bytes on PostgreSQL", () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  suite(async (now) => {
    if (!server) throw new Error("the PostgreSQL server did not start (see the error in beforeAll)");
    return openAuditStore({ databaseUrl: await server.createDatabase(), logger: silent, now });
  });
});

function suite(open: (now: () => Date) => Promise<AuditStore>) {
  let store: AuditStore;
  /** One record's hashes edited to hold what JSON must escape; its id. */
  let tampered: number;

  beforeAll(async () => {
    let clock = Date.parse("2026-05-01T00:00:00Z");
    store = await open(() => new Date(clock));
    for (let i = 0; i < RECORDS; i++) {
      // Every third record shares the previous one's millisecond: the id orders them.
      if (i % 3 !== 2) clock += 1_000;
      const result = scanResult([finding({ path: PATHS[i % PATHS.length]!, startLine: i + 1 }), finding({ path: `plain/${i}.ts` })]);
      await store.append(record({ repo: i % 2 ? "acme/odd" : "acme/even", checkRunId: 7000 + i, result }));
    }
    const victim = await store.db.selectFrom("audit_records").select("id").orderBy("id").offset(5).limit(1).executeTakeFirstOrThrow();
    tampered = Number(victim.id);
    await store.db.updateTable("audit_records").set({ hash: 'ab"\\\n\u0001é😀', prev_hash: "\u2028x" }).where("id", "=", tampered).execute();
  }, 60_000);

  afterAll(async () => store?.close());

  /** The reference: each stored record, in (created_at, id) order, as JSON with id and hashes first. */
  async function expectedJsonl(): Promise<string> {
    const rows = await store.db.selectFrom("audit_records").select(["id", "prev_hash", "hash", "content"]).orderBy("created_at").orderBy("id").execute();
    expect(rows).toHaveLength(RECORDS);
    return rows.map((r) => `${JSON.stringify({ id: Number(r.id), prev_hash: r.prev_hash, hash: r.hash, ...(JSON.parse(r.content) as object) })}\n`).join("");
  }

  it("writes JSONL equal to the records' JSON, the same bytes at every page size", async () => {
    const expected = Buffer.from(await expectedJsonl(), "utf8");
    for (const pageSize of [1, 2, 3, 7, RECORDS - 1, RECORDS, RECORDS + 1, undefined]) {
      const { bytes, count } = await exportBytes(store, { format: "jsonl", ...(pageSize ? { pageSize } : {}) });
      expect(count, `pageSize ${pageSize}`).toBe(RECORDS);
      expect(bytes.equals(expected), `pageSize ${pageSize}`).toBe(true);
    }
  });

  it("writes lines that verify, and the tampered one as valid JSON with its hashes escaped", async () => {
    const { bytes } = await exportBytes(store, { format: "jsonl", pageSize: 4 });
    const lines = bytes.toString("utf8").split("\n");
    expect(lines.pop()).toBe("");
    let verified = 0;
    for (const line of lines) {
      const { id, prev_hash, hash, ...content } = JSON.parse(line) as Record<string, unknown>;
      if (id === tampered) {
        expect({ prev_hash, hash }).toEqual({ prev_hash: "\u2028x", hash: 'ab"\\\n\u0001é😀' });
        continue;
      }
      expect(chainHash(canonicalJson(content as CanonicalValue), prev_hash as string)).toBe(hash);
      verified++;
    }
    expect(verified).toBe(RECORDS - 1);
    // The paths came through as written, not as replacement characters.
    for (const path of PATHS) expect(bytes.includes(Buffer.from(JSON.stringify(path).slice(1, -1)))).toBe(true);
  });

  it("hands the sink chunks of whole lines, each valid UTF-8 on its own", async () => {
    const { chunks } = await exportBytes(store, { format: "jsonl", pageSize: 5 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.at(-1)).toBe(0x0a);
      expect(Buffer.from(chunk.toString("utf8"), "utf8").equals(chunk)).toBe(true);
    }
  });

  it("writes the same CSV at every page size: one header, one row per record", async () => {
    const whole = await exportBytes(store, { format: "csv" });
    expect(whole.count).toBe(RECORDS);
    const text = whole.bytes.toString("utf8");
    expect(text.startsWith("id,created_at,repository,")).toBe(true);
    expect(text.match(/^id,created_at,/gm)).toHaveLength(1);
    expect(text).toContain('""path"":""docs/中文/说明.md""');
    for (const pageSize of [1, 4, RECORDS]) {
      expect((await exportBytes(store, { format: "csv", pageSize })).bytes.equals(whole.bytes), `pageSize ${pageSize}`).toBe(true);
    }
  });

  it("pages a repository's records and a time window the same way", async () => {
    const options = { format: "jsonl", repo: "acme/odd", since: "2026-05-01T00:00:03Z", until: "2026-05-01T00:00:12Z" } as const;
    const whole = await exportBytes(store, options);
    const ids = whole.bytes
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { check_run_id: number }).check_run_id);
    expect(ids.length).toBeGreaterThan(2);
    expect(ids.every((id) => id % 2 === 1)).toBe(true);
    for (const pageSize of [1, 2]) expect((await exportBytes(store, { ...options, pageSize })).bytes.equals(whole.bytes)).toBe(true);
  });

  it("writes nothing but the CSV header for an empty range", async () => {
    expect((await exportBytes(store, { format: "jsonl", since: "2027-01-01" })).bytes.length).toBe(0);
    expect((await exportBytes(store, { format: "csv", since: "2027-01-01" })).bytes.toString("utf8")).toMatch(/^id,created_at,[^\n]*hash\r\n$/);
  });
}
