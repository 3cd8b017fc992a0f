/**
 * The behaviour every `ScanState` store must have, registered once per store (memory and Redis) so
 * the single-process mode and the replicas are correct by the same rules: a delivery is claimed
 * once, the newest head wins whatever the call order, runs round-trip, and a lock is held by one
 * holder at a time.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockTimeoutError, type HeadRecord, type RunRecord, type ScanState } from "../../../src/app/state/scan-state.js";

export interface ScanStateContractOptions {
  readonly create: () => ScanState | Promise<ScanState>;
  /**
   * The store lets a lock go `holdMs` after a holder that never released it (a process that died).
   * Only Redis can: in one process a holder cannot die without the store dying with it.
   */
  readonly lockExpires: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sha = (n: number) => n.toString(16).padStart(40, "0");

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export function scanStateContract(name: string, options: ScanStateContractOptions): void {
  describe(`ScanState contract: ${name}`, () => {
    let state: ScanState;
    // One store per file: every test works on keys of its own.
    let id: string;
    const key = (what: string) => `${id}/${what}`;

    beforeEach(async () => {
      state = await options.create();
      id = randomUUID();
    });

    afterEach(async () => {
      await state.close();
    });

    it("answers ping", async () => {
      expect(await state.ping()).toBe(true);
    });

    describe("claimDelivery", () => {
      it("is true the first time and false for every redelivery", async () => {
        expect(await state.claimDelivery(key("d1"))).toBe(true);
        expect(await state.claimDelivery(key("d1"))).toBe(false);
        expect(await state.claimDelivery(key("d1"))).toBe(false);
        expect(await state.claimDelivery(key("d2"))).toBe(true);
      });

      it("gives exactly one of many concurrent claims of one delivery true", async () => {
        const claims = await Promise.all(Array.from({ length: 20 }, () => state.claimDelivery(key("race"))));
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe("observeHead and currentHead", () => {
      it("knows no head of a subject never observed", async () => {
        expect(await state.currentHead(key("pr"))).toBeUndefined();
      });

      it("keeps a newer head when an older one arrives later, and returns the current one", async () => {
        const newer: HeadRecord = { headSha: sha(2), order: 2000 };
        const older: HeadRecord = { headSha: sha(1), order: 1000 };
        expect(await state.observeHead(key("pr"), newer)).toEqual(newer);
        expect(await state.observeHead(key("pr"), older)).toEqual(newer);
        expect(await state.currentHead(key("pr"))).toEqual(newer);
      });

      it("takes a newer head after an older one", async () => {
        await state.observeHead(key("pr"), { headSha: sha(1), order: 1000 });
        expect(await state.observeHead(key("pr"), { headSha: sha(2), order: 2000 })).toEqual({ headSha: sha(2), order: 2000 });
        expect(await state.currentHead(key("pr"))).toEqual({ headSha: sha(2), order: 2000 });
      });

      it("lets the later call win between equal orders", async () => {
        await state.observeHead(key("pr"), { headSha: sha(1), order: 5 });
        expect(await state.observeHead(key("pr"), { headSha: sha(2), order: 5 })).toEqual({ headSha: sha(2), order: 5 });
        expect(await state.currentHead(key("pr"))).toEqual({ headSha: sha(2), order: 5 });
      });

      it("keeps subjects apart", async () => {
        await state.observeHead(key("a"), { headSha: sha(1), order: 9 });
        await state.observeHead(key("b"), { headSha: sha(2), order: 1 });
        expect(await state.currentHead(key("a"))).toEqual({ headSha: sha(1), order: 9 });
        expect(await state.currentHead(key("b"))).toEqual({ headSha: sha(2), order: 1 });
      });

      it("handles orders as large as real `updated_at` milliseconds", async () => {
        const at = Date.parse("2026-03-01T12:00:00Z");
        await state.observeHead(key("pr"), { headSha: sha(2), order: at + 1000 });
        expect(await state.observeHead(key("pr"), { headSha: sha(1), order: at })).toEqual({ headSha: sha(2), order: at + 1000 });
        expect(await state.observeHead(key("pr"), { headSha: sha(3), order: Number.MAX_SAFE_INTEGER })).toEqual({ headSha: sha(3), order: Number.MAX_SAFE_INTEGER });
      });

      it("ends with the largest order's head for any call order of distinct orders (property)", async () => {
        const observations = fc
          .uniqueArray(fc.nat({ max: 2_000_000_000_000 }), { minLength: 1, maxLength: 8 })
          .chain((orders) => fc.shuffledSubarray(orders, { minLength: orders.length, maxLength: orders.length }));
        let run = 0;
        await fc.assert(
          fc.asyncProperty(observations, async (orders) => {
            const subject = key(`p${run++}`);
            for (const order of orders) await state.observeHead(subject, { headSha: sha(order), order });
            const max = Math.max(...orders);
            expect(await state.currentHead(subject)).toEqual({ headSha: sha(max), order: max });
          }),
          { numRuns: 100 },
        );
      });

      it("after each call, returns the largest order seen so far, the last such call winning ties (property)", async () => {
        const observations = fc.array(fc.record({ order: fc.nat({ max: 5 }), sha: fc.nat({ max: 1000 }).map(sha) }), { minLength: 1, maxLength: 10 });
        let run = 0;
        await fc.assert(
          fc.asyncProperty(observations, async (calls) => {
            const subject = key(`t${run++}`);
            let expected: HeadRecord | undefined;
            for (const call of calls) {
              const head = { headSha: call.sha, order: call.order };
              if (!expected || head.order >= expected.order) expected = head;
              expect(await state.observeHead(subject, head)).toEqual(expected);
            }
            expect(await state.currentHead(subject)).toEqual(expected);
          }),
          { numRuns: 100 },
        );
      });
    });

    describe("getRun and putRun", () => {
      it("round-trips a run record, and the latest put wins", async () => {
        expect(await state.getRun(key("h"))).toBeUndefined();
        const started: RunRecord = { checkRunId: 123, botLogin: "pr-sentinel[bot]", status: "in_progress" };
        await state.putRun(key("h"), started);
        expect(await state.getRun(key("h"))).toEqual(started);
        const done: RunRecord = { checkRunId: 123, status: "completed", conclusion: "neutral", retryable: true, timedOut: false };
        await state.putRun(key("h"), done);
        expect(await state.getRun(key("h"))).toEqual(done);
        expect(await state.getRun(key("other"))).toBeUndefined();
      });
    });

    describe("withLock", () => {
      it("hands back what the function returns, and passes on what it throws, releasing the lock either way", async () => {
        const lock = { holdMs: 5_000, waitMs: 1_000 };
        expect(await state.withLock(key("l"), lock, async () => 42)).toBe(42);
        await expect(state.withLock(key("l"), lock, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
        expect(await state.withLock(key("l"), { holdMs: 5_000, waitMs: 50 }, async () => "free again")).toBe("free again");
      });

      it("never lets two holders of one key overlap", async () => {
        let inside = 0;
        let most = 0;
        const order: number[] = [];
        await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            state.withLock(key("l"), { holdMs: 10_000, waitMs: 10_000 }, async () => {
              inside++;
              most = Math.max(most, inside);
              await sleep(15);
              order.push(i);
              inside--;
            }),
          ),
        );
        expect(most).toBe(1);
        expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it("does not serialise different keys", async () => {
        let inside = 0;
        let most = 0;
        await Promise.all(
          ["a", "b", "c"].map((k) =>
            state.withLock(key(k), { holdMs: 10_000, waitMs: 1_000 }, async () => {
              inside++;
              most = Math.max(most, inside);
              await sleep(60);
              inside--;
            }),
          ),
        );
        expect(most).toBe(3);
      });

      it("throws LockTimeoutError after waitMs when the lock stays taken, without running the function", async () => {
        const held = deferred();
        const entered = deferred();
        const holder = state.withLock(key("l"), { holdMs: 10_000, waitMs: 1_000 }, async () => {
          entered.resolve();
          await held.promise;
        });
        await entered.promise;
        let ran = false;
        const started = Date.now();
        const error = await state
          .withLock(key("l"), { holdMs: 10_000, waitMs: 150 }, async () => {
            ran = true;
          })
          .then(() => undefined, (e: unknown) => e);
        const waited = Date.now() - started;
        expect(error).toBeInstanceOf(LockTimeoutError);
        expect((error as Error).message).toContain(key("l"));
        expect(ran).toBe(false);
        expect(waited).toBeGreaterThanOrEqual(140);
        expect(waited).toBeLessThan(1_000);
        held.resolve();
        await holder;
        // The holder released: the lock can be had at once.
        expect(await state.withLock(key("l"), { holdMs: 10_000, waitMs: 50 }, async () => "mine")).toBe("mine");
      });

      it.runIf(options.lockExpires)("lets another take the lock holdMs after a holder that never releases it", async () => {
        const entered = deferred();
        // A holder that hangs for ever: as good as a process that died holding the lock.
        void state.withLock(key("l"), { holdMs: 300, waitMs: 1_000 }, async () => {
          entered.resolve();
          await new Promise<never>(() => undefined);
        });
        await entered.promise;
        const takenAt = Date.now();
        // Still held before holdMs …
        await expect(state.withLock(key("l"), { holdMs: 5_000, waitMs: 50 }, async () => "early")).rejects.toBeInstanceOf(LockTimeoutError);
        // … free after it.
        expect(await state.withLock(key("l"), { holdMs: 5_000, waitMs: 3_000 }, async () => Date.now() - takenAt)).toBeGreaterThanOrEqual(250);
      });
    });
  });
}
