/**
 * docs/checks/secrets-rules.md carries a generated count of rules per family; this test fails when
 * it is stale, and `UPDATE_DOCS=1 npx vitest run test/checks/secrets/rules/docs.test.ts` rewrites it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectGeneratedSection } from "../../../helpers/generated-section.js";
import { secretRuleFamilies, secretRules } from "../../../../src/checks/secrets/rules/index.js";

const PAGE = new URL("../../../../docs/checks/secrets-rules.md", import.meta.url);
const START = "<!-- families:start -->";
const END = "<!-- families:end -->";

function familyTable(): string {
  const rows = Object.entries(secretRuleFamilies).map(([family, rules]) => `| \`${family}.ts\` | ${rules.length} |`);
  return ["| family | rules |", "| --- | --- |", ...rows, `| total | ${secretRules.length} |`].join("\n");
}

describe("docs/checks/secrets-rules.md", () => {
  it("has the current rule count per family", () => {
    expectGeneratedSection(PAGE, { start: START, end: END }, familyTable(), "UPDATE_DOCS=1 npx vitest run test/checks/secrets/rules/docs.test.ts");
  });

  it("names every validator file", () => {
    const page = readFileSync(PAGE, "utf8");
    for (const name of ["github-token", "github-fine-grained-pat", "atlassian-token", "grafana-token", "pypi-token", "jwt", "structured-token", "discord-token", "bech32", "crypt-hash", "gitlab-routable-token", "marvin32", "azure-identifiable-key"]) {
      expect(page).toContain(`\`${name}.ts\``);
    }
  });
});
