import { describe, expect, it } from "vitest";
import { createOsvRecordCache } from "../../../src/services/osv/osv-record-cache.js";

const record = (id: string) => ({ id });

describe("createOsvRecordCache", () => {
  it("answers only for the modified time it stored", () => {
    const cache = createOsvRecordCache();
    cache.set("GHSA-a", "2024-01-01", record("GHSA-a"));
    expect(cache.get("GHSA-a", "2024-01-01")).toEqual(record("GHSA-a"));
    expect(cache.get("GHSA-a", "2024-02-01")).toBeUndefined();
    expect(cache.get("GHSA-b", "2024-01-01")).toBeUndefined();
  });

  it("forgets entries after the TTL", () => {
    let now = 0;
    const cache = createOsvRecordCache({ ttlMs: 1_000, now: () => now });
    cache.set("GHSA-a", undefined, record("GHSA-a"));
    now = 999;
    expect(cache.get("GHSA-a", undefined)).toBeDefined();
    now = 1_000;
    expect(cache.get("GHSA-a", undefined)).toBeUndefined();
  });

  it("evicts the least recently used entry beyond its size", () => {
    const cache = createOsvRecordCache({ maxEntries: 2 });
    cache.set("a", "m", record("a"));
    cache.set("b", "m", record("b"));
    cache.get("a", "m");
    cache.set("c", "m", record("c"));
    expect(cache.get("b", "m")).toBeUndefined();
    expect(cache.get("a", "m")).toBeDefined();
    expect(cache.get("c", "m")).toBeDefined();
  });
});
