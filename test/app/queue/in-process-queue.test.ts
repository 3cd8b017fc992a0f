import { afterEach, describe, expect, it } from "vitest";
import type { ScanJob } from "../../../src/app/jobs/scan-job.js";
import { InProcessQueue, type InProcessQueueOptions } from "../../../src/app/queue/in-process-queue.js";
import type { JobRunner } from "../../../src/app/queue/scan-queue.js";
import type { Attempt } from "../../../src/app/run-scan-job.js";
import { ShutdownError } from "../../../src/app/superseded-error.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function job(head: number, patch: Partial<ScanJob> = {}): ScanJob {
  return {
    v: 1,
    target: { kind: "pull_request", owner: "o", repo: "r", pullNumber: 1, headSha: head.toString(16).padStart(40, "0"), baseSha: "b".repeat(40), draft: false, fresh: false },
    installationId: 1,
    deliveryId: `delivery-${head}-${Math.random()}`,
    event: "pull_request.synchronize",
    acceptedAt: Date.now(),
    order: head,
    ...patch,
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const queues: InProcessQueue[] = [];
function queue(run: JobRunner, options: InProcessQueueOptions): InProcessQueue {
  const q = new InProcessQueue(run, options);
  queues.push(q);
  return q;
}

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close(0)));
});

describe("InProcessQueue", () => {
  it("runs each queued job once, with attempt 1 named final only when attempts is 1", async () => {
    const seen: [string, Attempt][] = [];
    const q = queue(async (j, attempt) => {
      seen.push([j.deliveryId, attempt]);
      return "success";
    }, { concurrency: 2, attempts: 3 });
    const a = job(1);
    expect(await q.enqueue(a)).toBe("queued");
    await q.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(a.deliveryId);
    expect(seen[0]![1]).toMatchObject({ number: 1, final: false });
  });

  it("keeps one job per head: the same head is a duplicate while waiting or running", async () => {
    const release = gate();
    const started: string[] = [];
    const q = queue(async (j) => {
      started.push(j.deliveryId);
      await release.promise;
      return "success";
    }, { concurrency: 1 });
    const first = job(1);
    expect(await q.enqueue(first)).toBe("queued");
    expect(await q.enqueue(job(2))).toBe("queued");
    await sleep(10);
    expect(await q.counts()).toEqual({ waiting: 1, active: 1, delayed: 0 });
    // Running (head 1) and waiting (head 2): another delivery of either is a duplicate.
    expect(await q.enqueue(job(1))).toBe("duplicate");
    expect(await q.enqueue(job(2))).toBe("duplicate");
    // Another pull request with the same SHA is another head.
    expect(await q.enqueue(job(1, { target: { ...first.target, pullNumber: 2 } as ScanJob["target"] }))).toBe("queued");
    release.open();
    await q.idle();
    expect(started).toHaveLength(3);
    expect(started[0]).toBe(first.deliveryId);
  });

  it("queues a re-run of a head that is already queued (a re-run is keyed by its delivery)", async () => {
    const release = gate();
    const q = queue(async () => {
      await release.promise;
      return "success";
    }, { concurrency: 1 });
    expect(await q.enqueue(job(1))).toBe("queued");
    expect(await q.enqueue(job(1, { deliveryId: "r1", rerun: { outdated: false } }))).toBe("queued");
    expect(await q.enqueue(job(1, { deliveryId: "r1", rerun: { outdated: false } }))).toBe("duplicate");
    release.open();
    await q.idle();
  });

  it("queues the same head again after its job finished: the runner, not the queue, decides it was done", async () => {
    let runs = 0;
    const q = queue(async () => {
      runs++;
      return "success";
    }, { concurrency: 1 });
    expect(await q.enqueue(job(1))).toBe("queued");
    await q.idle();
    expect(await q.enqueue(job(1))).toBe("queued");
    await q.idle();
    expect(runs).toBe(2);
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it("never runs more than `concurrency` jobs at once, and runs them all", async () => {
    let inside = 0;
    let most = 0;
    let done = 0;
    const q = queue(async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(5 + Math.random() * 10);
      inside--;
      done++;
      return "success";
    }, { concurrency: 3 });
    for (let i = 1; i <= 20; i++) expect(await q.enqueue(job(i))).toBe("queued");
    await q.idle();
    expect(most).toBe(3);
    expect(done).toBe(20);
  });

  it("retries a throwing runner with attempts 1..N, `final` only on the last, then drops the job", async () => {
    const attempts: Attempt[] = [];
    const errors: [unknown, boolean][] = [];
    const q = queue(async (_j, attempt) => {
      attempts.push(attempt);
      throw new Error(`attempt ${attempt.number} failed`);
    }, { concurrency: 1, attempts: 4, backoffMs: 5, onError: (_j, error, final) => errors.push([error, final]) });
    await q.enqueue(job(1));
    await q.idle();
    expect(attempts.map((a) => [a.number, a.final])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(errors.map(([e, final]) => [(e as Error).message, final])).toEqual([
      ["attempt 1 failed", false],
      ["attempt 2 failed", false],
      ["attempt 3 failed", false],
      ["attempt 4 failed", true],
    ]);
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, delayed: 0 });
    // Dropped after the last attempt: the next delivery for the head queues it again.
    expect(await q.enqueue(job(1))).toBe("queued");
  });

  it("stops retrying once an attempt succeeds", async () => {
    const numbers: number[] = [];
    const q = queue(async (_j, attempt) => {
      numbers.push(attempt.number);
      if (attempt.number < 2) throw new Error("transient");
      return "success";
    }, { concurrency: 1, attempts: 5, backoffMs: 5 });
    await q.enqueue(job(1));
    await q.idle();
    expect(numbers).toEqual([1, 2]);
  });

  it("counts a job waiting for its retry as delayed, and a delivery of its head meanwhile is a duplicate", async () => {
    let calls = 0;
    const q = queue(async () => {
      if (++calls === 1) throw new Error("transient");
      return "success";
    }, { concurrency: 1, attempts: 2, backoffMs: 200 });
    await q.enqueue(job(1));
    await sleep(30);
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, delayed: 1 });
    expect(await q.enqueue(job(1))).toBe("duplicate");
    await q.idle();
    expect(calls).toBe(2);
  });

  it("backs off between attempts, exponentially from backoffMs", async () => {
    const at: number[] = [];
    const q = queue(async () => {
      at.push(performance.now());
      throw new Error("transient");
    }, { concurrency: 1, attempts: 3, backoffMs: 40 });
    await q.enqueue(job(1));
    await q.idle();
    expect(at).toHaveLength(3);
    // Jitter keeps at least half of base * 2^(n-1).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(19);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(39);
  });

  it("idle() waits for delayed retries, not only for running jobs", async () => {
    let finished = false;
    const q = queue(async (_j, attempt) => {
      if (attempt.number === 1) throw new Error("transient");
      await sleep(10);
      finished = true;
      return "success";
    }, { concurrency: 1, attempts: 2, backoffMs: 150 });
    await q.enqueue(job(1));
    const started = performance.now();
    await q.idle();
    expect(finished).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });

  it("close(grace) lets running jobs finish within the grace, without aborting them", async () => {
    let signal: AbortSignal | undefined;
    let finished = false;
    const q = queue(async (_j, attempt) => {
      signal = attempt.signal;
      await sleep(80);
      finished = true;
      return "success";
    }, { concurrency: 1 });
    await q.enqueue(job(1));
    await sleep(10);
    await q.close(2_000);
    expect(finished).toBe(true);
    expect(signal?.aborted).toBe(false);
    await expect(q.enqueue(job(2))).rejects.toThrow(/closed/);
  });

  it("close(grace) aborts jobs still running past the grace with ShutdownError (no hand-back in process)", async () => {
    let reason: unknown;
    const q = queue(
      (_j, attempt) =>
        new Promise((_resolve, reject) => {
          attempt.signal!.addEventListener("abort", () => {
            reason = attempt.signal!.reason;
            reject(attempt.signal!.reason);
          });
        }),
      { concurrency: 2, attempts: 3, backoffMs: 5 },
    );
    await q.enqueue(job(1));
    await q.enqueue(job(2));
    await sleep(10);
    const started = performance.now();
    await q.close(100);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(90);
    expect(took).toBeLessThan(1_000);
    expect(reason).toBeInstanceOf(ShutdownError);
    expect((reason as ShutdownError).handBack).toBe(false);
    // Not retried after the shutdown.
    expect(await q.counts()).toEqual({ waiting: 0, active: 0, delayed: 0 });
  });

  it("close() drops retries that were waiting for their backoff", async () => {
    let calls = 0;
    const q = queue(async () => {
      calls++;
      throw new Error("transient");
    }, { concurrency: 1, attempts: 3, backoffMs: 100 });
    await q.enqueue(job(1));
    await sleep(20);
    await q.close(1_000);
    await sleep(250);
    expect(calls).toBe(1);
  });
});
