import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ECOSYSTEMS } from "../../../../src/checks/dependencies/model.js";
import { semverOrdering, versionOrdering } from "../../../../src/checks/dependencies/versions/index.js";

const versionLike = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^v?[0-9]{1,3}(\.[0-9]{1,3}){0,4}([-.+_][0-9A-Za-z]{1,6}){0,3}$/),
);

describe("versionOrdering", () => {
  it("has an ordering for every ecosystem", () => {
    for (const ecosystem of ECOSYSTEMS) expect(versionOrdering(ecosystem).isValid("1.0.0") || ecosystem === "Go").toBe(true);
    expect(versionOrdering("Go").isValid("v1.0.0")).toBe(true);
  });

  it.each([...ECOSYSTEMS, "SEMVER"] as const)("%s: compare is total and never throws on hostile input", (name) => {
    const ordering = name === "SEMVER" ? semverOrdering : versionOrdering(name);
    fc.assert(
      fc.property(versionLike, versionLike, versionLike, (a, b, c) => {
        const ab = ordering.compare(a, b);
        expect(ordering.compare(a, a)).toBe(0);
        expect(Math.sign(ordering.compare(b, a)) === -Math.sign(ab)).toBe(true);
        if (ab <= 0 && ordering.compare(b, c) <= 0) expect(ordering.compare(a, c)).toBeLessThanOrEqual(0);
        expect(typeof ordering.isValid(a)).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });

  it("never accepts versions longer than 256 characters", () => {
    const long = `1.${"0".repeat(300)}`;
    for (const ecosystem of ECOSYSTEMS) expect(versionOrdering(ecosystem).isValid(long)).toBe(false);
  });
});
