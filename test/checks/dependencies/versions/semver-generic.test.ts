import { describe, it } from "vitest";
import { semverOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

describe("OSV SEMVER range ordering", () => {
  it("orders prereleases before their release", () => {
    expectAscending(semverOrdering, ["0.0.1", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.11", "1.0.0", "1.0.1", "2.0.0"]);
  });

  it("strips one leading v and ignores +incompatible", () => {
    expectEqual(semverOrdering, "2.0.0", "v2.0.0", "2.0.0+incompatible", "v2.0.0+incompatible");
  });

  it("refuses versions that are not SemVer 2.0", () => {
    expectInvalid(semverOrdering, ["0", "1.2", "vv1.2.3", "1.2.3.4", "1.0.0-", "*"], "0.0.1");
  });
});
