/**
 * Processes sharing one SQLite trail (one DATA_DIR: a host's webhook server, workers and sandboxed
 * processors; the load test's topology): several open a new file at the same moment and append.
 * Each must open it (journal mode and migrations once, the others waiting for the lock rather than
 * failing) and write every record, once, in chains that verify. Before open-store.ts retried
 * `journal_mode = WAL` and migrate.ts held the write lock across the migrations, most rounds of
 * this lost writers to "table "audit_records" already exists" or "database is locked", and with
 * them the records of the check runs they were opened for.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { verifyAuditTrail } from "../../../src/posture/audit/verify.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./append-from-child.ts", import.meta.url));
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const WRITERS = 6;
const RECORDS = 3;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  readonly writer: number;
  readonly statuses?: string[];
  readonly error?: string;
}

/** Starts the writers, lets them all go at once when every one is loaded, and collects what each said. */
async function round(dataDir: string): Promise<Outcome[]> {
  const children = Array.from({ length: WRITERS }, (_, i) =>
    spawn(process.execPath, ["--import", TSX, CHILD, dataDir, String(i + 1), String(RECORDS)], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const outputs = children.map(() => "");
  const ready = children.map(
    (child, i) =>
      new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          outputs[i] += chunk.toString("utf8");
          if (outputs[i]!.startsWith("ready\n")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`writer ${i + 1} exited with ${code} before it was ready: ${outputs[i]}`)));
      }),
  );
  const exited = children.map((child) => new Promise<void>((resolve) => child.once("exit", () => resolve())));
  await Promise.all(ready);
  for (const child of children) child.stdin.end("go\n");
  await Promise.all(exited);
  return outputs.map((out, i) => {
    const line = out.split("\n").find((l) => l.startsWith("{"));
    return line ? (JSON.parse(line) as Outcome) : { writer: i + 1, error: `no answer: ${out}` };
  });
}

describe("processes sharing one SQLite audit trail", () => {
  it("all open a new file at once and write every record once, in chains that verify", async () => {
    // Two rounds, each on a new file: the race is at the file's first open.
    for (let r = 0; r < 2; r++) {
      const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-audit-processes-"));
      dirs.push(dir);
      const dataDir = join(dir, "data");
      const outcomes = await round(dataDir);
      expect(outcomes.filter((o) => o.error)).toEqual([]);
      expect(outcomes.flatMap((o) => o.statuses ?? [])).toEqual(Array.from({ length: WRITERS * RECORDS }, () => "inserted"));

      const store = await openAuditStore({ dataDir, logger: silent, create: false });
      try {
        const verification = await verifyAuditTrail(store);
        expect(verification.ok).toBe(true);
        const even = WRITERS * Math.ceil(RECORDS / 2);
        expect(verification.chains.map((c) => [c.repository, c.records, c.lastSeq])).toEqual([
          ["acme/even", even, even],
          ["acme/odd", WRITERS * RECORDS - even, WRITERS * RECORDS - even],
        ]);
        const ids = await store.db.selectFrom("audit_records").select("check_run_id").execute();
        expect(new Set(ids.map((row) => Number(row.check_run_id))).size).toBe(WRITERS * RECORDS);
      } finally {
        await store.close();
      }
    }
  }, 120_000);
});
