import { describe, expect, it } from "vitest";
import { normalizePypiName } from "../../../../src/checks/dependencies/parsers/pep503.js";

describe("normalizePypiName", () => {
  it("lowercases and folds runs of -, _ and . into one -", () => {
    expect(normalizePypiName("Django")).toBe("django");
    expect(normalizePypiName("zope.interface")).toBe("zope-interface");
    expect(normalizePypiName("typing_extensions")).toBe("typing-extensions");
    expect(normalizePypiName("Foo.-_Bar__baz")).toBe("foo-bar-baz");
    expect(normalizePypiName("ruamel.yaml.clib")).toBe("ruamel-yaml-clib");
  });

  it("leaves normalised names alone", () => {
    expect(normalizePypiName("requests")).toBe("requests");
    expect(normalizePypiName("charset-normalizer")).toBe("charset-normalizer");
  });
});
