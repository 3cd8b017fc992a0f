import { describe, expect, it } from "vitest";
import { riskScore } from "../../src/posture/risk-score.js";
import { scoreConfigSchema } from "../../src/posture/score-config.js";
import type { Finding } from "../../src/core/types.js";

type Scored = Pick<Finding, "checkId" | "severity" | "confidence" | "identity" | "fingerprint" | "properties">;
let n = 0;
const finding = (over: Partial<Scored>): Scored => ({ checkId: "secrets", severity: "high", confidence: "high", fingerprint: `f${n++}`, ...over });
const defaults = scoreConfigSchema.parse({});

describe("riskScore", () => {
  it("is 0 with nothing found", () => {
    expect(riskScore([], defaults)).toEqual({ score: 0, criticality: "normal", criticalityMultiplier: 1, rows: [], points: 0 });
  });

  it("sums severity × confidence × check × verified points, by check, as a person would by hand", () => {
    const result = riskScore(
      [
        finding({ severity: "high" }), // 20
        finding({ severity: "medium", confidence: "medium" }), // 8 × 0.6 = 4.8
        finding({ severity: "critical", properties: { verified: true } }), // 40 × 2 = 80, over the cap with the rest
        finding({ checkId: "policy", severity: "low", confidence: "low" }), // 2 × 0.3 = 0.6
      ],
      defaults,
    );
    expect(result.rows).toEqual([
      { checkId: "secrets", findings: 3, points: 104.8 },
      { checkId: "policy", findings: 1, points: 0.6 },
    ]);
    expect(result.points).toBe(105.4);
    expect(result.score).toBe(100);
  });

  it("counts one identity once (one secret in three files is one risk)", () => {
    const same = { identity: "abc" };
    expect(riskScore([finding(same), finding(same), finding(same)], defaults).score).toBe(20);
    // The same identity in two checks is two things.
    expect(riskScore([finding(same), finding({ ...same, checkId: "dependencies" })], defaults).score).toBe(40);
  });

  it("applies the repository's criticality and the organisation's weights", () => {
    const config = scoreConfigSchema.parse({ criticality: "critical", weights: { severity: { high: 10 }, checks: { policy: 0.5 } } });
    const result = riskScore([finding({ severity: "high" }), finding({ checkId: "policy", severity: "high" })], config);
    expect(result.points).toBe(15);
    expect(result.criticalityMultiplier).toBe(2);
    expect(result.score).toBe(30);
    expect(riskScore([finding({ severity: "high" })], scoreConfigSchema.parse({ criticality: "low" })).score).toBe(10);
  });

  it("rejects weights out of range and unknown keys, naming them", () => {
    expect(() => scoreConfigSchema.parse({ criticality: "huge" })).toThrow(/criticality/);
    expect(() => scoreConfigSchema.parse({ weights: { severity: { high: -1 } } })).toThrow();
    expect(() => scoreConfigSchema.parse({ weights: { bogus: 1 } })).toThrow(/bogus/);
  });
});
