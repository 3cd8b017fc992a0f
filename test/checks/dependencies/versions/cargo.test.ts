import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const cargo = versionOrdering("crates.io");

describe("crates.io version ordering", () => {
  it("orders by SemVer precedence", () => {
    expectAscending(cargo, ["0.1.0", "0.1.1", "0.2.0-alpha.1", "0.2.0-beta", "0.2.0", "1.0.0-rc.1", "1.0.0", "1.0.10"]);
  });

  it("ignores build metadata", () => {
    expectEqual(cargo, "1.0.0+20130313144700", "1.0.0");
  });

  it("refuses a v prefix and partial versions, as Cargo does", () => {
    expectInvalid(cargo, ["v1.0.0", "1.0", "1"], "0.0.1");
  });
});
