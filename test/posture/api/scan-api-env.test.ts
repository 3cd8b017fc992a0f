import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { scanApiEnvSchema, scanApiLimits } from "../../../src/posture/api/scan-api-env.js";

describe("the scan API's settings", () => {
  it("default to cores, twice as many waiting, 2 MB bodies and offline scans", () => {
    const env = scanApiEnvSchema.parse({});
    expect(env).toEqual({ SCAN_API_MAX_BODY_BYTES: 2 * 1024 * 1024, SCAN_API_SERVICES: false });
    expect(scanApiLimits(env)).toEqual({ maxBodyBytes: 2 * 1024 * 1024, concurrency: availableParallelism(), queue: 2 * availableParallelism(), bodyTimeoutMs: 30_000 });
  });

  it("take the operator's numbers, blank as unset, and refuse nonsense", () => {
    const env = scanApiEnvSchema.parse({ SCAN_API_MAX_BODY_BYTES: "1048576", SCAN_API_CONCURRENCY: "3", SCAN_API_QUEUE: "", SCAN_API_SERVICES: "true" });
    expect(scanApiLimits(env)).toMatchObject({ maxBodyBytes: 1_048_576, concurrency: 3, queue: 6 });
    expect(env.SCAN_API_SERVICES).toBe(true);
    expect(scanApiLimits(scanApiEnvSchema.parse({ SCAN_API_CONCURRENCY: "2", SCAN_API_QUEUE: "0" })).queue).toBe(0);
    for (const bad of [{ SCAN_API_CONCURRENCY: "0" }, { SCAN_API_MAX_BODY_BYTES: "lots" }, { SCAN_API_QUEUE: "-1" }, { SCAN_API_SERVICES: "maybe" }]) {
      expect(scanApiEnvSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
