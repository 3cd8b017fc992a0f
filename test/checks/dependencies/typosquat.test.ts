import { npmHighImpact } from "npm-high-impact";
import { describe, expect, it } from "vitest";
import { createTyposquatIndex, findTyposquatTarget } from "../../../src/checks/dependencies/typosquat.js";

describe("findTyposquatTarget", () => {
  it.each([
    ["lodahs", "lodash", "swapped letters"],
    ["electorn", "electron", "swapped letters"],
    ["wepback", "webpack", "swapped letters"],
    ["expresss", "express", "doubled letter"],
    ["reactt", "react", "doubled letter"],
    ["mongose", "mongoose", "dropped letter"],
    ["expres", "express", "dropped letter"],
    ["1odash", "lodash", "confusable letter"],
    ["m0ment", "moment", "confusable letter"],
    ["rnoment", "moment", "confusable letter"],
    ["axioa", "axios", "keyboard typo"],
    ["crossenv", "cross-env", "separator"],
    ["cross_env", "cross-env", "separator"],
    ["json-circular", "circular-json", "swapped words"],
    ["types-node", "@types/node", "scope"],
    ["typesnode", "@types/node", "scope"],
    ["@typescript_eslint/parser", "@typescript-eslint/parser", "separator"],
    ["@typescrpt-eslint/parser", "@typescript-eslint/parser", "dropped letter"],
  ])("%s imitates %s (%s)", (name, target, how) => {
    expect(findTyposquatTarget(name)).toEqual({ target, how });
  });

  it("compares in lower case and names the target as npm spells it", () => {
    expect(findTyposquatTarget("LODAHS")).toEqual({ target: "lodash", how: "swapped letters" });
    expect(findTyposquatTarget("JSONStraem")).toEqual({ target: "JSONStream", how: "swapped letters" });
  });

  it("never flags a popular name, checked against the whole list", () => {
    const flagged = npmHighImpact.filter((name) => findTyposquatTarget(name) !== undefined);
    expect(flagged).toEqual([]);
  });

  it.each([
    // popular themselves
    "lodash-es",
    "lodash.merge",
    "react-dom",
    // under a scope that popular packages use: one owner, not an outsider's squat
    "@babel/corre",
    "@types/lodahs",
    "@typescript-eslint/parsre",
    // shorter than 4 characters, or a target shorter than 4 (`zod`)
    "abc",
    "zzod",
    "ms1",
    // affixes and rescoping are left out (too many real wrappers and forks)
    "lodashjs",
    "node-lodash",
    "chalk-cli",
    "@acme/lodash",
    "emotion-utils",
    // plurals, versions, word-initial letters, 4-letter keyboard slips
    "requestss",
    "aws-sign",
    "hooks",
    "cord",
    // real, less popular packages
    "pr-sentinel",
    "ae-cvss-calculator",
    "npx-import-light",
    "octokit-auth-probot",
    "fastify-plugin-utils",
    "koa-router-decorators",
    "mongoose-autopopulate",
    "express-rate-limit-redis",
    "zustand-persist",
    "vue-virtual-scroller",
    "svelte-preprocess-less",
  ])("does not flag %s", (name) => {
    expect(findTyposquatTarget(name)).toBeUndefined();
  });

  it("is linear and safe on hostile names", () => {
    expect(findTyposquatTarget("a".repeat(100_000))).toBeUndefined();
    expect(findTyposquatTarget("@/")).toBeUndefined();
    expect(findTyposquatTarget("@@@@@@")).toBeUndefined();
    expect(findTyposquatTarget("")).toBeUndefined();
  });

  it("checks 20,000 names in well under a few seconds (microseconds each)", () => {
    findTyposquatTarget("warm-up-the-index");
    const names = Array.from({ length: 20_000 }, (_, i) => `${npmHighImpact[i % 5000]}${i % 2 ? "x" : ""}`);
    const started = performance.now();
    for (const name of names) findTyposquatTarget(name);
    // Measured at ~16–40 µs a name on a busy 2-core machine: 5 s leaves room for a slow CI.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("createTyposquatIndex", () => {
  const index = createTyposquatIndex(["express", "lodash", "@scope/thing"]);

  it("prefers the most popular target when several match", () => {
    // `abcdd` is a keyboard slip of both (d is between s and f).
    expect(createTyposquatIndex(["abcdf", "abcds"]).find("abcdd")).toEqual({ target: "abcdf", how: "keyboard typo" });
    expect(createTyposquatIndex(["abcds", "abcdf"]).find("abcdd")).toEqual({ target: "abcds", how: "keyboard typo" });
  });

  it("suppresses candidates under the popular names' scopes", () => {
    expect(index.find("@scope/thnig")).toBeUndefined();
    expect(index.find("@scoep/thing")).toEqual({ target: "@scope/thing", how: "swapped letters" });
  });

  it("does not call a plural a dropped letter", () => {
    expect(createTyposquatIndex(["requests"]).find("request")).toBeUndefined();
    expect(createTyposquatIndex(["request"]).find("reqest")).toEqual({ target: "request", how: "dropped letter" });
  });
});
