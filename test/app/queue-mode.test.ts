/**
 * Queue mode across processes: two webhook replicas on one Redis, and sandboxed processors (real
 * child processes running the built-in checks from the compiled processor). What must hold: one
 * job per head whichever replica got the event, one check run, one review and one summary comment
 * per head, and an older head never overwriting a newer one.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxedProcessorPath } from "../../src/app/queue/queue-worker.js";
import { builtinChecks } from "../../src/checks/index.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, ensureRepo, pushCommit } from "../helpers/fake-github/scenario.js";
import { once } from "node:events";
import { checksUnderTest, fakeAwsKeyId, slowCheckEvents } from "../helpers/fake-github/test-checks.js";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const AWS_KEY = fakeAwsKeyId("queue-mode");
let redis: RedisServer;
let a: Harness;
let b: Harness;
let installation = 9_000;

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startHarness({ redisUrl: redis.url, processor: "inline", checks: builtinChecks });
  b = await startHarness({ redisUrl: redis.url, processor: "inline", checks: builtinChecks, replicaOf: a });
});

afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await redis?.stop();
});

const idle = () => Promise.all([a.app.idle(), b.app.idle()]);

describe("two webhook replicas on one Redis", () => {
  it("opened on one and synchronize on the other: the newer head gets one check run, one review, one summary", async () => {
    const repo = "replicas";
    const installationId = installation++;
    ensureRepo(a.fake, "acme", repo);
    const pull = addPullRequest(a.fake, { owner: "acme", repo, number: 7, changes: [{ path: "one.txt", base: null, head: `${AWS_KEY}\n` }] });
    const firstSha = pull.headSha;
    const opened = pullRequestPayload({ action: "opened", owner: "acme", repo, installationId, number: 7, headSha: firstSha, baseSha: pull.baseSha });
    const secondSha = pushCommit(a.fake, pull, [{ path: "two.txt", base: null, head: `again ${AWS_KEY}\n` }]);
    const synchronize = pullRequestPayload({ action: "synchronize", owner: "acme", repo, installationId, number: 7, headSha: secondSha, baseSha: pull.baseSha });
    await Promise.all([a.send("pull_request", opened), b.send("pull_request", synchronize)]);
    await idle();
    expect(a.fake.state.checkRunsFor(secondSha).map((r) => r.conclusion)).toEqual(["failure"]);
    // The older head was either never started (no write) or cancelled: never a second verdict.
    expect(a.fake.state.checkRunsFor(firstSha).map((r) => r.conclusion).filter((c) => c !== "cancelled")).toEqual([]);
    const reviews = a.fake.state.reviewsOf("acme", repo, 7);
    expect(reviews).toHaveLength(1);
    const comments = a.fake.state.reviewCommentsOf("acme", repo, 7);
    expect(new Set(comments.map((c) => c.body)).size).toBe(comments.length);
    expect(a.fake.state.issueCommentsOf("acme", repo, 7)).toHaveLength(1);
  });

  it("the same delivery sent to both replicas is one job", async () => {
    const repo = "same-delivery";
    ensureRepo(a.fake, "acme", repo);
    const pull = addPullRequest(a.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: `${AWS_KEY}\n` }] });
    const payload = pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: installation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
    await Promise.all([a.send("pull_request", payload, "delivery-x"), b.send("pull_request", payload, "delivery-x")]);
    await idle();
    expect(a.fake.state.checkRunsFor(pull.headSha)).toHaveLength(1);
    expect(a.fake.state.reviewsOf("acme", repo, 7)).toHaveLength(1);
  });

  it("one head announced twice under different deliveries, at once, on both replicas: one check run, one review", async () => {
    const repo = "same-head";
    const installationId = installation++;
    ensureRepo(a.fake, "acme", repo);
    const pull = addPullRequest(a.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: `${AWS_KEY}\n` }] });
    const opened = pullRequestPayload({ action: "opened", owner: "acme", repo, installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
    const reopened = pullRequestPayload({ action: "reopened", owner: "acme", repo, installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
    await Promise.all([a.send("pull_request", opened), b.send("pull_request", reopened)]);
    await idle();
    expect(a.fake.state.checkRunsFor(pull.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
    expect(a.fake.state.reviewsOf("acme", repo, 7)).toHaveLength(1);
    expect(a.fake.state.issueCommentsOf("acme", repo, 7)).toHaveLength(1);
  });

  it("reports Redis in /healthz, and 503 while Redis is down", async () => {
    const up = await fetch(`${a.baseUrl}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ok", queue: "redis", redis: "up" });
    await redis.restart(0);
    // Reconnected after the restart (ioredis retries on its own).
    await expect.poll(async () => (await fetch(`${a.baseUrl}/healthz`)).status, { timeout: 10_000 }).toBe(200);
  });
});

describe("graceful shutdown of a worker mid-scan", () => {
  it("hands the job back; another worker finishes it under the same check run, with one verdict", async () => {
    const shared = await startRedisServer();
    const first = await startHarness({ redisUrl: shared.url, processor: "inline", checks: checksUnderTest(), queueLockSeconds: 5 });
    const second = await startHarness({ redisUrl: shared.url, processor: "inline", checks: checksUnderTest(), queueLockSeconds: 5, replicaOf: first, workerConcurrency: 0 });
    let third: Harness | undefined;
    try {
      const repo = "shutdown";
      ensureRepo(first.fake, "acme", repo);
      const pull = addPullRequest(first.fake, { owner: "acme", repo, number: 7, changes: [{ path: "slow.txt", base: null, head: `${AWS_KEY}\n` }] });
      const started = once(slowCheckEvents, "started");
      await first.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: installation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await started;
      // SIGTERM's path: 100 ms of grace, then the running scan is stopped and its job handed back.
      await first.server.stop(100);
      expect(first.fake.state.checkRunsFor(pull.headSha).map((r) => r.status)).toEqual(["in_progress"]);
      // A worker that is still up takes it (the stopped one took no more jobs).
      third = await startHarness({ redisUrl: shared.url, processor: "inline", checks: checksUnderTest(), queueLockSeconds: 5, replicaOf: first });
      const release = setInterval(() => slowCheckEvents.emit("release"), 100);
      await first.fake.waitFor(() => first.fake.state.checkRunsFor(pull.headSha).some((r) => r.status === "completed"), 30_000);
      await third.app.idle();
      clearInterval(release);
      const runs = first.fake.state.checkRunsFor(pull.headSha);
      expect(runs.map((r) => r.conclusion)).toEqual(["failure"]);
      expect(first.fake.state.reviewsOf("acme", repo, 7)).toHaveLength(1);
    } finally {
      await third?.stop();
      await second.stop();
      await first.fake.stop();
      await shared.stop();
    }
  }, 60_000);
});

describe.runIf(existsSync(sandboxedProcessorPath()))("sandboxed processors", () => {
  let s: Harness;
  let sRedis: RedisServer;
  beforeAll(async () => {
    sRedis = await startRedisServer();
    s = await startHarness({ redisUrl: sRedis.url, processor: "sandboxed", workerConcurrency: 2 });
  });
  afterAll(async () => {
    await s?.stop();
    await sRedis?.stop();
  });

  it("run the built-in checks in child processes: a leaked key fails the check run with an inline comment", async () => {
    const repo = "sandboxed";
    ensureRepo(s.fake, "acme", repo);
    const pull = addPullRequest(s.fake, { owner: "acme", repo, number: 7, changes: [{ path: "config/prod.env", base: null, head: `AWS_ACCESS_KEY_ID=${AWS_KEY}\n` }] });
    await s.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: installation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
    await s.app.idle();
    const runs = s.fake.state.checkRunsFor(pull.headSha);
    expect(runs.map((r) => r.conclusion)).toEqual(["failure"]);
    expect(s.fake.state.reviewCommentsOf("acme", repo, 7)[0]).toMatchObject({ path: "config/prod.env", line: 1 });
    const metrics = await (await fetch(`${s.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/pr_sentinel_jobs_total\{outcome="failure"\} 1/);
    expect(metrics).toMatch(/pr_sentinel_github_writes_total\{installation="\d+"\} [1-9]/);
  });
});
