import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../../src/posture/audit/csv.js";
import { AuditExportError, isoInstant } from "../../../src/posture/audit/export.js";

describe("csvCell", () => {
  it("quotes per RFC 4180 only when needed", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvRow(["a", 1, null, true])).toBe("a,1,,true\r\n");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1+1`)).toMatch(new RegExp(`^"?'\\${start}`));
    expect(csvCell('=HYPERLINK("http://x.invalid")')).toBe('"\'=HYPERLINK(""http://x.invalid"")"');
    expect(csvCell("a=b")).toBe("a=b");
  });
});

describe("isoInstant", () => {
  it("takes a date or a zoned date-time and gives the stored form", () => {
    expect(isoInstant("2026-01-31", "since")).toBe("2026-01-31T00:00:00.000Z");
    expect(isoInstant("2026-01-31T10:00:00+02:00", "since")).toBe("2026-01-31T08:00:00.000Z");
    expect(isoInstant("2026-01-31T10:00Z", "until")).toBe("2026-01-31T10:00:00.000Z");
  });

  it("refuses what is not one, naming the flag", () => {
    for (const bad of ["2026-02-30", "yesterday", "2026-01-31T10:00:00", "1700000000", ""]) {
      expect(() => isoInstant(bad, "until")).toThrow(AuditExportError);
    }
    expect(() => isoInstant("soon", "since")).toThrow(/--since/);
  });
});
