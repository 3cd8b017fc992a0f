import { describe, expect, it } from "vitest";
import { findingMarker, fingerprintsIn, isSummaryComment, SUMMARY_MARKER, summaryStateMarker, summaryStateOf } from "../../src/app/markers.js";

describe("markers", () => {
  it("round-trips fingerprints through hidden comments", () => {
    const fp = "ab".repeat(32);
    expect(fingerprintsIn(`text\n${findingMarker(fp)}\n${findingMarker("cd".repeat(8))}`)).toEqual([fp, "cd".repeat(8)]);
    expect(fingerprintsIn(null)).toEqual([]);
  });

  it("refuses to write, and ignores, markers that are not hex fingerprints", () => {
    expect(() => findingMarker("--> <script>")).toThrow();
    expect(fingerprintsIn("<!-- pr-sentinel:fp=NOTHEX!!!!!! -->")).toEqual([]);
  });

  it("recognises the sticky summary comment and its state", () => {
    const body = `${SUMMARY_MARKER}\n${summaryStateMarker("clean")}\nall good`;
    expect(isSummaryComment(body)).toBe(true);
    expect(summaryStateOf(body)).toBe("clean");
    expect(isSummaryComment("a comment by a person")).toBe(false);
  });
});
