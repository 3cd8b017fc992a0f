import { describe, expect, it } from "vitest";
import { InFlightScans, RecentDeliveries, SupersededError } from "../../src/app/in-flight-scans.js";

describe("InFlightScans", () => {
  it("aborts the older scan of a pull request when a newer one begins", () => {
    const scans = new InFlightScans();
    const older = scans.begin("o/r#1", "a".repeat(40));
    const other = scans.begin("o/r#2", "c".repeat(40));
    const newer = scans.begin("o/r#1", "b".repeat(40));
    expect(older.signal.aborted).toBe(true);
    expect(older.signal.reason).toBeInstanceOf(SupersededError);
    expect(newer.signal.aborted).toBe(false);
    expect(other.signal.aborted).toBe(false);
  });

  it("forgets a finished scan, but not the newer one that replaced it", () => {
    const scans = new InFlightScans();
    const older = scans.begin("o/r#1", "a");
    const newer = scans.begin("o/r#1", "b");
    scans.end("o/r#1", older);
    expect(scans.size).toBe(1);
    scans.end("o/r#1", newer);
    expect(scans.size).toBe(0);
  });
});

describe("RecentDeliveries", () => {
  it("recognises a redelivery within the TTL and forgets it after", () => {
    let now = 0;
    const deliveries = new RecentDeliveries(1000, 100, () => now);
    expect(deliveries.checkAndRemember("x")).toBe(false);
    now = 999;
    expect(deliveries.checkAndRemember("x")).toBe(true);
    now = 2500;
    expect(deliveries.checkAndRemember("x")).toBe(false);
  });

  it("keeps at most maxEntries ids", () => {
    const deliveries = new RecentDeliveries(60_000, 3, () => 0);
    for (const id of ["a", "b", "c", "d"]) deliveries.checkAndRemember(id);
    expect(deliveries.checkAndRemember("a")).toBe(false);
    expect(deliveries.checkAndRemember("d")).toBe(true);
  });
});
