import { describe, expect, it } from "vitest";
import { compileSecretRule } from "../../../../src/checks/secrets/compiled-rule.js";
import { contextLines } from "../../../../src/checks/secrets/context/context-lines.js";
import { mergeDerivedMatches } from "../../../../src/checks/secrets/context/merge-derived.js";
import { secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { SecretScanner, type SecretMatch } from "../../../../src/checks/secrets/scanner.js";
import { arrayView, linesOf, loadFixture } from "./fixtures.js";

const scanner = new SecretScanner(
  secretRules.map((rule) => compileSecretRule(rule)),
  { maxLineLength: 4000, customRuleBudgetMs: 250 },
);

/** What check.ts does with derived lines, with the merge it is to use. */
function scanWithContext(path: string, text: string) {
  const lines = linesOf(text);
  const plain = scanner.scan(arrayView(lines), { path }).matches;
  mergeDerivedMatches(plain, scanner.scan(contextLines(path, arrayView(lines)), { path }).matches);
  return plain.map((m) => ({ rule: m.rule.id, line: m.startLine, secret: m.secret })).sort((a, b) => a.line - b.line);
}

const match = (id: string, confidence: "high" | "medium" | "low", provider: string, line: number, secret: string): SecretMatch =>
  ({ rule: { id, confidence, provider }, secret, startLine: line, endLine: line }) as unknown as SecretMatch;

describe("mergeDerivedMatches", () => {
  it("lets a vendor rule on the derived name replace the generic find on the plain line", () => {
    const helm = loadFixture("helm-values.yaml");
    expect(scanWithContext("helm-values.yaml", helm.text)).toEqual([
      { rule: "datadog-api-key", line: 8, secret: helm.secrets.get("datadog") },
      { rule: "twilio-auth-token", line: 14, secret: helm.secrets.get("twilio") },
    ]);
    const hub = loadFixture("hub");
    expect(scanWithContext(".config/hub", hub.text)).toEqual([{ rule: "github-legacy-token", line: 3, secret: hub.secrets.get("hub") }]);
  });

  it("keeps one match per value and line, the plain one on a tie", () => {
    const plain = [match("generic-token-assignment", "medium", "Generic", 3, "v1")];
    mergeDerivedMatches(plain, [
      match("generic-api-key-assignment", "medium", "Generic", 3, "v1"),
      match("generic-token-assignment", "medium", "Generic", 4, "v2"),
      match("generic-secret-assignment", "medium", "Generic", 4, "v2"),
      match("datadog-api-key", "high", "Datadog", 5, "v3"),
    ]);
    expect(plain.map((m) => `${m.startLine} ${m.rule.id}`)).toEqual(["3 generic-token-assignment", "4 generic-token-assignment", "5 datadog-api-key"]);
  });

  it("never replaces a more confident plain match", () => {
    const plain = [match("github-classic-pat", "high", "GitHub", 2, "v")];
    mergeDerivedMatches(plain, [match("github-legacy-token", "medium", "GitHub", 2, "v")]);
    expect(plain.map((m) => m.rule.id)).toEqual(["github-classic-pat"]);
  });
});
