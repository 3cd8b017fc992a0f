/**
 * The words a reviewer reads for a secret finding (issue 11): a title that does not repeat the
 * provider, and a `risk` sentence that says what the credential grants instead of repeating the title.
 */
import { describe, expect, it } from "vitest";
import { secretRules } from "../../../src/checks/secrets/rules/index.js";
import { displayTitle } from "../../../src/checks/secrets/rule.js";

/**
 * How often `name` occurs as a word of its own: "FTP" is not in "SFTP", "Elastic" not in
 * "Elasticsearch", "NVIDIA" not in the domain "build.nvidia.com".
 */
function occurrences(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.match(new RegExp(`(?<![A-Za-z0-9.])${escaped}(?![A-Za-z0-9.])`, "gi"))?.length ?? 0;
}

describe("secret rules: words", () => {
  it("covers every built-in rule", () => {
    expect(secretRules.length).toBeGreaterThanOrEqual(150);
    const missing = secretRules.filter((rule) => typeof rule.risk !== "string" || rule.risk.trim() === "").map((rule) => rule.id);
    expect(missing).toEqual([]);
  });

  for (const rule of secretRules) {
    describe(rule.id, () => {
      it("has one sentence of risk that is not the title", () => {
        const risk = rule.risk ?? "";
        expect(risk.length).toBeGreaterThanOrEqual(40);
        expect(risk.length).toBeLessThanOrEqual(240);
        expect(risk).toMatch(/\.$/);
        expect(risk).not.toMatch(/\n/);
        expect(risk).toBe(risk.trim());
        // One sentence: no full stop followed by a new capitalised sentence (an ellipsis `...` is fine).
        expect(risk).not.toMatch(/[^.][.!?]\s+[A-Z]/);
        expect(risk.toLowerCase().startsWith(rule.title.toLowerCase())).toBe(false);
        expect(risk.toLowerCase()).not.toBe(rule.title.toLowerCase());
        expect(risk.toLowerCase()).not.toBe(`${rule.title}.`.toLowerCase());
      });

      it("has a title that does not repeat the provider", () => {
        expect(rule.title.toLowerCase().endsWith(`(${rule.provider})`.toLowerCase())).toBe(false);
        // The title the check reports (rule.ts), not a copy of its logic.
        const shown = displayTitle(rule);
        // "Generic", "Private key": kinds, not providers, which a title never names.
        const isKindOnly = displayTitle({ title: "t", provider: rule.provider }) === "t";
        // Named at least once, by one of the provider's words ("Google" for "Google Cloud"; as part of
        // a word is enough: "TestPyPI", ".npmrc"), never twice as a word of its own.
        const providerWords = rule.provider.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 3);
        if (!isKindOnly) expect(providerWords.some((word) => shown.toLowerCase().includes(word)), shown).toBe(true);
        expect(occurrences(shown, rule.provider)).toBeLessThanOrEqual(1);
      });
    });
  }
});
