import { describe, expect, it } from "vitest";
import { formatRate, parseRate } from "../../../src/posture/api/rate.js";
import { TokenBuckets } from "../../../src/posture/api/token-buckets.js";

describe("rates", () => {
  it("parse N/s, N/min, N/h and N/day, and print back", () => {
    expect(parseRate("60/min")).toEqual({ limit: 60, windowSeconds: 60 });
    expect(parseRate("5/s")).toEqual({ limit: 5, windowSeconds: 1 });
    expect(parseRate("1000/h")).toEqual({ limit: 1000, windowSeconds: 3600 });
    expect(formatRate(parseRate("10/day"))).toBe("10/day");
    for (const bad of ["60", "0/min", "60/fortnight", "-1/s", "1.5/min", "99999999/s"]) expect(() => parseRate(bad), bad).toThrow(/expected a rate like 60\/min/);
  });
});

describe("token buckets", () => {
  it("allow a burst of the whole limit, then one per refill interval, per token", () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const rate = { limit: 3, windowSeconds: 60 };
    expect([1, 2, 3].map(() => buckets.take(1, rate).ok)).toEqual([true, true, true]);
    expect(buckets.take(1, rate)).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(buckets.take(2, rate).ok).toBe(true);
    now += 19_000;
    expect(buckets.take(1, rate)).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(buckets.take(1, rate).ok).toBe(true);
    expect(buckets.take(1, rate).ok).toBe(false);
    now += 3_600_000;
    expect([1, 2, 3, 4].map(() => buckets.take(1, rate).ok)).toEqual([true, true, true, false]);
  });
});
