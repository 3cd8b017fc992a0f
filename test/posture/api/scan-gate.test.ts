import { describe, expect, it } from "vitest";
import { ScanGate } from "../../../src/posture/api/scan-gate.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the scan gate", () => {
  it("runs at most `concurrency` jobs, holds at most `queue` more places, refuses the rest", async () => {
    const gate = new ScanGate({ concurrency: 2, queue: 1 });
    const jobs = [deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const places = [gate.enter(), gate.enter(), gate.enter()];
    expect(places.every(Boolean)).toBe(true);
    expect(gate.enter()).toBeUndefined();
    const runs = places.map((place, i) =>
      place!.run(async () => {
        peak = Math.max(peak, ++running);
        await jobs[i]!.promise;
        running--;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(gate.stats()).toEqual({ running: 2, waiting: 1 });
    jobs[0]!.resolve();
    await runs[0];
    // The freed slot went straight to the waiter; a newcomer gets the freed queue place only.
    expect(gate.stats()).toEqual({ running: 2, waiting: 0 });
    const late = gate.enter();
    expect(late).toBeDefined();
    expect(gate.enter()).toBeUndefined();
    late!.release();
    jobs[1]!.resolve();
    jobs[2]!.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("frees the slot when a job throws, and a place is used once", async () => {
    const gate = new ScanGate({ concurrency: 1, queue: 0 });
    const place = gate.enter()!;
    await expect(place.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(place.run(() => Promise.resolve())).rejects.toThrow(/used twice/);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
    expect(gate.enter()).toBeDefined();
  });
});
