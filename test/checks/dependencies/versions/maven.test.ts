/**
 * Cases from Maven's own ComparableVersionTest (maven-artifact, branch maven-3.9.x:
 * VERSIONS_QUALIFIER, VERSIONS_NUMBER in its post MNG-7644 order, testVersionsEqual,
 * testVersionComparing, MNG-5568, MNG-6572, MNG-6964, MNG-7644) and the POM reference's version
 * order specification.
 */
import { describe, expect, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const maven = versionOrdering("Maven");

describe("Maven version ordering (ComparableVersion)", () => {
  it("orders the well-known qualifiers", () => {
    expectAscending(maven, ["1-alpha", "1-beta", "1-milestone", "1-rc", "1-SNAPSHOT", "1", "1-sp"]);
    expectEqual(maven, "1-rc", "1-cr");
    expectEqual(maven, "1", "1-ga", "1-final", "1-release", "1.0");
  });

  it("orders VERSIONS_QUALIFIER", () => {
    expectAscending(maven, [
      "1-alpha2snapshot",
      "1-alpha2",
      "1-alpha-123",
      "1-beta-2",
      "1-beta123",
      "1-m2",
      "1-m11",
      "1-rc",
      "1-cr2",
      "1-rc123",
      "1-SNAPSHOT",
      "1",
      "1-sp",
      "1-sp2",
      "1-sp123",
      "1-abc",
      "1-def",
      "1-pom-1",
      "1-1-snapshot",
      "1-1",
      "1-2",
      "1-123",
    ]);
  });

  it("orders VERSIONS_NUMBER", () => {
    expectAscending(maven, [
      "2.0",
      "2.0.a",
      "2-1",
      "2.0.2",
      "2.0.123",
      "2.1.0",
      "2.1-a",
      "2.1b",
      "2.1-c",
      "2.1-1",
      "2.1.0.1",
      "2.2",
      "2.123",
      "11.a2",
      "11.a11",
      "11.b2",
      "11.b11",
      "11.m2",
      "11.m11",
      "11",
      "11.a",
      "11b",
      "11c",
      "11m",
    ]);
  });

  it("treats these as equal (testVersionsEqual)", () => {
    expectEqual(maven, "1", "1.0", "1.0.0", "1-0", "1.0-0");
    expectEqual(maven, "1a", "1-a", "1.0-a", "1.0.0-a", "1.0a", "1.0.0a");
    expectEqual(maven, "1x", "1-x", "1.0-x", "1.0.0-x", "1.0x", "1.0.0x");
    expectEqual(maven, "1cr", "1rc");
    expectEqual(maven, "1a1", "1-alpha-1");
    expectEqual(maven, "1b2", "1-beta-2");
    expectEqual(maven, "1m3", "1-milestone-3", "1Milestone3", "1MILESTONE3");
    expectEqual(maven, "1X", "1x");
    expectEqual(maven, "1Cr", "1Rc", "1cR", "1rC");
    expectEqual(maven, "1ga", "1release", "1final", "1GA", "1RELeaSE", "1FinaL", "1");
    expectEqual(maven, "1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  });

  it("orders testVersionComparing pairs", () => {
    const pairs: [string, string][] = [
      ["1", "2"],
      ["1.5", "2"],
      ["1", "2.5"],
      ["1.0", "1.1"],
      ["1.1", "1.2"],
      ["1.0.0", "1.1"],
      ["1.0.1", "1.1"],
      ["1.1", "1.2.0"],
      ["1.0-alpha-1", "1.0"],
      ["1.0-alpha-1", "1.0-alpha-2"],
      ["1.0-alpha-1", "1.0-beta-1"],
      ["1.0-beta-1", "1.0-SNAPSHOT"],
      ["1.0-SNAPSHOT", "1.0"],
      ["1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"],
      ["1.0", "1.0-1"],
      ["1.0-1", "1.0-2"],
      ["1.0.0", "1.0-1"],
      ["2.0-1", "2.0.1"],
      ["2.0.1-klm", "2.0.1-lmn"],
      ["2.0.1", "2.0.1-xyz"],
      ["2.0.1", "2.0.1-123"],
      ["2.0.1-xyz", "2.0.1-123"],
      ["0.7", "2"],
      ["0.2", "1.0.7"],
    ];
    for (const pair of pairs) expectAscending(maven, pair);
  });

  it("keeps the regression cases MNG-5568, MNG-6572, MNG-6964, MNG-7644", () => {
    expectAscending(maven, ["6.1.0rc3", "6.1.0", "6.1H.5-beta"]);
    expectAscending(maven, ["20190126.230843", "1234567890.12345", "123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta"]);
    expectAscending(maven, ["1-0.alpha", "1-0.beta", "1"]);
    for (const x of ["abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"]) {
      expectAscending(maven, [`1.0.0.${x}1`, `1.0.0-${x}2`]);
      expectEqual(maven, `2-${x}`, `2.0.${x}`, `2.0.0.${x}`);
    }
  });

  it("ignores leading zeros whatever the length (MNG-6572)", () => {
    expectEqual(maven, "1", "01", "001", "0000000000000000001");
    expectEqual(maven, "0", "00", "0000000000000000000", "0.0.0");
    expectEqual(maven, "1.1", "1.01", "1.001");
  });

  it("orders real-world versions, unknown qualifiers after the release as Maven does", () => {
    // Jackson's `.pr1` is not a known qualifier, so Maven sorts 2.10.0.pr1 after 2.10.0.
    expectAscending(maven, ["2.9.10", "2.9.10.1", "2.9.10.8", "2.10.0", "2.10.0.pr1", "2.12.7.1"]);
    expectAscending(maven, ["1.2.17", "2.0-beta9", "2.0-rc1", "2.0", "2.14.1", "2.15.0", "2.17.0"]);
    expectAscending(maven, ["0.0.0-2021-05-17T01-01-51-5ec03a8b", "20.0.0"]);
    expectAscending(maven, ["10.0", "10.0.1", "11.0-rc1", "11.0"]);
  });

  it("refuses blanks and range syntax", () => {
    expectInvalid(maven, ["", " 1.0", "[1.0,2.0)", "1.0,2.0", "1.0 beta", "-1"], "0.1");
    expect(maven.isValid("r09")).toBe(true);
  });
});
