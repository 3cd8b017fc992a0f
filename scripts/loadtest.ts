/**
 * `npm run loadtest`: 2,000 `pull_request` deliveries at 100 per second across 200 pull requests in
 * 20 installations, against 2 webhook replicas and 3 queue workers (real processes, sandboxed
 * processors), a real redis-server and the fake GitHub, all on loopback. Prints acknowledgement
 * rate and latency, webhook-to-verdict latency of each pull request's last head, GitHub writes per
 * pull request, per scanned head and per second per installation, peak RSS of every process, and
 * whether every pull request got exactly one correct final verdict. Then, with every process
 * stopped, the audit trail they all wrote: one record per completed check run, none missing or
 * twice, every chain intact. Bounded: it stops after `LOADTEST_TIMEOUT_SECONDS` (default 300)
 * whatever happened.
 *
 * LOADTEST_DATABASE=postgres records into a private PostgreSQL cluster instead of the shared SQLite
 * file. LOADTEST_INSTALLATIONS, LOADTEST_PULLS and LOADTEST_PUSHES shrink the run while iterating
 * (the figures of the scale-out issue are the defaults: 20, 10 and 10).
 */
import { auditDatabaseKind, describeAuditDatabase, startAuditDatabase } from "./scale/audit-database.js";
import { auditLines, reckonAuditTrail } from "./scale/audit-reckoning.js";
import { mib, percentile, planPullRequests, reckon, sendAtRate, waitForQuiet } from "./scale/scenario.js";
import { startTopology, WEBHOOK_SECRET } from "./scale/topology.js";

const DELIVERIES_PER_SECOND = 100;
const INSTALLATIONS = positive("LOADTEST_INSTALLATIONS", 20);
const PULLS_PER_INSTALLATION = positive("LOADTEST_PULLS", 10);
const PUSHES = positive("LOADTEST_PUSHES", 10);
const TIMEOUT_MS = Number(process.env.LOADTEST_TIMEOUT_SECONDS ?? 300) * 1000;

async function main(): Promise<void> {
  const workerNice = Number(process.env.LOADTEST_WORKER_NICE ?? 10);
  const database = await startAuditDatabase(auditDatabaseKind(process.env.LOADTEST_DATABASE, "LOADTEST_DATABASE"));
  const topology = await startTopology({
    webReplicas: 2,
    workers: 3,
    workerConcurrency: Number(process.env.LOADTEST_WORKER_CONCURRENCY ?? 4),
    latencyMs: 5,
    workerNice,
    ...(database.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
  }).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  const { fake } = topology;
  try {
    const { pulls, deliveries } = planPullRequests(fake, { installations: INSTALLATIONS, pullsPerInstallation: PULLS_PER_INSTALLATION, pushes: PUSHES });
    await warmUp(topology);
    // Push after push: every pull request's k-th head goes out before any (k+1)-th, in shuffled order.
    const order = deliveries.flatMap((round) => shuffle(round));
    console.log(`load: ${order.length} deliveries at ${DELIVERIES_PER_SECOND}/s, ${pulls.length} pull requests in ${INSTALLATIONS} installations; 2 webhook replicas, 3 workers x ${process.env.LOADTEST_WORKER_CONCURRENCY ?? 4} sandboxed processors at nice ${workerNice} (one 2-core machine for all; LOADTEST_WORKER_NICE=0 to share the CPU equally)`);
    const started = Date.now();
    const sent = await sendAtRate(order, DELIVERIES_PER_SECOND, topology.webhookUrl, WEBHOOK_SECRET);
    const sentDone = Date.now();
    const finalHeads = pulls.map((p) => p.heads.at(-1)!);
    const deadline = started + TIMEOUT_MS;
    while (Date.now() < deadline) {
      const done = finalHeads.every((h) => fake.state.checkRunsFor(h).some((r) => r.status === "completed"));
      if (done) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Let trailing writes (reviews, summary comments) land before counting.
    await waitForQuiet(fake, 3_000, deadline);
    const finished = Date.now();

    const ackMs = sent.map((s) => s.answeredAt - s.sentAt);
    const accepted = sent.filter((s) => s.status >= 200 && s.status < 300).length;
    const r = reckon(fake, pulls, sent);
    if (process.env.LOADTEST_DEBUG) {
      const bySecond = new Map<number, number[]>();
      for (const s of sent) {
        const k = Math.floor((s.sentAt - started) / 1000);
        bySecond.set(k, [...(bySecond.get(k) ?? []), s.answeredAt - s.sentAt]);
      }
      for (const [k, v] of bySecond) console.log(`  second ${k}: ack p50 ${percentile(v, 50).toFixed(1)} p95 ${percentile(v, 95).toFixed(1)} max ${Math.max(...v).toFixed(1)}`);
    }
    console.log(`\nacknowledged: ${accepted}/${sent.length} (${(accepted / ((sentDone - started) / 1000)).toFixed(1)}/s over ${((sentDone - started) / 1000).toFixed(1)} s)`);
    console.log(`ack latency: p50 ${percentile(ackMs, 50)} ms, p95 ${percentile(ackMs, 95)} ms, p99 ${percentile(ackMs, 99)} ms (target p95 < 50 ms) ${mark(percentile(ackMs, 95) < 50)}`);
    const v = r.verdictLatencies;
    console.log(`webhook-to-verdict, last head of each pull request: p50 ${(percentile(v, 50) / 1000).toFixed(1)} s, p95 ${(percentile(v, 95) / 1000).toFixed(1)} s, max ${(Math.max(...v) / 1000).toFixed(1)} s (target p95 < 60 s) ${mark(percentile(v, 95) < 60_000)}`);
    const perHead = r.writesPerScannedHead;
    console.log(`GitHub writes: ${r.writesPerPull.reduce((a, b) => a + b, 0)} in all; per pull request p50 ${percentile(r.writesPerPull, 50)}, max ${Math.max(...r.writesPerPull)}`);
    console.log(`  per scanned head: max ${Math.max(...perHead)} (target <= 4) ${mark(Math.max(...perHead) <= 4)}; ${perHead.length} heads scanned, ${r.headsWithoutWrites} of ${pulls.length * PUSHES} heads superseded before their scan started (0 writes)`);
    const peaks = [...r.peakWritesPerSecondByInstallation.values()];
    console.log(`  per second per installation: peak ${Math.max(...peaks)} (median installation peak ${percentile(peaks, 50)})`);
    console.log(`\npeak RSS:`);
    for (const m of [...topology.web, ...topology.workers]) {
      console.log(`  ${m.role.padEnd(9)} self ${mib(m.peakSelf)} (at start ${mib(m.startRss ?? 0)}), with sandboxed children ${mib(m.peakTree)}`);
    }
    const correct = r.lost.length === 0 && r.wrong.length === 0 && r.duplicateCheckRuns.length === 0 && r.duplicateReviews.length === 0 && r.duplicateSummaries.length === 0;
    console.log(`\nverdicts: ${pulls.length - r.lost.length - r.wrong.length}/${pulls.length} correct; lost ${r.lost.length}, wrong ${r.wrong.length}, duplicate check runs ${r.duplicateCheckRuns.length}, duplicate reviews ${r.duplicateReviews.length}, duplicate summaries ${r.duplicateSummaries.length} ${mark(correct)}`);
    for (const line of [...r.lost.map((k) => `lost: ${k}`), ...r.wrong, ...r.duplicateCheckRuns.map((k) => `duplicate check run: ${k}`)].slice(0, 10)) console.log(`  ${line}`);
    console.log(`total ${((finished - started) / 1000).toFixed(1)} s; GitHub requests ${fake.requests.length}; rejected by the fake ${fake.rejections().length}; logs in ${topology.logDir}`);

    // Every process stopped first: a record written after its check run completed is on disk by then.
    await topology.stop();
    const audit = await reckonAuditTrail(fake.state.checkRuns.values(), { dataDir: topology.auditDir, databaseUrl: topology.databaseUrl });
    for (const line of auditLines(audit, describeAuditDatabase(database))) console.log(line);
    process.exitCode = correct && audit.ok ? 0 : 1;
  } finally {
    await topology.stop();
    await database.stop();
  }
}

function positive(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Warm-up, not measured: one scan per sandboxed processor slot, in an installation of its own, so
 * that every child process exists and every code path has been compiled before the clock starts
 * (a worker that has run for a while is in this state; the first seconds after a cold start are
 * slower, see the closing note).
 */
async function warmUp(topology: Awaited<ReturnType<typeof startTopology>>): Promise<void> {
  const slots = topology.workers.length * Number(process.env.LOADTEST_WORKER_CONCURRENCY ?? 4);
  const { pulls, deliveries } = planPullRequests(topology.fake, { installations: 1, pullsPerInstallation: slots * 2, pushes: 1, ownerPrefix: "warm-up" });
  await sendAtRate(deliveries.flat(), 50, topology.webhookUrl, WEBHOOK_SECRET);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !pulls.every((p) => topology.fake.state.checkRunsFor(p.heads[0]!).some((r) => r.status === "completed"))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await waitForQuiet(topology.fake, 2_000, Date.now() + 30_000);
  topology.fake.requests.length = 0;
}

function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}


function mark(ok: boolean): string {
  return ok ? "ok" : "MISSED";
}

await main();
