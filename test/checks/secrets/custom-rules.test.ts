import { describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../src/checks/secrets/check.js";
import { configFromText } from "../../../src/core/config/load-config.js";
import { addedFile, BASE62, randomFrom, scan, testRules } from "./harness.js";

const check = createSecretsCheck(testRules);

const acmeRule = {
  id: "acme-api-key",
  pattern: "acme_(?P<secret>[A-Za-z0-9]{32})",
  keywords: ["acme_"],
  severity: "critical",
  message: "Acme API key",
};

function configErrors(yaml: string): string {
  try {
    configFromText(yaml, ".github/pr-sentinel.yml", [check]);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("custom secret rules", () => {
  it("reports matches with the rule's message, severity and a custom- rule id", async () => {
    const key = randomFrom(BASE62, 32);
    const result = await scan(check, [addedFile("src/acme.ts", ["// nothing", `const k = "acme_${key}";`])], {
      custom_rules: [acmeRule],
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: "secrets/custom-acme-api-key",
      startLine: 2,
      severity: "critical",
      message: "Acme API key",
      properties: { provider: "custom" },
    });
    expect(result.findings[0]!.evidence).not.toContain(key.slice(0, 12));
  });

  it("applies min_entropy and the shared placeholder recogniser", async () => {
    const result = await scan(
      check,
      [addedFile("a.ts", [`acme_${"ab".repeat(16)}`, "acme_YOURKEYHEREexample0000000000a1"])],
      { custom_rules: [{ ...acmeRule, min_entropy: 3.5 }] },
    );
    expect(result.findings).toEqual([]);
  });

  it("rejects a pattern RE2 cannot compile, naming the rule and the key", () => {
    const message = configErrors(
      [
        "checks:",
        "  secrets:",
        "    custom_rules:",
        "      - id: backref",
        "        pattern: '(a+)\\1'",
        "        keywords: [aaa]",
        "        message: Back reference",
      ].join("\n"),
    );
    expect(message).toMatch(/checks\.secrets\.custom_rules\[0\]\.pattern/);
    expect(message).toMatch(/custom rule "backref": the pattern is not valid RE2 syntax/);
    expect(message).toMatch(/line 5/);
  });

  it("rejects lookaround, missing keywords and bad ids", () => {
    const message = configErrors(
      [
        "checks:",
        "  secrets:",
        "    custom_rules:",
        "      - id: Not Kebab",
        "        pattern: '(?<=x)y'",
        "        keywords: []",
        "        message: m",
      ].join("\n"),
    );
    expect(message).toMatch(/custom_rules\[0\]\.id/);
    expect(message).toMatch(/custom_rules\[0\]\.keywords/);
    expect(message).toMatch(/custom_rules\[0\]\.pattern/);
  });

  it("rejects an entropy override for a rule that does not exist", () => {
    expect(configErrors("checks:\n  secrets:\n    entropy:\n      no-such-rule: 4\n")).toMatch(
      /checks\.secrets\.entropy\.no-such-rule.*no secrets rule has the id "no-such-rule"/,
    );
  });

  it("stays linear on a pattern that would hang a backtracking engine", async () => {
    const evil = { id: "evil", pattern: "(a+)+$", keywords: ["aaa"], message: "evil" };
    const line = `${"a".repeat(3000)}!`;
    const started = performance.now();
    const result = await scan(check, [addedFile("x.txt", Array.from({ length: 200 }, () => line))], {
      custom_rules: [evil],
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.findings).toEqual([]);
  });

  it("skips lines longer than max_line_length for custom rules", async () => {
    const key = randomFrom(BASE62, 32);
    const result = await scan(check, [addedFile("a.js", [`${"x;".repeat(300)}acme_${key}`])], {
      custom_rules: [acmeRule],
      max_line_length: 500,
    });
    expect(result.findings).toEqual([]);
  });

  it("raises the entropy floor of a built-in rule by config", async () => {
    const file = addedFile("a.env", ['password = "Zq8vLm3Rt7Kp"']);
    expect((await scan(check, [file])).findings).toHaveLength(1);
    expect((await scan(check, [file], { entropy: { "test-generic-password": 5 } })).findings).toHaveLength(0);
    expect((await scan(check, [file], { entropy: { "*": 5 } })).findings).toHaveLength(0);
  });
});
