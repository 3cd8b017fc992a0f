/**
 * docs/checks/secrets-rules.md carries a generated count of rules per family; this test fails when
 * it is stale, and `UPDATE_DOCS=1 npx vitest run test/checks/secrets/rules/docs.test.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
    const page = readFileSync(PAGE, "utf8");
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    expect(start, `the page needs the markers ${START} and ${END}`).toBeGreaterThanOrEqual(0);
    const current = page.slice(start + START.length, end).trim();
    const expected = familyTable();
    if (process.env.UPDATE_DOCS === "1" && current !== expected) {
      writeFileSync(PAGE, `${page.slice(0, start + START.length)}\n${expected}\n${page.slice(end)}`);
      return;
    }
    expect(current, "run UPDATE_DOCS=1 npx vitest run test/checks/secrets/rules/docs.test.ts").toBe(expected);
  });

  it("names every validator file", () => {
    const page = readFileSync(PAGE, "utf8");
    for (const name of ["github-token", "github-fine-grained-pat", "atlassian-token", "grafana-token", "pypi-token", "jwt", "structured-token", "discord-token"]) {
      expect(page).toContain(`\`${name}.ts\``);
    }
  });
});
