/**
 * Long hexadecimal values are judged by a threshold fair to hex's 4-bit alphabet (entropy.ts): a
 * random 32-digit key under a credential name is found even when its entropy is in the low tail,
 * while a threshold the config sets, and a custom rule's own, apply as written.
 */
import { describe, expect, it } from "vitest";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { createSecretsCheck } from "../../../src/checks/secrets/check.js";
import { hexEntropyThreshold, isLongHex, shannonEntropy } from "../../../src/checks/secrets/entropy.js";
import { addedFile, scan, testRules } from "./harness.js";

/** 32 random-looking hex digits whose entropy is below 3.5 bits (the generic rules' built-in threshold). */
const LOW_TAIL_KEY = "9dadd0acfc5b2cd22752bf99a9d5c99b";

describe("the hexadecimal entropy threshold", () => {
  it("applies to 32 or more hex digits only, and never raises a threshold", () => {
    expect(shannonEntropy(LOW_TAIL_KEY)).toBeLessThan(3.5);
    expect(shannonEntropy(LOW_TAIL_KEY)).toBeGreaterThan(3);
    expect(isLongHex(LOW_TAIL_KEY)).toBe(true);
    expect(isLongHex(LOW_TAIL_KEY.slice(1))).toBe(false);
    expect(isLongHex(`SK${LOW_TAIL_KEY}`)).toBe(false);
    expect(hexEntropyThreshold(3.5)).toBe(3);
    expect(hexEntropyThreshold(2.5)).toBe(2.5);
  });

  it("finds a random 32-digit API key in the low entropy tail, and still not a repeated pattern", async () => {
    const found = await scan(secretsCheck, [addedFile("config/settings.py", [`API_KEY = "${LOW_TAIL_KEY}"`, `OTHER_API_KEY = "${"deadbeef".repeat(4)}"`])]);
    expect(found.findings.map((f) => [f.ruleId, f.startLine])).toEqual([["secrets/generic-api-key-assignment", 1]]);
  });

  it("leaves a threshold set in config as it is", async () => {
    const quiet = await scan(secretsCheck, [addedFile("config/settings.py", [`API_KEY = "${LOW_TAIL_KEY}"`])], { entropy: { "generic-api-key-assignment": 3.5 } });
    expect(quiet.findings).toEqual([]);
  });

  it("leaves a custom rule's own min_entropy as it is", async () => {
    const check = createSecretsCheck(testRules);
    const rule = { id: "acme-hex", pattern: "acme_(?P<secret>[0-9a-f]{32})", keywords: ["acme_"], message: "Acme key", severity: "high" };
    const strict = await scan(check, [addedFile("a.ts", [`acme_${LOW_TAIL_KEY}`])], { custom_rules: [{ ...rule, min_entropy: 3.5 }] });
    expect(strict.findings).toEqual([]);
    const lenient = await scan(check, [addedFile("a.ts", [`acme_${LOW_TAIL_KEY}`])], { custom_rules: [{ ...rule, min_entropy: 3 }] });
    expect(lenient.findings).toHaveLength(1);
  });
});
