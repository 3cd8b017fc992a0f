import { describe, expect, it } from "vitest";
import { isReportFormat, REPORT_FORMATS, renderReport } from "../../src/reporters/index.js";
import { fullResult } from "./sample-result.js";

describe("renderReport", () => {
  it("offers the four formats", () => {
    expect(REPORT_FORMATS).toEqual(["text", "json", "sarif", "markdown"]);
    expect(isReportFormat("sarif")).toBe(true);
    expect(isReportFormat("html")).toBe(false);
  });

  it("renders each format, ending in a newline", () => {
    const result = fullResult();
    const options = { color: false, toolVersion: "1.2.3" };
    expect(JSON.parse(renderReport("json", result, options))).toMatchObject({ version: 1, tool: { version: "1.2.3" } });
    expect(JSON.parse(renderReport("sarif", result, options))).toMatchObject({ version: "2.1.0" });
    expect(renderReport("markdown", result, options)).toMatch(/^## ❌ PR Sentinel: /);
    expect(renderReport("text", result, options)).toMatch(/FAIL {2}1 critical, 1 high, 1 medium, 1 low: fails on high; 1 check could not run, 1 check skipped\n$/);
  });
});
