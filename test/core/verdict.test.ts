import { describe, expect, it } from "vitest";
import { computeVerdict, countBySeverity } from "../../src/core/verdict.js";
import type { CheckOutcome, Finding, Severity } from "../../src/core/types.js";

const finding = (severity: Severity) => ({ severity }) as Finding;
const outcome = (checkId: string, status: CheckOutcome["status"], message?: string): CheckOutcome => ({
  checkId,
  status,
  message,
  warnings: [],
  durationMs: 1,
  findingCount: 0,
});

describe("computeVerdict", () => {
  it("counts by severity", () => {
    expect(countBySeverity([finding("high"), finding("high"), finding("info")])).toEqual({ critical: 0, high: 2, medium: 0, low: 0, info: 1 });
  });

  it("titles each conclusion so a person understands it", () => {
    const cfg = { fail_on: "high", on_error: "neutral" } as const;
    expect(computeVerdict([finding("high"), finding("medium")], [], cfg).title).toBe("1 high, 1 medium: fails on high");
    expect(computeVerdict([finding("medium")], [], cfg).title).toBe("1 medium: passes (fails on high)");
    expect(computeVerdict([], [outcome("deps", "error", "boom")], cfg).title).toBe("1 check could not run: not fully checked");
    expect(computeVerdict([finding("low")], [outcome("deps", "error", "boom")], { ...cfg, on_error: "fail" }).title).toBe(
      "1 check could not run: fails (on_error: fail); 1 low",
    );
    expect(computeVerdict([], [outcome("deps", "skipped", "offline")], cfg)).toMatchObject({
      conclusion: "pass",
      title: "No problems found; 1 check skipped",
      reasons: ["check deps was skipped: offline"],
    });
  });

  it("never blocks with fail_on: never, but still fails on errors under on_error: fail", () => {
    expect(computeVerdict([finding("critical")], [], { fail_on: "never", on_error: "neutral" }).conclusion).toBe("pass");
    expect(computeVerdict([finding("critical")], [outcome("x", "error")], { fail_on: "never", on_error: "fail" }).conclusion).toBe("fail");
  });
});
