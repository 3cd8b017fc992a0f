import { describe, expect, it } from "vitest";
import { ci, keyed, keyedPattern, keyPhrase, keyVariants } from "../../../../src/checks/secrets/rules/keyed.js";
import { findings } from "./evaluate.js";

const VALUE = "Xq7PzL2mRt9VbN4cKw8JhY1sDf6GaE3u";

describe("keyed patterns", () => {
  it("match key names case-insensitively and values case-sensitively", () => {
    expect(new RegExp(ci("aws")).test("AwS")).toBe(true);
    expect(new RegExp(`^${keyPhrase("secret access key")}$`).test("SECRET_ACCESS_KEY")).toBe(true);
    expect(new RegExp(`^${keyPhrase("secret access key")}$`).test("secretAccessKey")).toBe(true);
    const pattern = keyed(["acme token"], "[a-z0-9]{8}", "a-z0-9");
    expect(pattern.exec("ACME_TOKEN=ab12cd34")?.groups?.secret).toBe("ab12cd34");
    expect(pattern.test("ACME_TOKEN=AB12CD34")).toBe(false);
  });

  it("accept the common assignment syntaxes", () => {
    const { pattern } = keyedPattern(["acme api key"], "[A-Za-z0-9]{32}", "A-Za-z0-9");
    for (const line of [
      `ACME_API_KEY=${VALUE}`,
      `acme_api_key: "${VALUE}"`,
      `"acmeApiKey": "${VALUE}",`,
      `acme-api-key = '${VALUE}'`,
      `  acme_api_key          = "${VALUE}"`,
      `config.acme.api.key := "${VALUE}"`,
      `:acme_api_key => "${VALUE}"`,
      `os.environ.setdefault("ACME_API_KEY", "${VALUE}")`,
    ]) {
      expect(pattern.exec(line)?.groups?.secret, line).toBe(VALUE);
    }
  });

  it("never cut a longer value to size", () => {
    const { pattern } = keyedPattern(["acme api key"], "[A-Za-z0-9]{32}", "A-Za-z0-9");
    expect(pattern.test(`ACME_API_KEY=${VALUE}x`)).toBe(false);
  });

  it("have keywords for every spelling of every phrase", () => {
    expect(keyVariants("aws secret access key")).toEqual(["aws_secret_access_key", "awssecretaccesskey", "aws-secret-access-key", "aws.secret.access.key"]);
    const phrases = ["acme api key", "acme secret"];
    const rule = {
      id: "acme",
      provider: "Acme",
      title: "Acme",
      risk: "A test rule's risk sentence.",
      severity: "high" as const,
      remediation: "https://acme.example",
      samples: { positives: [], negatives: [] },
      ...keyedPattern(phrases, "[A-Za-z0-9]{32}", "A-Za-z0-9"),
    };
    for (const variant of phrases.flatMap(keyVariants)) {
      for (const spelled of [variant, variant.toUpperCase()]) {
        const line = `${spelled} = "${VALUE}"`;
        expect(findings(rule, line), line).toEqual([VALUE]);
        expect(rule.keywords.some((keyword) => line.toLowerCase().includes(keyword)), line).toBe(true);
      }
    }
  });

  it("keep extra keywords and drop spellings they already cover", () => {
    const { keywords } = keyedPattern(["acme api key", "acme token"], "[a-z]{8}", "a-z", ["acme"]);
    expect(keywords).toEqual(["acme"]);
  });
});
