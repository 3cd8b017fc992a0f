import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const rubygems = versionOrdering("RubyGems");

describe("RubyGems version ordering", () => {
  it("puts any version with a letter before its release", () => {
    expectAscending(rubygems, ["0.9", "1.0.0.a", "1.0.0.beta", "1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.0.1", "1.0.1", "1.10"]);
  });

  it("ignores trailing zeros and reads - as .pre.", () => {
    expectEqual(rubygems, "1.0", "1.0.0", "1");
    expectEqual(rubygems, "1.0.0-rc1", "1.0.0.pre.rc1");
  });

  it("refuses empty, padded and malformed versions", () => {
    expectInvalid(rubygems, ["", " ", "1.0 ", "1..0", "garbage!", "1.13.8-x86_64 linux"], "0.1");
  });
});
