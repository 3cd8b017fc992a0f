/**
 * docs/checks/dependencies.md lists every format and every rule with its default severity. Both
 * tables are generated from the code; this test fails when they are stale, and
 * `UPDATE_DOCS=1 npx vitest run test/checks/dependencies/docs.test.ts` rewrites them.
 */
import { describe, it } from "vitest";
import { DEPENDENCY_FORMATS } from "../../../src/checks/dependencies/formats.js";
import { DEPENDENCY_RULES } from "../../../src/checks/dependencies/rules.js";
import { expectGeneratedSection } from "../../helpers/generated-section.js";

const PAGE = new URL("../../../docs/checks/dependencies.md", import.meta.url);
const REFRESH = "UPDATE_DOCS=1 npx vitest run test/checks/dependencies/docs.test.ts";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function formatsTable(): string {
  return [
    `${DEPENDENCY_FORMATS.length} formats in ${new Set(DEPENDENCY_FORMATS.map((f) => f.ecosystem)).size} ecosystems.`,
    "",
    "| format id | files | ecosystem | kind |",
    "| --- | --- | --- | --- |",
    ...DEPENDENCY_FORMATS.map((f) => `| \`${f.id}\` | ${cell(f.files)} | ${f.ecosystem} | ${f.kind} |`),
  ].join("\n");
}

function rulesTable(): string {
  const data = { none: "the files alone", osv: "OSV", "npm-registry": "npm registry" } as const;
  return [
    "| rule id | what it catches | default severity | confidence | needs |",
    "| --- | --- | --- | --- | --- |",
    ...DEPENDENCY_RULES.map((r) => `| <a id="${r.id}"></a>\`${r.id}\` | ${cell(r.description ?? r.title)} | ${r.severity} | ${r.confidence} | ${data[r.data]} |`),
  ].join("\n");
}

describe("docs/checks/dependencies.md", () => {
  it("has the current formats table", () => {
    expectGeneratedSection(PAGE, { start: "<!-- formats:start -->", end: "<!-- formats:end -->" }, formatsTable(), REFRESH);
  });
  it("has the current rules table", () => {
    expectGeneratedSection(PAGE, { start: "<!-- rules:start -->", end: "<!-- rules:end -->" }, rulesTable(), REFRESH);
  });
});
