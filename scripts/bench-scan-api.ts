/**
 * `npm run bench:scan-api`: the scanning API's target from issue 10, over real HTTP with a real
 * token, the built-in checks and SQLite. Prints:
 *   - 20 concurrent POSTs of 1 MB diffs (generated, secrets planted) with the default limits
 *     (concurrency = cores, queue = 2 x cores): how many were answered 200 at once and how many 503
 *     (queue full, with Retry-After), latencies p50/p95/max, the most scans running and waiting;
 *   - the same 20 from clients that retry after Retry-After: all answered 200, time to answer;
 *   - the same 20 with a queue large enough for all (SCAN_API_QUEUE=18 on 2 cores);
 *   - a 2 MB + 1 body, declared and chunked: refused with 413, and how much of it was read.
 * Options: --runs N (default 1), --size BYTES (default 1 MB), --clients N (default 20).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { builtinChecks } from "../src/checks/index.js";
import { base62Crc32Checksum } from "../src/checks/secrets/validators/github-token.js";
import { runTokensCommand } from "../src/cli/tokens-command.js";
import { openAuditStore } from "../src/posture/audit/open-store.js";
import { createScanApiHandler, type ScanApiHandler } from "../src/posture/api/scan-api-handler.js";
import { DEFAULT_MAX_BODY_BYTES, scanApiLimits, type ScanApiLimits } from "../src/posture/api/scan-api-env.js";
import { openApiTokenStore } from "../src/posture/api/token-store.js";
import { BASE62_ALPHABET } from "../src/checks/secrets/validators/base62.js";

const { values } = parseArgs({ options: { size: { type: "string" }, clients: { type: "string" } } });
const SIZE = Number(values.size ?? 1024 * 1024);
const CLIENTS = Number(values.clients ?? 20);

function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62_ALPHABET[bytes[i]! % 62];
  return out;
}

/** A diff of new source files, about `size` bytes, with a GitHub token planted every 20 files. */
function generatedDiff(size: number, seed: number): { diff: string; planted: string[] } {
  const parts: string[] = [];
  const planted: string[] = [];
  let bytes = 0;
  for (let file = 0; bytes < size; file++) {
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) lines.push(`export function handler${seed}_${file}_${i}(input: string): string { return input.trim() + "${i}"; }`);
    if (file % 20 === 0) {
      const body = randomBase62(30);
      const token = `ghp_${body}${base62Crc32Checksum(body)}`;
      planted.push(token);
      lines[60] = `const githubToken = "${token}";`;
    }
    const path = `src/generated/module-${seed}-${file}.ts`;
    const text = [`diff --git a/${path} b/${path}`, "new file mode 100644", "--- /dev/null", `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ""].join("\n");
    parts.push(text);
    bytes += text.length;
  }
  return { diff: parts.join(""), planted };
}

interface Answer {
  status: number;
  ms: number;
  retryAfter?: string;
  text: string;
}

function post(url: string, token: string, body: Buffer, options: { chunked?: boolean; declared?: number } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${token}` };
    if (!options.chunked) headers["content-length"] = String(options.declared ?? body.length);
    const req = request(`${url}/api/v1/scan`, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfter: res.headers["retry-after"], text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (!options.chunked) return void req.end(body);
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 64 * 1024);
        offset += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${percentile(sorted, 100).toFixed(0)} ms`;
}

interface Running {
  url: string;
  token: string;
  handler: ScanApiHandler;
  logs: string[];
  close(): Promise<void>;
}

async function start(limits: ScanApiLimits): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-api-"));
  const env = { DATA_DIR: join(dir, "data") };
  let out = "";
  const code = await runTokensCommand(["create", "--name", "bench", "--rate", "100000/min"], { stdout: { write: (c: string) => (out += c) }, stderr: { write: () => true }, env });
  if (code !== 0) throw new Error("tokens create failed");
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const store = await openAuditStore({ dataDir: env.DATA_DIR, logger: silent });
  const logs: string[] = [];
  const handler = createScanApiHandler({
    tokens: await openApiTokenStore(store),
    checks: builtinChecks,
    logger: pino({ level: "info" }, { write: (line: string) => void logs.push(line) }),
    limits,
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: out.trim(),
    handler,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function watch(handler: ScanApiHandler) {
  let running = 0;
  let held = 0;
  let rss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const stats = handler.stats();
    running = Math.max(running, stats.running);
    held = Math.max(held, stats.running + stats.waiting);
    rss = Math.max(rss, process.memoryUsage.rss());
  }, 5);
  return { stop: () => (clearInterval(timer), { running, held, rssMb: Math.round(rss / 1024 / 1024) }) };
}

async function burst(label: string, limits: ScanApiLimits, bodies: Buffer[], planted: string[][], retry: boolean): Promise<void> {
  const api = await start(limits);
  try {
    const watcher = watch(api.handler);
    const started = performance.now();
    let refusals = 0;
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const first = performance.now();
        for (;;) {
          const answer = await post(api.url, api.token, body);
          if (answer.status !== 503 || !retry) return { ...answer, total: performance.now() - first };
          refusals++;
          await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter ?? "1") * 1000));
        }
      }),
    );
    const wall = performance.now() - started;
    const peak = watcher.stop();
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const ok = answers.filter((a) => a.status === 200);
    let findings = 0;
    let leaked = 0;
    ok.forEach((a, i) => {
      const report = JSON.parse(a.text) as { findings: { ruleId: string }[] };
      findings += report.findings.filter((f) => f.ruleId === "secrets/github-classic-pat").length;
      for (const secret of planted[answers.indexOf(a)] ?? planted[i]!) if (a.text.includes(secret)) leaked++;
    });
    const expected = ok.reduce((n, a) => n + planted[answers.indexOf(a)]!.length, 0);
    const statuses = [...byStatus].map(([s, n]) => `${n} x ${s}`).join(", ");
    console.log(`\n${label} (concurrency ${limits.concurrency}, queue ${limits.queue})`);
    console.log(`  answered: ${answers.length}/${bodies.length} (${statuses})${retry ? `; 503s retried after Retry-After: ${refusals}` : ""}; wall ${(wall / 1000).toFixed(1)} s`);
    console.log(`  latency of 200s${retry ? " (first try to answer, retries included)" : ""}: ${summary(ok.map((a) => (retry ? a.total : a.ms)))}`);
    const refused = answers.filter((a) => a.status === 503);
    if (refused.length) console.log(`  503 answered in: ${summary(refused.map((a) => a.ms))}; Retry-After ${[...new Set(refused.map((a) => a.retryAfter))].join(", ")} s`);
    console.log(`  most scans running at once: ${peak.running} (limit ${limits.concurrency}); most places held: ${peak.held} (limit ${limits.concurrency + limits.queue}); peak RSS ${peak.rssMb} MB`);
    console.log(`  planted secrets found: ${findings}/${expected}; secret values in answers: ${leaked}`);
  } finally {
    await api.close();
  }
}

async function overLimit(): Promise<void> {
  const limits = scanApiLimits();
  const api = await start(limits);
  try {
    const body = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1, 0x20);
    body.write('{"diff":"', 0);
    const declared = await post(api.url, api.token, body);
    const chunked = await post(api.url, api.token, body, { chunked: true });
    const read = api.logs.map((l) => JSON.parse(l) as { msg: string; status?: number; bytes?: number }).filter((l) => l.msg === "scan API request" && l.status === 413);
    console.log(`\nover-limit body (${body.length} bytes = 2 MB + 1; limit ${limits.maxBodyBytes})`);
    console.log(`  with Content-Length: ${declared.status} in ${declared.ms.toFixed(0)} ms, body bytes read by the handler: 0 (declared ${read[0]?.bytes})`);
    console.log(`  chunked (no length): ${chunked.status} in ${chunked.ms.toFixed(0)} ms, body bytes read by the handler before it stopped: ${read[1]?.bytes} (limit + the chunk that crossed it)`);
  } finally {
    await api.close();
  }
}

async function main(): Promise<void> {
  console.log(`scan API bench: ${CLIENTS} clients, ${(SIZE / 1024 / 1024).toFixed(1)} MB diffs, ${availableParallelism()} cores, Node ${process.version}`);
  const generated = Array.from({ length: CLIENTS }, (_, i) => generatedDiff(SIZE, i));
  const bodies = generated.map((g) => Buffer.from(JSON.stringify({ diff: g.diff })));
  const planted = generated.map((g) => g.planted);
  console.log(`bodies: ${(bodies[0]!.length / 1024 / 1024).toFixed(2)} MB each, ${planted[0]!.length} secrets planted in each`);
  const defaults = scanApiLimits();
  await burst("20 at once, default limits, no retries", defaults, bodies, planted, false);
  await burst("20 at once, default limits, clients retry after Retry-After", defaults, bodies, planted, true);
  await burst("20 at once, a queue for all of them", { ...defaults, queue: Math.max(0, CLIENTS - defaults.concurrency) }, bodies, planted, false);
  await overLimit();
}

await main();
