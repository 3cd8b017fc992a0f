import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const packagist = versionOrdering("Packagist");

describe("Packagist (Composer) version ordering", () => {
  it("orders stabilities dev < alpha < beta < RC < stable < patch", () => {
    expectAscending(packagist, [
      "1.0.0-dev",
      "1.0.0-alpha1",
      "1.0.0-alpha2",
      "1.0.0-beta",
      "1.0.0-beta1-dev",
      "1.0.0-beta1",
      "1.0.0-beta2",
      "1.0.0-RC1",
      "1.0.0",
      "1.0.0-p1",
      "1.0.0.1",
      "1.0.1",
    ]);
    expectAscending(packagist, ["1.0.0-beta1", "1.0.0-RC1", "1.0.0"]);
  });

  it("normalises the v prefix, four parts, aliases and case", () => {
    expectEqual(packagist, "v1.2.3", "1.2.3", "1.2.3.0", "1.2.3-stable");
    expectEqual(packagist, "1.0.0-RC1", "1.0.0-rc1", "1.0.0.RC1");
    expectEqual(packagist, "1.0.0-b2", "1.0.0-beta2", "1.0.0-beta.2");
    expectEqual(packagist, "1.0.0-pl1", "1.0.0-patch1", "1.0.0-p1");
    expectEqual(packagist, "1.0.0+build.1", "1.0.0");
  });

  it("refuses branch names and five-part versions", () => {
    expectInvalid(packagist, ["dev-main", "1.x-dev", "1.0.0.0.1", "", "1.0.0-foo"], "0.0.1");
  });
});
