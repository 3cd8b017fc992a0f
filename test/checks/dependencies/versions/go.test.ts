import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const go = versionOrdering("Go");

describe("Go module version ordering", () => {
  it("orders pseudo-versions as prereleases of the version they precede", () => {
    expectAscending(go, [
      "v0.0.0-20191109021931-daa7c04131f5",
      "v0.0.0-20200101000000-aaaaaaaaaaaa",
      "v0.1.0",
      "v1.2.3-pre",
      "v1.2.3-pre.0.20191109021931-daa7c04131f5",
      "v1.2.3",
      "v1.2.4-0.20191109021931-daa7c04131f5",
      "v1.2.4",
      "v2.0.0+incompatible",
      "v2.0.1",
    ]);
  });

  it("reads OSV's v-less spelling, +incompatible and the v1 / v1.2 shorthands like Go", () => {
    expectEqual(go, "v1.2.3", "1.2.3");
    expectEqual(go, "v2.0.0", "v2.0.0+incompatible");
    expectEqual(go, "v1", "v1.0.0");
    expectEqual(go, "v1.2", "v1.2.0");
  });

  it("refuses what is not a module version", () => {
    expectInvalid(go, ["", "latest", "master", "v1.2.3.4", "v01.2.3", "v1.2-pre"], "v0.0.1");
  });
});
