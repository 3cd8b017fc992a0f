/**
 * `npm run faulttest`: the queue-mode layout (2 webhook replicas, 2 workers, a real redis-server,
 * the fake GitHub) under faults, all on loopback, bounded in count and time:
 *   - the fake GitHub answers 502s, secondary rate limits (403 with `retry-after`) and slow responses;
 *   - a worker is killed (SIGKILL, its sandboxed children with it) mid-scan, and replaced;
 *   - Redis restarts (append-only file kept);
 *   - a webhook replica restarts (SIGTERM, then started again);
 *   - deliveries that failed are sent again under the same id (an operator's redelivery), and after
 *     the run old deliveries are redelivered once more.
 * Reports lost verdicts, wrong verdicts, duplicate reviews, duplicate summaries and duplicate check
 * runs, which must all be zero, and that redeliveries wrote nothing. Then, with every process
 * stopped, the audit trail they wrote: one record per completed check run (a killed worker's job,
 * a retried job and a redelivery add none), none missing, every chain intact.
 * FAULTTEST_DATABASE=postgres records into a private PostgreSQL cluster instead of the shared SQLite file.
 */
import { auditDatabaseKind, describeAuditDatabase, startAuditDatabase } from "./scale/audit-database.js";
import { auditLines, reckonAuditTrail } from "./scale/audit-reckoning.js";
import { percentile, planPullRequests, reckon, sendAtRate, waitForQuiet, type SentDelivery } from "./scale/scenario.js";
import { startTopology, WEBHOOK_SECRET } from "./scale/topology.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sendWebhook } from "../test/helpers/fake-github/webhooks.js";

const TIMEOUT_MS = Number(process.env.FAULTTEST_TIMEOUT_SECONDS ?? 300) * 1000;

async function main(): Promise<void> {
  const database = await startAuditDatabase(auditDatabaseKind(process.env.FAULTTEST_DATABASE, "FAULTTEST_DATABASE"));
  const topology = await startTopology({
    webReplicas: 2,
    workers: 2,
    workerConcurrency: 3,
    latencyMs: 5,
    queueLockSeconds: 10,
    shutdownGraceSeconds: 5,
    workerNice: 10,
    ...(database.databaseUrl ? { databaseUrl: database.databaseUrl } : {}),
  }).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  const { fake } = topology;
  const faults = { errors502: 0, rateLimits: 0, slow: 0 };
  let random = 7;
  const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  try {
    const { pulls, deliveries } = planPullRequests(fake, { installations: 4, pullsPerInstallation: 10, pushes: 4 });
    const order = deliveries.flat();
    console.log(`faults: ${order.length} deliveries over ${pulls.length} pull requests in 4 installations; 2 webhook replicas, 2 workers x 3 sandboxed processors`);
    fake.setChaos((r) => {
      const roll = next();
      const write = r.method !== "GET";
      if (roll < 0.08) return (faults.errors502++, { status: 502, message: "Server Error" });
      if (write && roll < 0.14) {
        faults.rateLimits++;
        return { status: 403, headers: { "retry-after": "1" }, message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };
      }
      if (!write && roll > 0.95) return (faults.slow++, { delayMs: 1500 });
      return undefined;
    });

    const started = Date.now();
    const events: string[] = [];
    const at = (ms: number, what: string, act: () => Promise<unknown>) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          events.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
          act().then(() => resolve(), (error: unknown) => (events.push(`  failed: ${(error as Error).message}`), resolve()));
        }, ms),
      );
    const sending = sendAtRate(order, 10, topology.webhookUrl, WEBHOOK_SECRET, { resends: 8, resendDelayMs: 1500 });
    const script = Promise.all([
      at(3_000, "worker-1 killed (SIGKILL, with its children)", () => topology.killWorker(0)),
      at(4_000, "a replacement worker started", () => topology.addWorker()),
      at(7_000, "Redis restarted (1 s down)", () => topology.redis.restart(1_000)),
      at(10_000, "webhook replica web-1 restarted (SIGTERM, then started)", () => topology.restartWeb(0)),
    ]);
    const sent = await sending;
    await script;

    const finalHeads = pulls.map((p) => p.heads.at(-1)!);
    const deadline = started + TIMEOUT_MS;
    while (Date.now() < deadline && !finalHeads.every((h) => fake.state.checkRunsFor(h).some((r) => r.status === "completed"))) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    fake.setChaos(undefined);
    await waitForQuiet(fake, 4_000, deadline);

    // Old deliveries, redelivered after everything settled: nothing may change.
    const writesBefore = fake.requests.filter((r) => r.method !== "GET").length;
    const old = sent.filter((s) => s.planned.head < 2).slice(0, 40);
    await Promise.all(old.map((s, i) => sendWebhook(topology.webhookUrl(i), WEBHOOK_SECRET, "pull_request", s.planned.payload, s.planned.id).catch(() => undefined)));
    await waitForQuiet(fake, 3_000, Date.now() + 30_000);
    const writesFromRedeliveries = fake.requests.filter((r) => r.method !== "GET").length - writesBefore;

    const r = reckon(fake, pulls, sent);
    for (const e of events) console.log(e);
    console.log(`\ninjected: ${faults.errors502} GitHub 502s, ${faults.rateLimits} secondary rate limits (403, retry-after: 1), ${faults.slow} slow reads (1.5 s)`);
    const resent = sent.filter((s: SentDelivery) => s.resent > 0);
    console.log(`deliveries: ${sent.length} sent, ${resent.length} failed at first (replica or Redis down) and were redelivered under the same id; ${sent.filter((s) => s.status < 200 || s.status >= 300).length} never accepted`);
    // The processes' logs only: the log dir also holds the audit trail's folder.
    const stalled = readdirSync(topology.logDir)
      .filter((f) => f.endsWith(".log"))
      .flatMap((f) => readFileSync(join(topology.logDir, f), "utf8").split("\n"))
      .filter((line) => line.includes("job stalled")).length;
    console.log(`jobs of the killed worker taken over by another (BullMQ stalled-job check): ${stalled}`);
    const v = r.verdictLatencies;
    console.log(`webhook-to-verdict, last heads: p50 ${(percentile(v, 50) / 1000).toFixed(1)} s, max ${(Math.max(...v) / 1000).toFixed(1)} s`);
    console.log(`\nlost verdicts: ${r.lost.length}`);
    console.log(`wrong verdicts: ${r.wrong.length}`);
    console.log(`duplicate check runs: ${r.duplicateCheckRuns.length}`);
    console.log(`duplicate reviews: ${r.duplicateReviews.length}`);
    console.log(`duplicate summary comments: ${r.duplicateSummaries.length}`);
    console.log(`writes caused by ${old.length} old deliveries redelivered after the run: ${writesFromRedeliveries}`);
    for (const line of [...r.lost.map((k) => `lost: ${k}`), ...r.wrong, ...r.duplicateCheckRuns.map((k) => `duplicate check run: ${k}`), ...r.duplicateReviews.map((k) => `duplicate review: ${k}`)].slice(0, 20)) console.log(`  ${line}`);
    const total = ((Date.now() - started) / 1000).toFixed(1);
    // Every process stopped first: a record written after its check run completed is on disk by then.
    await topology.stop();
    const audit = await reckonAuditTrail(fake.state.checkRuns.values(), { dataDir: topology.auditDir, databaseUrl: topology.databaseUrl });
    for (const line of auditLines(audit, describeAuditDatabase(database))) console.log(line);
    const clean = r.lost.length + r.wrong.length + r.duplicateCheckRuns.length + r.duplicateReviews.length + r.duplicateSummaries.length + writesFromRedeliveries === 0 && audit.ok;
    console.log(`${clean ? "ok" : "FAILED"}: total ${total} s; logs in ${topology.logDir}`);
    process.exitCode = clean ? 0 : 1;
  } finally {
    await topology.stop();
    await database.stop();
  }
}


await main();
