import { describe, expect, it } from "vitest";
import { MemoryScanState } from "../../../src/app/state/memory-scan-state.js";
import { scanStateContract } from "./scan-state-contract.js";

scanStateContract("memory", { create: () => new MemoryScanState(), lockExpires: false });

describe("MemoryScanState bounds", () => {
  it("forgets the oldest deliveries past maxEntries, so a redelivery of an evicted one is claimed again", async () => {
    const state = new MemoryScanState({ maxEntries: 3 });
    for (const id of ["d1", "d2", "d3", "d4"]) expect(await state.claimDelivery(id)).toBe(true);
    expect(await state.claimDelivery("d4")).toBe(false);
    expect(await state.claimDelivery("d3")).toBe(false);
    expect(await state.claimDelivery("d1")).toBe(true);
  });

  it("keeps at most maxEntries deliveries however many arrive", async () => {
    const state = new MemoryScanState({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) await state.claimDelivery(`d${i}`);
    // The newest 100 are remembered, everything older is gone.
    expect(await state.claimDelivery("d9999")).toBe(false);
    expect(await state.claimDelivery("d9900")).toBe(false);
    expect(await state.claimDelivery("d9899")).toBe(true);
    expect(await state.claimDelivery("d0")).toBe(true);
  });

  it("claims a delivery again once its TTL has passed", async () => {
    let now = 1_000_000;
    const state = new MemoryScanState({ deliveryTtlMs: 1_000, now: () => now });
    expect(await state.claimDelivery("d")).toBe(true);
    now += 999;
    expect(await state.claimDelivery("d")).toBe(false);
    now += 1;
    expect(await state.claimDelivery("d")).toBe(true);
  });

  it("forgets the oldest heads and runs past maxEntries", async () => {
    const state = new MemoryScanState({ maxEntries: 2 });
    for (const s of ["a", "b", "c"]) {
      await state.observeHead(s, { headSha: "0".repeat(40), order: 1 });
      await state.putRun(s, { checkRunId: 1, status: "completed" });
    }
    expect(await state.currentHead("a")).toBeUndefined();
    expect(await state.getRun("a")).toBeUndefined();
    expect(await state.currentHead("c")).toBeDefined();
    expect(await state.getRun("b")).toBeDefined();
  });
});
