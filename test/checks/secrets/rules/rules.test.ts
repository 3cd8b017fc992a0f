import RE2 from "re2";
import { describe, expect, it } from "vitest";
import { secretRuleFamilies, secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { candidates, findings, globalOf } from "./evaluate.js";

const SEVERITIES = ["critical", "high", "medium", "low", "info"];

describe("secret rules: conventions", () => {
  it("has at least 150 rules, each in exactly one family", () => {
    expect(secretRules.length).toBeGreaterThanOrEqual(150);
    const inFamilies = Object.values(secretRuleFamilies).flat();
    expect(inFamilies).toHaveLength(secretRules.length);
    expect(new Set(inFamilies)).toEqual(new Set(secretRules));
  });

  it("has unique kebab-case ids", () => {
    const ids = secretRules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  for (const rule of secretRules) {
    describe(rule.id, () => {
      it("is complete metadata", () => {
        expect(rule.provider.trim()).not.toBe("");
        expect(rule.title.trim()).not.toBe("");
        expect(SEVERITIES).toContain(rule.severity);
        expect(rule.remediation).toContain("https://");
        expect(rule.remediation).not.toMatch(/\n/);
        expect(rule.pattern.flags).not.toMatch(/[gy]/);
        if (rule.redactPrefix !== undefined) expect(rule.redactPrefix).not.toBe("");
        if (rule.confidence === "low" || rule.confidence === "medium") expect(["medium", "low", "high"]).toContain(rule.severity);
      });

      it("has lowercase ASCII keywords, and every positive contains one", () => {
        // A rule limited to paths may have none: it runs on every added line of its files.
        if (!rule.paths) expect(rule.keywords.length).toBeGreaterThan(0);
        for (const keyword of rule.keywords) {
          expect(keyword).toBe(keyword.toLowerCase());
          expect(keyword).toMatch(/^[\x20-\x7e]+$/);
          expect(keyword.length).toBeGreaterThan(1);
        }
        if (rule.keywords.length === 0) return;
        for (const positive of rule.samples.positives) {
          const lower = positive.toLowerCase();
          expect(rule.keywords.some((keyword) => lower.includes(keyword)), positive.slice(0, 60)).toBe(true);
        }
      });

      it("has at least two positives and two negatives", () => {
        expect(rule.samples.positives.length).toBeGreaterThanOrEqual(2);
        expect(rule.samples.negatives.length).toBeGreaterThanOrEqual(2);
      });

      it("reports exactly one secret on each positive", () => {
        for (const positive of rule.samples.positives) {
          const found = findings(rule, positive);
          expect(found, `${rule.id}: ${positive.slice(0, 80)}`).toHaveLength(1);
          expect(positive).toContain(found[0]);
        }
      });

      it("has a redaction prefix that starts the secrets it reports", () => {
        // Rules with several markers (AKIA/ASIA, xkeysib-/xsmtpsib-) name the most common one.
        if (rule.redactPrefix === undefined) return;
        const secrets = rule.samples.positives.flatMap((positive) => findings(rule, positive));
        expect(secrets.some((secret) => secret.startsWith(rule.redactPrefix!)), `${rule.id}: ${rule.redactPrefix}`).toBe(true);
      });

      it("reports nothing on each negative", () => {
        for (const negative of rule.samples.negatives) {
          expect(findings(rule, negative), `${rule.id}: ${negative.slice(0, 80)}`).toEqual([]);
        }
      });

      it("compiles with RE2, so it is linear-time and usable by a linear engine", () => {
        expect(() => new RE2(rule.pattern)).not.toThrow();
      });
    });
  }
});

describe("secret rules: no catastrophic backtracking", () => {
  const SIZE = 50_000;
  const repeat = (unit: string): string => unit.repeat(Math.ceil(SIZE / Math.max(1, unit.length))).slice(0, SIZE);

  /** Inputs built to make a backtracking engine revisit the same characters: repeated prefixes, long runs. */
  function adversarialInputs(positive: string, keyword: string): string[] {
    const prefix = positive.slice(0, 24);
    return [
      repeat(prefix),
      repeat(positive.slice(0, Math.max(8, positive.length - 3))),
      repeat(`${keyword}a`),
      repeat(`${keyword}=`),
      keyword + repeat("A1b2C3d4"),
      repeat(`${keyword} = "a" `),
      repeat("a"),
      repeat("0123456789abcdef"),
      repeat("-----BEGIN RSA PRIVATE KEY-----\n"),
      repeat("eyJ"),
    ];
  }

  for (const rule of secretRules) {
    it(`${rule.id} stays fast on 50 KB adversarial input`, () => {
      const re = globalOf(rule.pattern);
      let slowest = 0;
      for (const input of adversarialInputs(rule.samples.positives[0] ?? "", rule.keywords[0] ?? "")) {
        const started = performance.now();
        re.lastIndex = 0;
        let guard = 0;
        while (re.exec(input) !== null && guard++ < 100_000) {
          if (re.lastIndex === 0) break;
        }
        slowest = Math.max(slowest, performance.now() - started);
      }
      // A linear pattern takes a few milliseconds here; a backtracking one takes seconds.
      expect(slowest).toBeLessThan(400);
    });
  }
});

describe("secret rules: candidates help explain failures", () => {
  it("every positive yields at least one raw candidate", () => {
    const missing = secretRules.flatMap((rule) => rule.samples.positives.filter((p) => candidates(rule, p).length === 0).map(() => rule.id));
    expect(missing).toEqual([]);
  });
});

describe("secret rules: base64-looking tokens are not found inside base64 data", () => {
  // A data URI or embedded font is one long base64 run; a token-shaped slice of it is not a token.
  const BASE64_BODIES = [
    "square-access-token",
    "adyen-api-key",
    "gcp-api-key",
    "jfrog-api-key",
    "jfrog-reference-token",
    "twitter-bearer-token",
    "yandex-cloud-api-key",
    "aws-bedrock-api-key",
  ];
  const filler = "Qk2x+9Lm/Tz8Wq3R".repeat(8);

  for (const id of BASE64_BODIES) {
    it(id, () => {
      const rule = secretRules.find((r) => r.id === id);
      expect(rule, id).toBeDefined();
      const positive = rule!.samples.positives[0]!;
      const [secret] = findings(rule!, positive);
      expect(secret).toBeDefined();
      const token = positive.slice(positive.indexOf(secret!) - (id === "twitter-bearer-token" ? 21 : 0)).split(/["'\s]/)[0]!;
      expect(findings(rule!, `src="data:image/png;base64,${filler}+${token}/${filler}"`)).toEqual([]);
      expect(findings(rule!, `KEY=${token}`)).toHaveLength(1);
    });
  }
});
