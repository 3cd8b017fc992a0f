import { describe, expect, it } from "vitest";
import { planReview, splitCandidates } from "../../src/app/plan-review.js";
import { config, finding, scanResult } from "./findings.fixture.js";

function plan(findings: ReturnType<typeof finding>[], review: object = {}, alreadyReported = new Set<string>()) {
  const cfg = config({ review });
  return planReview({ result: scanResult(findings, cfg), review: cfg.review, candidates: splitCandidates(findings, cfg.review), alreadyReported });
}

describe("planReview", () => {
  it("anchors one comment per commentable finding on its end line, RIGHT side", () => {
    const p = plan([finding({ startLine: 4, endLine: 5, key: "a" })]);
    expect(p?.event).toBe("COMMENT");
    expect(p?.comments).toEqual([expect.objectContaining({ path: "src/a.ts", line: 5, side: "RIGHT" })]);
  });

  it("lists findings outside the diff or below min_inline_confidence in the body instead", () => {
    const outside = finding({ commentable: false, key: "out", path: "src/outside.ts" });
    const unsure = finding({ confidence: "low", key: "low", path: "src/unsure.ts" });
    const p = plan([outside, unsure]);
    expect(p?.comments).toEqual([]);
    expect(p?.body).toContain("src/outside.ts");
    expect(p?.body).toContain("src/unsure.ts");
    expect(plan([unsure], { min_inline_confidence: "low" })?.comments).toHaveLength(1);
  });

  it("caps inline comments at max_inline_comments and lists the rest", () => {
    const many = Array.from({ length: 5 }, (_, i) => finding({ key: `k${i}`, startLine: i + 1, endLine: i + 1 }));
    const p = plan(many, { max_inline_comments: 2 });
    expect(p?.comments).toHaveLength(2);
    expect(p?.body).toContain("3 more new findings");
  });

  it("says nothing about findings already reported, and returns nothing when nothing is new", () => {
    const old = finding({ key: "old" });
    const fresh = finding({ key: "fresh", startLine: 9, endLine: 9 });
    const p = plan([old, fresh], {}, new Set([old.fingerprint]));
    expect(p?.comments.map((c) => c.line)).toEqual([9]);
    expect(plan([old], {}, new Set([old.fingerprint]))).toBeUndefined();
    expect(plan([])).toBeUndefined();
  });

  it("uses REQUEST_CHANGES when configured", () => {
    expect(plan([finding()], { event: "REQUEST_CHANGES" })?.event).toBe("REQUEST_CHANGES");
  });
});
