import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RedisScanState } from "../../../src/app/state/redis-scan-state.js";
import { DELIVERY_TTL_MS, LockTimeoutError, RECORD_TTL_MS } from "../../../src/app/state/scan-state.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { scanStateContract } from "./scan-state-contract.js";

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server?.stop();
});

scanStateContract("redis", { create: () => new RedisScanState(new Redis(server.url)), lockExpires: true });

describe("RedisScanState on a real redis-server", () => {
  let redis: Redis;
  let state: RedisScanState;

  beforeEach(async () => {
    redis = new Redis(server.url);
    await redis.flushall();
    state = new RedisScanState(new Redis(server.url));
  });

  afterEach(async () => {
    await state.close();
    await redis.quit();
  });

  /** The one key the store wrote since the last flush, found without knowing its naming scheme. */
  async function onlyKey(): Promise<string> {
    const keys = await redis.keys("*");
    expect(keys).toHaveLength(1);
    return keys[0]!;
  }

  it.each([
    ["not JSON at all", "{garbage"],
    ["JSON null", "null"],
    ["a JSON number", "17"],
    ["a record without checkRunId", JSON.stringify({ status: "completed" })],
    ["a checkRunId of the wrong type", JSON.stringify({ checkRunId: "12", status: "completed" })],
    ["an unknown status", JSON.stringify({ checkRunId: 12, status: "exploded" })],
    ["an empty string", ""],
  ])("reads a corrupted run record (%s) as no record", async (_what, garbage) => {
    await state.putRun("o/r#1|" + "a".repeat(40), { checkRunId: 12, status: "completed", conclusion: "success" });
    const runKey = await onlyKey();
    await redis.set(runKey, garbage);
    expect(await state.getRun("o/r#1|" + "a".repeat(40))).toBeUndefined();
  });

  // A corrupted run reads as none; a corrupted head must not wedge its pull request either (every
  // webhook for it would fail until the key expires, a week later).
  it.each([["no separator", "garbage"], ["a non-numeric order", "abc " + "d".repeat(40)], ["an empty value", ""]])(
    "replaces a corrupted head record (%s) with the next observation",
    async (_what, garbage) => {
      await state.observeHead("o/r#3", { headSha: "a".repeat(40), order: 1 });
      await redis.set(await onlyKey(), garbage);
      expect(await state.currentHead("o/r#3")).toBeUndefined();
      const head = { headSha: "b".repeat(40), order: 2 };
      expect(await state.observeHead("o/r#3", head)).toEqual(head);
      expect(await state.currentHead("o/r#3")).toEqual(head);
    },
  );

  it("gives every key it writes an expiry: deliveries a day, heads and runs a week", async () => {
    await state.claimDelivery("delivery-1");
    const deliveryKey = await onlyKey();
    const deliveryTtl = await redis.pttl(deliveryKey);
    expect(deliveryTtl).toBeGreaterThan(DELIVERY_TTL_MS - 60_000);
    expect(deliveryTtl).toBeLessThanOrEqual(DELIVERY_TTL_MS);

    await redis.flushall();
    await state.observeHead("o/r#1", { headSha: "a".repeat(40), order: 1 });
    const headTtl = await redis.pttl(await onlyKey());
    expect(headTtl).toBeGreaterThan(RECORD_TTL_MS - 60_000);
    expect(headTtl).toBeLessThanOrEqual(RECORD_TTL_MS);

    await redis.flushall();
    await state.putRun("o/r#1|" + "a".repeat(40), { checkRunId: 1, status: "in_progress" });
    const runTtl = await redis.pttl(await onlyKey());
    expect(runTtl).toBeGreaterThan(RECORD_TTL_MS - 60_000);
    expect(runTtl).toBeLessThanOrEqual(RECORD_TTL_MS);
  });

  it("leaves no key without an expiry after a mixed workload, and no lock behind", async () => {
    await state.claimDelivery("d1");
    await state.observeHead("o/r#1", { headSha: "a".repeat(40), order: 1 });
    await state.observeHead("o/r#1", { headSha: "b".repeat(40), order: 2 });
    await state.observeHead("o/r#1", { headSha: "c".repeat(40), order: 1 });
    await state.putRun("k1", { checkRunId: 1, status: "in_progress" });
    await state.putRun("k1", { checkRunId: 1, status: "completed", conclusion: "success" });
    await state.withLock("comment:o/r#1", { holdMs: 10_000, waitMs: 1_000 }, async () => {
      const keys = await redis.keys("*");
      for (const k of keys) expect(await redis.pttl(k), k).toBeGreaterThan(0);
    });
    const keys = await redis.keys("*");
    expect(keys).toHaveLength(3);
    for (const k of keys) expect(await redis.pttl(k), k).toBeGreaterThan(0);
  });

  it("keeps the newer head when two replicas race on one pull request", async () => {
    const other = new RedisScanState(new Redis(server.url));
    try {
      const heads = Array.from({ length: 30 }, (_, i) => ({ headSha: i.toString(16).padStart(40, "0"), order: 1000 + i }));
      await Promise.all(heads.map((h, i) => (i % 2 ? state : other).observeHead("o/r#9", h)));
      expect(await other.currentHead("o/r#9")).toEqual(heads.at(-1));
    } finally {
      await other.close();
    }
  });

  it("claims a delivery once across replicas", async () => {
    const other = new RedisScanState(new Redis(server.url));
    try {
      const claims = await Promise.all([state, other, state, other].map((s) => s.claimDelivery("shared")));
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("a holder whose lock expired does not release the lock its successor took", async () => {
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    // A: holds 200 ms on paper, works 500 ms. B takes over at ~200 ms and works 800 ms.
    const a = state.withLock("l", { holdMs: 200, waitMs: 1_000 }, () => sleep(500));
    await sleep(20);
    let bHasIt!: () => void;
    const bEntered = new Promise<void>((resolve) => (bHasIt = resolve));
    const b = state.withLock("l", { holdMs: 10_000, waitMs: 2_000 }, async () => {
      bHasIt();
      await sleep(800);
    });
    await bEntered;
    await a;
    // A finished and "released": B must still hold the lock.
    await expect(state.withLock("l", { holdMs: 1_000, waitMs: 100 }, async () => "stolen")).rejects.toBeInstanceOf(LockTimeoutError);
    await b;
  });

  it("reports Redis down in ping instead of throwing", async () => {
    const gone = new RedisScanState(new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null }));
    expect(await gone.ping()).toBe(false);
    await gone.close();
  });
});
