import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { lazyRequire } from "../../src/core/lazy-require.js";

const requireHere = createRequire(import.meta.url);

describe("lazyRequire", () => {
  it("requires nothing until first called, then gives the module's exports, once", () => {
    const missing = lazyRequire("pr-sentinel-no-such-package");
    // Creating it does not resolve: a missing package fails only where it is used.
    expect(() => missing()).toThrow(/pr-sentinel-no-such-package/);

    const saxes = lazyRequire<typeof import("saxes")>("saxes");
    const first = saxes();
    expect(first).toBe(requireHere("saxes"));
    expect(typeof first.SaxesParser).toBe("function");
    expect(saxes()).toBe(first);
  });
});
