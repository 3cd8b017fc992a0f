/**
 * `npm run bench:posture [-- --records 1000000] [-- --only sqlite|postgres] [-- --database-url URL] [-- --csv] [-- --verify]`:
 * the audit trail against issue 10's target: 1,000,000 records exported as JSONL at ≥ 50,000
 * records/s with flat memory, on SQLite and on PostgreSQL. Iterate with `--records 100000`.
 *
 * 1. Insert: records built by the real builder (3 findings each, ~1.6 KB of content), written
 *    through `appendMany` in batches of 5,000 per repository over 50 repositories: the batch path
 *    (one transaction and chain lock per batch), not one transaction per record as the app writes.
 * 2. Export: `exportAudit` as JSONL to /dev/null; records/s, and the process's RSS sampled every
 *    50 ms: at the start, the peak, and the peak's growth over the start (flat memory = a few MB,
 *    not growing with the record count). Records per CPU second too, because the machine may be
 *    shared: this process's CPU time and, on PostgreSQL, the database server's (its backends for
 *    this database, read from /proc: a local server only), since there the server does part of
 *    the work. The load average (1, 5 and 15 minutes) at the start and the end of each export.
 * 3. With --csv: the same export as CSV (no target: JSONL is the format to verify).
 * 4. With --verify: `verifyAuditTrail` over everything (records/s).
 * PostgreSQL is a private server started for the run (test/helpers/postgres-server.ts: fsync off,
 * so inserts are faster than on a durable server; reads are not affected), unless --database-url.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { sql } from "kysely";
import type { Finding, ScanResult } from "../src/core/types.js";
import { exportAudit, type AuditExportFormat } from "../src/posture/audit/export.js";
import { openAuditStore, type AuditStore } from "../src/posture/audit/open-store.js";
import { auditRecordFromScan, configHash } from "../src/posture/audit/record-from-scan.js";
import type { AuditRecordInput } from "../src/posture/audit/record.js";
import { verifyAuditTrail } from "../src/posture/audit/verify.js";
import { startPostgresServer, type PostgresServer } from "../test/helpers/postgres-server.js";
import { flag, option, printRows, row, section, step, verdict } from "./bench/report.js";

const RECORDS = option("records", 1_000_000);
const REPOSITORIES = 50;
const BATCH = 5_000;
const TARGET_PER_SECOND = 50_000;
const args = process.argv.slice(2);
const only = args[args.indexOf("--only") + 1];
const urlArg = args.includes("--database-url") ? args[args.indexOf("--database-url") + 1] : undefined;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function template(): AuditRecordInput {
  const findings: Finding[] = ["secrets/github-classic-pat", "dependencies/known-vulnerability", "policy/workflow-unpinned-action"].map((ruleId, i) => ({
    checkId: ruleId.split("/")[0]!,
    ruleId,
    severity: (["critical", "high", "medium"] as const)[i]!,
    confidence: "high",
    path: `services/api/src/module-${i}/file-${i}.ts`,
    startLine: 10 + i,
    endLine: 10 + i,
    message: "",
    helpUrl: "",
    fingerprint: `${i}`.repeat(64),
    commentable: true,
  }));
  const result: ScanResult = {
    findings,
    outcomes: ["secrets", "dependencies", "policy"].map((checkId) => ({ checkId, status: "ok", warnings: [], durationMs: 40, findingCount: 1 })),
    suppressed: { ignoredPaths: 1, inline: 0, allowlist: 0, baseline: 0 },
    expiredAllowlist: [],
    verdict: { conclusion: "fail", failOn: "high", onError: "neutral", counts: { critical: 1, high: 1, medium: 1, low: 0, info: 0 }, title: "1 critical, 1 high, 1 medium: fails on high", reasons: ["2 findings at or above high"] },
    stats: { files: 12, addedLines: 340, durationMs: 120, distinctFindings: 3 },
    rules: [],
    notes: [],
  };
  return auditRecordFromScan({
    job: { target: { kind: "pull_request", owner: "acme", repo: "service-00", pullNumber: 1, headSha: "a".repeat(40), baseSha: "b".repeat(40) }, event: "pull_request.synchronize", installationId: 12345678, deliveryId: "5f1c0a3e-8b2d-11ee-9f4e-0242ac120002" },
    result,
    checkRunId: 1,
    configInfo: { hash: configHash({ fail_on: "high" }), source: { kind: "repository", path: ".github/pr-sentinel.yml", ref: "main" } },
    timings: { queuedAt: 1_764_000_000_000, startedAt: 1_764_000_000_800, finishedAt: 1_764_000_004_200 },
    appVersion: "0.1.0",
  });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function insert(store: AuditStore): Promise<void> {
  const base = template();
  const started = performance.now();
  let written = 0;
  for (let batchStart = 0; batchStart < RECORDS; batchStart += BATCH) {
    const repo = `service-${String((batchStart / BATCH) % REPOSITORIES).padStart(2, "0")}`;
    const batch: AuditRecordInput[] = [];
    for (let i = batchStart; i < Math.min(RECORDS, batchStart + BATCH); i++) {
      const hex = i.toString(16).padStart(40, "0");
      batch.push({ ...base, repository: `acme/${repo}`, check_run_id: 10_000_000_000 + i, subject: { kind: "pull_request", pull_request: 1 + (i % 5000) }, head_sha: hex });
    }
    await store.appendMany(batch);
    written += batch.length;
  }
  const seconds = (performance.now() - started) / 1000;
  row("insert (batch path, 5,000 per transaction)", `${written.toLocaleString("en")} records in ${seconds.toFixed(1)} s: ${Math.round(written / seconds).toLocaleString("en")} records/s`);
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

/** Linux's USER_HZ: /proc times are in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds used so far by the PostgreSQL backends serving this database, or undefined when they
 * are not on this machine (a remote DATABASE_URL) or not readable.
 */
async function serverCpuSeconds(store: AuditStore): Promise<number | undefined> {
  if (store.dialect !== "postgres") return 0;
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(store.db);
  let total = 0;
  for (const { pid } of rows) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      return undefined;
    }
    // `pid (command) state …`: a process here with that pid but another name is not the server's.
    const [command, rest] = stat.slice(stat.indexOf("(") + 1).split(") ");
    if (command !== "postgres" || rest === undefined) return undefined;
    // After the command: utime and stime are the 12th and 13th fields.
    const fields = rest.split(" ");
    total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }
  return total;
}

async function exportAll(store: AuditStore, format: AuditExportFormat): Promise<void> {
  global.gc?.();
  if (flag("memory")) console.log("before export", Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)])));
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const loadBefore = load();
  const serverBefore = await serverCpuSeconds(store);
  const out = createWriteStream("/dev/null");
  const cpu = process.cpuUsage();
  const started = performance.now();
  const count = await exportAudit(store, { format }, out);
  out.end();
  await finished(out);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const serverAfter = await serverCpuSeconds(store);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const rate = count / seconds;
  const name = format.toUpperCase();
  const target = format === "jsonl" ? `(target ≥ ${TARGET_PER_SECOND.toLocaleString("en")}): ${verdict(rate >= TARGET_PER_SECOND && count === RECORDS)}` : "(no target)";
  row(`export ${name} to /dev/null`, `${count.toLocaleString("en")} records in ${seconds.toFixed(1)} s: ${Math.round(rate).toLocaleString("en")} records/s ${target}`);
  row(`${name} CPU time (this process)`, `${cpuSeconds.toFixed(1)} s: ${Math.round(count / cpuSeconds).toLocaleString("en")} records per CPU second (the machine's other load left out)`);
  if (store.dialect === "postgres") {
    const server = serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore;
    row(
      `${name} CPU time (database server)`,
      server === undefined ? "not measured (the server is not on this machine)" : `${server.toFixed(1)} s; with this process ${Math.round(count / (cpuSeconds + server)).toLocaleString("en")} records per CPU second`,
    );
  }
  row(`RSS during ${name} export`, `start ${mb(startRss)}, peak ${mb(peak)}, growth ${mb(peak - startRss)}; load average ${loadBefore} at the start, ${load()} at the end`);
}

async function verifyAll(store: AuditStore): Promise<void> {
  const started = performance.now();
  const result = await verifyAuditTrail(store);
  const seconds = (performance.now() - started) / 1000;
  row("verify", `${result.records.toLocaleString("en")} records in ${seconds.toFixed(1)} s: ${Math.round(result.records / seconds).toLocaleString("en")} records/s, ${result.ok ? "intact" : "BROKEN"}`);
}

async function bench(name: string, open: () => Promise<AuditStore>): Promise<void> {
  section(`${name}: ${RECORDS.toLocaleString("en")} records over ${REPOSITORIES} repositories`);
  const store = await open();
  try {
    await step("insert", 3600, () => insert(store));
    await step("export", 3600, () => exportAll(store, "jsonl"));
    if (flag("csv")) await step("export CSV", 3600, () => exportAll(store, "csv"));
    if (flag("verify")) await step("verify", 3600, () => verifyAll(store));
  } finally {
    await store.close();
  }
  printRows();
}

console.log(`pr-sentinel bench:posture — Node ${process.version}, ${RECORDS.toLocaleString("en")} records, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start`);
if (only !== "postgres") {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-audit-"));
  try {
    await bench("SQLite (WAL, synchronous=FULL)", () => openAuditStore({ dataDir: dir, logger: silent }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (only !== "sqlite") {
  let server: PostgresServer | undefined;
  try {
    const url = urlArg ?? (await (server = await startPostgresServer()).createDatabase("bench"));
    await bench(urlArg ? "PostgreSQL (DATABASE_URL)" : "PostgreSQL (private server, fsync off)", () => openAuditStore({ databaseUrl: url, logger: silent }));
  } finally {
    await server?.stop();
  }
}
