import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const nuget = versionOrdering("NuGet");

describe("NuGet version ordering", () => {
  it("orders case-insensitive prerelease labels before the release", () => {
    expectAscending(nuget, ["1.0.0-alpha", "1.0.0-Beta", "1.0.0"]);
    expectAscending(nuget, ["1.0.0-alpha.1", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-alpha.beta", "1.0.0-rc.1", "1.0.0"]);
  });

  it("compares four-part versions and pads missing parts with zero", () => {
    expectAscending(nuget, ["1.0", "1.0.0.1", "1.0.1", "1.2.3.4", "1.2.3.10", "1.10"]);
    expectEqual(nuget, "1.0", "1.0.0", "1.0.0.0", "1.00.0");
  });

  it("ignores metadata and prerelease case", () => {
    expectEqual(nuget, "1.0.0+build.7", "1.0.0");
    expectEqual(nuget, "1.0.0-RC1", "1.0.0-rc1");
  });

  it("refuses what NuGet refuses", () => {
    expectInvalid(nuget, ["", "v1.0.0", "1.0.0.0.0", "1.0.0-", "1.0.0-beta..1", "*", "[1.0,2.0)"], "0.0.1");
  });
});
