import { describe, expect, it } from "vitest";
import { z } from "zod";
import { evaluateLicense, isValidSpdxId } from "../../../src/checks/dependencies/license.js";

describe("evaluateLicense", () => {
  it("reports nothing without a policy, not even a missing licence", () => {
    for (const license of [undefined, "", "UNLICENSED", "GPL-3.0-only", "not spdx at all"]) {
      expect(evaluateLicense(license, {})).toEqual({ ok: true });
      expect(evaluateLicense(license, { allow: [], deny: [] })).toEqual({ ok: true });
    }
  });

  describe("allow", () => {
    const allow = ["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"];

    it.each(["MIT", "(MIT OR GPL-3.0-only)", "GPL-3.0-only OR MIT", "MIT AND ISC", "(MIT OR Apache-2.0) AND BSD-3-Clause"])("accepts %s", (license) => {
      expect(evaluateLicense(license, { allow })).toEqual({ ok: true });
    });

    it.each(["GPL-3.0-only", "MIT AND GPL-3.0-only", "(MIT OR ISC) AND LGPL-2.1-only", "LicenseRef-Proprietary"])("reports %s as not allowed", (license) => {
      const verdict = evaluateLicense(license, { allow });
      expect(verdict).toMatchObject({ ok: false, reason: "not-allowed" });
      expect(verdict.ok === false && verdict.detail).toBe(`\`${license}\`, which the allowed licences (MIT, ISC, Apache-2.0, BSD-3-Clause) do not cover`);
    });

    it("understands ranges and deprecated ids on either side", () => {
      expect(evaluateLicense("GPL-3.0", { allow: ["GPL-2.0+"] })).toEqual({ ok: true });
      expect(evaluateLicense("GPL-3.0-only", { allow: ["GPL-3.0"] })).toEqual({ ok: true });
      expect(evaluateLicense("GPL-1.0", { allow: ["GPL-2.0+"] })).toMatchObject({ reason: "not-allowed" });
    });
  });

  describe("deny", () => {
    const deny = ["GPL-3.0-only", "AGPL-3.0-only"];

    it.each(["MIT", "MIT OR GPL-3.0-only", "(GPL-3.0-only OR Apache-2.0) AND MIT", "LGPL-2.1-only"])("accepts %s: a denied licence can be avoided", (license) => {
      expect(evaluateLicense(license, { deny })).toEqual({ ok: true });
    });

    it("names the denied licence the expression requires", () => {
      expect(evaluateLicense("GPL-3.0-only", { deny })).toEqual({ ok: false, reason: "denied", detail: "`GPL-3.0-only`, which requires the denied `GPL-3.0-only`" });
      expect(evaluateLicense("MIT AND (AGPL-3.0-only OR AGPL-3.0-only)", { deny })).toMatchObject({ reason: "denied", detail: expect.stringContaining("requires the denied `AGPL-3.0-only`") });
      // The deprecated id is the same licence.
      expect(evaluateLicense("GPL-3.0", { deny })).toMatchObject({ reason: "denied" });
    });

    it("says so when every choice includes a denied licence though none is required alone", () => {
      expect(evaluateLicense("(GPL-3.0-only OR AGPL-3.0-only) AND MIT", { deny })).toEqual({
        ok: false,
        reason: "denied",
        detail: "`(GPL-3.0-only OR AGPL-3.0-only) AND MIT`, and every choice it offers includes a denied licence (GPL-3.0-only, AGPL-3.0-only)",
      });
    });

    it("denies a whole family with a range entry", () => {
      expect(evaluateLicense("GPL-3.0-only", { deny: ["GPL-2.0+"] })).toMatchObject({ reason: "denied" });
      expect(evaluateLicense("GPL-2.0-or-later", { deny: ["GPL-2.0+"] })).toMatchObject({ reason: "denied" });
      expect(evaluateLicense("LGPL-2.1-only", { deny: ["GPL-2.0+"] })).toEqual({ ok: true });
    });

    it("does not count a range in the expression as denied when a version in it is not", () => {
      expect(evaluateLicense("GPL-2.0-or-later", { deny: ["GPL-2.0-only"] })).toEqual({ ok: true });
      expect(evaluateLicense("GPL-2.0+", { deny: ["GPL-3.0+"] })).toEqual({ ok: true });
      expect(evaluateLicense("GPL-2.0+", { deny: ["GPL-1.0+"] })).toMatchObject({ reason: "denied" });
    });

    it("treats a licence exception as other terms", () => {
      const classpath = "GPL-2.0-only WITH Classpath-exception-2.0";
      expect(evaluateLicense(classpath, { deny: ["GPL-2.0-only"] })).toEqual({ ok: true });
      expect(evaluateLicense(classpath, { deny: [classpath] })).toMatchObject({ reason: "denied" });
    });

    it("checks deny before allow", () => {
      expect(evaluateLicense("GPL-3.0-only", { allow: ["MIT"], deny })).toMatchObject({ reason: "denied" });
      expect(evaluateLicense("ISC", { allow: ["MIT"], deny })).toMatchObject({ reason: "not-allowed" });
    });
  });

  describe("missing and unparsable", () => {
    const policy = { allow: ["MIT"] };

    it.each([
      [undefined, "the `license` field is missing or empty"],
      ["   ", "the `license` field is missing or empty"],
      ["UNLICENSED", "`UNLICENSED` means no licence is granted to others"],
      ["SEE LICENSE IN LICENSE.md", "`SEE LICENSE IN LICENSE.md` points to a licence file in the package, not an SPDX expression"],
      ["NOASSERTION", "`NOASSERTION` states no licence"],
    ])("reports %j as missing", (license, detail) => {
      expect(evaluateLicense(license, policy)).toEqual({ ok: false, reason: "missing", detail });
      expect(evaluateLicense(license, { deny: ["GPL-3.0-only"] })).toMatchObject({ reason: "missing" });
    });

    it.each(["MIT License", "mit", "BSD", "Apache 2.0", "MIT AND", "(MIT", "MIT OR OR ISC"])("reports %j as unparsable", (license) => {
      expect(evaluateLicense(license, policy)).toEqual({
        ok: false,
        reason: "unparsable",
        detail: `\`${license}\`, which is not an SPDX expression (https://spdx.org/licenses/), so the licence policy cannot be applied`,
      });
    });

    it("quotes hostile text on one bounded line without backticks", () => {
      const verdict = evaluateLicense("evil `code`\n\n@everyone " + "x".repeat(500), policy);
      expect(verdict.ok).toBe(false);
      const detail = verdict.ok ? "" : verdict.detail;
      expect(detail).not.toContain("\n");
      expect(detail.match(/`/g)).toHaveLength(2);
      expect(detail.length).toBeLessThan(250);
    });

    it("survives absurd nesting and length", () => {
      expect(evaluateLicense(`${"(".repeat(400)}MIT${")".repeat(400)}`, policy)).toEqual({ ok: true });
      expect(evaluateLicense(`${"(".repeat(20_000)}MIT${")".repeat(20_000)}`, policy)).toMatchObject({ reason: "unparsable" });
      expect(evaluateLicense(Array.from({ length: 300 }, () => "MIT").join(" OR "), policy)).toMatchObject({ reason: "unparsable" });
    });
  });
});

describe("isValidSpdxId", () => {
  it.each(["MIT", "Apache-2.0", "GPL-3.0-only", "GPL-2.0+", "GPL-2.0-or-later", "GPL-3.0", "Apache-2.0 WITH LLVM-exception", "LicenseRef-Proprietary"])("accepts %s", (id) => {
    expect(isValidSpdxId(id)).toBe(true);
  });

  it.each(["", "mit", "MIT License", "MIT OR ISC", "(MIT)", " MIT", "UNLICENSED", "Foo-1.0", "x".repeat(101)])("rejects %j", (id) => {
    expect(isValidSpdxId(id)).toBe(false);
  });

  it("works as a zod refinement for config lists", () => {
    const list = z.array(z.string().refine(isValidSpdxId, { message: "expected an SPDX licence id" }));
    expect(list.safeParse(["MIT", "ISC"]).success).toBe(true);
    const result = list.safeParse(["MIT", "Apache 2"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: [1], message: "expected an SPDX licence id" });
  });
});
