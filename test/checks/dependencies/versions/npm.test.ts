import { describe, expect, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const npm = versionOrdering("npm");

describe("npm version ordering", () => {
  it("orders by SemVer 2.0 precedence (semver.org section 11 example)", () => {
    expectAscending(npm, [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.2.0",
      "1.10.0",
      "2.0.0",
    ]);
  });

  it("ignores build metadata and one leading v", () => {
    expectEqual(npm, "1.2.3", "1.2.3+build.5", "v1.2.3");
  });

  it("refuses what strict semver refuses, and padded versions", () => {
    expectInvalid(npm, ["", "1.2", "1.2.3-01", "latest", " 1.2.3", "1.2.3 ", "=1.2.3", "^1.2.3", `1.2.${"9".repeat(300)}`], "0.0.1");
  });

  it("orders two invalid versions by their text without throwing", () => {
    expect(npm.compare("abc", "abd")).toBeLessThan(0);
    expect(npm.compare("abd", "abc")).toBeGreaterThan(0);
  });
});
