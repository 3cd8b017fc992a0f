/**
 * docs/checks/secrets.md lists every rule (the conventions test requires each rule id on the
 * check's page). The table is generated from the rule table; this test fails when it is stale, and
 * `UPDATE_DOCS=1 npx vitest run test/checks/secrets/docs.test.ts` rewrites it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectGeneratedSection } from "../../helpers/generated-section.js";
import { CUSTOM_RULE_META } from "../../../src/checks/secrets/check.js";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { secretRules } from "../../../src/checks/secrets/rules/index.js";

const PAGE = new URL("../../../docs/checks/secrets.md", import.meta.url);
const START = "<!-- rules:start -->";
const END = "<!-- rules:end -->";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function rulesTable(): string {
  const rows = secretRules.map(
    (r) =>
      `| <a id="${r.id}"></a>\`${r.id}\` | ${cell(r.provider)} | ${cell(r.title)} | ${r.severity} | ${r.confidence ?? "high"} | ${r.verifier ?? ""} |`,
  );
  rows.push(`| <a id="${CUSTOM_RULE_META.id}"></a>\`${CUSTOM_RULE_META.id}\` | (config) | ${cell(CUSTOM_RULE_META.description ?? "")} | per rule | medium | |`);
  return [
    `${secretRules.length} built-in rules.`,
    "",
    "| rule id | provider | credential | severity | confidence | verifier |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

describe("docs/checks/secrets.md", () => {
  it("has the current rules table", () => {
    expectGeneratedSection(PAGE, { start: START, end: END }, rulesTable(), "UPDATE_DOCS=1 npx vitest run test/checks/secrets/docs.test.ts");
  });

  it("documents every option of the check", () => {
    const page = readFileSync(PAGE, "utf8");
    for (const key of Object.keys(secretsCheck.optionsSchema.shape)) expect(page).toContain(`\`${key}\``);
  });
});
