/**
 * The pull requests of a load or fault test, their deliveries, and the reckoning afterwards. Every
 * pull request gets `pushes` heads, all committed to the fake up front; its last head decides the
 * expected verdict (a leaked key in one of four pull requests: failure, else success). Deliveries
 * are signed `pull_request` webhooks built from GitHub's example payloads, `updated_at` moving
 * forward with each push as GitHub's does.
 */
import { randomUUID } from "node:crypto";
import { addPullRequest, ensureRepo, pushCommit } from "../../test/helpers/fake-github/scenario.js";
import type { FakeGitHub, RecordedRequest } from "../../test/helpers/fake-github/server.js";
import { fakeAwsKeyId } from "../../test/helpers/fake-github/test-checks.js";
import { pullRequestPayload, sendWebhook } from "../../test/helpers/fake-github/webhooks.js";

export interface PlannedDelivery {
  readonly id: string;
  readonly pr: PlannedPull;
  readonly head: number;
  readonly payload: Record<string, unknown>;
}

export interface PlannedPull {
  readonly key: string;
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly installationId: number;
  readonly heads: string[];
  readonly expected: "failure" | "success";
}

export function planPullRequests(
  fake: FakeGitHub,
  spec: { installations: number; pullsPerInstallation: number; pushes: number; ownerPrefix?: string },
): { pulls: PlannedPull[]; deliveries: PlannedDelivery[][] } {
  const pulls: PlannedPull[] = [];
  const started = Date.parse("2026-06-01T00:00:00Z");
  const rounds: PlannedDelivery[][] = Array.from({ length: spec.pushes }, () => []);
  let n = 0;
  for (let i = 0; i < spec.installations; i++) {
    const owner = `${spec.ownerPrefix ?? "org"}-${i + 1}`;
    const repo = "service";
    ensureRepo(fake, owner, repo);
    for (let p = 1; p <= spec.pullsPerInstallation; p++, n++) {
      const leaks = n % 4 === 0;
      const pull = addPullRequest(fake, { owner, repo, number: p, changes: [{ path: `src/feature-${p}.ts`, base: null, head: `export const v = 0;\n` }] });
      const heads = [pull.headSha];
      for (let k = 1; k < spec.pushes; k++) {
        const last = k === spec.pushes - 1;
        const body = last && leaks ? `export const key = "${fakeAwsKeyId(`${owner}-${p}`)}";\n` : `export const v = ${k};\n`;
        heads.push(pushCommit(fake, pull, [{ path: `src/feature-${p}.ts`, base: null, head: body }]));
      }
      const installationId = (spec.ownerPrefix ? 9000 : 1000) + i;
      const planned: PlannedPull = { key: `${owner}/${repo}#${p}`, owner, repo, number: p, installationId, heads, expected: leaks ? "failure" : "success" };
      pulls.push(planned);
      heads.forEach((headSha, k) => {
        const payload = pullRequestPayload({
          action: k === 0 ? "opened" : "synchronize",
          owner,
          repo,
          installationId: planned.installationId,
          number: p,
          headSha,
          baseSha: pull.baseSha,
          updatedAt: new Date(started + k * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        });
        rounds[k]!.push({ id: randomUUID(), pr: planned, head: k, payload });
      });
    }
  }
  return { pulls, deliveries: rounds };
}

export interface SentDelivery {
  readonly planned: PlannedDelivery;
  readonly sentAt: number;
  answeredAt: number;
  status: number;
  /** Sent again after the first try failed (connection refused or 5xx), as an operator's redelivery would be. */
  resent: number;
}

/** Sends `deliveries` at `perSecond`, round-robin over `urls`; a failed send is tried again up to `resends` times. */
export async function sendAtRate(
  deliveries: readonly PlannedDelivery[],
  perSecond: number,
  url: (i: number) => string,
  secret: string,
  options: { resends?: number; resendDelayMs?: number } = {},
): Promise<SentDelivery[]> {
  const sent: SentDelivery[] = [];
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < deliveries.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const planned = deliveries[i]!;
    const record: SentDelivery = { planned, sentAt: Date.now(), answeredAt: 0, status: 0, resent: 0 };
    sent.push(record);
    inFlight.push(deliver(record, i, url, secret, options));
  }
  await Promise.all(inFlight);
  return sent;
}

async function deliver(record: SentDelivery, i: number, url: (i: number) => string, secret: string, options: { resends?: number; resendDelayMs?: number }): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await sendWebhook(url(i + attempt), secret, "pull_request", record.planned.payload, record.planned.id);
      if (record.answeredAt === 0) record.answeredAt = record.sentAt + (answer.answeredAt - answer.sentAt);
      record.status = answer.status;
      if (answer.status < 500) return;
    } catch {
      record.status = -1;
    }
    if (attempt >= (options.resends ?? 0)) return;
    record.resent++;
    await new Promise((resolve) => setTimeout(resolve, options.resendDelayMs ?? 1000));
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Reckoning {
  readonly lost: string[];
  readonly wrong: string[];
  readonly duplicateCheckRuns: string[];
  readonly duplicateReviews: string[];
  readonly duplicateSummaries: string[];
  /** Per final head: ms from its webhook being sent to its check run completing. */
  readonly verdictLatencies: number[];
  /** GitHub writes attributed to each head that was scanned (>0 writes). */
  readonly writesPerScannedHead: number[];
  readonly headsWithoutWrites: number;
  readonly writesPerPull: number[];
  /** Largest count of writes in any one-second window, per installation. */
  readonly peakWritesPerSecondByInstallation: Map<number, number>;
}

/** What the fake GitHub holds after the run, held against what was expected. */
export function reckon(fake: FakeGitHub, pulls: readonly PlannedPull[], sent: readonly SentDelivery[]): Reckoning {
  const lost: string[] = [];
  const wrong: string[] = [];
  const duplicateCheckRuns: string[] = [];
  const duplicateReviews: string[] = [];
  const duplicateSummaries: string[] = [];
  const verdictLatencies: number[] = [];
  const lastSent = new Map<string, number>();
  for (const s of sent) if (s.planned.head === s.planned.pr.heads.length - 1) lastSent.set(s.planned.pr.key, s.sentAt);

  for (const pull of pulls) {
    const finalHead = pull.heads.at(-1)!;
    const runs = fake.state.checkRunsFor(finalHead);
    const completed = runs.filter((r) => r.status === "completed");
    if (completed.length === 0) lost.push(pull.key);
    else if (completed[0]!.conclusion !== pull.expected) wrong.push(`${pull.key}: ${completed[0]!.conclusion}, expected ${pull.expected}`);
    for (const head of pull.heads) if (fake.state.checkRunsFor(head).length > 1) duplicateCheckRuns.push(`${pull.key}@${head.slice(0, 7)}`);
    const reviews = fake.state.reviewsOf(pull.owner, pull.repo, pull.number);
    const byBody = new Map<string, number>();
    for (const r of reviews) byBody.set(r.body, (byBody.get(r.body) ?? 0) + 1);
    if ([...byBody.values()].some((n) => n > 1)) duplicateReviews.push(pull.key);
    const summaries = fake.state.issueCommentsOf(pull.owner, pull.repo, pull.number).filter((c) => c.body.includes("pr-sentinel:summary"));
    if (summaries.length > 1) duplicateSummaries.push(pull.key);
    const done = completed[0]?.history.find((h) => h.status === "completed")?.at;
    const sentAt = lastSent.get(pull.key);
    if (done !== undefined && sentAt !== undefined) verdictLatencies.push(done - sentAt);
  }

  const writes = attributeWrites(fake, pulls);
  return {
    lost,
    wrong,
    duplicateCheckRuns,
    duplicateReviews,
    duplicateSummaries,
    verdictLatencies,
    ...writes,
  };
}

function attributeWrites(fake: FakeGitHub, pulls: readonly PlannedPull[]) {
  const headOfRun = new Map([...fake.state.checkRuns.values()].map((r) => [r.id, r.head_sha]));
  const pullOfHead = new Map<string, PlannedPull>();
  for (const p of pulls) for (const h of p.heads) pullOfHead.set(h, p);
  const pullByKey = new Map(pulls.map((p) => [`${p.owner}/${p.repo}#${p.number}`, p]));
  const commentPull = new Map(fake.state.issueComments.map((c) => [c.id, c.issue]));
  const perHead = new Map<string, number>();
  const perPull = new Map<string, number>();
  const byInstallationSecond = new Map<number, Map<number, number>>();
  // The head whose check run completed last before a summary write is the scan that wrote it.
  const completions = [...fake.state.checkRuns.values()].map((r) => ({ head: r.head_sha, at: r.history.find((h) => h.status === "completed")?.at ?? Number.POSITIVE_INFINITY }));

  const count = (pull: PlannedPull | undefined, head: string | undefined, r: RecordedRequest) => {
    if (!pull) return;
    perPull.set(pull.key, (perPull.get(pull.key) ?? 0) + 1);
    if (head) perHead.set(head, (perHead.get(head) ?? 0) + 1);
    const seconds = byInstallationSecond.get(pull.installationId) ?? new Map<number, number>();
    const second = Math.floor(r.at / 1000);
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
    byInstallationSecond.set(pull.installationId, seconds);
  };

  for (const r of fake.requests) {
    if (r.method === "GET" || r.method === "HEAD" || r.path.endsWith("/access_tokens")) continue;
    const segments = r.path.split("/");
    const body = (r.body ?? {}) as Record<string, unknown>;
    if (r.method === "POST" && r.path.endsWith("/check-runs")) {
      const head = String(body.head_sha);
      count(pullOfHead.get(head), head, r);
    } else if (r.method === "PATCH" && segments[4] === "check-runs") {
      const head = headOfRun.get(Number(segments[5]));
      count(head ? pullOfHead.get(head) : undefined, head, r);
    } else if (r.method === "POST" && segments[4] === "pulls" && segments[6] === "reviews") {
      const head = String(body.commit_id);
      count(pullOfHead.get(head), head, r);
    } else if (segments[4] === "issues") {
      const key = r.method === "POST" ? `${segments[2]}/${segments[3]}#${segments[5]}` : commentPull.get(Number(segments[6]));
      const pull = key ? pullByKey.get(key) : undefined;
      const head = pull ? [...completions].filter((c) => pull.heads.includes(c.head) && c.at <= r.at).sort((a, b) => b.at - a.at)[0]?.head : undefined;
      count(pull, head, r);
    }
  }
  const allHeads = pulls.flatMap((p) => p.heads);
  const peak = new Map<number, number>();
  for (const [installation, seconds] of byInstallationSecond) peak.set(installation, Math.max(...seconds.values()));
  return {
    writesPerScannedHead: allHeads.map((h) => perHead.get(h) ?? 0).filter((n) => n > 0),
    headsWithoutWrites: allHeads.filter((h) => !perHead.has(h)).length,
    writesPerPull: pulls.map((p) => perPull.get(p.key) ?? 0),
    peakWritesPerSecondByInstallation: peak,
  };
}

/** Resolves once `fake` has answered no request for `quietMs` (trailing writes have landed), or at `deadline`. */
export async function waitForQuiet(fake: { requests: readonly unknown[] }, quietMs: number, deadline: number): Promise<void> {
  let count = fake.requests.length;
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (fake.requests.length !== count) {
      count = fake.requests.length;
      since = Date.now();
    }
  }
}

export const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
