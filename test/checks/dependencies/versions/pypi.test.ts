import { describe, it } from "vitest";
import { versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";
import { expectAscending, expectEqual, expectInvalid } from "./ordering-helpers.js";

const pypi = versionOrdering("PyPI");

describe("PyPI version ordering (PEP 440)", () => {
  it("orders dev < a < b < rc < release < post (the PEP's own sequence)", () => {
    expectAscending(pypi, ["1.0.dev1", "1.0a1", "1.0b1", "1.0rc1", "1.0", "1.0.post1"]);
  });

  it("orders the PEP 440 summary example", () => {
    expectAscending(pypi, [
      "1.0.dev456",
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0rc1.dev456",
      "1.0rc1",
      "1.0",
      "1.0+abc.5",
      "1.0+abc.7",
      "1.0+5",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.1.dev1",
    ]);
  });

  it("pads release segments and honours epochs", () => {
    expectEqual(pypi, "1.0", "1.0.0", "1");
    expectAscending(pypi, ["2.0", "1!0.5"]);
  });

  it("refuses non-PEP 440 versions", () => {
    expectInvalid(pypi, ["", "latest", "1.0-SNAPSHOT", "1.0 ", "==1.0"], "0.1");
  });
});
