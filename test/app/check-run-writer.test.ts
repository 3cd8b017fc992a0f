import { describe, expect, it } from "vitest";
import { annotationFor, batches } from "../../src/app/check-run-writer.js";
import { truncate } from "../../src/app/github-limits.js";
import { finding } from "./findings.fixture.js";

describe("annotationFor", () => {
  it("maps severity to annotation level and keeps the lines", () => {
    expect(annotationFor(finding({ severity: "critical" })).annotation_level).toBe("failure");
    expect(annotationFor(finding({ severity: "medium" })).annotation_level).toBe("warning");
    expect(annotationFor(finding({ severity: "info", startLine: 2, endLine: 4 }))).toMatchObject({ annotation_level: "notice", start_line: 2, end_line: 4 });
  });

  it("keeps the title within 255 characters", () => {
    expect(annotationFor(finding({ ruleId: `secrets/${"r".repeat(400)}` })).title.length).toBeLessThanOrEqual(255);
  });
});

describe("batches and truncate", () => {
  it("splits 120 annotations into 50, 50 and 20", () => {
    expect(batches(Array.from({ length: 120 }, (_, i) => i), 50).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches([], 50)).toEqual([]);
  });

  it("cuts text to the limit with a note, leaving short text alone", () => {
    expect(truncate("short", 10)).toBe("short");
    const cut = truncate("x".repeat(100), 60, "…cut");
    expect(cut).toHaveLength(60);
    expect(cut.endsWith("…cut")).toBe(true);
  });
});
