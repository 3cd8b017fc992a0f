import { describe, expect, it } from "vitest";
import { fingerprint, keyedHash } from "../../src/core/fingerprint.js";

describe("fingerprint", () => {
  const base = { checkId: "secrets", ruleId: "secrets/x", path: "a.ts", key: "k", occurrence: 0 };
  it("is deterministic and changes with every part", () => {
    const fp = fingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ ...base })).toBe(fp);
    for (const change of [{ checkId: "c" }, { ruleId: "secrets/y" }, { path: "b.ts" }, { key: "k2" }, { occurrence: 1 }]) {
      expect(fingerprint({ ...base, ...change })).not.toBe(fp);
    }
  });

  it("does not confuse parts that concatenate the same", () => {
    expect(fingerprint({ ...base, path: "a", key: "bc" })).not.toBe(fingerprint({ ...base, path: "ab", key: "c" }));
  });
});

describe("keyedHash", () => {
  it("hides the value and is stable", () => {
    const h = keyedHash("ghp_secretvalue");
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain("secretvalue");
    expect(keyedHash("ghp_secretvalue")).toBe(h);
    expect(keyedHash("ghp_secretvaluf")).not.toBe(h);
  });
});
