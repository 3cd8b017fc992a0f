import { describe, expect, it } from "vitest";
import { limitConcurrency } from "../../src/core/limit-concurrency.js";

describe("limitConcurrency", () => {
  it("runs at most `limit` jobs at once and all of them eventually, failures included", async () => {
    const limited = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const job = (fail: boolean) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      if (fail) throw new Error("boom");
      return 1;
    };
    const results = await Promise.allSettled(Array.from({ length: 7 }, (_, i) => limited(job(i === 3))));
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => limitConcurrency(0)).toThrow(RangeError);
  });
});
