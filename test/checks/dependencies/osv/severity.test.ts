import { describe, expect, it } from "vitest";
import { advisorySeverity, cvssBaseScore, severityFromScore } from "../../../../src/checks/dependencies/osv/severity.js";
import { osvRecordSchema, type OsvRecord } from "../../../../src/services/osv/osv-record.js";
import { osvFixture } from "./records.js";

const V31_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V31_MEDIUM = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N";
const V40_CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
const V2_HIGH = "AV:N/AC:L/Au:N/C:P/I:P/A:P";

function record(fields: Record<string, unknown>): OsvRecord {
  return osvRecordSchema.parse({ id: "GHSA-test-test-test", ...fields });
}

describe("cvssBaseScore", () => {
  it.each([
    ["CVSS_V3", V31_CRITICAL, 9.8, "3.1"],
    ["CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "3.0"],
    ["CVSS_V3", V31_MEDIUM, 6.1, "3.1"],
    ["CVSS_V3", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 3.3, "3.1"],
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "3.1"],
    ["CVSS_V4", V40_CRITICAL, 9.3, "4.0"],
    ["CVSS_V4", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, "4.0"],
    ["CVSS_V2", V2_HIGH, 7.5, "2.0"],
    ["CVSS_V2", "AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, "2.0"],
  ])("%s %s scores %s", (type, vector, score, version) => {
    expect(cvssBaseScore(type, vector)).toEqual({ score, version, vector });
  });

  it("scores the base metrics only (temporal, threat and environmental metrics left out)", () => {
    expect(cvssBaseScore("CVSS_V4", `${V40_CRITICAL}/E:U`)?.score).toBe(9.3);
    expect(cvssBaseScore("CVSS_V3", `${V31_CRITICAL}/E:U/RL:O/RC:C`)?.score).toBe(9.8);
    expect(cvssBaseScore("CVSS_V2", `${V2_HIGH}/E:POC/RL:OF/RC:C`)?.score).toBe(7.5);
  });

  it.each([
    ["CVSS_V3", "CVSS:3.1/AV:N"],
    ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"],
    ["CVSS_V3", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"],
    ["CVSS_V3", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"],
    ["CVSS_V3", `${V31_CRITICAL}/AV:L`],
    ["CVSS_V3", `${V31_CRITICAL}/FOO:BAR`],
    ["CVSS_V3", `${V31_CRITICAL}/E:Q`],
    ["CVSS_V3", `${V31_CRITICAL}/`],
    ["CVSS_V3", V40_CRITICAL],
    ["CVSS_V4", V31_CRITICAL],
    ["CVSS_V2", V31_CRITICAL],
    ["CVSS_V3", "9.8"],
    ["CVSS_V3", "garbage"],
    ["CVSS_V3", ""],
    ["CVSS_V3", `${V31_CRITICAL}${"/E:U".repeat(400)}`],
    ["Ubuntu", "high"],
    ["CVSS_V5", "CVSS:5.0/AV:N"],
  ])("skips %s %j", (type, vector) => {
    expect(cvssBaseScore(type, vector)).toBeUndefined();
  });
});

describe("severityFromScore", () => {
  it.each([
    [10, "critical"],
    [9.0, "critical"],
    [8.9, "high"],
    [7.0, "high"],
    [6.9, "medium"],
    [4.0, "medium"],
    [3.9, "low"],
    [0.1, "low"],
    [0, "info"],
  ])("%s is %s", (score, severity) => {
    expect(severityFromScore(score)).toBe(severity);
  });
});

describe("advisorySeverity", () => {
  it("rates MAL- records critical as malware", () => {
    expect(advisorySeverity(osvFixture("mal-npm.json"))).toEqual({ severity: "critical", source: "malware" });
    expect(advisorySeverity(record({ aliases: ["MAL-2025-1"], database_specific: { severity: "LOW" } })).source).toBe("malware");
  });

  it("prefers GitHub's rating and still reports the CVSS score", () => {
    expect(advisorySeverity(osvFixture("ghsa-npm-lodash.json"))).toEqual({
      severity: "critical",
      score: 9.8,
      vector: V31_CRITICAL,
      source: "ghsa",
    });
    expect(advisorySeverity(record({ database_specific: { severity: "MODERATE" }, severity: [{ type: "CVSS_V3", score: V31_CRITICAL }] }))).toEqual({
      severity: "medium",
      score: 9.8,
      vector: V31_CRITICAL,
      source: "ghsa",
    });
    expect(advisorySeverity(osvFixture("last-affected.json"))).toEqual({ severity: "medium", source: "ghsa" });
    expect(advisorySeverity(osvFixture("maven-jackson-several-ranges.json"))).toEqual({ severity: "high", source: "ghsa" });
  });

  it("reads GitHub's rating on the package's affected entry", () => {
    const twoPackages = record({
      affected: [
        { package: { ecosystem: "npm", name: "a" }, database_specific: { severity: "LOW" } },
        { package: { ecosystem: "npm", name: "b" }, database_specific: { severity: "HIGH" } },
      ],
    });
    expect(advisorySeverity(twoPackages, { ecosystem: "npm", name: "a" })).toEqual({ severity: "low", source: "ghsa" });
    expect(advisorySeverity(twoPackages, { ecosystem: "npm", name: "b" })).toEqual({ severity: "high", source: "ghsa" });
    expect(advisorySeverity(twoPackages)).toEqual({ severity: "high", source: "ghsa" });
  });

  it("ignores ratings it does not know", () => {
    expect(advisorySeverity(record({ database_specific: { severity: "SEVERE" } }))).toEqual({ severity: "medium", source: "unknown" });
    expect(advisorySeverity(record({ database_specific: { severity: 7 } }))).toEqual({ severity: "medium", source: "unknown" });
  });

  it("falls back to the highest CVSS base score, record and affected level", () => {
    expect(advisorySeverity(record({ severity: [{ type: "CVSS_V3", score: V31_MEDIUM }] }))).toEqual({
      severity: "medium",
      score: 6.1,
      vector: V31_MEDIUM,
      source: "cvss_v3",
    });
    expect(advisorySeverity(record({ severity: [{ type: "CVSS_V4", score: V40_CRITICAL }] }))).toEqual({
      severity: "critical",
      score: 9.3,
      vector: V40_CRITICAL,
      source: "cvss_v4",
    });
    expect(
      advisorySeverity(
        record({
          severity: [{ type: "CVSS_V2", score: V2_HIGH }],
          affected: [{ package: { ecosystem: "PyPI", name: "x" }, severity: [{ type: "CVSS_V3", score: V31_MEDIUM }] }],
        }),
      ),
    ).toEqual({ severity: "high", score: 7.5, vector: V2_HIGH, source: "cvss_v2" });
    expect(
      advisorySeverity(
        record({ affected: [{ package: { ecosystem: "Go", name: "m" }, severity: [{ type: "CVSS_V3", score: V31_CRITICAL }] }] }),
        { ecosystem: "Go", name: "m" },
      ).score,
    ).toBe(9.8);
  });

  it("rates a zero score info", () => {
    const zero = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N";
    expect(advisorySeverity(record({ severity: [{ type: "CVSS_V3", score: zero }] }))).toEqual({
      severity: "info",
      score: 0,
      vector: zero,
      source: "cvss_v3",
    });
  });

  it("skips malformed vectors and keeps the valid one", () => {
    const mixed = record({
      severity: [
        { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L" },
        { type: "CVSS_V3", score: "CVSS:3.1/AV:N" },
        { type: "CVSS_V3", score: V31_MEDIUM },
        { type: "Ubuntu", score: "critical" },
      ],
    });
    expect(advisorySeverity(mixed)).toEqual({ severity: "medium", score: 6.1, vector: V31_MEDIUM, source: "cvss_v3" });
  });

  it("says medium, source unknown, when the record rates nothing (documented default)", () => {
    expect(advisorySeverity(osvFixture("go-x-crypto.json"))).toEqual({ severity: "medium", source: "unknown" });
    expect(advisorySeverity(record({ severity: [{ type: "CVSS_V3", score: "garbage" }] }))).toEqual({ severity: "medium", source: "unknown" });
  });
});
