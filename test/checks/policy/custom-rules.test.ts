/**
 * The repository's own policy rules (`checks.policy.forbidden`, `sensitive`, `rules`), through the
 * shared rule tester and the real config loader: patterns are RE2, only what the change brings counts.
 */
import { describe, expect, it } from "vitest";
import { policyCheck } from "../../../src/checks/policy/index.js";
import { ConfigError, configFromObject } from "../../../src/core/config/load-config.js";
import { linesReported, testRules } from "../../helpers/rule-tester.js";

const noEval = { rules: [{ id: "no-eval", paths: ["src/**"], pattern: "\\beval\\(", message: "eval() runs strings as code", severity: "high" }] };
const header = { rules: [{ id: "licence-header", paths: ["src/**/*.ts"], must_match: "^// SPDX-License-Identifier: ", message: "start with an SPDX header", severity: "low" }] };
const noHttp = { rules: [{ id: "no-http", paths: ["config/**"], must_not_match: "http://", message: "use https" }] };

testRules(policyCheck, [
  {
    ruleId: "custom-no-eval",
    valid: [
      { path: "src/a.ts", text: "const x = JSON.parse(input);\n", options: noEval },
      { path: "test/a.ts", text: "eval(code);\n", options: noEval, name: "outside the rule's paths" },
      { path: "src/a.ts", base: "eval(old);\n", text: "eval(old);\nconst y = 2;\n", options: noEval, name: "an eval the base already had" },
    ],
    invalid: [{ path: "src/a.ts", base: "const y = 2;\n", text: "const y = 2;\nreturn eval(code);\n", lines: [2], options: noEval }],
  },
  {
    ruleId: "custom-licence-header",
    valid: [
      { path: "src/a.ts", text: "// SPDX-License-Identifier: MIT\nexport {};\n", options: header },
      { path: "src/old.ts", base: "export const a = 1;\n", text: "export const a = 2;\n", options: header, name: "the base already lacked it" },
    ],
    invalid: [{ path: "src/new.ts", text: "export const a = 1;\n", lines: [1], options: header }],
  },
  {
    ruleId: "custom-no-http",
    valid: [{ path: "config/app.yml", text: "url: https://example.com\n", options: noHttp }],
    invalid: [{ path: "config/app.yml", text: "name: x\nurl: http://example.com\n", lines: [2], options: noHttp }],
  },
  {
    ruleId: "forbidden-path",
    valid: [{ path: "certs/ca.pem", text: "x\n", options: { forbidden: [{ paths: ["**/*.p12"], message: "no keystores" }] } }],
    invalid: [{ path: "certs/app.p12", text: "x\n", lines: [1], options: { forbidden: [{ paths: ["**/*.p12"], message: "no keystores" }] } }],
  },
  {
    ruleId: "sensitive-path",
    valid: [{ path: "README.md", text: "x\n", options: { sensitive: [{ paths: ["CODEOWNERS"], message: "needs a maintainer" }] } }],
    invalid: [{ path: "CODEOWNERS", text: "* @acme/team\n", lines: [1], options: { sensitive: [{ paths: ["CODEOWNERS"], message: "needs a maintainer" }] } }],
  },
]);

describe("custom policy patterns are untrusted", () => {
  it("refuses a pattern RE2 cannot compile, naming the key", () => {
    const config = { checks: { policy: { rules: [{ id: "bad", paths: ["**"], pattern: "(?<=x)y", message: "m" }] } } };
    expect(() => configFromObject(config, "test", [policyCheck])).toThrow(ConfigError);
    try {
      configFromObject(config, "test", [policyCheck]);
    } catch (error) {
      expect((error as ConfigError).problems.join("\n")).toContain("checks.policy.rules[0].pattern");
    }
  });

  it("runs a catastrophic-backtracking pattern in linear time", async () => {
    const options = { rules: [{ id: "redos", paths: ["**"], pattern: "^(a+)+$", message: "m" }] };
    // The rule runs: on a line it matches, it reports (so the empty result below is the rule's answer).
    expect((await linesReported(policyCheck, "custom-redos", { path: "x.txt", text: "b\naaaa\n", options })).lines).toEqual([2]);
    const started = performance.now();
    const { lines, problems } = await linesReported(policyCheck, "custom-redos", { path: "x.txt", text: `${"a".repeat(50_000)}!\n`, options });
    expect(problems).toEqual([]);
    expect(lines).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
